"""Time in the scheme's zone. Lomé is UTC+0 with no daylight saving, but dates are
always taken in Africa/Lome explicitly so a server set to another zone cannot shift a day.

`travel_to` moves the whole gateway's clock (simulations, worked examples in tests).
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

LOME = ZoneInfo("Africa/Lome")

_frozen: datetime | None = None


def now() -> datetime:
    return _frozen or datetime.now(timezone.utc)


def local_date(moment: datetime | None = None) -> date:
    return (moment or now()).astimezone(LOME).date()


def local_hour(moment: datetime | None = None) -> int:
    return (moment or now()).astimezone(LOME).hour


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@contextmanager
def travel_to(moment: datetime):
    """Freeze the clock at `moment` (aware) for the duration of the block."""
    global _frozen
    if moment.tzinfo is None:
        raise ValueError("travel_to needs an aware datetime")
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous


def set_clock(moment: datetime | None) -> None:
    """Freeze (or, with None, release) the clock; for long simulations."""
    global _frozen
    _frozen = moment
