"""Apply migrations (Alembic) and load the scheme rules from config into the database."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import select
from sqlalchemy.orm import Session

import migrations
from config.schemes import load_definitions
from gateway.models import Scheme, SchemeRuleVersion

SCRIPT_LOCATION = Path(migrations.__file__).parent


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    cfg.attributes["database_url"] = database_url
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


class RuleVersionConflict(Exception):
    pass


def sync_schemes(session: Session) -> list[str]:
    """Insert scheme rule versions that are in config but not yet in the database.

    A version already stored must stay as it is: rules apply from their date and are
    never rewritten backwards, so a changed past version is refused, not applied.
    """
    added = []
    for definition in load_definitions():
        scheme = session.scalar(select(Scheme).where(Scheme.code == definition.code))
        if scheme is None:
            scheme = Scheme(code=definition.code, name=definition.name)
            session.add(scheme)
            session.flush()
        stored = {
            v.effective_from: v
            for v in session.scalars(select(SchemeRuleVersion).where(SchemeRuleVersion.scheme_id == scheme.id))
        }
        for rules in definition.versions:
            existing = stored.get(rules.effective_from)
            if existing is None:
                session.add(
                    SchemeRuleVersion(scheme_id=scheme.id, effective_from=rules.effective_from, rules=rules.to_json())
                )
                session.flush()
                _apply_from(session, scheme.id, rules.effective_from)
                added.append(f"{definition.code} from {rules.effective_from}")
            elif existing.rules != rules.to_json():
                raise RuleVersionConflict(
                    f"{definition.code}: the version from {rules.effective_from} differs from the stored one; "
                    "add a new version with a later effective_from instead of editing it"
                )
    return added


def _apply_from(session: Session, scheme: int, effective_from) -> None:
    """Members already on the books meet the new version on its date: dues made ahead
    are priced again, and states are looked at again that day."""
    from gateway import clock
    from gateway.services import coverage, dues

    dues.reprice_from(session, scheme, effective_from, clock.local_date())
    coverage.recheck_from(session, scheme, effective_from)
