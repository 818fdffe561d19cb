"""The one table of allowed payment status changes."""
from __future__ import annotations

from sqlalchemy.orm import Session

from gateway.models import PaymentEvent, PaymentIntent

FINAL = {"succeeded", "failed"}
# `expired` is our own giving up, not the provider's answer: a success that arrives
# after it is still credited.
TRANSITIONS = {
    "created": {"pending", "succeeded", "failed", "expired"},
    "pending": {"succeeded", "failed", "expired"},
    "expired": {"succeeded", "failed"},
    "succeeded": set(),
    "failed": set(),
}


class IllegalPaymentTransition(ValueError):
    pass


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS[current]


def move(session: Session, intent: PaymentIntent, target: str, source: str, detail: str | None = None) -> None:
    if not can_move(intent.status, target):
        raise IllegalPaymentTransition(f"payment {intent.reference}: {intent.status} -> {target} is not allowed")
    session.add(PaymentEvent(intent_id=intent.id, from_status=intent.status, to_status=target, source=source, detail=detail))
    intent.status = target
