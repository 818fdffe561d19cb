"""Double-entry ledger in whole francs.

Debits are positive, credits negative; every entry's legs sum to zero (checked here,
and by PostgreSQL at commit). Entries are never edited: a correction is a reversal.
Each entry has a `key` that is unique in the database, so the same business event
(one credit of one payment) can be booked once only, however many workers race.

Each account keeps its running balance (the sum of its legs) in the transaction that
books the legs, so reading a balance never sums history. Legs and balances are written
at commit, all of the transaction's at once, balances in account-id order: a busy
shared account (a provider's clearing, premiums) is held only for the commit, and two
transactions never lock two accounts in opposite orders. Posting to a member's account
needs the member's row lock (the callers hold it), which is what makes a balance read
earlier in the transaction still true at its end.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from weakref import WeakKeyDictionary

from sqlalchemy import bindparam, event, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, make_transient_to_detached

from gateway import clock
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


def _insert(session: Session):
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


# --- account ids: kept per process (accounts are never deleted) ---------------------------

KNOWN_IDS_LIMIT = 100_000  # member accounts beyond it are looked up again
_known_ids: WeakKeyDictionary = WeakKeyDictionary()  # engine -> OrderedDict(code -> id)
_CREATED = "ledger_created_accounts"  # created in this transaction: known to the process once committed


def _ids_of(session: Session) -> OrderedDict:
    return _known_ids.setdefault(session.get_bind(), OrderedDict())


def _remember_id(session: Session, code: str, account: int) -> None:
    known = _ids_of(session)
    known[code] = account
    if len(known) > KNOWN_IDS_LIMIT:
        known.popitem(last=False)


def forget_account_ids(engine=None) -> None:
    """For tests that empty the tables: ids known to the process are stale then."""
    if engine is None:
        _known_ids.clear()
    else:
        _known_ids.pop(engine, None)


def find_account_id(session: Session, code: str) -> int | None:
    """The account's id, or None if it was never used (a read never creates one)."""
    known = _ids_of(session).get(code) or session.info.get(_CREATED, {}).get(code)
    if known is not None:
        return known
    found = session.scalar(select(LedgerAccount.id).where(LedgerAccount.code == code))
    if found is not None:
        _remember_id(session, code, found)  # committed by someone, or it would not be visible
    return found


def account_id(session: Session, code: str) -> int:
    """The account's id, creating it on first use (safe under concurrency)."""
    found = find_account_id(session, code)
    if found is not None:
        return found
    kind = _kind_of(code)
    member_id = int(code.split(":")[1]) if kind == "member" else None
    with session.no_autoflush:
        created = session.scalar(
            _insert(session)(LedgerAccount.__table__).values(code=code, kind=kind, member_id=member_id, balance=0)
            .on_conflict_do_nothing().returning(LedgerAccount.__table__.c.id)
        )
    if created is None:  # another transaction created it meanwhile
        return find_account_id(session, code)
    session.info.setdefault(_CREATED, {})[code] = created
    return created


def open_member_accounts(session: Session, member_ids: list[int]) -> None:
    """The accounts of members who have none yet (their first payment), in one statement;
    the caller holds the members' locks, so no other transaction is creating them."""
    if not member_ids:
        return
    table = LedgerAccount.__table__
    rows = [{"code": member_account(m), "kind": "member", "member_id": m, "balance": 0} for m in member_ids]
    with session.no_autoflush:
        created = session.execute(_insert(session)(table).values(rows).on_conflict_do_nothing()
                                  .returning(table.c.id, table.c.code)).all()
    for account, code in created:
        session.info.setdefault(_CREATED, {})[code] = account
        session.info.setdefault(_READ_BALANCES, {})[account] = 0


def remember_account(session: Session, code: str, account: int, balance: int) -> None:
    """An account read by the caller with its row's balance (e.g. with the member it
    belongs to, locked): no second read for its id or its balance in this transaction."""
    _remember_id(session, code, account)
    session.info.setdefault(_READ_BALANCES, {})[account] = balance


# --- posting ------------------------------------------------------------------------------

