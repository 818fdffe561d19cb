"""The lists offered on screen (occupations, regions, rhythms), from reference.toml."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from ussd_menus.services import Option, ReferenceLists

PATH = Path(__file__).with_name("reference.toml")


@cache
def reference_lists() -> ReferenceLists:
    data = tomllib.loads(PATH.read_text(encoding="utf-8"))

    def options(name: str) -> list[Option]:
        return [Option(code=o["code"], labels={"fr": o["fr"], "en": o["en"]}) for o in data[name]]

    return ReferenceLists(
        occupations=options("occupations"), regions=options("regions"), rhythms=options("rhythms")
    )


def codes(name: str) -> set[str]:
    return {o.code for o in getattr(reference_lists(), name)}
