"""Who is behind on their dues, by how much and since when (finance's follow-up list)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.models import Due, Member
from gateway.services.dues import oldest_unpaid, paid_by_member


@dataclass(frozen=True)
class LateMember:
    amu_number: str
    full_name: str
    phone: str
    region: str
    occupation: str
    rhythm: str
    due: int
    paid: int
    arrears: int
    since: date
    days_late: int


def late_members(session: Session, day: date, region: str | None = None, occupation: str | None = None) -> list[LateMember]:
    """Members whose dues up to `day` exceed what was paid for them, most behind first.
    Totals come from two grouped queries, the oldest unpaid due from one more query over
    the dues of the members who are behind."""
    dues_total = (
        select(Due.member_id, func.sum(Due.amount).label("due"))
        .where(Due.due_on <= day)
        .group_by(Due.member_id)
        .subquery()
    )
    paid_total = paid_by_member().subquery()
    paid = func.coalesce(paid_total.c.paid, 0)
    query = (
        select(Member, dues_total.c.due, paid)
        .join(dues_total, dues_total.c.member_id == Member.id)
        .outerjoin(paid_total, paid_total.c.member_id == Member.id)
        .where(dues_total.c.due > paid)
    )
    if region:
        query = query.where(Member.region == region)
    if occupation:
        query = query.where(Member.occupation == occupation)
    behind = session.execute(query).all()
    dues_of: dict[int, list] = {}
    for member_id, due_on, amount in session.execute(
        select(Due.member_id, Due.due_on, Due.amount)
        .where(Due.member_id.in_([m.id for m, _d, _p in behind]), Due.due_on <= day)
        .order_by(Due.member_id, Due.due_on)
    ):
        dues_of.setdefault(member_id, []).append((due_on, amount))
    rows = []
    for member, due, paid_amount in behind:
        since = oldest_unpaid(dues_of[member.id], int(paid_amount), day)
        rows.append(
            LateMember(member.amu_number, member.full_name, member.phone, member.region, member.occupation,
                       member.rhythm, int(due), int(paid_amount), int(due - paid_amount), since, (day - since).days)
        )
    return sorted(rows, key=lambda r: (-r.arrears, r.since, r.amu_number))
