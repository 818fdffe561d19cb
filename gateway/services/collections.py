"""Asking a provider to collect a payment, and asking it how a payment went.

No row is locked during a provider call: the payment is read (and the attempt counted),
the lock let go, the provider asked, then the payment locked again and the answer taken
through `provider_answers.take`, which also copes with whatever happened meanwhile (a
callback that credited it, say).

A payment that cannot be started by `AMU_START_DEADLINE` seconds after it was asked for
is failed, and the payer told by SMS that no money was taken and how to try again: a
member who was promised a PIN request never waits for nothing.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from gateway import clock
from gateway.models import Member, PaymentIntent
from gateway.models.payments import CREATED, EXPIRED, UNSETTLED
from gateway.services import payments
from gateway.services.payment_states import move
from gateway.services.provider_answers import Answer, take
from gateway.transactions import after_commit
from payment_adapters import (
    CollectionRequest,
    DuplicateReference,
    PaymentStatus,
    ProviderRefused,
    ProviderUnavailable,
)

log = logging.getLogger("amu.payments")

START_RETRY_STEPS = (10, 30, 60, 120, 300)  # seconds between attempts to start a collection, then every 300 s


def start_deadline(runtime, intent: PaymentIntent) -> datetime:
    return intent.created_at + timedelta(seconds=runtime.settings.start_deadline)


def next_start_in(attempts: int, now: datetime, deadline: datetime) -> float | None:
    """Seconds until the next attempt to start a collection after `attempts` failed ones;
    None when the deadline has come (the last try is the check made at the deadline)."""
    left = (deadline - now).total_seconds()
    if left <= 0:
        return None
    return min(START_RETRY_STEPS[min(attempts, len(START_RETRY_STEPS)) - 1], left)


def _lock(session: Session, intent_id: int) -> PaymentIntent | None:
    return session.get(PaymentIntent, intent_id, with_for_update={"key_share": True})


def _relock(session: Session, intent: PaymentIntent) -> None:
    """The lock was let go for the provider call: read the payment again, locked."""
    session.refresh(intent, with_for_update={"key_share": True})


def start_collection(runtime, intent_id: int) -> None:
    """Ask the provider to collect a payment still `created`; safe to run twice."""
    with runtime.db() as session:
        intent = _lock(session, intent_id)
        if intent is None or intent.status != CREATED:
            return
        if clock.now() >= start_deadline(runtime, intent):
            return _at_the_deadline(runtime, session, intent)
        intent.initiate_attempts += 1
        amu_number = session.get(Member, intent.member_id).amu_number
        session.commit()  # the attempt is counted even if the call below hangs or crashes
        adapter = runtime.adapter(intent.provider)
        try:
            if intent.initiate_attempts > 1:  # an earlier attempt may have reached the provider after all
                known = adapter.fetch_status(intent.reference, intent.provider_reference)
                if known.status != PaymentStatus.UNKNOWN:
                    return _taken(runtime, session, intent, Answer(known.status, known.amount, known.provider_reference),
                                  "initiate-check")
            result = adapter.initiate(
                CollectionRequest(
                    reference=intent.reference,
                    amount=intent.amount,
                    phone=intent.payer_phone,
                    network=intent.network,
                    description=f"AMU cotisation {amu_number}",
                    callback_url=runtime.callback_url(intent.provider),
                )
            )
        except DuplicateReference:
            known = adapter.fetch_status(intent.reference, intent.provider_reference)
            return _taken(runtime, session, intent, Answer(known.status, known.amount, known.provider_reference),
                          "initiate-check")
        except ProviderRefused as exc:
            _relock(session, intent)
            if intent.status == CREATED:
                payments.fail(session, runtime.queue, intent, f"refused: {exc}", "initiate")
            session.commit()
            return
        except ProviderUnavailable as exc:
            return _try_again_later(runtime, session, intent, exc)
        _taken(runtime, session, intent, Answer(result.status, None, result.provider_reference), "initiate")


def _taken(runtime, session: Session, intent: PaymentIntent, answer: Answer, source: str) -> None:
    _relock(session, intent)
    take(session, runtime.queue, intent, answer, source)
    session.commit()


def _try_again_later(runtime, session: Session, intent: PaymentIntent, error: ProviderUnavailable) -> None:
    _relock(session, intent)
    if intent.status == CREATED:
        wait = next_start_in(intent.initiate_attempts, clock.now(), start_deadline(runtime, intent))
        if wait is None:
            payments.give_up_starting(session, runtime, intent, f"not started in time: provider unavailable: {error}",
                                      "initiate")
        else:
            log.warning("payment %s: provider unavailable (%s), next try in %.0f s", intent.reference, error, wait)
            intent_id = intent.id
            after_commit(session, lambda: runtime.queue.enqueue_in(wait, "gateway.jobs.payments.initiate_collection",
                                                                   intent_id))
    session.commit()


def _at_the_deadline(runtime, session: Session, intent: PaymentIntent) -> None:
    """Still not started when the deadline comes: unless an earlier attempt reached the
    provider after all (it is asked, with no lock held), the payment is given up."""
    known = None
    if intent.initiate_attempts:
        session.commit()
        try:
            known = runtime.adapter(intent.provider).fetch_status(intent.reference, intent.provider_reference)
        except ProviderUnavailable as exc:
            log.warning("payment %s: status unknown at the start deadline (%s)", intent.reference, exc)
        _relock(session, intent)
        if intent.status != CREATED:
            return session.commit()
    if known is not None and known.status != PaymentStatus.UNKNOWN:
        take(session, runtime.queue, intent, Answer(known.status, known.amount, known.provider_reference), "start-deadline")
    else:
        attempts = f"after {intent.initiate_attempts} attempt(s)" if intent.initiate_attempts else "never tried"
        payments.give_up_starting(session, runtime, intent,
                                  f"not started within {runtime.settings.start_deadline} s ({attempts})", "start-deadline")
    session.commit()


def poll_collection(runtime, intent_id: int, force: bool = False) -> None:
    """Ask the provider about an unfinished payment; give up locally after the horizon.
    `force` asks even if the next scheduled check is not due yet."""
    with runtime.db() as session:
        intent = _lock(session, intent_id)
        if intent is None or intent.status not in UNSETTLED:
            return
        if not force and intent.next_poll_at and intent.next_poll_at > clock.now():
            return  # a newer poll is scheduled; this one is a leftover
        intent.polls += 1
        session.commit()  # let go of the lock for the call
        try:
            status = runtime.adapter(intent.provider).fetch_status(intent.reference, intent.provider_reference)
        except ProviderUnavailable as exc:
            log.warning("payment %s: status check failed (%s)", intent.reference, exc)
            status = None
        _relock(session, intent)
        if intent.status not in UNSETTLED:
            return session.commit()
        now = clock.now()
        age = (now - intent.created_at).total_seconds()
        if status is not None and status.status.is_final:
            take(session, runtime.queue, intent, Answer(status.status, status.amount, status.provider_reference), "poll")
        elif age > runtime.settings.poll_horizon and intent.status != EXPIRED:
            move(session, intent, EXPIRED, "poll", f"no final answer after {int(age)} s")
            intent.next_poll_at = None
        elif intent.status != EXPIRED:
            heard = status.status if status is not None else PaymentStatus.UNKNOWN
            take(session, runtime.queue, intent, Answer(heard, None, status and status.provider_reference), "poll")
        session.commit()
