"""The lists offered on screen (occupations, regions, rhythms): their codes and order from
reference.toml, their labels from each language's lists.toml (``list.<list>.<code>``)."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from languages import registry
from ussd_menus.services import Option, ReferenceLists

PATH = Path(__file__).with_name("reference.toml")
LISTS = ("occupations", "regions", "rhythms")


@cache
def reference_lists() -> ReferenceLists:
    data = tomllib.loads(PATH.read_text(encoding="utf-8"))
    languages = registry()

    def options(name: str) -> list[Option]:
        return [Option(code=o["code"], labels={code: languages.text(code, f"list.{name}.{o['code']}")
                                              for code in languages.codes()})
                for o in data[name]]

    return ReferenceLists(**{name: options(name) for name in LISTS})


def codes(name: str) -> set[str]:
    return {o.code for o in getattr(reference_lists(), name)}
