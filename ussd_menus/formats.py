"""How amounts and dates are written on screen, and how typed values are read."""
from __future__ import annotations

import re
from datetime import date

from .screens import Invalid

NAME_MIN, NAME_MAX = 2, 60


def money(francs: int) -> str:
    """10000 -> "10 000 F" (whole francs, space as thousands separator)."""
    return f"{int(francs):,}".replace(",", " ") + " F"


def day(value: date | str) -> str:
    """A date as DD/MM/YYYY; ISO strings (as kept in the session) are accepted."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return value.strftime("%d/%m/%Y")


def day_month(value: date) -> str:
    """A date as DD/MM, for short lists of recent events."""
    return value.strftime("%d/%m")


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def parse_name(text: str) -> str:
    """A person's name: 2 to 60 characters, letters, spaces, hyphens, apostrophes."""
    name = " ".join(text.replace("’", "'").split())
    letters_only = all(ch.isalpha() or ch in " -'" for ch in name)
    if not (NAME_MIN <= len(name) <= NAME_MAX) or not letters_only or not any(ch.isalpha() for ch in name):
        raise Invalid("error.name")
    return name


def parse_francs(text: str) -> int:
    """Whole francs typed as digits, spaces allowed ("10 000"); no decimals, no separators."""
    if not re.fullmatch(r"[0-9][0-9 ]*", text.strip()):
        raise Invalid("pay.not_a_number")
    return int(text.replace(" ", ""))


def parse_past_date(text: str, today: date) -> date:
    """A date typed JJMMAAAA (separators tolerated) that is not in the future."""
    digits = re.sub(r"[\s/.\-]", "", text)
    if not re.fullmatch(r"\d{8}", digits):
        raise Invalid("error.date")
    try:
        value = date(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
    except ValueError:
        raise Invalid("error.date") from None
    if value > today:
        raise Invalid("error.date_future")
    return value
