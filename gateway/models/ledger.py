from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gateway.db import Base
from gateway.models.types import UtcDateTime, utcnow

ACCOUNT_KINDS = ("clearing", "member", "suspense", "fees", "premiums", "refunds")


class LedgerAccount(Base):
    """clearing:<provider>:<network> (what a provider owes us), member:<id> (a member's
    contributions not yet spent on cover), suspense (money we cannot place yet),
    fees:<provider>, premiums (cover bought), refunds."""

    __tablename__ = "ledger_accounts"
    __table_args__ = (
        CheckConstraint("kind IN ('clearing', 'member', 'suspense', 'fees', 'premiums', 'refunds')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), default=None, unique=True)
    # The sum of the account's legs, kept by ledger.post in the transaction that books
    # them (checked by `amu ledger check`): positive = debit balance.
    balance: Mapped[int] = mapped_column(BigInteger, default=0)


class LedgerEntry(Base):
    """One business event in money. `key` makes it happen once: the database refuses a
    second entry for the same credit, whatever the number of workers racing for it."""

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # collection | suspense | cover | reversal | ...
    description: Mapped[str] = mapped_column(Text)
    intent_id: Mapped[int | None] = mapped_column(ForeignKey("payment_intents.id"), default=None, index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), default=None, index=True)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"), default=None, unique=True)
    booked_on: Mapped[date] = mapped_column(Date)  # Lomé business day
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    legs: Mapped[list["LedgerLeg"]] = relationship(back_populates="entry", lazy="selectin", order_by="LedgerLeg.id")


class LedgerLeg(Base):
    """Positive = debit, negative = credit; the legs of an entry sum to zero."""

    __tablename__ = "ledger_legs"
    __table_args__ = (CheckConstraint("amount <> 0", name="amount_nonzero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"), index=True)
    amount: Mapped[int] = mapped_column(Integer)

    entry: Mapped[LedgerEntry] = relationship(back_populates="legs")


class CoveragePeriod(Base):
    """A billing period bought with a member's contributions."""

    __tablename__ = "coverage_periods"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates"),
        UniqueConstraint("member_id", "starts_on", name="uq_coverage_periods_member_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    period: Mapped[str] = mapped_column(String(12))
    price: Mapped[int] = mapped_column(Integer)
    waiting_ends_on: Mapped[date | None] = mapped_column(Date, default=None)
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    bought_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    entry: Mapped[LedgerEntry] = relationship()  # the cover entry that paid for it
