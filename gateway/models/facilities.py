"""Health facilities under convention (tiers payant) and the checks of members' rights
they make, by FHIR or by USSD."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base
from gateway.models.types import UtcDateTime, utcnow

FACILITY_KINDS = ("hospital", "clinic", "pharmacy")
CHECK_CHANNELS = ("fhir", "ussd")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Facility(Base):
    """A hospital, clinic or pharmacy that treats members and claims the scheme's share.

    Its API key is shown once, when made; only its public id (`api_key_id`, the part of
    the key after the prefix) and the SHA-256 of the whole key are kept."""

    __tablename__ = "facilities"
    __table_args__ = (CheckConstraint(_one_of("kind", FACILITY_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10))
    region: Mapped[str] = mapped_column(String(40))
    api_key_id: Mapped[str] = mapped_column(String(16), unique=True)
    api_key_hash: Mapped[str] = mapped_column(String(64))
    api_key_created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    api_key_revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class FacilityPhone(Base):
    """A phone registered to a facility: it sees `Vérifier un assuré` on its home menu.
    A phone belongs to one facility at most."""

    __tablename__ = "facility_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"), index=True)
    phone: Mapped[str] = mapped_column(String(16), unique=True)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class FacilityCheck(Base):
    """A check of one person's rights by one facility for care on one day: what the
    check code on a claim names. Asking again the same day gives the same code.

    The person is the household's member (`dependent_id` None) or one of its dependants."""

    __tablename__ = "facility_checks"
    __table_args__ = (
        Index("ix_facility_checks_member_created", "member_id", "created_at"),
        Index("ix_facility_checks_flagged", "flagged_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    dependent_id: Mapped[int | None] = mapped_column(ForeignKey("dependents.id"), default=None)
    beneficiary: Mapped[str] = mapped_column(String(13))  # "1234567890-01": AMU number and rank in the household
    service_day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # the member said "Ce n'était pas moi": for the scheme's fraud team
    flagged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


# One code per facility, person and day; a NULL dependant (the member) counts as one person.
Index("uq_facility_checks_person_day", FacilityCheck.facility_id, FacilityCheck.member_id,
      func.coalesce(FacilityCheck.dependent_id, 0), FacilityCheck.service_day, unique=True)


class FacilityCheckAnswer(Base):
    """Every answer given, kept: who asked (channel, the facility's phone or key id),
    when, and what they were told."""

    __tablename__ = "facility_check_answers"
    __table_args__ = (CheckConstraint(_one_of("channel", CHECK_CHANNELS), name="channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("facility_checks.id"), index=True)
    channel: Mapped[str] = mapped_column(String(4))
    asked_by: Mapped[str] = mapped_column(String(16))  # the facility's phone (USSD) or API key id (FHIR)
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    covered: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(20))  # active | grace | waiting | suspended | pending | age_limit | ...
    key_date: Mapped[date | None] = mapped_column(Date, default=None)  # the date that matters for the reason
    answer: Mapped[dict] = mapped_column(JSON)  # the household's answers as given
    disposition: Mapped[str] = mapped_column(Text)
