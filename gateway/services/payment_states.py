"""The one table of allowed payment status changes (the statuses: gateway.models.payments)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from gateway.models import PaymentEvent, PaymentIntent
from gateway.models.payments import CREATED, EXPIRED, FAILED, FINAL, OPEN, PENDING, SUCCEEDED, UNSETTLED

__all__ = ["CREATED", "EXPIRED", "FAILED", "FINAL", "OPEN", "PENDING", "SUCCEEDED", "TRANSITIONS", "UNSETTLED",
           "IllegalPaymentTransition", "can_move", "move"]

# `expired` is our own giving up, not the provider's answer: a success that arrives
# after it is still credited.
TRANSITIONS = {
    CREATED: {PENDING, SUCCEEDED, FAILED, EXPIRED},
    PENDING: {SUCCEEDED, FAILED, EXPIRED},
    EXPIRED: {SUCCEEDED, FAILED},
    SUCCEEDED: set(),
    FAILED: set(),
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
