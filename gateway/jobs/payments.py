"""Payment jobs: initiate a collection, poll its status, apply a stored callback.

Each job loads its row under a lock and checks its state first, so running it twice,
or after a crash, does no harm. Provider calls happen here, never in a USSD hop.
"""
from __future__ import annotations

import logging

from gateway import clock
from gateway.models import Member, PaymentIntent
from gateway.runtime import get_runtime
from gateway.services import payments
from gateway.services.payment_states import move
from gateway.transactions import after_commit
from payment_adapters import (
    CollectionRequest,
    DuplicateReference,
    PaymentStatus,
    ProviderRefused,
    ProviderUnavailable,
)

log = logging.getLogger("amu.payments")


def initiate_collection(intent_id: int) -> None:
    runtime = get_runtime()
    with runtime.db() as session:
        intent = session.get(PaymentIntent, intent_id, with_for_update={"key_share": True})
        if intent is None or intent.status != "created":
            return
        adapter = runtime.adapter(intent.provider)
        intent.initiate_attempts += 1
        session.commit()  # the attempt is counted even if the call below hangs or crashes
        try:
            if intent.initiate_attempts > 1 and _provider_knows(adapter, intent, session):
                return  # an earlier attempt reached the provider after all
            amu_number = session.get(Member, intent.member_id).amu_number
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
            _provider_knows(adapter, intent, session)
            return
        except ProviderRefused as exc:
            payments.fail(session, runtime.queue, intent, f"refused: {exc}", "initiate")
            session.commit()
            return
        except ProviderUnavailable as exc:
            if intent.initiate_attempts > runtime.settings.job_retries:
                payments.fail(session, runtime.queue, intent, f"provider unavailable: {exc}", "initiate")
                session.commit()
                return
            log.warning("payment %s: provider unavailable (%s), will retry", intent.reference, exc)
            raise
        _relock(session, intent)
        adopt(session, runtime, intent, result.status, result.provider_reference, None, "initiate")
        session.commit()


def _relock(session, intent: PaymentIntent) -> None:
    """The lock was let go for the provider call, and a callback may have settled the
    payment meanwhile: read it again, locked, before taking the provider's word."""
    session.refresh(intent, with_for_update={"key_share": True})


def _provider_knows(adapter, intent: PaymentIntent, session) -> bool:
    """After a timeout we do not know whether the provider got our request: ask first."""
    status = adapter.fetch_status(intent.reference, intent.provider_reference)
    if status.status == PaymentStatus.UNKNOWN:
        return False
    _relock(session, intent)
    adopt(session, get_runtime(), intent, status.status, status.provider_reference, status.amount, "initiate-check")
    session.commit()
    return True


def adopt(session, runtime, intent: PaymentIntent, status: PaymentStatus, provider_reference: str | None,
           amount: int | None, source: str) -> None:
    """Take the provider's word about an intent we hold locked."""
    if provider_reference and not intent.provider_reference:
        intent.provider_reference = provider_reference
    if status == PaymentStatus.SUCCEEDED and intent.status == "failed":
        payments.success_after_failure(session, intent, amount if amount is not None else intent.amount, source)
    elif status == PaymentStatus.SUCCEEDED:
        payments.settle(session, runtime.queue, intent, amount if amount is not None else intent.amount, source)
    elif status == PaymentStatus.FAILED and intent.status in ("created", "pending", "expired"):
        payments.fail(session, runtime.queue, intent, "declined by the provider", source)
    elif status == PaymentStatus.PENDING and intent.status == "created":
        move(session, intent, "pending", source)
    if intent.status in ("created", "pending"):
        payments.schedule_poll(intent, clock.now())
        intent_id, delay = intent.id, payments.poll_delay(intent.polls)
        after_commit(session, lambda: runtime.queue.enqueue_in(delay, "gateway.jobs.payments.poll_payment", intent_id))


def poll_payment(intent_id: int, force: bool = False) -> None:
    """Ask the provider about an unfinished payment; give up locally after the horizon.
    `force` asks even if the next scheduled check is not due yet."""
    runtime = get_runtime()
    with runtime.db() as session:
        intent = session.get(PaymentIntent, intent_id, with_for_update={"key_share": True})
        if intent is None or intent.status not in ("created", "pending", "expired"):
            return
        if not force and intent.next_poll_at and intent.next_poll_at > clock.now():
            return  # a newer poll is scheduled; this one is a leftover
        now = clock.now()
        intent.polls += 1
        try:
            status = runtime.adapter(intent.provider).fetch_status(intent.reference, intent.provider_reference)
        except ProviderUnavailable as exc:
            log.warning("payment %s: status check failed (%s)", intent.reference, exc)
            status = None
        age = (now - intent.created_at).total_seconds()
        if status is not None and status.status.is_final:
            adopt(session, runtime, intent, status.status, status.provider_reference, status.amount, "poll")
        elif age > runtime.settings.poll_horizon and intent.status != "expired":
            move(session, intent, "expired", "poll", f"no final answer after {int(age)} s")
            intent.next_poll_at = None
        elif intent.status != "expired":
            adopt(session, runtime, intent, PaymentStatus.PENDING, None, None, "poll")
        session.commit()
