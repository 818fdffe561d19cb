"""Expected contributions (dues) from a member's rhythm, and where the member stands.

Dues follow the calendar: daily every day, weekly every market day, monthly on the 1st,
quarterly on 1 Jan/Apr/Jul/Oct, half-yearly on 1 Jan/Jul, yearly on 1 Jan, seasonal on
the 1st of each harvest month. Small instalments split a period's price exactly (the
market days of a month sum to the month's price, to the franc). Each due is priced by
the rules in force on its date. Payments go to the oldest unpaid due first.

What a member paid and how far it went is kept on the member row as each payment and
each new due arrives (`paid_total`, `oldest_unpaid_due`, `paid_toward_dues`), so that
where a member stands reads only the dues not yet paid, never the whole history.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Iterator

from sqlalchemy import case, delete, false, func, or_, select, update
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
    made = []
    if rows:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        made = session.execute(insert(Due).values(rows).on_conflict_do_nothing().returning(Due.due_on, Due.amount)).all()
    if last is None:
        refigure(session, member)
    elif made and member.oldest_unpaid_due is None:
        _pay_oldest_first(member, sorted(made))  # money paid ahead goes to the new dues
    if last is None or until > last:
        member.dues_until = until
    return len(rows)


def drop_future_dues(session: Session, member: Member, after: date) -> None:
    """A new rhythm replaces the dues not yet due; past dues stay as they were. What had
    paid the dropped dues is paid ahead again, for the dues that replace them."""
    if member.oldest_unpaid_due is None or member.oldest_unpaid_due > after:
        freed = select(func.coalesce(func.sum(Due.amount), 0)).where(Due.member_id == member.id, Due.due_on > after)
        if member.oldest_unpaid_due is not None:
            freed = freed.where(Due.due_on < member.oldest_unpaid_due)
        member.paid_toward_dues += session.scalar(freed)
        member.oldest_unpaid_due = None
    session.execute(delete(Due).where(Due.member_id == member.id, Due.due_on > after))
    if member.dues_until is None or member.dues_until > after:
        member.dues_until = after


def reprice_from(session: Session, scheme: int, effective_from: date, today: date) -> int:
    """A new rule version: the dues generated ahead from its date (never those already
    due) are made again at its prices by the next round. Returns the members affected."""
    start = max(effective_from, today + timedelta(days=1))
    ahead = (Member.scheme_id == scheme) & (Member.dues_until >= start)
    paid_ahead = (
        select(func.coalesce(func.sum(Due.amount), 0))
        .where(Due.member_id == Member.id, Due.due_on >= start)
        .where(or_(Member.oldest_unpaid_due.is_(None), Due.due_on < Member.oldest_unpaid_due))
        .scalar_subquery()
    )
    session.execute(  # as drop_future_dues, for every member concerned at once
        update(Member)
        .where(ahead, or_(Member.oldest_unpaid_due.is_(None), Member.oldest_unpaid_due >= start))
        .values(paid_toward_dues=Member.paid_toward_dues + paid_ahead, oldest_unpaid_due=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(Due).where(Due.due_on >= start, Due.member_id.in_(select(Member.id).where(ahead))))
    return session.execute(update(Member).where(ahead).values(dues_until=start - timedelta(days=1))).rowcount


def pay_oldest_first(dues: list[tuple[date, int]], paid: int) -> tuple[date | None, int]:
    """(the first of `dues`, oldest first, that `paid` francs do not cover, the francs
    left toward it): None and what is left over when they cover them all."""
    left = paid
    for due_on, amount in dues:
        if left < amount:
            return due_on, left
        left -= amount
    return None, left


def _pay_oldest_first(member: Member, dues: list[tuple[date, int]]) -> None:
    """`dues`: from the member's oldest unpaid one on."""
    member.oldest_unpaid_due, member.paid_toward_dues = pay_oldest_first(dues, member.paid_toward_dues)


ALLOCATION_CHUNK = 32  # dues read at a time: a payment seldom pays more (a member years behind has thousands)


def allocate(session: Session, member: Member, amount: int) -> None:
    """Francs received for the member (the caller holds the member's lock): paid-to-date
    grows, and the oldest unpaid dues are paid first. Reads only the dues it pays, and the
    next one, ALLOCATION_CHUNK at a time."""
    member.paid_total += amount
    member.paid_toward_dues += amount
    since, left = member.oldest_unpaid_due, member.paid_toward_dues
    while since is not None:  # None: everything due is paid, this is paid ahead of the dues to come
        with session.no_autoflush:  # what is pending waits for the transaction's flush
            unpaid = session.execute(
                select(Due.due_on, Due.amount).where(Due.member_id == member.id, Due.due_on >= since)
                .order_by(Due.due_on).limit(ALLOCATION_CHUNK)
            ).all()
        oldest, left = pay_oldest_first(unpaid, left)
        if oldest is not None or len(unpaid) < ALLOCATION_CHUNK:
            member.oldest_unpaid_due, member.paid_toward_dues = oldest, left
            return
        since = unpaid[-1][0] + timedelta(days=1)


def refigure(session: Session, member: Member) -> None:
    """The dues figures derived again from every due and the paid-to-date."""
    member.paid_toward_dues = member.paid_total
    _pay_oldest_first(member, _all_dues(session, member.id))


def _all_dues(session: Session, member_id: int) -> list[tuple[date, int]]:
    return list(session.execute(select(Due.due_on, Due.amount).where(Due.member_id == member_id).order_by(Due.due_on)))


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
    """Francs received for the member, summed from the ledger (the member row keeps it as
    `paid_total`; this is what the check compares it with)."""
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


def derived_figures(session: Session, member_id: int) -> tuple[int, date | None, int]:
    """(paid_total, oldest_unpaid_due, paid_toward_dues) derived from the whole history."""
    paid = paid_in(session, member_id)
    return (paid, *pay_oldest_first(_all_dues(session, member_id), paid))


def standing(session: Session, member_id: int, day: date) -> Standing:
    """Where the member stands on `day`, from the member's running figures and sums the
    database makes over the dues not fully paid or still to come (never the history)."""
    member = session.get(Member, member_id)
    oldest = member.oldest_unpaid_due
    later = Due.due_on > day
    paid_ahead = later if oldest is None else later & (Due.due_on < oldest)  # fully paid, after the day
    unpaid = false() if oldest is None else Due.due_on.between(oldest, day)
    since = day + timedelta(days=1) if oldest is None else min(oldest, day + timedelta(days=1))
    ahead, owed = session.execute(
        select(func.coalesce(func.sum(case((paid_ahead, Due.amount), else_=0)), 0),
               func.coalesce(func.sum(case((unpaid, Due.amount), else_=0)), 0))
        .where(Due.member_id == member_id, Due.due_on >= since)
    ).one()
    upcoming = session.execute(
        select(Due.due_on, Due.amount).where(Due.member_id == member_id, later).order_by(Due.due_on).limit(1)
    ).first() or (None, 0)
    fully_paid = member.paid_total - member.paid_toward_dues  # the oldest dues, up to the oldest unpaid
    return Standing(due=fully_paid - int(ahead) + int(owed), paid=member.paid_total,
                    oldest_unpaid=oldest if oldest is not None and oldest <= day else None,
                    next_due=upcoming[0], next_amount=upcoming[1])
