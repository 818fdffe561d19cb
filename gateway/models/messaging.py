from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base
from gateway.models.types import UtcDateTime, utcnow

SMS_STATUSES = ("queued", "sent", "failed", "delivered", "undelivered")


class SmsMessage(Base):
    """Every SMS we send, stored before it is queued; the job updates its status."""

    __tablename__ = "sms_messages"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'sent', 'failed', 'delivered', 'undelivered')", name="status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(16), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), default=None)
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    provider_message_id: Mapped[str | None] = mapped_column(String(80), index=True, default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class UssdSessionEvent(Base):
    """Africa's Talking end-of-session notification, recorded once per session."""

    __tablename__ = "ussd_session_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(String(100), unique=True)
    phone: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20))
    hops: Mapped[int | None] = mapped_column(Integer, default=None)
    duration_ms: Mapped[int | None] = mapped_column(Integer, default=None)
    raw: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
