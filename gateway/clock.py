"""Time in the scheme's zone. Lomé is UTC+0 with no daylight saving, but dates are
always taken in Africa/Lome explicitly so a server set to another zone cannot shift a day."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

LOME = ZoneInfo("Africa/Lome")


def now() -> datetime:
    return datetime.now(timezone.utc)


def local_date(moment: datetime | None = None) -> date:
    return (moment or now()).astimezone(LOME).date()


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
