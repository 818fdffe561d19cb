"""How FedaPay spells things, shared by its adapter (collections, callbacks, status)
and its statement (the transaction search): modes, statuses, where our reference and
the payer's phone sit in a transaction."""
from __future__ import annotations

from .base import PaymentStatus
from .phones import to_e164_tg
from .statement_lines import StatementStatus

MODES = {"moov": "moov_tg", "yas": "togocel"}
NETWORK_OF_MODE = {mode: network for network, mode in MODES.items()}

TRANSACTION_STATUSES = {
    "pending": PaymentStatus.PENDING,
    "approved": PaymentStatus.SUCCEEDED,
    "transferred": PaymentStatus.SUCCEEDED,
    "refunded": PaymentStatus.SUCCEEDED,
    "approved_partially_refunded": PaymentStatus.SUCCEEDED,
    "transferred_partially_refunded": PaymentStatus.SUCCEEDED,
    "declined": PaymentStatus.FAILED,
    "canceled": PaymentStatus.FAILED,
}

# A statement keeps what a payment's status cannot: money taken and then given back.
STATEMENT_STATUSES = {
    **{name: StatementStatus(status.value) for name, status in TRANSACTION_STATUSES.items()},
    "refunded": StatementStatus.REFUNDED,
    "approved_partially_refunded": StatementStatus.REFUNDED,
    "transferred_partially_refunded": StatementStatus.REFUNDED,
}


def unwrap(body: dict, klass: str) -> dict:
    """FedaPay wraps one resource under its class name: ``{"v1/transaction": {...}}``."""
    inner = body.get(f"v1/{klass}")
    return inner if isinstance(inner, dict) else body


def our_reference(transaction: dict) -> str | None:
    metadata = transaction.get("custom_metadata")
    if isinstance(metadata, dict) and metadata.get("reference"):
        return str(metadata["reference"])
    return None


def phone_of(transaction: dict) -> str | None:
    method = transaction.get("payment_method")
    if isinstance(method, dict):
        return to_e164_tg(method.get("number"))
    return None
