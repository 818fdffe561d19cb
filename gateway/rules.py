"""The scheme rules in force on a given day, from the versions stored in the database."""
from __future__ import annotations

from datetime import date

from sqlalchemy import event, select
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
    try:
        return in_force(versions_of(session, scheme), day)
    except NoRulesInForce:
        raise NoRulesInForce(f"no rules of scheme #{scheme} are in force on {day.isoformat()}") from None


_CACHE = "scheme_rule_versions"


@event.listens_for(Session, "before_flush")
def _forget_versions_on_change(session: Session, _context, _instances) -> None:
    if any(isinstance(obj, SchemeRuleVersion) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info.pop(_CACHE, None)


def versions_of(session: Session, scheme: int) -> list[SchemeRules]:
    """Every version of the scheme's rules, oldest first. Read once per session: the
    daily jobs and a payment's cover ask for the rules of many days in one transaction."""
    cache = session.info.setdefault(_CACHE, {})
    if scheme not in cache:
        rows = session.scalars(
            select(SchemeRuleVersion)
            .where(SchemeRuleVersion.scheme_id == scheme)
            .order_by(SchemeRuleVersion.effective_from)
        )
        cache[scheme] = [SchemeRules.from_json(row.rules) for row in rows]
    return cache[scheme]


def in_force(versions: list[SchemeRules], day: date) -> SchemeRules:
    """The version of `versions` (oldest first) in force on `day`."""
    found = [v for v in versions if v.effective_from <= day]
    if not found:
        raise NoRulesInForce(f"no rules are in force on {day.isoformat()}")
    return found[-1]
