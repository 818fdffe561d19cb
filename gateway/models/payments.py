from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base
from gateway.models.types import UtcDateTime, one_of, utcnow

# A payment's statuses, the one place they are spelled (payment_states.TRANSITIONS says
# how they change). `expired` is our own giving up on a provider that never answered.
CREATED, PENDING, SUCCEEDED, FAILED, EXPIRED = "created", "pending", "succeeded", "failed", "expired"
INTENT_STATUSES = (CREATED, PENDING, SUCCEEDED, FAILED, EXPIRED)
OPEN = (CREATED, PENDING)  # the provider's answer is still expected
UNSETTLED = (CREATED, PENDING, EXPIRED)  # money may still come: a late success is credited
FINAL = (SUCCEEDED, FAILED)


class PaymentIntent(Base):
    """A collection we asked (or will ask) a provider for. `reference` is our idempotency
    key, saved before any provider call; the provider's own reference arrives later."""

    __tablename__ = "payment_intents"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(one_of("status", INTENT_STATUSES), name="status"),
        UniqueConstraint("provider", "provider_reference", name="uq_payment_intents_provider_reference"),
        Index("ix_payment_intents_status_next_poll", "status", "next_poll_at"),
        Index("ix_payment_intents_payer_created", "payer_phone", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    payer_phone: Mapped[str] = mapped_column(String(16))
    network: Mapped[str] = mapped_column(String(10))
    provider: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default=CREATED)
    provider_reference: Mapped[str | None] = mapped_column(String(80), default=None)
    confirmed_amount: Mapped[int | None] = mapped_column(Integer, default=None)
    amount_mismatch: Mapped[bool] = mapped_column(default=False)
    channel: Mapped[str] = mapped_column(String(10), default="ussd")
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), default=None, index=True)
    initiate_attempts: Mapped[int] = mapped_column(Integer, default=0)
    polls: Mapped[int] = mapped_column(Integer, default=0)
    next_poll_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    failure_reason: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class PaymentEvent(Base):
    """Every status change of an intent, with what caused it. Append-only."""

    __tablename__ = "payment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    intent_id: Mapped[int] = mapped_column(ForeignKey("payment_intents.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(40))  # initiate | poll | callback:<id> | resolve
    detail: Mapped[str | None] = mapped_column(Text, default=None)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


RECEIVED, APPLIED, DUPLICATE, REJECTED, IN_SUSPENSE, IGNORED = (
    "received", "applied", "duplicate", "rejected", "suspense", "ignored")
CALLBACK_OUTCOMES = (RECEIVED, APPLIED, DUPLICATE, REJECTED, IN_SUSPENSE, IGNORED)


class ProviderCallback(Base):
    """A provider's callback exactly as it arrived, stored before anything judges it."""

    __tablename__ = "provider_callbacks"
    __table_args__ = (
        CheckConstraint(one_of("outcome", CALLBACK_OUTCOMES), name="outcome"),
        Index("ix_provider_callbacks_outcome_received", "outcome", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    remote_addr: Mapped[str] = mapped_column(String(64))
    headers: Mapped[dict] = mapped_column(JSON)
    query: Mapped[dict] = mapped_column(JSON)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    # What the adapter read from the raw request on arrival (signature checked then, so
    # a job applying it later is not refused for a stale timestamp).
    event: Mapped[dict | None] = mapped_column(JSON, default=None)
    outcome: Mapped[str] = mapped_column(String(12), default=RECEIVED)
    detail: Mapped[str | None] = mapped_column(Text, default=None)
    intent_id: Mapped[int | None] = mapped_column(ForeignKey("payment_intents.id"), default=None, index=True)
    provider_reference: Mapped[str | None] = mapped_column(String(80), default=None, index=True)
    processed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
