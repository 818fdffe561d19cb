"""AMU member numbers: nine random digits and a Verhoeff check digit.

Verhoeff (python-stdnum) catches every single wrong digit and every swap of two
neighbouring digits, the two commonest typing errors on a keypad. The body is random,
not sequential, so a number says nothing about how many members there are.
"""
from __future__ import annotations

import secrets

from stdnum import verhoeff
from stdnum.exceptions import ValidationError

LENGTH = 10


class InvalidAmuNumber(ValueError):
    pass


def new_amu_number() -> str:
    body = str(secrets.randbelow(9 * 10**8) + 10**8)  # nine digits, no leading zero
    return body + verhoeff.calc_check_digit(body)


def clean_amu_number(raw: str) -> str:
    """Strip spaces and dashes; raise InvalidAmuNumber with the reason."""
    text = "".join(ch for ch in (raw or "") if ch not in " -.")
    if not text.isdigit():
        raise InvalidAmuNumber("an AMU number has digits only")
    if len(text) != LENGTH:
        raise InvalidAmuNumber(f"an AMU number has {LENGTH} digits, not {len(text)}")
    try:
        verhoeff.validate(text)
    except ValidationError:
        raise InvalidAmuNumber("check digit does not match: a digit is probably mistyped") from None
    return text


def is_valid_amu_number(raw: str) -> bool:
    try:
        clean_amu_number(raw)
    except InvalidAmuNumber:
        return False
    return True
