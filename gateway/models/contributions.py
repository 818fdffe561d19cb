from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base
from gateway.models.types import UtcDateTime, utcnow


class Due(Base):
    """An expected contribution, made from the member's rhythm. What is paid against
    it is derived (oldest due first) from the ledger, never stored here."""

    __tablename__ = "dues"
    __table_args__ = (
        UniqueConstraint("member_id", "due_on", name="uq_dues_member_due_on"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[int] = mapped_column(Integer)
    rhythm: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Reminder(Base):
    """A reminder SMS decided for a member on a Lomé day: at most one a day, by the
    unique constraint."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("member_id", "day", name="uq_reminders_member_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))  # due | grace | suspension_soon
    sms_id: Mapped[int | None] = mapped_column(ForeignKey("sms_messages.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Group(Base):
    """A cooperative, mutuelle or chamber of trades paying for its members."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))  # cooperative | mutuelle | chamber
    leader_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class GroupMember(Base):
    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("group_id", "member_id", name="uq_group_members_group_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class PaymentSplit(Base):
    """How one (group) payment is shared among members, fixed when it is asked for."""

    __tablename__ = "payment_splits"
    __table_args__ = (
        UniqueConstraint("intent_id", "member_id", name="uq_payment_splits_intent_member"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    intent_id: Mapped[int] = mapped_column(ForeignKey("payment_intents.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    amount: Mapped[int] = mapped_column(Integer)
