from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base
from gateway.models.types import UtcDateTime, utcnow


class Scheme(Base):
    __tablename__ = "schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))


class SchemeRuleVersion(Base):
    """The rules of a scheme from `effective_from` until the next version."""

    __tablename__ = "scheme_rule_versions"
    __table_args__ = (UniqueConstraint("scheme_id", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id"))
    effective_from: Mapped[date] = mapped_column(Date)
    rules: Mapped[dict] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
