"""Applying stored callbacks, several per transaction when they queue up.

A callback read on arrival (gateway.services.callbacks) waits, `received`, for a job.
Signed ones are applied in batches: the batch's callbacks, their payments and the
members paid for are each locked in one statement (payments, then members, each in id
order, so two workers never wait on each other in a circle); each callback's answer is
taken through `provider_answers.take`; everything is written in one flush and one
commit. An unsigned callback (PayGate) is only a hint: the provider's status API is
asked first, with no row locked, and the callback applied on its own after.

Safe to run twice or after a crash: only a callback still `received` is applied, and the
ledger's unique keys refuse a second credit. Should a key refuse one in a batch, the
batch is rolled back and its callbacks applied one by one.
"""
from __future__ import annotations

import logging
import time

from sqlalchemy import case, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway import clock, ledger
from gateway.models import PaymentIntent, PaymentSplit, ProviderCallback
from gateway.models.payments import APPLIED, DUPLICATE, IGNORED, IN_SUSPENSE, RECEIVED, REJECTED
from gateway.services import payments, provider_answers
from gateway.services.callbacks import event_from_json
from gateway.services.locks import lock_members
from gateway.services.provider_answers import Answer
from payment_adapters import PaymentStatus

log = logging.getLogger("amu.callbacks")

BATCH = 50  # callbacks per transaction
BUDGET_SECONDS = 20.0  # a job keeps applying batches this long, then hands over
LANES = 4  # jobs that may wait at once to apply signed callbacks (one per worker is enough)
LANE_TTL = 30  # seconds a lane stays claimed by a job that never started (then the sweep)
JOB = "gateway.jobs.callbacks.apply_callback"

OUTCOMES = {  # what a callback's answer did -> the callback's outcome
    provider_answers.SETTLE: APPLIED, provider_answers.FAIL: APPLIED, provider_answers.MARK_PENDING: APPLIED,
    provider_answers.SUSPENSE: IN_SUSPENSE, provider_answers.WAIT: DUPLICATE, provider_answers.ALREADY: DUPLICATE,
}


def lane_key(lane: int) -> str:
    return f"amu:apply-callbacks:{lane}"


def queue_apply(runtime, callback_id: int, signed: bool = True) -> None:
    """Make sure a job applies the callback just read. With Redis, a signed one wakes one
    of LANES jobs unless that lane's job is still waiting to start (it will take this one
    too): a burst of callbacks becomes a few jobs applying them BATCH at a time, rather
    than one job each."""
    if signed and runtime.redis is not None:
        lane = callback_id % LANES
        if runtime.redis.set(lane_key(lane), callback_id, nx=True, ex=LANE_TTL):
            runtime.queue.enqueue(JOB, callback_id, lane, retries=True)
        return
    runtime.queue.enqueue(JOB, callback_id, retries=True)


def requeue(runtime, callback_ids: list[int]) -> None:
    """Callbacks left waiting (their job was lost): on PostgreSQL one job for each batch of
    signed ones, and one for each unsigned one (it asks its provider)."""
    alone = callback_ids
    if runtime.engine.dialect.name == "postgresql" and callback_ids:
        with runtime.db() as session:
            unsigned = set(session.scalars(
                select(ProviderCallback.id).where(ProviderCallback.id.in_(callback_ids), ~_signed())))
        alone = [i for i in callback_ids if i in unsigned] + [i for i in callback_ids if i not in unsigned][::BATCH]
    for callback_id in alone:
        runtime.queue.enqueue(JOB, callback_id)


def apply_waiting(runtime, first: int | None = None) -> int:
    """Apply `first`, then (on PostgreSQL, where waiting callbacks can be shared out
    between workers) every signed callback waiting, BATCH per transaction, for up to
    BUDGET_SECONDS. Returns how many were applied."""
    if first is not None and _unsigned(runtime, first):
        apply_unsigned(runtime, first)
        return 1
    shared = runtime.engine.dialect.name == "postgresql"
    stop_at = time.monotonic() + BUDGET_SECONDS
    done = 0
    while shared or first is not None:
        with runtime.db() as session:
            rows = _claim(session, first, shared)
            done += _apply_claimed(runtime, session, rows)
        first = None
        if len(rows) < BATCH:
            break
        if time.monotonic() > stop_at:
            runtime.queue.enqueue(JOB, None, retries=True)  # more are waiting: the next job goes on
            break
    return done


