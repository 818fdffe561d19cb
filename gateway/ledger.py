"""Double-entry ledger in whole francs.

Debits are positive, credits negative; every entry's legs sum to zero (checked here,
and by PostgreSQL at commit). Entries are never edited: a correction is a reversal.
Each entry has a `key` that is unique in the database, so the same business event
(one credit of one payment) can be booked once only, however many workers race.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import event, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway.models import LedgerAccount, LedgerEntry, LedgerLeg

SUSPENSE = "suspense"
PREMIUMS = "premiums"


def clearing(provider: str, network: str) -> str:
    return f"clearing:{provider}:{network}"


def member_account(member_id: int) -> str:
    return f"member:{member_id}"


def fees(provider: str) -> str:
    return f"fees:{provider}"


class DuplicateEntry(Exception):
    """An entry with this key is booked already: the event happened once, not twice."""


class Unbalanced(ValueError):
    pass


@dataclass(frozen=True)
class Leg:
    account: str
    amount: int


def _kind_of(code: str) -> str:
    return code.split(":", 1)[0]


_ACCOUNT_IDS = "ledger_account_ids"


@event.listens_for(Session, "after_rollback")
def _forget_account_ids(session: Session) -> None:
    session.info.pop(_ACCOUNT_IDS, None)  # an account created by the rolled-back work is gone


def account_id(session: Session, code: str) -> int:
    """The account's id, creating it on first use (safe under concurrency). Accounts are
    never deleted, so an id once read is kept for the session."""
    known = session.info.setdefault(_ACCOUNT_IDS, {})
    if code not in known:
        known[code] = _find_or_create_account(session, code)
    return known[code]


def _find_or_create_account(session: Session, code: str) -> int:
    found = session.scalar(select(LedgerAccount.id).where(LedgerAccount.code == code))
    if found is not None:
        return found
    kind = _kind_of(code)
    member_id = int(code.split(":")[1]) if kind == "member" else None
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(LedgerAccount).values(code=code, kind=kind, member_id=member_id).on_conflict_do_nothing()
    )
    return session.scalar(select(LedgerAccount.id).where(LedgerAccount.code == code))


def post(
    session: Session,
    *,
    key: str,
    kind: str,
    description: str,
    legs: list[Leg],
    booked_on: date,
    intent_id: int | None = None,
    member_id: int | None = None,
    reverses_id: int | None = None,
) -> LedgerEntry:
    """Book one entry. Raises DuplicateEntry if `key` is booked already."""
    if len(legs) < 2:
        raise Unbalanced(f"{key}: an entry needs at least two legs")
    for leg in legs:
        if type(leg.amount) is not int or leg.amount == 0:
            raise Unbalanced(f"{key}: leg amounts are non-zero whole francs, not {leg.amount!r}")
    total = sum(leg.amount for leg in legs)
    if total != 0:
        raise Unbalanced(f"{key}: legs sum to {total}, not 0")
    ids = [account_id(session, leg.account) for leg in legs]
    entry = LedgerEntry(
        key=key,
        kind=kind,
        description=description,
        intent_id=intent_id,
        member_id=member_id,
        reverses_id=reverses_id,
        booked_on=booked_on,
    )
    try:
        with session.begin_nested():
            session.add(entry)
            session.flush()
    except IntegrityError:
        raise DuplicateEntry(key) from None
    session.add_all(LedgerLeg(entry_id=entry.id, account_id=i, amount=leg.amount) for i, leg in zip(ids, legs))
    session.flush()
    return entry


def reverse(session: Session, entry: LedgerEntry, *, reason: str, booked_on: date) -> LedgerEntry:
    """A correction: the entry's legs booked again with the opposite sign, once."""
    ids = [leg.account_id for leg in entry.legs]
    codes = dict(session.execute(select(LedgerAccount.id, LedgerAccount.code).where(LedgerAccount.id.in_(ids))).all())
    return post(
        session,
        key=f"reversal:{entry.id}",
        kind="reversal",
        description=f"reversal of #{entry.id}: {reason}",
        legs=[Leg(codes[leg.account_id], -leg.amount) for leg in entry.legs],
        booked_on=booked_on,
        intent_id=entry.intent_id,
        member_id=entry.member_id,
        reverses_id=entry.id,
    )


def balance(session: Session, code: str) -> int:
    """Sum of the account's legs: positive = debit balance."""
    return session.scalar(
        select(func.coalesce(func.sum(LedgerLeg.amount), 0))
        .join(LedgerAccount, LedgerAccount.id == LedgerLeg.account_id)
        .where(LedgerAccount.code == code)
    )


def member_credit(session: Session, member_id: int) -> int:
    """Francs a member has paid and not yet spent on cover (a credit balance)."""
    return -balance(session, member_account(member_id))
