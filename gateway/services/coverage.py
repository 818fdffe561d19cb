"""Money into cover: each time a member's saved contributions reach the price of their
billing period, that period is bought and "covered until" moves forward. The state
(pending, waiting, active, grace, suspended) follows from the periods bought and the
scheme's rules as they were on each date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from config.schemes import SchemeRules
from gateway import clock, ledger
from gateway.models import CoveragePeriod, Member
from gateway.rules import in_force, rules_on, versions_of
from gateway.services.billing import MONTHS_IN, billing_period, period_price
from gateway.services.household import extra_counts
from gateway.services.membership import path_between, record_transition


@dataclass(frozen=True)
class Coverage:
    state: str
    covered_until: date | None
    waiting_ends: date | None
    stint_start: date | None
    grace_from: date | None
    suspends_on: date | None

    @property
    def suspended_since(self) -> date | None:
        return self.suspends_on if self.state == "suspended" else None


@dataclass(frozen=True)
class Held:
    """The cover a member holds, in the figures every decision about it needs: its last
    day, the current stint's first day and the day its waiting period ends, the months
    bought in the stint. Kept on the member row (`held_of`); `held_by` derives it from
    the periods bought, which is what the property tests compare it with."""

    covered_until: date | None = None
    stint_start: date | None = None
    waiting_ends: date | None = None
    stint_months: int = 0


def held_of(member: Member) -> Held:
    return Held(member.covered_until, member.stint_start, member.waiting_ends, member.stint_months or 0)


def held_by(periods: list[CoveragePeriod]) -> Held:
    if not periods:
        return Held()
    stint = _stint(periods)
    return Held(periods[-1].ends_on, stint[0].starts_on, stint[0].waiting_ends_on,
                sum(MONTHS_IN[p.period] for p in stint))


def _keep(member: Member, held: Held) -> None:
    member.covered_until, member.stint_start = held.covered_until, held.stint_start
    member.waiting_ends, member.stint_months = held.waiting_ends, held.stint_months


def _as_held(cover: Held | list[CoveragePeriod]) -> Held:
    return cover if isinstance(cover, Held) else held_by(cover)


def periods_of(session: Session, member_id: int) -> list[CoveragePeriod]:
    """Every period the member bought, oldest first (history: `held_of` is what reads use)."""
    return list(
        session.scalars(select(CoveragePeriod).where(CoveragePeriod.member_id == member_id).order_by(CoveragePeriod.starts_on))
    )


def suspension_day(covered_until: date, rules: SchemeRules) -> date:
    """Rights are suspended once `suspend_after_unpaid_months` whole months from the first
    unpaid day are unpaid (cover to 28 February: March and April unpaid, suspended 1 May)."""
    return covered_until + timedelta(days=1) + relativedelta(months=rules.suspend_after_unpaid_months)


def coverage_on(cover: Held | list[CoveragePeriod], rules: SchemeRules, day: date) -> Coverage:
    """The state on `day` of the cover held (the member's figures, or a list of periods)."""
    held = _as_held(cover)
    if held.covered_until is None:
        return Coverage("pending", None, None, None, None, None)
    covered_until = held.covered_until
    suspends_on = suspension_day(covered_until, rules)
    if day <= covered_until:
        state = "waiting" if day < held.waiting_ends else "active"
    elif day < suspends_on:
        state = "grace"
    else:
        state = "suspended"
    return Coverage(
        state=state,
        covered_until=covered_until,
        waiting_ends=held.waiting_ends,
        stint_start=held.stint_start,
        grace_from=covered_until + timedelta(days=1),
        suspends_on=suspends_on,
    )


def _next_start(held: Held, rules: SchemeRules, today: date) -> tuple[date, int | None]:
    """(start of the next period, days of waiting if it opens a new stint, else None).

    A stint is a run of periods without suspension; the first period of each stint
    carries the day its waiting period ends (its own start when none applies)."""
    if held.covered_until is None:
        return today, rules.waiting_days
    if today < suspension_day(held.covered_until, rules):
        return held.covered_until + timedelta(days=1), None  # continuous; in grace this pays the arrears
    return today, rules.waiting_days if rules.new_waiting_after_suspension else 0


def _next_period(session: Session, member: Member, held: Held, today: date) -> tuple[date, int | None, int]:
    """(start, waiting days if it opens a stint, price) of the period the member's credit
    buys next, at the price in force on the day it starts (not today's)."""
    start, waiting_days = _next_start(held, rules_on(session, member.scheme_id, today), today)
    rules = rules_on(session, member.scheme_id, start)
    return start, waiting_days, period_price(rules, member.rhythm, *extra_counts(member))


def next_period_price(session: Session, member: Member, today: date,
                      cover: Held | list[CoveragePeriod] | None = None) -> int:
    """What the member's next period costs: what `Mes droits`, the pay screen and the
    receipts measure the saved credit against. `cover`: the member's figures by default."""
    held = held_of(member) if cover is None else _as_held(cover)
    return _next_period(session, member, held, today)[2]


def _stint(periods: list[CoveragePeriod]) -> list[CoveragePeriod]:
    """The periods of the latest stint: from the last one that opened a stint."""
    opened = max(i for i, p in enumerate(periods) if p.waiting_ends_on is not None)
    return periods[opened:]


def _with_period(held: Held, start: date, months: int, waiting_days: int | None) -> Held:
    """What is held once a period of `months` from `start` is bought (`waiting_days`: it
    opens a stint). Periods count months from the first day of their stint, so cover
    begun on the 31st does not drift to the 28th for good."""
    if waiting_days is not None:
        return Held(start + relativedelta(months=months) - timedelta(days=1), start,
                    start + timedelta(days=waiting_days), months)
    months += held.stint_months
    return Held(held.stint_start + relativedelta(months=months) - timedelta(days=1), held.stint_start,
                held.waiting_ends, months)


def buy_cover(session: Session, member: Member, today: date) -> list[CoveragePeriod]:
    """Buy every period the member's credit pays for. The caller holds the member's row
    lock; the ledger key (one cover entry per member and start date) is the backstop."""
    bought = []
    period = billing_period(member.rhythm)
    held = held_of(member)
    credit = ledger.member_credit(session, member.id)
    while True:
        start, waiting_days, price = _next_period(session, member, held, today)
        if credit < price:
            return bought
        held = _with_period(held, start, MONTHS_IN[period], waiting_days)
        entry = ledger.post(
            session,
            key=f"cover:{member.id}:{start.isoformat()}",
            kind="cover",
            description=f"{period} cover {start.isoformat()} to {held.covered_until.isoformat()}",
            legs=[ledger.Leg(ledger.member_account(member.id), price), ledger.Leg(ledger.PREMIUMS, -price)],
            booked_on=today,
            member_id=member.id,
            at_once=False,  # the member's lock makes it the only cover from this start
        )
        cover = CoveragePeriod(
            member_id=member.id,
            starts_on=start,
            ends_on=held.covered_until,
            period=period,
            price=price,
            waiting_ends_on=held.waiting_ends if waiting_days is not None else None,
            entry=entry,
            bought_at=clock.now(),
        )
        session.add(cover)
        _keep(member, held)
        bought.append(cover)
        credit -= price


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.LOME)


