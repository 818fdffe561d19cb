"""Texts per language, looked up by shared keys with ``{placeholders}``."""
from __future__ import annotations

from string import Formatter
from typing import Mapping


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


class Catalog:
    def __init__(self, texts: Mapping[str, Mapping[str, str]], default: str = "fr"):
        if default not in texts:
            raise ValueError(f"default language {default!r} has no catalog")
        self.texts = texts
        self.default = default

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
