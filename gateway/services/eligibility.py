"""Is this person covered for care on this day? The answer a facility gets, by FHIR or USSD.

A household's people are numbered: the member is `<AMU number>-00`, each dependant
`<AMU number>-NN` in the order they were added (01, 02, ...; a removed dependant keeps
its number, so numbers never move). Covered: the member is active or in grace and past
the waiting period ("délai de carence"); a dependant is covered when the member is,
while they belong to the household and meet the age rules that day (a child under 21,
under 26 in school; a spouse has no age rule).

`eligibility(session, member, day)` is the one place the answer is computed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from config.schemes import SchemeRules
from gateway import clock
from gateway.amu_numbers import InvalidAmuNumber, clean_amu_number
from gateway.models import CoveragePeriod, Dependent, Member
from gateway.rules import NoRulesInForce, in_force, versions_of
from gateway.services.coverage import Coverage, coverage_on, next_period_price, periods_of

COVERED_STATES = ("active", "grace")
_BENEFICIARY = re.compile(r"(\d{10})(?:-(\d{2}))?")


class InvalidBeneficiary(ValueError):
    """Not a beneficiary number (`1234567890` or `1234567890-01`); the message says why."""


class DayOutOfRange(ValueError):
    """No answer can be given for that day (before the scheme's first rules)."""


@dataclass(frozen=True)
class Person:
    rank: int  # 0: the member; 1, 2...: dependants in the order they were added
    number: str  # "1234567890-01"
    relation: str  # member | spouse | child
    full_name: str
    birth_date: date
    sex: str
    dependent_id: int | None


@dataclass(frozen=True)
class Answer:
    person: Person
    covered: bool
    reason: str  # active | grace | waiting | suspended | pending | age_limit | not_in_household
    key_date: date | None  # covered until | suspension day | care from | suspended since | aged out on
    period: tuple[date, date] | None = None  # the days the person's care is paid, when known


@dataclass(frozen=True)
class Eligibility:
    amu_number: str
    day: date
    state: str  # the member's state that day
    coverage_rate: int  # percent the scheme pays
    resume_price: int  # francs: the household's next period, what to pay to be covered again
    waiting_days: int  # days of waiting after that payment (0: none)
    child_age_limit: int
    child_age_limit_in_school: int
    answers: tuple[Answer, ...]  # the people of the household that day, the member first
    people: tuple[Person, ...]  # everyone ever numbered in the household

    def answer_for(self, rank: int) -> Answer | None:
        """The answer for person `rank`; None when the household never had one."""
        found = next((a for a in self.answers if a.person.rank == rank), None)
        if found is None and rank < len(self.people):
            return Answer(self.people[rank], False, "not_in_household", None)
        return found


def beneficiary_number(amu_number: str, rank: int) -> str:
    return f"{amu_number}-{rank:02d}"


def parse_beneficiary(text: str) -> tuple[str, int]:
    """'1234567890' (the member) or '1234567890-02' -> (AMU number, rank)."""
    match = _BENEFICIARY.fullmatch("".join((text or "").split()))
    if not match:
        raise InvalidBeneficiary("a beneficiary number is an AMU number (10 digits), then -NN for a dependant")
    try:
        number = clean_amu_number(match.group(1))
    except InvalidAmuNumber as exc:
        raise InvalidBeneficiary(str(exc)) from None
    return number, int(match.group(2) or 0)


def people_of(member: Member) -> tuple[Person, ...]:
    people = [Person(0, beneficiary_number(member.amu_number, 0), "member", member.full_name, member.birth_date,
                     member.sex, None)]
    for rank, d in enumerate(member.dependents, start=1):
        people.append(Person(rank, beneficiary_number(member.amu_number, rank), d.relation, d.full_name,
                             d.birth_date, d.sex, d.id))
    return tuple(people)


def _in_household(dependent: Dependent, day: date) -> bool:
    if clock.local_date(dependent.added_at) > day:
        return False
    return dependent.removed_at is None or clock.local_date(dependent.removed_at) > day


def household_on(member: Member, day: date) -> list[tuple[Person, Dependent | None]]:
    """The people of the household on `day` (the member first), each with their
    dependant row (None for the member)."""
    people = people_of(member)
    return [(people[0], None)] + [(person, dependent) for person, dependent in zip(people[1:], member.dependents)
                                  if _in_household(dependent, day)]


def _stint_on(periods: list[CoveragePeriod], day: date) -> list[CoveragePeriod]:
    """The periods up to the end of the stint `day` falls in (the latest begun on or
    before it): a day of an earlier stint is judged by that stint, not by the last one."""
    begun = [i for i, p in enumerate(periods) if p.waiting_ends_on is not None and p.starts_on <= day]
    if not begun:
        return []
    following = (i for i in range(begun[-1] + 1, len(periods)) if periods[i].waiting_ends_on is not None)
    return periods[:next(following, len(periods))]


def _member_answer(person: Person, cover: Coverage, day: date) -> Answer:
    if cover.state in COVERED_STATES and day < cover.waiting_ends:  # in grace before the waiting ended
        return Answer(person, False, "waiting", cover.waiting_ends)
    if cover.state == "active":
        return Answer(person, True, "active", cover.covered_until, (cover.waiting_ends, cover.covered_until))
    if cover.state == "grace":
        last = cover.suspends_on - timedelta(days=1)
        return Answer(person, True, "grace", cover.suspends_on, (cover.waiting_ends, last))
    if cover.state == "waiting":
        paid = (cover.waiting_ends, cover.covered_until) if cover.waiting_ends <= cover.covered_until else None
        return Answer(person, False, "waiting", cover.waiting_ends, paid)
    if cover.state == "suspended":
        return Answer(person, False, "suspended", cover.suspends_on)
    return Answer(person, False, "pending", None)


def aged_out_on(person: Person, in_school: bool, rules: SchemeRules) -> date | None:
    if person.relation != "child":
        return None
    limit = rules.child_age_limit_in_school if in_school else rules.child_age_limit
    return person.birth_date + relativedelta(years=limit)


def _dependent_answer(person: Person, dependent: Dependent, head: Answer, rules: SchemeRules, day: date) -> Answer:
    limit_day = aged_out_on(person, dependent.in_school, rules)
    if limit_day is not None and day >= limit_day:
        return Answer(person, False, "age_limit", limit_day)
    period = head.period
    if period and limit_day is not None and limit_day <= period[1]:
        period = (period[0], limit_day - timedelta(days=1))
    key_date = head.key_date
    if head.reason == "active" and limit_day is not None and key_date is not None and limit_day <= key_date:
        key_date = limit_day - timedelta(days=1)  # covered until the day before the birthday
    return Answer(person, head.covered, head.reason, key_date, period)


def eligibility(session: Session, member: Member, day: date, today: date | None = None) -> Eligibility:
    """Every person of the member's household and whether their care on `day` is paid.
    `today` (default: Lomé's) prices what a member not covered must pay now."""
    today = today or clock.local_date()
    periods = periods_of(session, member.id)
    versions = versions_of(session, member.scheme_id)
    try:
        rules, rules_today = in_force(versions, day), in_force(versions, today)
    except NoRulesInForce:
        raise DayOutOfRange(f"the scheme had no rules in force on {day.isoformat()}") from None
    cover = coverage_on(_stint_on(periods, day), rules, day)
    household = household_on(member, day)
    head = _member_answer(household[0][0], cover, day)
    answers = [head] + [_dependent_answer(person, dependent, head, rules, day) for person, dependent in household[1:]]
    waits = cover.state == "pending" or (cover.state == "suspended" and rules_today.new_waiting_after_suspension)
    return Eligibility(
        amu_number=member.amu_number,
        day=day,
        state=cover.state,
        coverage_rate=rules.coverage_rate,
        resume_price=next_period_price(session, member, today, periods),
        waiting_days=rules_today.waiting_days if waits else 0,
        child_age_limit=rules.child_age_limit,
        child_age_limit_in_school=rules.child_age_limit_in_school,
        answers=tuple(answers),
        people=people_of(member),
    )