def _turning_days(held: Held, versions: list[SchemeRules]) -> set[date]:
    """Every day on which time alone can change the state derived from what is held."""
    if held.covered_until is None:
        return set()
    cover = coverage_on(held, versions[-1], held.covered_until)
    days = {cover.stint_start, cover.waiting_ends, cover.grace_from}
    days |= {suspension_day(cover.covered_until, v) for v in versions}
    days |= {v.effective_from for v in versions}
    return days


def _schedule_check(member: Member, turning: set[date], today: date) -> None:
    """The day the daily round next needs to look at the member (None: time alone will
    not change their state, e.g. pending, or suspended)."""
    member.state_check_on = min((d for d in turning if d > today), default=None)


def recheck_from(session: Session, scheme: int, effective_from: date) -> int:
    """A new rule version may move a suspension: members are looked at again on its date."""
    return session.execute(
        update(Member)
        .where(Member.scheme_id == scheme, or_(Member.state_check_on.is_(None), Member.state_check_on > effective_from))
        .where(Member.covered_until.is_not(None))
        .values(state_check_on=effective_from)
    ).rowcount


def _recorded(member: Member) -> str | None:
    """The member's latest recorded state (None before any)."""
    return member.state if member.state_since is not None else None


def catch_up(session: Session, member: Member, now: datetime, reason: str) -> list[str]:
    """Record each change that time alone has brought since the last recorded state
    (waiting period over, cover ended, months unpaid), dated on its day, however long
    since the daily job last ran. Run before a payment changes what the member holds."""
    held = held_of(member)
    versions = versions_of(session, member.scheme_id)
    today = clock.local_date(now)
    turning = _turning_days(held, versions)
    _schedule_check(member, turning, today)
    if _recorded(member) is None or held.covered_until is None:
        return []
    since = clock.local_date(member.state_since)
    state, steps = member.state, []
    for day in sorted(d for d in turning if since < d <= today):
        derived = coverage_on(held, in_force(versions, day), day).state
        if derived != state:
            for step in path_between(state, derived):
                record_transition(session, member, step, _moment(day), reason)
                steps.append(step)
            state = derived
    return steps


def record_payment(session: Session, member: Member, now: datetime, reason: str) -> list[str]:
    """After a payment has bought cover (catch_up ran before it): the state it brings,
    dated when it was made (grace ended by the payment, a new stint after a suspension)."""
    today = clock.local_date(now)
    held = held_of(member)
    versions = versions_of(session, member.scheme_id)
    _schedule_check(member, _turning_days(held, versions), today)
    coverage = coverage_on(held, in_force(versions, today), today)
    current = _recorded(member)
    if current == coverage.state:
        return []
    steps = path_between(current, coverage.state)
    for step in steps:
        record_transition(session, member, step, max(now, member.state_since) if current else now, reason)
    return steps
