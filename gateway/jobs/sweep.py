"""The safety net, run every minute: nothing stored is left behind.

- a callback still `received` a minute after it arrived (its job was lost, or its worker
  was killed mid-apply and the transaction rolled back) is queued again; one never read
  (its adapter was not configured then, or the database failed while reading it) is
  read again, as of its arrival, once its adapter is configured here. A callback read
  once is never read again: a rejected one (unreadable, unauthenticated) stays rejected;
- an intent still `created` whose initiation job was lost, or whose retry was lost (a
  restart during the back-off), is queued again: a second attempt asks the provider first;
- an intent whose next status check is due is polled.
"""
from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import or_, select

from gateway import clock
from gateway.jobs.daily import DAILY
from gateway.jobs.queue import RETRY_INTERVALS
from gateway.models import PaymentIntent, ProviderCallback
from gateway.runtime import get_runtime
from payment_adapters import AdapterConfigError

log = logging.getLogger("amu.sweep")

STALE = timedelta(seconds=60)
TICK_SECONDS = 60
LOCK_KEY = "amu:sweep:lock"


def sweep(stale: timedelta = STALE) -> dict[str, int]:
    runtime = get_runtime()
    now = clock.now()
    with runtime.db() as session:
        waiting = select(ProviderCallback.id).where(
            ProviderCallback.outcome == "received", ProviderCallback.received_at < now - stale
        )
        callbacks = session.scalars(waiting.where(ProviderCallback.event.is_not(None))).all()
        unread = session.execute(
            waiting.add_columns(ProviderCallback.provider).where(ProviderCallback.event.is_(None))
        ).all()
        lost = session.scalars(
            select(PaymentIntent.id).where(
                PaymentIntent.status == "created",
                PaymentIntent.created_at < now - stale,
                or_(
                    PaymentIntent.initiate_attempts == 0,
                    PaymentIntent.updated_at < now - timedelta(seconds=max(RETRY_INTERVALS)) - stale,
                ),
            )
        ).all()
        due = session.scalars(
            select(PaymentIntent.id).where(
                PaymentIntent.status.in_(("created", "pending")), PaymentIntent.next_poll_at < now - stale
            )
        ).all()
    for callback_id in callbacks:
        runtime.queue.enqueue("gateway.jobs.callbacks.apply_callback", callback_id)
    readable = _configured_providers(runtime, {provider for _id, provider in unread})
    unread = [callback_id for callback_id, provider in unread if provider in readable]
    for callback_id in unread:
        runtime.queue.enqueue("gateway.jobs.callbacks.read_callback", callback_id)
    for intent_id in lost:
        runtime.queue.enqueue("gateway.jobs.payments.initiate_collection", intent_id)
    for intent_id in due:
        runtime.queue.enqueue("gateway.jobs.payments.poll_payment", intent_id)
    counts = {"callbacks": len(callbacks), "unread callbacks": len(unread), "initiations": len(lost), "polls": len(due)}
    if any(counts.values()):
        log.info("sweep queued %s", counts)
    return counts


def _configured_providers(runtime, providers: set[str]) -> set[str]:
    """The providers whose adapter can be built here: a callback kept unread for another
    waits for its settings instead of costing a job every minute."""
    configured = set()
    for provider in providers:
        try:
            runtime.adapter(provider)
        except AdapterConfigError:
            continue
        configured.add(provider)
    return configured


def _once(runtime, key: str, seconds: int, claimed: set) -> bool:
    """True for exactly one caller per key: across the deployment with Redis, else in this process."""
    if runtime.redis is not None:
        return bool(runtime.redis.set(key, "1", nx=True, ex=seconds))
    if key in claimed:
        return False
    claimed.add(key)
    return True


def tick(runtime, claimed: set, interval: float = TICK_SECONDS) -> list[str]:
    """Queue what is due now: the sweep, and each daily job once its hour has come."""
    queued = []
    if _once(runtime, f"{LOCK_KEY}:{int(clock.now().timestamp() // interval)}", int(interval) * 2, claimed):
        runtime.queue.enqueue("gateway.jobs.sweep.sweep")
        queued.append("gateway.jobs.sweep.sweep")
    today = clock.local_date()
    for job, hour in DAILY:
        if clock.local_hour() >= hour and _once(runtime, f"amu:daily:{job}:{today}", 2 * 86400, claimed):
            runtime.queue.enqueue(job)
            queued.append(job)
    return queued


def start_ticker(runtime, interval: float = TICK_SECONDS) -> threading.Event:
    """Tick every `interval` seconds in a background thread. With Redis, keys make one
    process in the whole deployment queue each job, however many workers run."""
    stop = threading.Event()
    claimed: set = set()

    def loop() -> None:
        while not stop.wait(interval):
            try:
                tick(runtime, claimed, interval)
            except Exception:  # noqa: BLE001 - a failed tick must not kill the ticker
                log.exception("tick failed")

    threading.Thread(target=loop, name="amu-ticker", daemon=True).start()
    return stop
