"""GSM 03.38 7-bit alphabet: fold text into it, check it, measure it.

A USSD screen is at most 182 characters of the GSM-7 basic set; characters of the
extension table (reached through an escape) take two.
"""
from __future__ import annotations

import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterator

from anyascii import anyascii

BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = "^{}\\[~]|€"

_BASIC = frozenset(BASIC)
_EXTENSION = frozenset(EXTENSION)

# Explicit replacements; anything else outside the alphabet loses its accent (NFKD),
# else is transliterated (anyascii), else becomes "?".
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
    # letters of Ewe, Kabiyè and other West African alphabets, as their readers fold them
    # (a transliteration would give "ng" for ŋ)
    "ɛ": "e", "Ɛ": "E", "ɔ": "o", "Ɔ": "O", "ŋ": "n", "Ŋ": "N", "ɖ": "d", "Ɖ": "D",
    "ƒ": "f", "Ƒ": "F", "ɣ": "g", "Ɣ": "G", "ʋ": "v", "Ʋ": "V", "ɩ": "i", "Ɩ": "I", "ʊ": "u", "Ʊ": "U",
}


@dataclass(frozen=True)
class Fold:
    """One character that folding changed."""

    char: str
    into: str

    @property
    def lost_a_letter(self) -> bool:
        """A letter (or digit) that became "?" or nothing: a reader cannot guess it back."""
        return self.char.isalnum() and not any(c.isalnum() for c in self.into)


_watchers: ContextVar[list[Fold] | None] = ContextVar("gsm7_watchers", default=None)


@contextmanager
def watch() -> Iterator[list[Fold]]:
    """Record every fold made inside the block (tests use it to prove what folding lost)."""
    seen: list[Fold] = []
    token = _watchers.set(seen)
    try:
        yield seen
    finally:
        _watchers.reset(token)


def _fold_char(ch: str) -> str:
    if ch in _FOLD:
        return _FOLD[ch]
    stripped = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if stripped and all(c in _BASIC for c in stripped):
        return stripped
    if ch.isalpha():
        spelled = anyascii(ch)
        if spelled and all(c in _BASIC for c in spelled):
            return spelled
    return "?"


def to_gsm7(text: str) -> str:
    """`text` with every character outside GSM-7 replaced by its nearest GSM-7 form."""
    if is_gsm7(text):
        return text
    seen = _watchers.get()
    folded = []
    for ch in text:
        into = ch if ch in _BASIC or ch in _EXTENSION else _fold_char(ch)
        if into != ch and seen is not None:
            seen.append(Fold(ch, into))
        folded.append(into)
    return "".join(folded)


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
