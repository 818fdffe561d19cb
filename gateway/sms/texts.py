"""SMS texts: the ``sms.*`` keys of each language's folder (languages/<code>/sms.toml).

One GSM-7 segment (160 characters) each, always: a name in the text (the member's, a
payer's, a group's) is shortened until the message fits; the fixed words and the figures
never are. A parameter given as ``(key, params)`` is a piece of text rendered in the
same language first (a receipt's "what the money bought").
"""
from __future__ import annotations

from typing import Any

from languages import registry
from ussd_menus.gsm7 import gsm7_length, to_gsm7

SEGMENT = 160
NAME_MAX = 20
NAME_MIN = 6
NAMES = ("name", "payer", "payee", "group")  # the parameters that may be shortened to fit


class SmsTooLong(ValueError):
    pass


def short_name(full_name: str) -> str:
    """A person's first name, cut so that any name fits the segment."""
    first = full_name.split()[0] if full_name.split() else full_name
    return first[:NAME_MAX]


def _shorten(full_name: str, limit: int) -> str:
    """The name's first words (a group's, a masked name) within `limit` characters."""
    words = full_name.split()
    if not words:
        return full_name
    cut = words[0]
    for word in words[1:]:
        if len(cut) + 1 + len(word) > limit:
            break
        cut += " " + word
    return cut[:limit]


def _render(key: str, language: str, params: dict[str, Any]) -> str:
    languages = registry()
    pieces = {name: languages.text(language, f"sms.{value[0]}", **value[1])
              for name, value in params.items() if isinstance(value, tuple)}
    return to_gsm7(languages.text(language, f"sms.{key}", **{**params, **pieces}))


def render_sms(kind: str, language: str | None, **params) -> str:
    """The SMS `kind` (key ``sms.<kind>``) in `language` (the default one if unknown)."""
    if "code" not in params:
        from gateway.runtime import get_runtime

        params["code"] = get_runtime().settings.ussd_code
    if "name" in params:  # a person is greeted or named by their first name
        params["name"] = short_name(str(params["name"]))
    names = {name: str(params[name]) for name in NAMES if name in params}
    limit = NAME_MAX
    while True:
        text = _render(kind, language, {**params, **{name: _shorten(value, limit) for name, value in names.items()}})
        if gsm7_length(text) <= SEGMENT:
            return text
        if not names or limit <= NAME_MIN:
            raise SmsTooLong(f"SMS {kind}/{language} is {gsm7_length(text)} characters: {text!r}")
        limit -= 1


def phrase(key: str, language: str | None, **params) -> str:
    """The text ``sms.<key>`` as written (not folded to GSM-7): a part of an SMS, or an
    answer given by another channel (FHIR)."""
    return registry().text(language, f"sms.{key}", **params)
