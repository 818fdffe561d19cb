"""GSM 03.38 7-bit alphabet: fold text into it, check it, measure it.

A USSD screen is at most 182 characters of the GSM-7 basic set; characters of the
extension table (reached through an escape) take two.
"""
from __future__ import annotations

import unicodedata

BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = "^{}\\[~]|€"

_BASIC = frozenset(BASIC)
_EXTENSION = frozenset(EXTENSION)

# Explicit replacements; anything else outside the alphabet loses its accent
# (NFKD) or becomes "?".
_FOLD = {
    "ç": "c", "ê": "e", "â": "a", "ô": "o", "î": "i", "û": "u", "ë": "e", "ï": "i",
    "ÿ": "y", "œ": "oe", "Œ": "OE",
    "À": "A", "Â": "A", "È": "E", "Ê": "E", "Ë": "E", "Î": "I", "Ï": "I", "Ô": "O",
    "Ù": "U", "Û": "U", "Ÿ": "Y",
    "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'",
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"',
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " ",
    "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-",
    "…": "...", "•": "-",
}


def _fold_char(ch: str) -> str:
    if ch in _BASIC or ch in _EXTENSION:
        return ch
    if ch in _FOLD:
        return _FOLD[ch]
    stripped = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if stripped and all(c in _BASIC for c in stripped):
        return stripped
    return "?"


def to_gsm7(text: str) -> str:
    """`text` with every character outside GSM-7 replaced by its nearest GSM-7 form."""
    return "".join(_fold_char(ch) for ch in text)


def is_gsm7(text: str) -> bool:
    return all(ch in _BASIC or ch in _EXTENSION for ch in text)


def gsm7_length(text: str) -> int:
    """Length in GSM-7 characters: extension characters count two."""
    return len(text) + sum(1 for ch in text if ch in _EXTENSION)


def shorten_words(text: str, limit: int, ellipsis: str = "...") -> str:
    """`text` cut to `limit` GSM-7 characters at a word boundary, ending with `ellipsis`."""
    if gsm7_length(text) <= limit:
        return text
    room = limit - gsm7_length(ellipsis)
    n, used = 0, 0
    while n < len(text) and used + gsm7_length(text[n]) <= room:
        used += gsm7_length(text[n])
        n += 1
    cut = text[:n]
    mid_word = not text[n].isspace() and not cut[-1:].isspace()
    if mid_word and cut.rfind(" ") > 0:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-") + ellipsis
