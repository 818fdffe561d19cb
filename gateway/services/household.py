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


def check_dependent(member: Member, request: DependentRequest, rules: SchemeRules, today: date,
                    replacing: Dependent | None = None) -> bool:
    """Raise Refusal with the reason, or return whether the dependent is an extra one
    (beyond the base household, so paying the scheme's monthly supplement). `replacing`:
    the row a correction replaces, which does not count."""
    if request.birth_date > today:
        raise Refusal("dependent_born_in_future")
    name = " ".join(request.full_name.split()).casefold()
    current = [d for d in current_dependents(member) if d is not replacing]
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


def _current(member: Member, dependent_id: int) -> Dependent:
    found = next((d for d in current_dependents(member) if d.id == dependent_id), None)
    if found is None:
        raise Refusal("dependant_gone")
    return found


def correct_dependent(session: Session, member: Member, dependent_id: int, rules: SchemeRules, *,
                      full_name: str | None = None, birth_date: date | None = None) -> Dependent:
    """A typing error put right: the row as it was is kept, dated and marked "corrected",
    and a new row (naming it) takes its place with the same rules checked. The person was
    in the household since the first row's day: `added_at` is kept."""
    old = _current(member, dependent_id)
    request = DependentRequest(relation=old.relation, full_name=full_name or old.full_name,
                               birth_date=birth_date or old.birth_date, sex=old.sex, in_school=old.in_school)
    check_dependent(member, request, rules, clock.local_date(), replacing=old)
    old.removed_at, old.removal = clock.now(), "corrected"
    new = Dependent(
        member_id=member.id, relation=old.relation, full_name=" ".join(request.full_name.split()),
        birth_date=request.birth_date, sex=old.sex, in_school=old.in_school, extra=old.extra,
        added_at=old.added_at, corrects_id=old.id,
    )
    session.add(new)
    session.flush()
    session.refresh(member, ["dependents"])
    return new


def remove_dependent(session: Session, member: Member, dependent_id: int, rules: SchemeRules) -> Dependent:
    """The dependent leaves the household today; the row stays, dated and marked "removed".
    Someone who was an extra (paying the supplement) takes the freed place in the base household."""
    leaving = _current(member, dependent_id)
    leaving.removed_at, leaving.removal = clock.now(), "removed"
    for relation, included in (("spouse", rules.max_spouses), ("child", rules.max_children)):
        staying = [d for d in current_dependents(member) if d.relation == relation and d is not leaving]
        for rank, dependent in enumerate(staying):
            dependent.extra = rank >= included
    session.flush()
    session.refresh(member, ["dependents"])
    return leaving
