"""Every language the gateway speaks, as data: one folder per language.

A folder (``languages/fr/``) holds TOML files of ``"key" = "text"`` lines:
``language.toml`` (its name, as its speakers write it, and its place in the Langue
menu), ``ussd.toml`` (screens; also the day and month names and the apology shown when
the service is down), ``sms.toml`` (every SMS, keys ``sms.*``) and ``lists.toml`` (the
labels of the on-screen lists, keys ``list.<list>.<code>``). How the texts are split
into files is only for the reader: a language is the union of its files' keys, and
every language must have exactly the keys of the default one (French), with the same
``{placeholders}``.

The USSD menus, the SMS texts, the reminders, the hop's apology, the reference lists
and the database's list of languages all read this registry. A new language is a new
folder; a new key is one line in each folder (see README.md here).
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Iterable, Mapping

HERE = Path(__file__).parent
DEFAULT = "fr"
META = "language.toml"
EXTRA_PATH = "AMU_LANGUAGES_PATH"  # more folders of languages (os.pathsep-separated), e.g. a pilot's


class LanguageError(ValueError):
    """A language folder that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Language:
    code: str  # the folder's name: "fr", "en", "ee" (Ewe), "kbp" (Kabiyè)...
    name: str  # as its speakers write it, shown in the Langue menu
    order: int  # place in the Langue menu
    texts: Mapping[str, str] = field(repr=False)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def _flatten(table: Mapping, prefix: str = "") -> dict[str, str]:
    """TOML tables and dotted keys read as flat dotted keys: ``[nav] back = ...`` is ``nav.back``."""
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        elif isinstance(value, str):
            flat[name] = value
        else:
            raise LanguageError(f"{name!r} must be text, not {type(value).__name__}")
    return flat


CODE = re.compile(r"[a-z]{2,8}")  # a folder's name is the code stored for members (at most 8 characters)


def read_folder(folder: Path) -> Language:
    if not CODE.fullmatch(folder.name):
        raise LanguageError(f"{folder}: a language folder is named by its code, 2 to 8 lowercase letters")
    meta_path = folder / META
    try:
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LanguageError(f"{meta_path}: {exc}") from exc
    texts: dict[str, str] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.name == META:
            continue
        try:
            found = _flatten(tomllib.loads(path.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, LanguageError) as exc:
            raise LanguageError(f"{path}: {exc}") from exc
        for key in sorted(set(found) & set(texts)):
            raise LanguageError(f"{path}: key {key!r} is also in another file of {folder.name!r}")
        texts.update(found)
    if not isinstance(meta.get("name"), str) or not isinstance(meta.get("order"), int):
        raise LanguageError(f"{meta_path}: needs name = \"...\" and order = N")
    return Language(folder.name, meta["name"], meta["order"], texts)


class Registry:
    """The languages found in some folders, the default first in the Langue menu's order."""

    def __init__(self, languages: Iterable[Language], default: str = DEFAULT):
        found = sorted(languages, key=lambda language: (language.order, language.code))
        self.languages: dict[str, Language] = {language.code: language for language in found}
        if default not in self.languages:
            raise LanguageError(f"the default language {default!r} has no folder")
        self.default = default

    def codes(self) -> tuple[str, ...]:
        return tuple(self.languages)

    def knows(self, code: str | None) -> bool:
        return code in self.languages

    def language(self, wanted: str | None) -> str:
        """`wanted` if it is a language of the registry, else the default."""
        return wanted if wanted in self.languages else self.default

    def texts(self) -> dict[str, Mapping[str, str]]:
        return {code: language.texts for code, language in self.languages.items()}

    def names(self) -> dict[str, str]:
        return {code: language.name for code, language in self.languages.items()}

    def text(self, language: str | None, key: str, **params) -> str:
        return self.languages[self.language(language)].texts[key].format(**params)

    def problems(self) -> list[str]:
        """Keys missing from a language or added to one only, and placeholders that differ."""
        found = []
        reference = self.languages[self.default].texts
        for code, language in self.languages.items():
            texts = language.texts
            found += [f"language {code!r} lacks key {key!r}" for key in sorted(set(reference) - set(texts))]
            found += [f"language {code!r} has key {key!r} that {self.default!r} lacks"
                      for key in sorted(set(texts) - set(reference))]
            for key in sorted(set(reference) & set(texts)):
                if placeholders(texts[key]) != placeholders(reference[key]):
                    found.append(f"language {code!r} key {key!r} has placeholders {sorted(placeholders(texts[key]))}, "
                                 f"{self.default!r} has {sorted(placeholders(reference[key]))}")
        return found


def load(*roots: Path | str, default: str = DEFAULT) -> Registry:
    """The languages in each folder of `roots` (each subfolder with a language.toml is one);
    a later root's language replaces an earlier one of the same code."""
    languages: dict[str, Language] = {}
    for root in map(Path, roots):
        for folder in sorted(p for p in root.iterdir() if (p / META).is_file()):
            languages[folder.name] = read_folder(folder)
    registry = Registry(languages.values(), default)
    if problems := registry.problems():
        raise LanguageError("languages do not agree:\n- " + "\n- ".join(problems))
    return registry


@cache
def registry() -> Registry:
    """The gateway's languages: this package's folders, then those of AMU_LANGUAGES_PATH."""
    extra = [p for p in os.environ.get(EXTRA_PATH, "").split(os.pathsep) if p]
    return load(HERE, *extra)
