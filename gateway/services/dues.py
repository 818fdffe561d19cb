"""Expected contributions (dues) from a member's rhythm, and where the member stands.

Dues follow the calendar: daily every day, weekly every market day, monthly on the 1st,
quarterly on 1 Jan/Apr/Jul/Oct, half-yearly on 1 Jan/Jul, yearly on 1 Jan, seasonal on
the 1st of each harvest month. Small instalments split a period's price exactly (the
market days of a month sum to the month's price, to the franc). Each due is priced by
the rules in force on its date. Payments go to the oldest unpaid due first; arrears,
advance and credit are derived from the dues and the ledger, never stored.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Iterator

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from config.schemes import SchemeRules
from gateway import clock
from gateway.models import Due, LedgerAccount, LedgerEntry, LedgerLeg, Member
from gateway.rules import rules_on
from gateway.services.billing import period_price
from gateway.services.household import extra_counts

PERIOD_STARTS = {"monthly": range(1, 13), "quarterly": (1, 4, 7, 10), "half_yearly": (1, 7), "yearly": (1,)}


def share(total: int, parts: int, index: int) -> int:
    """The index-th of `parts` whole-franc shares of `total`; the shares sum to `total`."""
    return total * (index + 1) // parts - total * index // parts


def _days_of_month(day: date) -> list[date]:
    last = calendar.monthrange(day.year, day.month)[1]
    return [day.replace(day=d) for d in range(1, last + 1)]


def dues_on(member: Member, day: date, rules: SchemeRules) -> int:
    """Francs due from `member` on `day` (0 when nothing is due that day)."""
    extras = extra_counts(member)
    rhythm = member.rhythm
    if rhythm == "daily":
        days = _days_of_month(day)
        return share(period_price(rules, "monthly", *extras), len(days), day.day - 1)
    if rhythm == "weekly":
        market_days = [d for d in _days_of_month(day) if d.weekday() == member.rhythm_weekday]
        if day not in market_days:
            return 0
        return share(period_price(rules, "monthly", *extras), len(market_days), market_days.index(day))
    if rhythm == "seasonal":
        months = sorted(member.rhythm_months)
        if day.day != 1 or day.month not in months:
            return 0
        return share(period_price(rules, "seasonal", *extras), len(months), months.index(day.month))
    if day.day == 1 and day.month in PERIOD_STARTS[rhythm]:
        return period_price(rules, rhythm, *extras)
    return 0


def expected_between(member: Member, start: date, end: date, rules_for: Callable[[date], SchemeRules]) -> Iterator[tuple[date, int]]:
    day = start
    while day <= end:
        amount = dues_on(member, day, rules_for(day))
        if amount:
            yield day, amount
        day += timedelta(days=1)


def generate_dues(session: Session, member: Member, until: date, not_before: date | None = None) -> int:
    """Add the member's missing dues up to `until`; safe to run again and concurrently.
    `not_before` keeps a new rhythm from reaching back over days already past."""
    last = member.dues_until
    start = last + timedelta(days=1) if last else clock.local_date(member.joined_at)
    if not_before is not None:
        start = max(start, not_before)
    rows = [
        {"member_id": member.id, "due_on": day, "amount": amount, "rhythm": member.rhythm}
        for day, amount in expected_between(member, start, until, lambda d: rules_on(session, member.scheme_id, d))
    ]
    if rows:
        insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        session.execute(insert(Due).values(rows).on_conflict_do_nothing())
    if last is None or until > last:
        member.dues_until = until
    return len(rows)


def drop_future_dues(session: Session, member: Member, after: date) -> None:
    """A new rhythm replaces the dues not yet due; past dues stay as they were."""
    session.execute(delete(Due).where(Due.member_id == member.id, Due.due_on > after))
    if member.dues_until is None or member.dues_until > after:
        member.dues_until = after


def reprice_from(session: Session, scheme: int, effective_from: date, today: date) -> int:
    """A new rule version: the dues generated ahead from its date (never those already
    due) are made again at its prices by the next round. Returns the members affected."""
    start = max(effective_from, today + timedelta(days=1))
    ahead = (Member.scheme_id == scheme) & (Member.dues_until >= start)
    session.execute(delete(Due).where(Due.due_on >= start, Due.member_id.in_(select(Member.id).where(ahead))))
    return session.execute(update(Member).where(ahead).values(dues_until=start - timedelta(days=1))).rowcount


@dataclass(frozen=True)
class Standing:
    due: int  # francs expected up to the day
    paid: int  # francs received for the member, ever
    oldest_unpaid: date | None  # the oldest due not fully paid (payments go oldest first)
    next_due: date | None
    next_amount: int

    @property
    def arrears(self) -> int:
        return max(self.due - self.paid, 0)

    @property
    def advance(self) -> int:
        return max(self.paid - self.due, 0)


def paid_by_member():
    """Francs received per member: the credits of collection entries to their account."""
    return (
        select(LedgerAccount.member_id, (-func.sum(LedgerLeg.amount)).label("paid"))
        .join(LedgerLeg, LedgerLeg.account_id == LedgerAccount.id)
        .join(LedgerEntry, LedgerEntry.id == LedgerLeg.entry_id)
        .where(LedgerAccount.kind == "member", LedgerEntry.kind == "collection")
        .group_by(LedgerAccount.member_id)
    )


def paid_in(session: Session, member_id: int) -> int:
    paid = paid_by_member().where(LedgerAccount.member_id == member_id).subquery()
    return session.scalar(select(paid.c.paid)) or 0


def oldest_unpaid(dues: list[tuple[date, int]], paid: int, day: date) -> date | None:
    """The oldest due up to `day` that `paid` does not cover, paying the oldest first."""
    remaining = paid
    for due_on, amount in dues:
        if due_on > day:
            return None
        if remaining < amount:
            return due_on
        remaining -= amount
    return None


def standing(session: Session, member_id: int, day: date) -> Standing:
    dues = session.execute(select(Due.due_on, Due.amount).where(Due.member_id == member_id).order_by(Due.due_on)).all()
    paid = paid_in(session, member_id)
    due_total = sum(amount for due_on, amount in dues if due_on <= day)
    upcoming = next(((d, a) for d, a in dues if d > day), (None, 0))
    return Standing(due=due_total, paid=paid, oldest_unpaid=oldest_unpaid(dues, paid, day), next_due=upcoming[0],
                    next_amount=upcoming[1])
