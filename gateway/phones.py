"""Togo mobile numbers: one canonical form (E.164) whatever way they were typed."""
from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

# Number portability exists since May 2024: a prefix only suggests the network.
# The network that carried the session wins, and the member can change it.
DEFAULT_NETWORK_BY_PREFIX = {
    **{p: "yas" for p in ("70", "71", "72", "73", "90", "91", "92", "93")},
    **{p: "moov" for p in ("79", "96", "98", "99")},
}


class InvalidPhone(ValueError):
    pass


def normalise_phone(raw: str) -> str:
    """'90112233', '0022890112233' and '+228 90 11 22 33' all give '+22890112233'."""
    text = (raw or "").strip()
    if not text:
        raise InvalidPhone("phone number is empty")
    if len(text) > 32:
        raise InvalidPhone("phone number is too long")
    try:
        number = phonenumbers.parse(text, "TG")
    except NumberParseException as exc:
        raise InvalidPhone(f"not a phone number: {text!r} ({exc._msg})") from None
    if number.country_code != 228:
        raise InvalidPhone(f"not a Togo number: {text!r}")
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(f"not a valid Togo number: {text!r}")
    if phonenumbers.number_type(number) not in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise InvalidPhone(f"not a Togo mobile number: {text!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def default_network(e164: str) -> str | None:
    """The network a Togo number's prefix usually belongs to (97 is reported both ways)."""
    return DEFAULT_NETWORK_BY_PREFIX.get(e164[4:6])


def masked(e164: str) -> str:
    """+22890112233 -> +228 90 XX XX 33, for screens and logs."""
    return f"{e164[:4]} {e164[4:6]} XX XX {e164[-2:]}"
