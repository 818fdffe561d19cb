"""The fake provider's state: collections in its journal, settlement timers, signed callbacks.

Thread-safe: the WSGI server calls it from many threads and timers settle
collections in their own threads. Several processes may share one journal file
(`payment_adapters.fake.journal`); each settles what it initiated on a timer and
sends the callbacks, and any of them settles an outcome that is due when it is asked
(a process that stopped before its timer fired leaves its collections to the others,
like a provider whose callback never came). Its HTTP face is `payment_adapters.fake.server`.
"""
from __future__ import annotations

import json
import random
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Sequence

import requests

from ..phones import NETWORKS, is_e164_tg
from ..signing import signature_header
from .journal import Collection, Journal
from .protocol import DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET, SIGNATURE_HEADER
from .scripting import Behaviour, RandomProfile, magic_behaviour
from .statement import statement_csv, statement_page

OPERATOR_PREFIXES = {"yas": "MIXX", "moov": "FLZ"}  # how each wallet numbers its transactions


@dataclass(frozen=True)
class Delivery:
    reference: str
    url: str
    status_code: int | None  # None when the POST failed
    error: str | None
    at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


class FakeProvider:
    def __init__(
        self,
        *,
        webhook_secret: str = DEFAULT_WEBHOOK_SECRET,
        api_key: str | None = DEFAULT_API_KEY,
        settle_delay: float = 0.5,
        seed: int | None = None,
        profile: RandomProfile | None = None,
        magic_amounts: bool = True,
        fee_rate: float = 0.0,
        callback_timeout: tuple[float, float] = (2.0, 5.0),
        session: requests.Session | None = None,
        journal: Journal | str | Path | None = None,
    ):
        """`fee_rate` is the share of each confirmed amount the provider keeps (0.01 is
        1 %, rounded to the franc); `journal` a path shared with other processes, else
        a journal of this provider's own, in memory."""
        self.webhook_secret = webhook_secret
        self.api_key = api_key  # None: no Authorization check
        self.settle_delay = settle_delay
        self.rng = random.Random(seed)
        self.profile = profile
        self.magic_amounts = magic_amounts
        self.fee_rate = Decimal(str(fee_rate))
        self.callback_timeout = callback_timeout
        self.session = session or requests.Session()
        self.deliveries: list[Delivery] = []
        self._lock = threading.RLock()
        self._idle = threading.Condition(self._lock)
        self._busy = 0
        self.journal = journal if isinstance(journal, Journal) else Journal(journal or ":memory:")
        self._scripts: dict[str, Behaviour] = {}
        self._queue: deque[Behaviour] = deque()
        self._held: list[str] = []
        self._timers: set[threading.Timer] = set()
        self._closed = False

    # -- scripting ---------------------------------------------------------------

    def script(self, reference: str, behaviour: Behaviour) -> None:
        """What the next initiation of `reference` does (used once)."""
        with self._lock:
            self._scripts[reference] = behaviour

    def script_next(self, *behaviours: Behaviour) -> None:
        """What the next initiations do, in order, whatever their reference."""
        with self._lock:
            self._queue.extend(behaviours)

    def release_held(self, order: Sequence[str] | None = None) -> list[str]:
        """Send the held callbacks, in `order` (references) or shuffled with the seed."""
        with self._lock:
            if order is None:
                # In initiation order first: settle timers finish in any order, and the
                # same seed must give the same shuffle.
                order = sorted(self._held, key=lambda ref: self.journal.find(ref).seq)
                self.rng.shuffle(order)
            missing = [ref for ref in order if ref not in self._held]
            if missing:
                raise KeyError(f"not held: {missing}")
            for ref in order:
                self._held.remove(ref)
            self._busy += 1
        try:
            for ref in order:
                collection = self.journal.find(ref)
                for _ in range(max(collection.behaviour.callbacks, 1)):
                    self._deliver(collection)
        finally:
            self._done()
        return list(order)

    # -- the provider's API ------------------------------------------------------

    def initiate(self, payload: object) -> tuple[int, dict]:
        problem = _invalid(payload)
        if problem:
            return 422, {"error": "invalid_request", "message": problem}
        with self._lock:
            if self._closed:
                return 503, {"error": "unavailable", "message": "provider stopped"}
            existing = self.journal.find(payload["reference"])
            if existing is None:
                behaviour = self._choose(payload["reference"], payload["amount"])
                if behaviour.unavailable:
                    return 503, {"error": "unavailable", "message": "scripted outage"}
                now = datetime.now(timezone.utc)
                delay = self.settle_delay if behaviour.delay is None else behaviour.delay
                collection = self.journal.add(
                    "collection", payload["amount"], behaviour, now, now + timedelta(seconds=delay),
                    reference=payload["reference"], phone=payload["phone"],
                    network=payload["network"], description=str(payload.get("description", "")),
                    callback_url=payload["callback_url"])
                existing = None if collection else self.journal.find(payload["reference"])
            if existing is not None:
                return 409, {"error": "duplicate_reference",
                             "message": "a collection with this reference exists",
                             "collection": existing.view()}
            timer = threading.Timer(delay, self._settle, args=(collection.reference,))
            timer.daemon = True
            self._timers.add(timer)
            self._busy += 1
            timer.start()
            return 201, collection.view()

    def status(self, key: str) -> tuple[int, dict]:
        self._settle_due()
        collection = self.journal.find(key)
        if collection is None or collection.kind != "collection":
            return 404, {"error": "not_found", "message": f"no collection {key!r}"}
        return 200, collection.view()

    def statement_csv(self, since: datetime | None = None, until: datetime | None = None) -> str:
        """Everything the provider did in [since, until), as its dashboard would export it."""
        self._settle_due()
        return statement_csv(self.journal.window(since, until)[1])

    def statement_page(self, since: datetime | None, until: datetime | None, page: int,
                       per_page: int, after: int | None = None) -> dict:
        """One page of the statement listing (``GET /v1/statement``): the entries after
        the entry `after` (the previous page's ``meta.next_after``), else page `page`."""
        self._settle_due()
        offset = 0 if after is not None else (page - 1) * per_page
        total, entries = self.journal.window(since, until, after=after or 0, offset=offset,
                                             limit=per_page + 1)
        return statement_page(entries[:per_page], total, page, per_page,
                              more=len(entries) > per_page)

    def pay_out(self, amount: int) -> dict:
        """Send `amount` francs to the merchant's bank account: a payout line."""
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            raise ValueError("amount must be positive whole francs")
        now = datetime.now(timezone.utc)
        entry = self.journal.add("payout", amount, Behaviour(callbacks=0), now, now)
        return self.journal.settle(entry, "succeeded", amount, 0, None, now).statement_view()

    def collections(self) -> list[dict]:
        self._settle_due()
        return [c.view() for c in self.journal.entries() if c.kind == "collection"]

    # -- lifecycle ---------------------------------------------------------------

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until no collection is waiting to settle and no callback is in flight."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for timer in self._timers:
                timer.cancel()
            self._busy -= len(self._timers)
            self._timers.clear()
            self._idle.notify_all()

    # -- inside ------------------------------------------------------------------

    def _choose(self, reference: str, amount: int) -> Behaviour:
        if reference in self._scripts:
            return self._scripts.pop(reference)
        if self._queue:
            return self._queue.popleft()
        magic = magic_behaviour(amount, self.settle_delay) if self.magic_amounts else None
        if magic is not None:
            return magic
        if self.profile is not None:
            return self.profile.draw(self.rng, amount)
        return Behaviour()

    def _settle(self, reference: str) -> None:
        with self._lock:
            timer = threading.current_thread()
            if timer not in self._timers:
                return  # close() cancelled it and already counted it as done
            self._timers.discard(timer)
            collection = self._outcome(self.journal.find(reference), datetime.now(timezone.utc))
            behaviour = collection.behaviour
            sends = 0 if behaviour.hold else behaviour.callbacks
            if behaviour.hold:
                self._held.append(reference)
        try:
            for _ in range(sends):
                self._deliver(collection)
        finally:
            self._done()

    def _settle_due(self) -> None:
        """Settle outcomes that are due, whichever process initiated them (callbacks are
        only sent by the initiating process's timer)."""
        for collection in self.journal.due(datetime.now(timezone.utc)):
            self._outcome(collection, collection.settle_at)

    def _outcome(self, collection: Collection, at: datetime) -> Collection:
        """Record what the collection's behaviour says happened; the journal's entry."""
        behaviour = collection.behaviour
        if not behaviour.approve:
            return self.journal.settle(collection, "failed", None, 0, None, at)
        confirmed = behaviour.confirmed_amount or collection.amount
        fee = int((confirmed * self.fee_rate).quantize(Decimal(1), ROUND_HALF_UP))
        operator_reference = f"{OPERATOR_PREFIXES.get(collection.network, 'OP')}{collection.seq:08d}"
        return self.journal.settle(collection, "succeeded", confirmed, fee, operator_reference, at)

    def _done(self) -> None:
        with self._idle:
            self._busy -= 1
            self._idle.notify_all()

    def _deliver(self, collection: Collection) -> None:
        body = json.dumps({
            "event": f"collection.{collection.status}",
            **{k: v for k, v in collection.view().items()
               if k in ("id", "reference", "status", "amount", "phone", "network")},
            "occurred_at": collection.settled_at.isoformat(),
        }).encode()
        headers = {"Content-Type": "application/json",
                   SIGNATURE_HEADER: signature_header(self.webhook_secret, body, int(time.time()))}
        try:
            response = self.session.post(collection.callback_url, data=body, headers=headers,
                                         timeout=self.callback_timeout)
            delivery = Delivery(collection.reference, collection.callback_url,
                                response.status_code, None)
        except requests.RequestException as exc:
            delivery = Delivery(collection.reference, collection.callback_url, None,
                                type(exc).__name__)
        with self._lock:
            self.deliveries.append(delivery)


def _invalid(payload: object) -> str | None:
    """Why a collection request is refused, or None."""
    if not isinstance(payload, dict):
        return "body must be a JSON object"
    if not isinstance(payload.get("reference"), str) or not payload["reference"].strip():
        return "reference is required"
    amount = payload.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool):
        return "amount must be whole francs (an integer)"
    if amount <= 0:
        return "amount must be positive"
    if not is_e164_tg(str(payload.get("phone", ""))):
        return "phone must be +228 and 8 digits"
    if payload.get("network") not in NETWORKS:
        return f"network must be one of {', '.join(NETWORKS)}"
    url = payload.get("callback_url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return "callback_url must be an http(s) URL"
    return None
