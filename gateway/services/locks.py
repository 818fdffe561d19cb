"""Row locks, always taken in one order: payment intent, then member.

`FOR NO KEY UPDATE` rather than `FOR UPDATE`: inserting a row that references the
member (a ledger entry, a cover period) takes a KEY SHARE lock on the member's row,
which FOR UPDATE would conflict with; two jobs for one member would deadlock.

A member locked once in a transaction is not asked for again: `lock_members` locks the
members of several payments at once (in id order, so that two workers never wait for
each other), and `lock_member` then finds them in the session.
"""
from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session, selectinload

from gateway import ledger
from gateway.models import LedgerAccount, Member
from gateway.rules import versions_of

_LOCKED = "locked_members"


def lock_member(session: Session, member_id: int) -> Member | None:
    locked = session.info.setdefault(_LOCKED, {})  # id -> Member (held: the identity map is weak)
    if member_id not in locked:
        member = session.scalar(select(Member).where(Member.id == member_id).with_for_update(key_share=True))
        if member is None:
            return None
        locked[member_id] = member
    return locked[member_id]


def lock_members(session: Session, member_ids) -> None:
    """Lock members to credit them, in one statement: with their ledger account's id and
    balance (no second read of either), their household and their scheme's rules (prices
    depend on both), all read before anything is written."""
    locked = session.info.setdefault(_LOCKED, {})
    wanted = sorted(set(member_ids) - set(locked))
    if not wanted:
        return
    rows = session.execute(
        select(Member, LedgerAccount.id, LedgerAccount.balance)
        .outerjoin(LedgerAccount, LedgerAccount.member_id == Member.id)
        .where(Member.id.in_(wanted))
        .order_by(Member.id)
        .with_for_update(key_share=True, of=Member)
        .options(selectinload(Member.dependents))
    )
    without = []
    for member, account, balance in rows:
        locked[member.id] = member
        if account is None:
            without.append(member.id)
        else:
            ledger.remember_account(session, ledger.member_account(member.id), account, balance)
    ledger.open_member_accounts(session, without)
    for scheme in {member.scheme_id for member in locked.values()}:
        versions_of(session, scheme)


@event.listens_for(Session, "after_transaction_end")
def _forget_locks(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_LOCKED, None)
