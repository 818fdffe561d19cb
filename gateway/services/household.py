"""Dependents: who may be covered through a member, by the scheme's rules on that day."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from config.schemes import SchemeRules
from gateway import clock
from gateway.models import Dependent, Member
from gateway.errors import Refusal
from ussd_menus.services import DependentRequest


def current_dependents(member: Member) -> list[Dependent]:
    return [d for d in member.dependents if d.removed_at is None]


def extra_counts(member: Member) -> tuple[int, int]:
    """(extra spouses, extra children): those beyond the household the base price covers."""
    current = current_dependents(member)
    return (
        sum(1 for d in current if d.relation == "spouse" and d.extra),
        sum(1 for d in current if d.relation == "child" and d.extra),
    )


def check_dependent(member: Member, request: DependentRequest, rules: SchemeRules, today: date) -> bool:
    """Raise Refusal with the reason, or return whether the dependent is an extra one
    (beyond the base household, so paying the scheme's monthly supplement)."""
    if request.birth_date > today:
        raise Refusal("dependent_born_in_future")
    name = " ".join(request.full_name.split()).casefold()
    current = current_dependents(member)
    if any(d.full_name.casefold() == name and d.birth_date == request.birth_date for d in current):
        raise Refusal("already_listed")
    same = sum(1 for d in current if d.relation == request.relation)
    if request.relation == "spouse":
        if same >= rules.max_spouses + rules.max_extra_spouses:
            raise Refusal("spouse_limit", limit=rules.max_spouses + rules.max_extra_spouses)
        return same >= rules.max_spouses
    if request.relation != "child":
        raise ValueError(f"relation must be spouse or child, not {request.relation!r}")
    age = clock.age_on(request.birth_date, today)
    if age >= rules.child_age_limit_in_school:
        raise Refusal("child_too_old", limit=rules.child_age_limit_in_school)
    if age >= rules.child_age_limit and not request.in_school:
        raise Refusal(
            "child_too_old_out_of_school", limit=rules.child_age_limit, school_limit=rules.child_age_limit_in_school
        )
    if same >= rules.max_children + rules.max_extra_children:
        raise Refusal("child_limit", limit=rules.max_children + rules.max_extra_children)
    return same >= rules.max_children


def add_dependent(session: Session, member: Member, request: DependentRequest, rules: SchemeRules) -> Dependent:
    extra = check_dependent(member, request, rules, clock.local_date())
    dependent = Dependent(
        member_id=member.id,
        relation=request.relation,
        full_name=" ".join(request.full_name.split()),
        birth_date=request.birth_date,
        sex=request.sex,
        in_school=request.in_school,
        extra=extra,
        added_at=clock.now(),
    )
    session.add(dependent)
    session.flush()
    session.refresh(member, ["dependents"])
    return dependent
