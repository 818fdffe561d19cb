"""The fake provider's state: collections in memory, settlement timers, signed callbacks.

Thread-safe: the WSGI server calls it from many threads and timers settle
collections in their own threads. Its HTTP face is `payment_adapters.fake.server`.
"""
from __future__ import annotations

import csv
import io
import itertools
import json
import random
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Sequence

import requests

from ..phones import NETWORKS, is_e164_tg
from ..signing import signature_header
from .protocol import (DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET, SIGNATURE_HEADER,
                       STATEMENT_COLUMNS)
from .scripting import Behaviour, RandomProfile, magic_behaviour


@dataclass
class Collection:
    id: str
    reference: str
    amount: int  # what was asked
    phone: str
    network: str
    description: str
    callback_url: str
    behaviour: Behaviour
    created_at: datetime
    status: str = "pending"
    confirmed_amount: int | None = None
    settled_at: datetime | None = None

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
    ):
        self.webhook_secret = webhook_secret
        self.api_key = api_key  # None: no Authorization check
        self.settle_delay = settle_delay
        self.rng = random.Random(seed)
        self.profile = profile
        self.magic_amounts = magic_amounts
        self.fee_rate = fee_rate
        self.callback_timeout = callback_timeout
        self.session = session or requests.Session()
        self.deliveries: list[Delivery] = []
        self._lock = threading.RLock()
        self._idle = threading.Condition(self._lock)
        self._busy = 0
        self._ids = itertools.count(1)
        self._collections: dict[str, Collection] = {}
        self._by_id: dict[str, str] = {}
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
                initiated = {ref: n for n, ref in enumerate(self._collections)}
                order = sorted(self._held, key=initiated.__getitem__)
                self.rng.shuffle(order)
            missing = [ref for ref in order if ref not in self._held]
            if missing:
                raise KeyError(f"not held: {missing}")
            for ref in order:
                self._held.remove(ref)
            self._busy += 1
        try:
            for ref in order:
                collection = self._collections[ref]
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
            existing = self._collections.get(payload["reference"])
            if existing is not None:
                return 409, {"error": "duplicate_reference",
                             "message": "a collection with this reference exists",
                             "collection": existing.view()}
            behaviour = self._choose(payload["reference"], payload["amount"])
            if behaviour.unavailable:
                return 503, {"error": "unavailable", "message": "scripted outage"}
            collection = Collection(
                id=f"FK{next(self._ids):06d}", reference=payload["reference"],
                amount=payload["amount"], phone=payload["phone"], network=payload["network"],
                description=str(payload.get("description", "")),
                callback_url=payload["callback_url"], behaviour=behaviour,
                created_at=datetime.now(timezone.utc))
            self._collections[collection.reference] = collection
            self._by_id[collection.id] = collection.reference
            delay = self.settle_delay if behaviour.delay is None else behaviour.delay
            timer = threading.Timer(delay, self._settle, args=(collection.reference,))
            timer.daemon = True
            self._timers.add(timer)
            self._busy += 1
            timer.start()
            return 201, collection.view()

    def status(self, key: str) -> tuple[int, dict]:
        with self._lock:
            collection = self._collections.get(key) or self._collections.get(
                self._by_id.get(key, ""))
            if collection is None:
                return 404, {"error": "not_found", "message": f"no collection {key!r}"}
            return 200, collection.view()

    def statement_csv(self, since: datetime | None = None, until: datetime | None = None) -> str:
        with self._lock:
            settled = sorted(
                (c for c in self._collections.values() if c.status == "succeeded"),
                key=lambda c: c.settled_at)
            rows = [c for c in settled
                    if (since is None or c.settled_at >= since)
                    and (until is None or c.settled_at < until)]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(STATEMENT_COLUMNS)
        for c in rows:
            writer.writerow([c.id, c.reference, c.confirmed_amount,
                             int(round(c.confirmed_amount * self.fee_rate)), c.phone,
                             c.network, c.settled_at.isoformat(), c.status])
        return out.getvalue()

    def collections(self) -> list[dict]:
        with self._lock:
            return [c.view() for c in self._collections.values()]

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
            collection = self._collections[reference]
            behaviour = collection.behaviour
            collection.status = "succeeded" if behaviour.approve else "failed"
            if behaviour.approve:
                collection.confirmed_amount = behaviour.confirmed_amount or collection.amount
            collection.settled_at = datetime.now(timezone.utc)
            sends = 0 if behaviour.hold else behaviour.callbacks
            if behaviour.hold:
                self._held.append(reference)
        try:
            for _ in range(sends):
                self._deliver(collection)
        finally:
            self._done()

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
