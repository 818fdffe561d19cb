"""Taking a provider's word about a payment: one table of (what the provider says, what
the payment is) -> what we do, beside `payment_states.TRANSITIONS`.

Every path that hears from a provider comes here: a callback, the answer to starting
a collection, a status check. The caller holds the payment's row lock (and never across
an HTTP call: it asks first, then locks and takes the answer).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from gateway import clock
from gateway.jobs.queue import JobQueue
from gateway.models import PaymentIntent
from gateway.models.payments import CREATED, EXPIRED, FAILED, OPEN, PENDING, SUCCEEDED
from gateway.services import payments
from gateway.services.payment_states import move
from gateway.transactions import after_commit
from payment_adapters import PaymentStatus

# What we do. `settle` credits the money once; `fail` tells the payer; `suspense` keeps
# money confirmed for a payment that had failed (final states stay final) for finance;
# `mark pending` notes that the provider has it; `wait` changes nothing but the next
# status check; `already` changes nothing: the payment knows this already.
SETTLE, FAIL, SUSPENSE, MARK_PENDING, WAIT, ALREADY = "settle", "fail", "suspense", "mark pending", "wait", "already"

ANSWERS: dict[tuple[PaymentStatus, str], str] = {
    (PaymentStatus.SUCCEEDED, CREATED): SETTLE,
    (PaymentStatus.SUCCEEDED, PENDING): SETTLE,
    (PaymentStatus.SUCCEEDED, EXPIRED): SETTLE,  # a late success after we gave up is still credited
    (PaymentStatus.SUCCEEDED, SUCCEEDED): ALREADY,
    (PaymentStatus.SUCCEEDED, FAILED): SUSPENSE,
    (PaymentStatus.FAILED, CREATED): FAIL,
    (PaymentStatus.FAILED, PENDING): FAIL,
    (PaymentStatus.FAILED, EXPIRED): FAIL,
    (PaymentStatus.FAILED, SUCCEEDED): ALREADY,
    (PaymentStatus.FAILED, FAILED): ALREADY,
    (PaymentStatus.PENDING, CREATED): MARK_PENDING,
    (PaymentStatus.PENDING, PENDING): WAIT,
    (PaymentStatus.PENDING, EXPIRED): ALREADY,
    (PaymentStatus.PENDING, SUCCEEDED): ALREADY,
    (PaymentStatus.PENDING, FAILED): ALREADY,
    (PaymentStatus.UNKNOWN, CREATED): WAIT,  # starting it is the initiation's business
    (PaymentStatus.UNKNOWN, PENDING): WAIT,  # until the poll horizon
    (PaymentStatus.UNKNOWN, EXPIRED): ALREADY,
    (PaymentStatus.UNKNOWN, SUCCEEDED): ALREADY,
    (PaymentStatus.UNKNOWN, FAILED): ALREADY,
}


@dataclass(frozen=True)
class Answer:
    """What a provider says about one payment (a callback, a status, an initiation's reply)."""

    status: PaymentStatus
    amount: int | None = None  # francs confirmed, when it says succeeded
    provider_reference: str | None = None


def take(session: Session, queue: JobQueue, intent: PaymentIntent, answer: Answer, source: str) -> str:
    """Apply the answer to the payment (locked by the caller); returns the action taken.
    While the payment is open, its next status check is scheduled unless one is already."""
    if answer.provider_reference and not intent.provider_reference:
        intent.provider_reference = answer.provider_reference
    action = ANSWERS[(answer.status, intent.status)]
    amount = answer.amount if answer.amount is not None else intent.amount
    if action == SETTLE:
        payments.settle(session, queue, intent, amount, source)
    elif action == FAIL:
        payments.fail(session, queue, intent, "declined by the provider", source)
    elif action == SUSPENSE and not payments.success_after_failure(session, intent, amount, source):
        action = ALREADY  # the money is in suspense already
    elif action == MARK_PENDING:
        move(session, intent, PENDING, source)
    now = clock.now()
    if intent.status in OPEN and (intent.next_poll_at is None or intent.next_poll_at <= now):
        payments.schedule_poll(intent, now)
        intent_id, delay = intent.id, payments.poll_delay(intent.polls)
        after_commit(session, lambda: queue.enqueue_in(delay, "gateway.jobs.payments.poll_payment", intent_id))
    return action
