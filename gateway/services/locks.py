"""Row locks, always taken in one order: payment intent, then member.

`FOR NO KEY UPDATE` rather than `FOR UPDATE`: inserting a row that references the
member (a ledger entry, a cover period) takes a KEY SHARE lock on the member's row,
which FOR UPDATE would conflict with; two jobs for one member would deadlock.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.models import Member


def lock_member(session: Session, member_id: int) -> Member | None:
    return session.scalar(select(Member).where(Member.id == member_id).with_for_update(key_share=True))
