"""The fake provider's memory: every collection and payout it ever made, in a small
SQLite file shared by every process that runs a fake provider on it (``make run`` and
each ``amu ussd`` on the embedded default), so references are unique across processes
and restarts and its statement covers everything, whichever process serves it.

``:memory:`` keeps a journal private to one provider (the tests' default).
"""
from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .scripting import Behaviour

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused, even across restarts
    kind TEXT NOT NULL,                      -- 'collection' | 'payout'
    reference TEXT UNIQUE,                   -- the merchant's; NULL for payouts
    amount INTEGER NOT NULL,                 -- asked (collection) or sent (payout)
    phone TEXT, network TEXT, description TEXT, callback_url TEXT,
    behaviour TEXT NOT NULL,
    created_at TEXT NOT NULL,
    settle_at TEXT NOT NULL,                 -- when the outcome is due
    status TEXT NOT NULL,                    -- pending | succeeded | failed
    confirmed_amount INTEGER,
    fee INTEGER NOT NULL DEFAULT 0,
    operator_reference TEXT,
    settled_at TEXT
);
CREATE INDEX IF NOT EXISTS entries_pending ON entries (status, settle_at);
"""
_PREFIXES = {"collection": "FK", "payout": "PO"}


@dataclass
class Collection:
    """A collection (or a payout) as the provider recorded it."""

    seq: int
    kind: str
    reference: str | None
    amount: int  # what was asked
    phone: str | None
    network: str | None
    description: str
    callback_url: str | None
    behaviour: Behaviour
    created_at: datetime
    settle_at: datetime
    status: str = "pending"
    confirmed_amount: int | None = None
    fee: int = 0
    operator_reference: str | None = None
    settled_at: datetime | None = None

    @property
    def id(self) -> str:
        return f"{_PREFIXES[self.kind]}{self.seq:06d}"

    @property
    def occurred_at(self) -> datetime:
        return self.settled_at or self.created_at

    def view(self) -> dict:
        return {
            "id": self.id,
            "reference": self.reference,
            "status": self.status,
            "amount": self.confirmed_amount if self.confirmed_amount is not None else self.amount,
            "requested_amount": self.amount,
            "phone": self.phone,
            "network": self.network,
            "description": self.description,
            "created_at": self.created_at.isoformat(),
            "settled_at": self.settled_at.isoformat() if self.settled_at else None,
        }

    def statement_view(self) -> dict:
        """The collection as a statement line: what the provider took (or would have)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "reference": self.reference,
            "operator_reference": self.operator_reference,
            "amount": self.confirmed_amount if self.confirmed_amount is not None else self.amount,
            "fee": self.fee,
            "phone": self.phone,
            "network": self.network,
            "occurred_at": self.occurred_at.isoformat(),
            "status": self.status,
        }


class Journal:
    def __init__(self, path: str | Path = ":memory:"):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                   check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        with self._lock:
            if self.path != ":memory:":
                # Readers never wait for a writer; a lost last write on power failure is
                # acceptable for a fake provider.
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def add(self, kind: str, amount: int, behaviour: Behaviour, created_at: datetime,
            settle_at: datetime, *, reference: str | None = None, phone: str | None = None,
            network: str | None = None, description: str = "",
            callback_url: str | None = None) -> Collection | None:
        """Record a new entry; None when `reference` is already taken (by any process)."""
        with self._lock:
            try:
                cursor = self._db.execute(
                    "INSERT INTO entries (kind, reference, amount, phone, network, description,"
                    " callback_url, behaviour, created_at, settle_at, status)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
                    (kind, reference, amount, phone, network, description, callback_url,
                     json.dumps(behaviour.to_dict()), _iso(created_at), _iso(settle_at)))
            except sqlite3.IntegrityError:
                return None
            return self._one("SELECT * FROM entries WHERE seq = ?", (cursor.lastrowid,))

    def settle(self, entry: Collection, status: str, confirmed_amount: int | None, fee: int,
               operator_reference: str | None, settled_at: datetime) -> Collection:
        """Write the outcome unless another process already did; the entry as recorded."""
        with self._lock:
            self._db.execute(
                "UPDATE entries SET status = ?, confirmed_amount = ?, fee = ?,"
                " operator_reference = ?, settled_at = ? WHERE seq = ? AND status = 'pending'",
                (status, confirmed_amount, fee, operator_reference, _iso(settled_at), entry.seq))
            return self._one("SELECT * FROM entries WHERE seq = ?", (entry.seq,))

    def find(self, key: str) -> Collection | None:
        """By the merchant's reference or the provider's id (``FK000012``)."""
        with self._lock:
            found = self._one("SELECT * FROM entries WHERE reference = ?", (key,))
            seq = _seq(key)
            if found is None and seq is not None:
                found = self._one("SELECT * FROM entries WHERE seq = ?", (seq,))
            return found

    def due(self, now: datetime) -> list[Collection]:
        """Pending entries whose outcome is due (their process may have stopped)."""
        return self._all("SELECT * FROM entries WHERE status = 'pending' AND settle_at <= ?"
                         " ORDER BY seq", (_iso(now),))

    def entries(self) -> list[Collection]:
        return self._all("SELECT * FROM entries ORDER BY seq", ())

    def window(self, since: datetime | None, until: datetime | None, *, after: int = 0,
               offset: int = 0, limit: int = -1) -> tuple[int, list[Collection]]:
        """(how many, a page of them) in [since, until) by when each happened, in the
        order they were recorded (`seq`): a page is the next `limit` entries after the
        entry `after`, so one that settles while a listing is read moves no other."""
        where = "WHERE COALESCE(settled_at, created_at) >= ? AND COALESCE(settled_at, created_at) < ?"
        bounds = (_iso(since) if since else "", _iso(until) if until else "\uffff")
        with self._lock:
            total = self._db.execute(f"SELECT COUNT(*) FROM entries {where}", bounds).fetchone()[0]
        page = self._all(f"SELECT * FROM entries {where} AND seq > ?"
                         " ORDER BY seq LIMIT ? OFFSET ?", (*bounds, after, limit, offset))
        return total, page

    def _one(self, sql: str, params: tuple) -> Collection | None:
        """One entry; the caller holds the lock."""
        row = self._db.execute(sql, params).fetchone()
        return _collection(row) if row else None

    def _all(self, sql: str, params: tuple) -> list[Collection]:
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [_collection(row) for row in rows]


def _collection(data: sqlite3.Row) -> Collection:
    return Collection(
        seq=data["seq"], kind=data["kind"], reference=data["reference"], amount=data["amount"],
        phone=data["phone"], network=data["network"], description=data["description"] or "",
        callback_url=data["callback_url"],
        behaviour=Behaviour.from_dict(json.loads(data["behaviour"])),
        created_at=_time(data["created_at"]), settle_at=_time(data["settle_at"]),
        status=data["status"], confirmed_amount=data["confirmed_amount"], fee=data["fee"],
        operator_reference=data["operator_reference"],
        settled_at=_time(data["settled_at"]) if data["settled_at"] else None)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _seq(key: str) -> int | None:
    for prefix in _PREFIXES.values():
        if key.startswith(prefix) and key[len(prefix):].isdigit():
            return int(key[len(prefix):])
    return None
