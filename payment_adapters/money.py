"""Whole francs (XOF has no minor unit): parse provider amounts, refuse fractions."""
from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from .errors import PaymentAdapterError

_SPACES = (" ", "\u00a0", "\u202f")  # thousands separators seen in French-formatted exports
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_MAX_EXPONENT = 18  # a JSON number such as 1e999999999 must not become a billion-digit int
# No mobile-money amount comes near a billion francs (wallet ceilings are about two
# million); anything larger is an error or an attack, refused before it reaches a ledger.
MAX_FRANCS = 1_000_000_000


def whole_francs(value: object) -> int:
    """Return `value` as an int number of francs, or raise ValueError.

    Accepts ints, integral floats and Decimals (JSON ``1000.0``) and strings such as
    ``"1000"``, ``"1 000"`` or ``"1000.00"``. Refuses fractions (``"12.5"``,
    ``Decimal("1000.00000000000000001")``), booleans, blanks, and sizes beyond
    `MAX_FRANCS` either way.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not an amount: {value!r}")
    if isinstance(value, int):
        return _bounded(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"fractional amount {value!r}: francs have no cents")
        return _bounded(value)
    if isinstance(value, str):
        text = value.strip()
        for space in _SPACES:
            text = text.replace(space, "")
        if not text:
            raise ValueError("empty amount")
        if not _DECIMAL.match(text):
            raise ValueError(f"not an amount: {value[:40]!r}")
        number = Decimal(text)
    elif isinstance(value, Decimal):
        if not value.is_finite() or value.adjusted() > _MAX_EXPONENT:
            raise ValueError(f"not an amount: {value!r}")
        number = value
    else:
        raise ValueError(f"not an amount: {value!r}")
    _bounded(number)
    if number != number.to_integral_value():
        raise ValueError(f"fractional amount {value!r}: francs have no cents")
    return int(number)


def _bounded(number: int | float | Decimal) -> int:
    """`number` as an int, unless it is beyond `MAX_FRANCS` either way (ValueError)."""
    if abs(number) > MAX_FRANCS:
        raise ValueError(f"amount out of range: more than {MAX_FRANCS} francs either way")
    return int(number)


def positive_francs(value: object) -> int:
    """Like `whole_francs`, and the amount must be above zero."""
    amount = whole_francs(value)
    if amount <= 0:
        raise ValueError(f"amount must be positive, got {amount}")
    return amount


def reported_amount(value: object, error: Callable[[str], PaymentAdapterError], prefix: str,
                    *, optional: bool = False) -> int | None:
    """A collection amount a provider reports (callback or status answer): positive
    whole francs, else ``error(prefix + reason)`` is raised. With `optional`, a missing
    or blank amount is None."""
    if optional and value in (None, ""):
        return None
    try:
        return positive_francs(value)
    except ValueError as exc:
        raise error(f"{prefix}{exc}") from None
