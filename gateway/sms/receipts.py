"""The SMS a settled payment sends: each member's receipt and the payer's.

A member's receipt gives the amount, the reference, who paid when it was not the member
(a payer, or the group whose payment it is a share of) and what the money bought, in
words true in the state it leaves the member in: the period bought (paid until, and
from when care is paid while the waiting period runs, or the day of suspension while in
grace), or the saving and what is still missing. The payer's receipt, in the payer's
language, says nothing of the member's account. Every SMS names the USSD code.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from gateway import ledger
from gateway.jobs.queue import JobQueue
from gateway.models import Group, Member, PaymentIntent
from gateway.money import francs
from gateway.rules import rules_on
from gateway.services import coverage
from gateway.services.billing import billing_period
from gateway.masking import mask_name
from gateway.services.payers import payer_label, phone_language
from gateway.sms.outbox import queue_sms

PERIODS = ("monthly", "quarterly", "half_yearly", "yearly")


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def what_was_bought(session: Session, member: Member, bought: list, today: date) -> tuple[str, dict]:
    """(piece, its parameters): the period the payment bought, or the saving."""
    held = coverage.held_of(member)  # the member's running figures, as they are after this payment
    state = coverage.coverage_on(held, rules_on(session, member.scheme_id, today), today)
    if bought and state.state == "waiting":
        return "bought.waiting", {"until": _day(state.covered_until), "care_from": _day(state.waiting_ends)}
    if bought and state.state == "grace":
        return "bought.grace", {"until": _day(state.covered_until), "suspends": _day(state.suspends_on)}
    if bought:
        return "bought.active", {"until": _day(state.covered_until)}
    credit = ledger.member_credit(session, member.id)
    missing = max(coverage.next_period_price(session, member, today, held) - credit, 0)
    period = billing_period(member.rhythm)
    piece = "saved.suspended" if state.state == "suspended" else f"saved.{period if period in PERIODS else 'other'}"
    return piece, {"credit": francs(credit), "missing": francs(missing)}


def queue_member_receipt(session: Session, queue: JobQueue, member: Member, intent: PaymentIntent, amount: int,
                         today: date, bought: list) -> None:
    """`amount`: the member's share; `bought`: the periods this payment bought them."""
    head, who = "receipt", {}
    if intent.group_id is not None:
        head, who = "receipt_by_group", {"group": session.get(Group, intent.group_id).name}
    elif intent.payer_phone != member.phone:
        head, who = "receipt_by", {"payer": payer_label(session, intent.payer_phone)}
    queue_sms(session, queue, phone=member.phone, kind="receipt_covered" if bought else "receipt_saving",
              template=head, language=member.language, member_id=member.id,
              amount=francs(amount), day=_day(today), reference=intent.reference,
              bought=what_was_bought(session, member, bought, today), **who)


def queue_payer_receipt(session: Session, queue: JobQueue, intent: PaymentIntent, amount: int, first: Member,
                        members: int, today: date) -> None:
    """The payer's receipt, unless the payer is the member (their own receipt says it all)."""
    common = {"amount": francs(amount), "day": _day(today), "reference": intent.reference}
    language = phone_language(session, intent.payer_phone)
    if intent.group_id is not None:
        queue_sms(session, queue, phone=intent.payer_phone, kind="receipt_group", language=language,
                  group=session.get(Group, intent.group_id).name, count=members, **common)
    elif intent.payer_phone != first.phone:
        queue_sms(session, queue, phone=intent.payer_phone, kind="receipt_payer", language=language,
                  payee=mask_name(first.full_name), **common)