def apply_these(runtime, callback_ids: list[int]) -> int:
    """Apply the given signed callbacks in one transaction (tests measure a batch so)."""
    with runtime.db() as session:
        rows = list(session.scalars(
            select(ProviderCallback).where(ProviderCallback.id.in_(callback_ids), _waiting())
            .order_by(ProviderCallback.id).with_for_update(key_share=True)))
        return _apply_claimed(runtime, session, rows)


def _waiting():
    return (ProviderCallback.outcome == RECEIVED) & ProviderCallback.event.is_not(None)


def _signed():
    return ProviderCallback.event["authenticated"].as_boolean().is_(True)


def _claim(session: Session, first: int | None, shared: bool) -> list[ProviderCallback]:
    """Signed callbacks waiting, locked: `first` (if it waits) and, when `shared`, up to
    BATCH with it, skipping those another worker holds."""
    query = select(ProviderCallback).where(_waiting(), _signed())
    if not shared:
        query = query.where(ProviderCallback.id == first)
    elif first is not None:
        query = query.order_by(case((ProviderCallback.id == first, 0), else_=1))
    query = query.order_by(ProviderCallback.id).limit(BATCH).with_for_update(key_share=True, skip_locked=True)
    return list(session.scalars(query))


def _apply_claimed(runtime, session: Session, rows: list[ProviderCallback]) -> int:
    if not rows:
        return 0
    ids = [row.id for row in rows]
    try:
        _apply(session, runtime, rows, {})
        session.commit()
    except (ledger.DuplicateEntry, IntegrityError):
        session.rollback()
        _one_by_one(runtime, ids)
    return len(ids)


def _one_by_one(runtime, callback_ids: list[int]) -> None:
    """A batch a ledger key refused, applied a callback at a time: the others go through
    whatever becomes of one; the first that still fails fails the job (it is retried)."""
    failed = None
    for callback_id in callback_ids:
        try:
            apply_one(runtime, callback_id)
        except (ledger.DuplicateEntry, IntegrityError) as exc:
            log.error("callback #%s refused by the ledger: %s", callback_id, exc)
            failed = failed or exc
    if failed is not None:
        raise failed


def apply_one(runtime, callback_id: int, answer: Answer | None = None, again: bool = True) -> None:
    """One callback in its own transaction (`answer`: what the provider's status API said
    of an unsigned one, which is what counts). Should a ledger key refuse it (another
    transaction credited the payment between our read and our write: the database did its
    job), it is applied once more from what is there now, which records the duplicate."""
    with runtime.db() as session:
        row = session.get(ProviderCallback, callback_id, with_for_update={"key_share": True})
        if row is None or row.outcome != RECEIVED or row.event is None:
            return
        try:
            _apply(session, runtime, [row], {row.id: answer} if answer else {})
            session.commit()
            return
        except (ledger.DuplicateEntry, IntegrityError):
            if not again:
                raise
            session.rollback()
    if _still_waiting(runtime, callback_id):
        apply_one(runtime, callback_id, answer, again=False)


def _still_waiting(runtime, callback_id: int) -> bool:
    with runtime.db() as session:
        return session.scalar(select(ProviderCallback.outcome).where(ProviderCallback.id == callback_id)) == RECEIVED


def _unsigned(runtime, callback_id: int) -> bool:
    with runtime.db() as session:
        event = session.scalar(select(ProviderCallback.event).where(ProviderCallback.id == callback_id))
    return event is not None and not event.get("authenticated")


