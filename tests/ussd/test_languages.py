"""Languages are data (issue 9 item 7): a new language is one folder of catalogs.

A pseudo-locale, "xx" (French in capitals), made at test time from the French folder
and nothing else: the menus offer it, speak it, and every screen of it fits; the gateway
stores it for a phone and a member (no list of languages in the database), sends its
SMS and its reminders' day names in it, and apologises in it when a hop fails.
"""
from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

import languages
from config.reference import reference_lists
from ussd_menus import Engine, gsm7_length
from ussd_menus.gsm7 import watch

from .fakes import TODAY, FakeServices
from .phone import Phone, con

PLACEHOLDER = re.compile(r"(\{[^}]*\})")


def capitals(text: str) -> str:
    return "".join(part if PLACEHOLDER.fullmatch(part) else part.upper() for part in PLACEHOLDER.split(text))


def make_pseudo_locale(root: Path) -> Path:
    """languages/fr copied to root/xx, every text in capitals: the whole of a new language."""
    folder = root / "xx"
    folder.mkdir(parents=True)
    for source in (languages.HERE / "fr").glob("*.toml"):
        texts = tomllib.loads(source.read_text(encoding="utf-8"))
        if source.name == languages.META:
            texts = {"name": "PSEUDO", "order": 3}
            lines = ['name = "PSEUDO"', "order = 3"]
        else:
            lines = [f"{json.dumps(key)} = {json.dumps(capitals(value), ensure_ascii=False)}"
                     for key, value in languages._flatten(texts).items()]
        (folder / source.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def pseudo_root(tmp_path_factory) -> Path:
    return make_pseudo_locale(tmp_path_factory.mktemp("languages"))


@pytest.fixture(scope="module")
def pseudo(pseudo_root) -> languages.Registry:
    return languages.load(languages.HERE, pseudo_root)


def test_the_folder_is_all_a_new_language_needs(pseudo):
    assert pseudo.codes() == ("fr", "en", "xx")
    assert pseudo.names()["xx"] == "PSEUDO"
    assert pseudo.text("xx", "home.pay") == "PAYER"


def test_the_menus_offer_and_speak_the_new_language(pseudo):
    engine = Engine(today=lambda: TODAY, languages=pseudo)
    phone = Phone(engine, FakeServices())
    phone.dial()
    assert phone.send("3") == con("Langue:", "1. Francais", "2. English", "3. PSEUDO", "0. Retour", "00. Accueil")
    assert phone.send("3") == con("AMU TOGO", "1. ADHÉRER", "2. PAYER POUR UN MEMBRE", "3. LANGUE")
    assert phone.send("1") == con("NOM ET PRÉNOMS:", "0. RETOUR", "00. ACCUEIL")


def test_every_screen_of_the_new_language_fits_and_loses_no_letter(pseudo):
    from .test_every_screen import situations, walk

    engine = Engine(today=lambda: TODAY, languages=pseudo)
    rendered = set()
    with watch() as folds:
        for situation in situations("xx"):
            rendered |= walk(engine, situation, 160)
    assert [text for _, text in rendered if gsm7_length(text) > 160] == []
    assert [f for f in folds if f.lost_a_letter] == []


def test_a_language_missing_a_key_is_refused_with_its_name(tmp_path, pseudo_root):
    broken = make_pseudo_locale(tmp_path)
    ussd = broken / "xx" / "ussd.toml"
    ussd.write_text("\n".join(line for line in ussd.read_text(encoding="utf-8").splitlines()
                              if not line.startswith('"home.pay"')), encoding="utf-8")
    with pytest.raises(languages.LanguageError, match="language 'xx' lacks key 'home.pay'"):
        languages.load(languages.HERE, broken)


@pytest.fixture
def gateway_speaking_pseudo(pseudo_root, monkeypatch):
    """The gateway's own registry with the pseudo-locale's folder added by AMU_LANGUAGES_PATH."""
    monkeypatch.setenv(languages.EXTRA_PATH, str(pseudo_root))
    languages.registry.cache_clear()
    reference_lists.cache_clear()
    yield languages.registry()
    monkeypatch.undo()
    languages.registry.cache_clear()
    reference_lists.cache_clear()
