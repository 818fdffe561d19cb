"""Apply a stored callback: confirm it if unsigned, find its payment, credit once."""
from __future__ import annotations

import logging

from sqlalchemy import select

from gateway import clock, ledger
from gateway.jobs.payments import adopt
from gateway.models import PaymentIntent, ProviderCallback
from gateway.runtime import get_runtime
from gateway.services import payments
from gateway.services.callbacks import event_from_json, judge_on_arrival
from payment_adapters import PaymentStatus

log = logging.getLogger("amu.callbacks")


def _find_intent(session, provider: str, reference: str | None, provider_reference: str | None):
    if reference:
        found = session.scalar(select(PaymentIntent).where(PaymentIntent.reference == reference).with_for_update(key_share=True))
        if found is not None:
            return found
    if provider_reference:
        return session.scalar(
            select(PaymentIntent)
            .where(PaymentIntent.provider == provider, PaymentIntent.provider_reference == provider_reference)
            .with_for_update(key_share=True)
        )
    return None


def read_callback(callback_id: int) -> None:
    """Read a stored callback that was never read (see the sweep); applying it follows."""
    judge_on_arrival(get_runtime(), callback_id)


def apply_callback(callback_id: int) -> None:
    """Safe to run twice or after a crash: only a callback still `received` is applied,
    and the ledger's unique keys refuse a second credit."""
    runtime = get_runtime()
    with runtime.db() as session:
        row = session.get(ProviderCallback, callback_id, with_for_update={"key_share": True})
        if row is None or row.outcome != "received" or row.event is None:
            return
        event = event_from_json(row.event)
        status, amount, provider_reference = event.status, event.amount, event.provider_reference
        if not event.authenticated:
            # Unsigned (PayGate): the callback is only a hint; the status API is the truth.
            truth = runtime.adapter(row.provider).fetch_status(event.reference, event.provider_reference)
            if event.status == PaymentStatus.SUCCEEDED and truth.status != PaymentStatus.SUCCEEDED:
                _close(row, "rejected", f"callback says paid, provider's status API says {truth.status.value}")
                session.commit()
                log.warning("callback #%s refused: status API says %s", callback_id, truth.status.value)
                return
            status, amount = truth.status, truth.amount
            provider_reference = truth.provider_reference or provider_reference
        intent = _find_intent(session, row.provider, event.reference, provider_reference)
        try:
            if intent is None:
                _unknown_money(session, row, status, amount, provider_reference or event.reference, event.network)
            else:
                _apply_to_intent(session, runtime, row, intent, status, amount, provider_reference)
            session.commit()
        except ledger.DuplicateEntry:
            # Another worker credited it between our read and our write: that is the
            # database doing its job. Record this callback as the duplicate it is.
            session.rollback()
            row = session.get(ProviderCallback, callback_id, with_for_update={"key_share": True})
            _close(row, "duplicate", "credited by a concurrent callback")
            session.commit()


def _apply_to_intent(session, runtime, row, intent, status, amount, provider_reference) -> None:
    row.intent_id = intent.id
    before = intent.status
    if status == PaymentStatus.SUCCEEDED and before == "succeeded":
        return _close(row, "duplicate", f"payment {intent.reference} credited already")
    if status == PaymentStatus.SUCCEEDED and before == "failed":
        placed = payments.success_after_failure(session, intent, amount if amount is not None else intent.amount,
                                                f"callback:{row.id}")
        return _close(row, "suspense" if placed else "duplicate",
                      f"payment {intent.reference} had failed: the confirmed money waits in suspense")
    if status == PaymentStatus.FAILED and before in ("failed", "succeeded"):
        return _close(row, "duplicate", f"payment {intent.reference} is {before} already")
    if status == PaymentStatus.PENDING and before != "created":
        return _close(row, "duplicate", f"payment {intent.reference} is {before} already")
    adopt(session, runtime, intent, status, provider_reference, amount, f"callback:{row.id}")
    mismatch = " (amount differs from the request)" if intent.amount_mismatch else ""
    _close(row, "applied", f"payment {intent.reference}: {before} -> {intent.status}{mismatch}")


def _unknown_money(session, row, status, amount, provider_reference, network) -> None:
    if status != PaymentStatus.SUCCEEDED or not amount or not provider_reference:
        return _close(row, "ignored", f"unknown payment, status {status.value}: nothing to credit")
    placed = payments.to_suspense(
        session,
        provider=row.provider,
        network=network,
        provider_reference=provider_reference,
        amount=amount,
        detail=f"callback #{row.id}: {amount} F for unknown reference {provider_reference}",
    )
    _close(row, "suspense" if placed else "duplicate", f"{amount} F, reference {provider_reference} unknown")


def _close(row, outcome: str, detail: str) -> None:
    row.outcome, row.detail, row.processed_at = outcome, detail[:500], clock.now()
