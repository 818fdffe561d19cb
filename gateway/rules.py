"""The scheme rules in force on a given day, from the versions stored in the database."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from config.schemes import SchemeRules
from gateway.models import Scheme, SchemeRuleVersion


class NoRulesInForce(LookupError):
    pass


def scheme_id(session: Session, code: str) -> int:
    found = session.scalar(select(Scheme.id).where(Scheme.code == code))
    if found is None:
        raise NoRulesInForce(f"scheme {code!r} is not in the database: run `amu db upgrade`")
    return found


def rules_on(session: Session, scheme: int, day: date) -> SchemeRules:
    version = session.scalar(
        select(SchemeRuleVersion)
        .where(SchemeRuleVersion.scheme_id == scheme, SchemeRuleVersion.effective_from <= day)
        .order_by(SchemeRuleVersion.effective_from.desc())
        .limit(1)
    )
    if version is None:
        raise NoRulesInForce(f"no rules of scheme #{scheme} are in force on {day.isoformat()}")
    return SchemeRules.from_json(version.rules)
