"""Whole francs (XOF has no minor unit): parse provider amounts, refuse fractions."""
from __future__ import annotations

import re
from decimal import Decimal

_SPACES = (" ", "\u00a0", "\u202f")  # thousands separators seen in French-formatted exports
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def whole_francs(value: object) -> int:
    """Return `value` as an int number of francs, or raise ValueError.

    Accepts ints, integral floats (JSON ``1000.0``) and strings such as ``"1000"``,
    ``"1 000"`` or ``"1000.00"``. Refuses fractions (``"12.5"``), booleans, blanks.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not an amount: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"fractional amount {value!r}: francs have no cents")
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        for space in _SPACES:
            text = text.replace(space, "")
        if not text:
            raise ValueError("empty amount")
        if not _DECIMAL.match(text):
            raise ValueError(f"not an amount: {value!r}")
        number = Decimal(text)
        if number != number.to_integral_value():
            raise ValueError(f"fractional amount {value!r}: francs have no cents")
        return int(number)
    raise ValueError(f"not an amount: {value!r}")


def positive_francs(value: object) -> int:
    """Like `whole_francs`, and the amount must be above zero."""
    amount = whole_francs(value)
    if amount <= 0:
        raise ValueError(f"amount must be positive, got {amount}")
    return amount
