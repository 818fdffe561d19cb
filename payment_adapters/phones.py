"""Togolese phone numbers and the two mobile-money networks, as each provider spells them."""
from __future__ import annotations

import re

NETWORKS = ("yas", "moov")  # Mixx by Yas (ex T-Money, Togocom) and Flooz (Moov Africa Togo)

_E164_TG = re.compile(r"^\+228\d{8}$")
_SEPARATORS = re.compile(r"[\s.\-()]")


def is_e164_tg(phone: str) -> bool:
    return bool(_E164_TG.match(phone or ""))


def to_e164_tg(raw: object) -> str | None:
    """Normalise what a provider sends (``90000001``, ``22890000001``, ``+228 90 00 00 01``,
    ``0022890000001``) to ``+22890000001``; None when it is not a Togolese number."""
    if raw is None:
        return None
    digits = _SEPARATORS.sub("", str(raw))
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    if not digits.isdigit():
        return None
    if len(digits) == 8:
        digits = "228" + digits
    if len(digits) == 11 and digits.startswith("228"):
        return "+" + digits
    return None


def local_number(e164: str) -> str:
    """``+22890000001`` -> ``90000001`` (the 8 digits the aggregators expect)."""
    if not is_e164_tg(e164):
        raise ValueError(f"not a Togolese E.164 number: {e164!r}")
    return e164[4:]
