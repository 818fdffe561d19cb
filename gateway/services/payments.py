"""Payment intents: made and saved before any provider call, settled exactly once.

Settling a payment books one ledger entry whose key is unique in the database, credits
each member it is for (their running figures, whatever cover the credit now buys, the
receipt SMS), all in the caller's transaction. Nothing here calls a provider: that is
`gateway.services.collections`, and what a provider answers is applied through
`gateway.services.provider_answers`.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway import clock, ledger
from gateway.errors import Refusal
from gateway.jobs.queue import JobQueue
from gateway.models import Member, PaymentIntent, PaymentSplit, PhonePreference
from gateway.models.payments import CREATED, FAILED, OPEN, SUCCEEDED
from gateway.money import francs
from gateway.rules import rules_on
from gateway.services import coverage, dues
from gateway.services.groups import splits_of
from gateway.services.locks import lock_member
from gateway.services.payment_states import move
from gateway.sms import receipts
from gateway.sms.outbox import queue_sms
from gateway.transactions import after_commit
from languages import registry

REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


def new_reference() -> str:
    return "AMU" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))


def check_amount(amount: int, minimum: int, maximum: int) -> None:
    if type(amount) is not int:
        raise ValueError(f"amounts are whole francs, not {amount!r}")
    if amount < minimum:
        raise Refusal("amount_too_small", minimum=minimum)
    if amount > maximum:
        raise Refusal("amount_too_large", maximum=maximum)


def start_payment(
    session: Session,
    runtime,
    *,
    member_id: int,
    payer_phone: str,
    network: str,
    amount: int,
    channel: str = "ussd",
    group_id: int | None = None,
    splits: list[tuple[int, int]] | None = None,
) -> tuple[PaymentIntent, bool]:
    """(intent, reused). The same payer dialling the same amount for the same member
    within the duplicate window gets the first intent back, not a second PIN prompt.
    The member row lock makes that check safe against two concurrent sessions.
    A group payment names its leader as `member_id` and shares by `splits`."""
    settings = runtime.settings
    member = lock_member(session, member_id)
    if member is None:
        raise LookupError(f"no member #{member_id}")
    rules = rules_on(session, member.scheme_id, clock.local_date())
    check_amount(amount, rules.min_payment, settings.max_payment)
    if splits is not None and sum(part for _member, part in splits) != amount:
        raise ValueError(f"the shares sum to {sum(p for _m, p in splits)} F, not {amount} F")
    now = clock.now()
    recent = session.scalar(
        select(PaymentIntent)
        .where(
            PaymentIntent.member_id == member_id,
            PaymentIntent.group_id.is_(None) if group_id is None else PaymentIntent.group_id == group_id,
            PaymentIntent.payer_phone == payer_phone,
            PaymentIntent.amount == amount,
            PaymentIntent.status.in_(OPEN),
            PaymentIntent.created_at >= now - timedelta(seconds=settings.duplicate_window),
        )
        .limit(1)
    )
    if recent is not None:
        return recent, True
    intent = PaymentIntent(
        reference=new_reference(),
        member_id=member_id,
        group_id=group_id,
        payer_phone=payer_phone,
        network=network,
        provider=settings.payment_provider,
        amount=amount,
        status=CREATED,
        channel=channel,
        created_at=now,
    )
    session.add(intent)
    session.flush()
    session.add_all(PaymentSplit(intent_id=intent.id, member_id=m, amount=part) for m, part in splits or ())
    intent_id = intent.id
    # The USSD session must end before the operator can push the PIN prompt.
    after_commit(
        session,
        lambda: runtime.queue.enqueue_in(settings.pin_prompt_delay, "gateway.jobs.payments.initiate_collection", intent_id),
    )
    return intent, False


def settle(session: Session, queue: JobQueue, intent: PaymentIntent, confirmed_amount: int, source: str) -> bool:
    """Credit a payment the provider confirmed (the caller holds its lock). Returns False
    if it was credited already. Should another transaction have credited it all the same,
    the ledger's unique key refuses this one when the transaction is written.

    The amount credited is the amount the provider confirms; a difference from what we
    asked is flagged for finance, never silently corrected. A group payment is shared
    as agreed; if the provider confirms another total, nobody can say whose share is
    short, so the money waits in suspense for a human."""
    if intent.status == SUCCEEDED:
        return False
    shares = splits_of(session, intent.id) if intent.group_id is not None else [(intent.member_id, confirmed_amount)]
    # Lock every member first, in id order, before any row that references them.
    members = {member_id: lock_member(session, member_id) for member_id, _ in sorted(shares)}
    move(session, intent, SUCCEEDED, source, f"confirmed {confirmed_amount} F")
    intent.confirmed_amount = confirmed_amount
    intent.amount_mismatch = confirmed_amount != intent.amount
    intent.next_poll_at = None
    now = clock.now()
    today = clock.local_date(now)
    clearing = ledger.Leg(ledger.clearing(intent.provider, intent.network), confirmed_amount)
    description = f"{intent.provider} {intent.provider_reference or '-'} from {intent.payer_phone}"
    if intent.group_id is not None and intent.amount_mismatch:
        ledger.post(session, key=f"collection:{intent.id}", kind="suspense", booked_on=today, intent_id=intent.id,
                    description=f"group payment {intent.reference}: confirmed {confirmed_amount} F of {intent.amount} F",
                    legs=[clearing, ledger.Leg(ledger.SUSPENSE, -confirmed_amount)], at_once=False)
        return True
    ledger.post(
        session,
        key=f"collection:{intent.id}",
        kind="collection",
        description=description,
        legs=[clearing, *(ledger.Leg(ledger.member_account(m), -part) for m, part in shares)],
        booked_on=today,
        intent_id=intent.id,
        member_id=intent.member_id,
        at_once=False,  # the payment's lock and status make it the only credit of it
    )
    for member_id, part in shares:
        credit_member(session, queue, members[member_id], intent, part, now)
    with session.no_autoflush:  # the payer's name and language need nothing written first
        receipts.queue_payer_receipt(session, queue, intent, confirmed_amount, members[shares[0][0]], len(shares), today)
    return True


def credit_member(session: Session, queue: JobQueue, member: Member, intent: PaymentIntent, amount: int,
                  now: datetime) -> None:
    """What francs booked to a member's account (the caller holds the member's lock) do:
    the state time brought is recorded first, dues are paid oldest first, the credit buys
    what cover it can, the state the payment brings is recorded, and the member gets a
    receipt. Every figure kept on the member row moves here, so no read walks history."""
    today = clock.local_date(now)
    coverage.catch_up(session, member, now, f"before payment {intent.reference}")
    dues.allocate(session, member, amount)
    bought = coverage.buy_cover(session, member, today)
    coverage.record_payment(session, member, now, f"payment {intent.reference}")
    with session.no_autoflush:  # what the receipt reads (who paid) needs nothing written first
        receipts.queue_member_receipt(session, queue, member, intent, amount, today, bought)


def payer_language(session: Session, intent: PaymentIntent) -> str:
    """The payer's language (their member's, else the one the phone chose), else the
    language of the member paid for."""
    payer = select(Member.language).where(Member.phone == intent.payer_phone).scalar_subquery()
    chosen = select(PhonePreference.language).where(PhonePreference.phone == intent.payer_phone).scalar_subquery()
    payee = select(Member.language).where(Member.id == intent.member_id).scalar_subquery()
    return registry().language(session.scalar(select(func.coalesce(payer, chosen, payee))))


def fail(session: Session, queue: JobQueue, intent: PaymentIntent, reason: str, source: str) -> None:
    """The collection will not happen: tell the payer, so they are not left waiting."""
    _close_failed(session, intent, reason, source)
    queue_sms(session, queue, phone=intent.payer_phone, kind="payment_failed", language=payer_language(session, intent),
              amount=francs(intent.amount), reference=intent.reference)


def give_up_starting(session: Session, runtime, intent: PaymentIntent, reason: str, source: str) -> None:
    """A payment we could not start with the provider in time: failed, and the payer told
    that no money was taken and which code to dial to try again."""
    _close_failed(session, intent, reason, source)
    queue_sms(session, runtime.queue, phone=intent.payer_phone, kind="payment_not_started",
              language=payer_language(session, intent), amount=francs(intent.amount), reference=intent.reference)


def _close_failed(session: Session, intent: PaymentIntent, reason: str, source: str) -> None:
    move(session, intent, FAILED, source, reason)
    intent.failure_reason = reason
    intent.next_poll_at = None


def success_after_failure(session: Session, intent: PaymentIntent, amount: int, source: str) -> bool:
    """The provider confirms money for a payment it (or we, after it said it did not know
    the reference) had failed: final states stay final, so the money waits in suspense,
    under the payment's reference, for finance to place. Returns False if it is there already."""
    return to_suspense(
        session, provider=intent.provider, network=intent.network,
        provider_reference=intent.provider_reference or intent.reference, amount=amount,
        detail=f"{amount} F confirmed by {source} for payment {intent.reference}, which had failed",
    )


def to_suspense(session: Session, *, provider: str, network: str | None, provider_reference: str, amount: int,
                detail: str) -> bool:
    """Money the provider confirms but we cannot place: it waits in suspense, in the report.
    Returns False if this money was put in suspense already."""
    try:
        ledger.post(
            session,
            key=f"suspense:{provider}:{provider_reference}",
            kind="suspense",
            description=detail,
            legs=[
                ledger.Leg(ledger.clearing(provider, network or "unknown"), amount),
                ledger.Leg(ledger.SUSPENSE, -amount),
            ],
            booked_on=clock.local_date(),
        )
    except ledger.DuplicateEntry:
        return False
    return True


def poll_delay(polls: int) -> int:
    """Seconds before the next status check: 30 s, 1, 2, 5, 10, 30 minutes, then hourly."""
    steps = (30, 60, 120, 300, 600, 1800)
    return steps[polls] if polls < len(steps) else 3600


def schedule_poll(intent: PaymentIntent, now: datetime) -> None:
    intent.next_poll_at = now + timedelta(seconds=poll_delay(intent.polls))