def apply_unsigned(runtime, callback_id: int) -> None:
    """Unsigned (PayGate): the callback is only a hint; the status API is the truth, asked
    with nothing locked."""
    with runtime.db() as session:
        row = session.get(ProviderCallback, callback_id)
        if row is None or row.outcome != RECEIVED or row.event is None:
            return
        event, provider = event_from_json(row.event), row.provider
    truth = runtime.adapter(provider).fetch_status(event.reference, event.provider_reference)
    if event.status == PaymentStatus.SUCCEEDED and truth.status != PaymentStatus.SUCCEEDED:
        with runtime.db() as session:
            row = session.get(ProviderCallback, callback_id, with_for_update={"key_share": True})
            if row.outcome == RECEIVED:
                _close(row, REJECTED, f"callback says paid, provider's status API says {truth.status.value}")
                log.warning("callback #%s refused: status API says %s", callback_id, truth.status.value)
            session.commit()
        return
    apply_one(runtime, callback_id, Answer(truth.status, truth.amount,
                                           truth.provider_reference or event.provider_reference))


def _apply(session: Session, runtime, rows: list[ProviderCallback], answers: dict[int, Answer]) -> None:
    """Apply locked callbacks: their payments, then the members paid for, locked first."""
    events = {row.id: event_from_json(row.event) for row in rows}
    for row in rows:
        event = events[row.id]
        answers.setdefault(row.id, Answer(event.status, event.amount, event.provider_reference))
    intents = _lock_intents(session, rows, events, answers)
    lock_members(session, _payees(session, intents.values()))
    for row in rows:
        event, answer, intent = events[row.id], answers[row.id], intents.get(row.id)
        if intent is None:
            _unknown_money(row, session, answer, answer.provider_reference or event.reference, event.network)
            continue
        row.intent_id = intent.id
        before = intent.status
        action = provider_answers.take(session, runtime.queue, intent, answer, f"callback:{row.id}")
        mismatch = " (amount differs from the request)" if action == provider_answers.SETTLE and intent.amount_mismatch else ""
        detail = {provider_answers.SUSPENSE: "had failed: the confirmed money waits in suspense",
                  provider_answers.WAIT: f"is {before} already", provider_answers.ALREADY: f"is {before} already"}
        _close(row, OUTCOMES[action], f"payment {intent.reference} " +
               detail.get(action, f"{before} -> {intent.status}{mismatch}"))


def _lock_intents(session, rows, events, answers) -> dict[int, PaymentIntent]:
    """callback id -> its payment, locked (in id order): found by our reference, else by
    the provider's."""
    by_reference = {}
    references = {events[r.id].reference for r in rows if events[r.id].reference}
    if references:
        by_reference = {i.reference: i for i in session.scalars(
            select(PaymentIntent).where(PaymentIntent.reference.in_(references))
            .order_by(PaymentIntent.id).with_for_update(key_share=True))}
    found = {r.id: by_reference[events[r.id].reference] for r in rows if events[r.id].reference in by_reference}
    for row in rows:
        provider_reference = answers[row.id].provider_reference
        if row.id not in found and provider_reference:
            intent = session.scalar(
                select(PaymentIntent).where(PaymentIntent.provider == row.provider,
                                            PaymentIntent.provider_reference == provider_reference)
                .with_for_update(key_share=True))
            if intent is not None:
                found[row.id] = intent
    return found


def _payees(session: Session, intents) -> set[int]:
    """The members a settled payment would credit: the payer's member, or a group's shares."""
    intents = list(intents)
    groups = [i.id for i in intents if i.group_id is not None]
    payees = {i.member_id for i in intents if i.group_id is None}
    if groups:
        payees |= set(session.scalars(select(PaymentSplit.member_id).where(PaymentSplit.intent_id.in_(groups))))
    return payees


def _unknown_money(row, session, answer: Answer, provider_reference, network) -> None:
    if answer.status != PaymentStatus.SUCCEEDED or not answer.amount or not provider_reference:
        return _close(row, IGNORED, f"unknown payment, status {answer.status.value}: nothing to credit")
    placed = payments.to_suspense(
        session, provider=row.provider, network=network, provider_reference=provider_reference, amount=answer.amount,
        detail=f"callback #{row.id}: {answer.amount} F for unknown reference {provider_reference}",
    )
    _close(row, IN_SUSPENSE if placed else DUPLICATE, f"{answer.amount} F, reference {provider_reference} unknown")


def _close(row: ProviderCallback, outcome: str, detail: str) -> None:
    row.outcome, row.detail, row.processed_at = outcome, detail[:500], clock.now()
