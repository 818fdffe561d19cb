"""Money into cover: each time a member's saved contributions reach the price of their
billing period, that period is bought and "covered until" moves forward. The state
(pending, waiting, active, grace, suspended) follows from the periods bought and the
scheme's rules as they were on each date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from config.schemes import SchemeRules
from gateway import clock, ledger
from gateway.models import CoveragePeriod, Member
from gateway.rules import rules_on
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
    """Rights are suspended once `suspend_after_unpaid_months` months after cover ended are unpaid."""
    return covered_until + relativedelta(months=rules.suspend_after_unpaid_months) + timedelta(days=1)


def coverage_on(periods: list[CoveragePeriod], rules: SchemeRules, day: date) -> Coverage:
    if not periods:
        return Coverage("pending", None, None, None, None, None)
    covered_until = periods[-1].ends_on
    stint = next(p for p in reversed(periods) if p.waiting_ends_on is not None)
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


def buy_cover(session: Session, member: Member, today: date) -> list[CoveragePeriod]:
    """Buy every period the member's credit pays for. The caller holds the member's row
    lock; the ledger key (one cover entry per member and start date) is the backstop."""
    bought = []
    period = billing_period(member.rhythm)
    while True:
        periods = periods_of(session, member.id)
        start, waiting_days = _next_start(periods, rules_on(session, member.scheme_id, today), today)
        rules = rules_on(session, member.scheme_id, start)  # the price in force when the period starts
        price = period_price(rules, member.rhythm, *extra_counts(member))
        if ledger.member_credit(session, member.id) < price:
            return bought
        end = start + relativedelta(months=MONTHS_IN[period]) - timedelta(days=1)
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


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.LOME)


def sync_state(session: Session, member: Member, now: datetime, reason: str) -> list[str]:
    """Record the transitions that bring the member's history up to their state today,
    each dated when it happened (e.g. grace from the day after cover ended)."""
    today = clock.local_date(now)
    coverage = coverage_on(periods_of(session, member.id), rules_on(session, member.scheme_id, today), today)
    current = current_event(session, member.id)
    if current is not None and current.state == coverage.state:
        return []
    steps = path_between(current.state if current else None, coverage.state)
    when_by_state = {
        "waiting": coverage.stint_start,
        "active": coverage.waiting_ends or coverage.stint_start,
        "grace": coverage.grace_from,
        "suspended": coverage.suspends_on,
    }
    floor = current.effective_at if current else now
    for state in steps:
        day = when_by_state.get(state)
        at = min(max(_moment(day) if day else now, floor), now)
        record_transition(session, member.id, state, at, reason)
        floor = at
    return steps
