from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gateway.db import Base
from gateway.models.types import UtcDateTime, one_of, utcnow

STATES = ("pending", "waiting", "active", "grace", "suspended")


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (
        CheckConstraint("sex IN ('F', 'M')", name="sex"),
        CheckConstraint(one_of("state", STATES), name="state"),
    )  # language: any code of the registry of languages (the `languages` package), checked by the services

    id: Mapped[int] = mapped_column(primary_key=True)
    amu_number: Mapped[str] = mapped_column(String(10), unique=True)
    phone: Mapped[str] = mapped_column(String(16), unique=True)
    full_name: Mapped[str] = mapped_column(String(80))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    occupation: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(8), default="fr")
    rhythm: Mapped[str] = mapped_column(String(20))
    rhythm_weekday: Mapped[int | None] = mapped_column(default=None)
    rhythm_months: Mapped[list] = mapped_column(JSON, default=list)
    network: Mapped[str | None] = mapped_column(String(10), default=None)
    reminders: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bookkeeping for the daily rounds, so that they visit only the members with work:
    # dues exist up to dues_until; time next changes the member's state on state_check_on.
    dues_until: Mapped[date | None] = mapped_column(Date, default=None)
    state_check_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    # Running figures, kept by the services that change them so that no read walks the
    # member's history (each is checked against its derivation by the property tests):
    # the latest recorded state (membership_events) and since when;
    state: Mapped[str] = mapped_column(String(12), default="pending")
    state_since: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # the cover held (coverage_periods): its last day, the current stint's first day, the
    # day its waiting period ends and the months bought in it;
    covered_until: Mapped[date | None] = mapped_column(Date, default=None)
    stint_start: Mapped[date | None] = mapped_column(Date, default=None)
    waiting_ends: Mapped[date | None] = mapped_column(Date, default=None)
    stint_months: Mapped[int] = mapped_column(Integer, default=0)
    # money and dues (ledger collections, dues paid oldest first): francs received ever,
    # the oldest due not fully paid (None: every due made so far is paid) and the francs
    # received beyond the dues fully paid (part of that due, or paid ahead of every due).
    paid_total: Mapped[int] = mapped_column(BigInteger, default=0)
    oldest_unpaid_due: Mapped[date | None] = mapped_column(Date, default=None)
    paid_toward_dues: Mapped[int] = mapped_column(BigInteger, default=0)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id"))
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    # loaded when read (the USSD hops load a member on every hop and seldom need them);
    # a caller reading them after its session closed must load them first
    dependents: Mapped[list["Dependent"]] = relationship(back_populates="member", order_by="Dependent.id")


class Dependent(Base):
    """A spouse or child covered through the member. Removal is dated, never deleted: a
    removed row says why (`removal`: "removed", or "corrected" when a corrected row,
    naming it in `corrects_id`, took its place)."""

    __tablename__ = "dependents"
    __table_args__ = (
        CheckConstraint("relation IN ('spouse', 'child')", name="relation"),
        CheckConstraint("sex IN ('F', 'M')", name="sex"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    relation: Mapped[str] = mapped_column(String(10))
    full_name: Mapped[str] = mapped_column(String(80))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    in_school: Mapped[bool] = mapped_column(Boolean, default=False)
    extra: Mapped[bool] = mapped_column(Boolean, default=False)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    removal: Mapped[str | None] = mapped_column(String(10), default=None)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("dependents.id"), default=None)

    member: Mapped[Member] = relationship(back_populates="dependents")


class MembershipEvent(Base):
    """Append-only history of membership states; the latest row is the current state."""

    __tablename__ = "membership_events"
    __table_args__ = (
        CheckConstraint(one_of("state", STATES), name="state"),
        Index("ix_membership_events_member_effective", "member_id", "effective_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    state: Mapped[str] = mapped_column(String(12))
    effective_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PhonePreference(Base):
    """What a phone chose before (or without) joining, e.g. its language."""

    __tablename__ = "phone_preferences"

    phone: Mapped[str] = mapped_column(String(16), primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
