"""Provider timestamps to aware UTC datetimes.

Togo runs on Africa/Lome, which is UTC+0 all year, so a provider time without an
offset is read as UTC: the two are the same clock.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable

EXTRA_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S")


def parse_timestamp(value: object, formats: Iterable[str] = EXTRA_FORMATS) -> datetime:
    """ISO 8601 (with ``T`` or a space, with ``Z`` or an offset or nothing), or one of
    `formats`; raise ValueError otherwise."""
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value or "").strip()
        if not text:
            raise ValueError("empty timestamp")
        parsed = _parse_text(text, tuple(formats))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def parse_optional_timestamp(value: object) -> datetime | None:
    """Like `parse_timestamp` but None (not an error) for absent or unreadable values:
    used for informative times in callbacks, never for money decisions."""
    if value in (None, ""):
        return None
    try:
        return parse_timestamp(value)
    except ValueError:
        return None


def _parse_text(text: str, formats: tuple[str, ...]) -> datetime:
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        pass
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"unreadable timestamp {text!r}")


def utc_window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """[start, end) in UTC; raises ValueError for naive datetimes or an empty window."""
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"the statement window's {name} must be an aware datetime, "
                             f"got {value!r}")
    if not start < end:
        raise ValueError(f"the statement window is empty: {start.isoformat()} is not "
                         f"before {end.isoformat()}")
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)
