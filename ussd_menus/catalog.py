"""Texts per language, looked up by shared keys with ``{placeholders}``.

The gateway's texts come from the registry of languages (the `languages` package: one
folder per language); a Catalog is the menus' view of it.
"""
from __future__ import annotations

from typing import Mapping

from languages import placeholders


class Catalog:
    def __init__(self, texts: Mapping[str, Mapping[str, str]], default: str = "fr",
                 names: Mapping[str, str] | None = None):
        if default not in texts:
            raise ValueError(f"default language {default!r} has no catalog")
        self.texts = texts
        self.default = default
        # each language's name as its speakers write it (the Langue menu), in menu order
        self.names = {code: (names or {}).get(code, code) for code in texts}

    def language(self, wanted: str | None) -> str:
        """`wanted` if there is a catalog for it, else the default language."""
        return wanted if wanted in self.texts else self.default

    def has(self, key: str) -> bool:
        return key in self.texts[self.default]

    def text(self, language: str, key: str, **params) -> str:
        return self.texts[language][key].format(**params)

    def problems(self) -> list[str]:
        """Keys missing from a language, or whose placeholders differ between languages."""
        found = []
        reference = self.texts[self.default]
        for language, texts in self.texts.items():
            for key in sorted(set(reference) - set(texts)):
                found.append(f"catalog {language!r} lacks key {key!r}")
            for key in sorted(set(texts) - set(reference)):
                found.append(f"catalog {language!r} has key {key!r} missing from {self.default!r}")
            for key in sorted(set(reference) & set(texts)):
                if placeholders(texts[key]) != placeholders(reference[key]):
                    found.append(
                        f"catalog {language!r} key {key!r} has placeholders "
                        f"{sorted(placeholders(texts[key]))}, {self.default!r} has "
                        f"{sorted(placeholders(reference[key]))}"
                    )
        return found
