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
from gateway.services.membership import current_event, path_between, record_transition


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


def periods_of(session: Session, member_id: int) -> list[CoveragePeriod]:
    return list(
        session.scalars(select(CoveragePeriod).where(CoveragePeriod.member_id == member_id).order_by(CoveragePeriod.starts_on))
    )


def suspension_day(covered_until: date, rules: SchemeRules) -> date:
    """Rights are suspended once `suspend_after_unpaid_months` whole months from the first
    unpaid day are unpaid (cover to 28 February: March and April unpaid, suspended 1 May)."""
    return covered_until + timedelta(days=1) + relativedelta(months=rules.suspend_after_unpaid_months)


def coverage_on(periods: list[CoveragePeriod], rules: SchemeRules, day: date) -> Coverage:
    if not periods:
        return Coverage("pending", None, None, None, None, None)
    covered_until = periods[-1].ends_on
    stint = _stint(periods)[0]
    waiting_ends = stint.waiting_ends_on
    suspends_on = suspension_day(covered_until, rules)
    if day <= covered_until:
        state = "waiting" if day < waiting_ends else "active"
    elif day < suspends_on:
        state = "grace"
    else:
        state = "suspended"
    return Coverage(
        state=state,
        covered_until=covered_until,
        waiting_ends=waiting_ends,
        stint_start=stint.starts_on,
        grace_from=covered_until + timedelta(days=1),
        suspends_on=suspends_on,
    )


def _next_start(periods: list[CoveragePeriod], rules: SchemeRules, today: date) -> tuple[date, int | None]:
    """(start of the next period, days of waiting if it opens a new stint, else None).

    A stint is a run of periods without suspension; the first period of each stint
    carries the day its waiting period ends (its own start when none applies)."""
    if not periods:
        return today, rules.waiting_days
    last_end = periods[-1].ends_on
    if today < suspension_day(last_end, rules):
        return last_end + timedelta(days=1), None  # continuous; in grace this pays the arrears
    return today, rules.waiting_days if rules.new_waiting_after_suspension else 0


def _next_period(session: Session, member: Member, periods: list[CoveragePeriod], today: date) -> tuple[date, int | None, int]:
    """(start, waiting days if it opens a stint, price) of the period the member's credit
    buys next, at the price in force on the day it starts (not today's)."""
    start, waiting_days = _next_start(periods, rules_on(session, member.scheme_id, today), today)
    rules = rules_on(session, member.scheme_id, start)
    return start, waiting_days, period_price(rules, member.rhythm, *extra_counts(member))


def next_period_price(session: Session, member: Member, today: date,
                      periods: list[CoveragePeriod] | None = None) -> int:
    """What the member's next period costs: what `Mes droits`, the pay screen and the
    receipts measure the saved credit against. `periods`: the member's, if already read."""
    if periods is None:
        periods = periods_of(session, member.id)
    return _next_period(session, member, periods, today)[2]


def _stint(periods: list[CoveragePeriod]) -> list[CoveragePeriod]:
    """The periods of the latest stint: from the last one that opened a stint."""
    opened = max(i for i, p in enumerate(periods) if p.waiting_ends_on is not None)
    return periods[opened:]


def _period_end(stint: list[CoveragePeriod], start: date, months: int) -> date:
    """Periods count months from the first day of their stint (`stint`: the periods this
    one follows, empty when it opens a stint), so cover begun on the 31st does not drift
    to the 28th for good."""
    first = stint[0].starts_on if stint else start
    months_before = sum(MONTHS_IN[p.period] for p in stint)
    return first + relativedelta(months=months_before + months) - timedelta(days=1)


def buy_cover(session: Session, member: Member, today: date) -> list[CoveragePeriod]:
    """Buy every period the member's credit pays for. The caller holds the member's row
    lock; the ledger key (one cover entry per member and start date) is the backstop."""
    bought = []
    period = billing_period(member.rhythm)
    periods = periods_of(session, member.id)
    credit = ledger.member_credit(session, member.id)
    while True:
        start, waiting_days, price = _next_period(session, member, periods, today)
        if credit < price:
            return bought
        end = _period_end(_stint(periods) if waiting_days is None else [], start, MONTHS_IN[period])
        entry = ledger.post(
            session,
            key=f"cover:{member.id}:{start.isoformat()}",
            kind="cover",
            description=f"{period} cover {start.isoformat()} to {end.isoformat()}",
            legs=[ledger.Leg(ledger.member_account(member.id), price), ledger.Leg(ledger.PREMIUMS, -price)],
            booked_on=today,
            member_id=member.id,
        )
        cover = CoveragePeriod(
            member_id=member.id,
            starts_on=start,
            ends_on=end,
            period=period,
            price=price,
            waiting_ends_on=None if waiting_days is None else start + timedelta(days=waiting_days),
            entry_id=entry.id,
        )
        session.add(cover)
        session.flush()
        bought.append(cover)
        periods.append(cover)
        credit -= price


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.LOME)


def _turning_days(periods: list[CoveragePeriod], versions: list[SchemeRules]) -> set[date]:
    """Every day on which time alone can change the state derived from `periods`."""
    if not periods:
        return set()
    cover = coverage_on(periods, versions[-1], periods[-1].ends_on)
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
        .where(Member.id.in_(select(CoveragePeriod.member_id)))
        .values(state_check_on=effective_from)
    ).rowcount


def catch_up(session: Session, member: Member, now: datetime, reason: str) -> list[str]:
    """Record each change that time alone has brought since the last recorded state
    (waiting period over, cover ended, months unpaid), dated on its day, however long
    since the daily job last ran. Run before a payment changes what the member holds."""
    current = current_event(session, member.id)
    periods = periods_of(session, member.id)
    versions = versions_of(session, member.scheme_id)
    today = clock.local_date(now)
    turning = _turning_days(periods, versions)
    _schedule_check(member, turning, today)
    if current is None or not periods:
        return []
    since = clock.local_date(current.effective_at)
    state, steps = current.state, []
    for day in sorted(d for d in turning if since < d <= today):
        derived = coverage_on(periods, in_force(versions, day), day).state
        if derived != state:
            for step in path_between(state, derived):
                record_transition(session, member.id, step, _moment(day), reason)
                steps.append(step)
            state = derived
    return steps


def record_payment(session: Session, member: Member, now: datetime, reason: str) -> list[str]:
    """After a payment has bought cover (catch_up ran before it): the state it brings,
    dated when it was made (grace ended by the payment, a new stint after a suspension)."""
    today = clock.local_date(now)
    periods = periods_of(session, member.id)
    versions = versions_of(session, member.scheme_id)
    _schedule_check(member, _turning_days(periods, versions), today)
    coverage = coverage_on(periods, in_force(versions, today), today)
    current = current_event(session, member.id)
    if current is not None and current.state == coverage.state:
        return []
    steps = path_between(current.state if current else None, coverage.state)
    for step in steps:
        record_transition(session, member.id, step, max(now, current.effective_at) if current else now, reason)
    return steps