_POSTED = "ledger_posted_legs"  # (transaction, account id, amount, entry) posted, not yet written
_READ_BALANCES = "ledger_read_balances"  # account id -> balance read in this transaction


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
    at_once: bool = True,
) -> LedgerEntry:
    """Book one entry. Raises DuplicateEntry if `key` is booked already. The entry row is
    written at once (its unique key decides); its legs and the balances they move are
    written at commit, with every other entry's of the transaction.

    `at_once=False` (a caller whose locks already make the entry the only one of its key,
    as crediting a locked payment or member does) writes the entry with the rest of the
    transaction too, in one statement with the others: the unique key then refuses a
    second one at the flush (IntegrityError), not here."""
    if len(legs) < 2:
        raise Unbalanced(f"{key}: an entry needs at least two legs")
    for leg in legs:
        if type(leg.amount) is not int or leg.amount == 0:
            raise Unbalanced(f"{key}: leg amounts are non-zero whole francs, not {leg.amount!r}")
    total = sum(leg.amount for leg in legs)
    if total != 0:
        raise Unbalanced(f"{key}: legs sum to {total}, not 0")
    ids = [account_id(session, leg.account) for leg in legs]
    values = dict(key=key, kind=kind, description=description, intent_id=intent_id, member_id=member_id,
                  reverses_id=reverses_id, booked_on=booked_on, created_at=clock.now())
    if at_once:
        table = LedgerEntry.__table__
        with session.no_autoflush:  # the rest of the transaction is written with its next flush
            entry_id = session.scalar(_insert(session)(table).values(**values).on_conflict_do_nothing()
                                      .returning(table.c.id))
        if entry_id is None:
            raise DuplicateEntry(key)
        entry = LedgerEntry(id=entry_id, **values)
        make_transient_to_detached(entry)
    else:
        entry = LedgerEntry(**values)
    session.add(entry)  # its legs are in the database from the commit (reading `entry.legs` before finds none)
    within = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_POSTED, []).extend((within, i, leg.amount, entry) for i, leg in zip(ids, legs))
    return entry


def _posted(session: Session) -> list[tuple]:
    return session.info.get(_POSTED, [])


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back_legs(session: Session, transaction) -> None:
    """A savepoint rolled back takes its entries with it: their legs are not written."""
    def inside(within) -> bool:
        while within is not None:
            if within is transaction:
                return True
            within = within.parent
        return False

    if _posted(session):
        session.info[_POSTED] = [p for p in _posted(session) if not inside(p[0])]


@event.listens_for(Session, "before_commit")
def _write_legs_and_balances(session: Session) -> None:
    if session.in_nested_transaction() or not _posted(session):
        return
    session.flush()
    posted = session.info.pop(_POSTED)
    session.execute(insert(LedgerLeg.__table__),
                    [{"entry_id": e.id, "account_id": a, "amount": amount} for _t, a, amount, e in posted])
    deltas: dict[int, int] = {}
    for _t, account, amount, _e in posted:
        deltas[account] = deltas.get(account, 0) + amount
    changes = [{"account": a, "delta": d} for a, d in sorted(deltas.items()) if d]  # one lock order for all
    if changes:
        accounts = LedgerAccount.__table__
        session.execute(
            update(accounts).where(accounts.c.id == bindparam("account"))
            .values(balance=accounts.c.balance + bindparam("delta")),
            changes,
        )


@event.listens_for(Session, "after_commit")
def _promote_created_accounts(session: Session) -> None:
    if session.in_nested_transaction():
        return
    for code, account in session.info.pop(_CREATED, {}).items():
        _remember_id(session, code, account)


@event.listens_for(Session, "after_transaction_end")
def _forget_transaction(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost: committed (written above) or rolled back
        for key in (_POSTED, _READ_BALANCES, _CREATED):
            session.info.pop(key, None)


# --- reading --------------------------------------------------------------------------------


def balance_of(session: Session, account: int | None) -> int:
    """The account's balance as this transaction sees it: the stored running balance and
    what this transaction has posted to it so far."""
    if account is None:
        return 0
    stored = session.info.get(_READ_BALANCES, {}).get(account)
    if stored is None:
        stored = session.scalar(select(LedgerAccount.balance).where(LedgerAccount.id == account)) or 0
    return stored + sum(amount for _t, a, amount, _e in _posted(session) if a == account)


def balance(session: Session, code: str) -> int:
    """Positive = debit balance."""
    return balance_of(session, find_account_id(session, code))


def member_credit(session: Session, member_id: int) -> int:
    """Francs a member has paid and not yet spent on cover (a credit balance)."""
    return -balance(session, member_account(member_id))


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
