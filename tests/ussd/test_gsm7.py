import pytest

from languages import registry
from ussd_menus.gsm7 import Fold, gsm7_length, is_gsm7, shorten_words, to_gsm7, watch

from .test_every_screen import UNAVOIDABLE_FOLDS, check_folds

# Letters whose only Latin writing is an apostrophe (glottal and pharyngeal stops), and two
# phonetic letters no alphabet of the region uses: the only letters allowed to lose their shape.
NO_LATIN_LETTER = set("ɁɂʔʡʕʢƸƹʭ")


@pytest.mark.parametrize("letter", list("éèàùìòÉÇÄÖÑÜäöñüøØåÅÆæß"))
def test_letters_of_the_gsm7_basic_set_are_kept(letter):
    assert to_gsm7(letter) == letter
    assert is_gsm7(letter)


@pytest.mark.parametrize("text, folded", [
    ("Commerçant", "Commercant"),
    ("Pêcheur", "Pecheur"),
    ("bâtiment", "batiment"),
    ("Côte", "Cote"),
    ("maître", "maitre"),
    ("Août", "Aout"),
    ("Noël", "Noel"),
    ("naïf", "naif"),
    ("cœur", "coeur"),
    ("l’école", "l'école"),
    ("«Oui»", '"Oui"'),
    ("10\u00a0000\u202fF", "10 000 F"),
    ("Lomé – Kara — Dapaong", "Lomé - Kara - Dapaong"),
    ("À LA RÉCOLTE", "A LA RÉCOLTE"),
    ("Ça va", "Ça va"),  # Ç is in the basic set, ç is not
    ("ça", "ca"),
])
def test_french_outside_gsm7_is_folded(text, folded):
    assert to_gsm7(text) == folded
    assert is_gsm7(to_gsm7(text))


def test_characters_without_a_gsm7_form_become_question_marks():
    assert to_gsm7("paiement ✓") == "paiement ?"


@pytest.mark.parametrize("letter, folded", list(zip("ɛɔŋɖƒɣʋƐƆŊƉƑƔƲɩʊ", "eondfgvEONDFGViu")))
def test_ewe_and_kabiye_letters_fold_to_the_letters_readers_expect(letter, folded):
    assert to_gsm7(letter) == folded


def test_a_name_in_ewe_letters_stays_readable():
    assert to_gsm7("Kɔku Ŋɔgbe") == "Koku Nogbe"
    assert to_gsm7("Ɖɔkɔ Ʋɛdzi") == "Doko Vedzi"


def test_every_latin_letter_folds_to_a_letter():
    """Latin-1, Latin Extended A and B, IPA and Latin Extended Additional: no letter
    becomes "?" (a name typed in any Latin alphabet stays readable)."""
    letters = [chr(c) for lo, hi in ((0xC0, 0x250), (0x250, 0x2B0), (0x1E00, 0x1F00)) for c in range(lo, hi)]
    lost = [ch for ch in letters if ch.isalpha() and ch not in NO_LATIN_LETTER and Fold(ch, to_gsm7(ch)).lost_a_letter]
    assert lost == []


def test_the_fold_check_fails_on_a_letter_lost_or_a_needless_fold():
    """The every-screen test's check can fail: a letter folded to "?" and a French word
    GSM-7 could have written ("être") are both reported; an unavoidable one is not."""
    with watch() as folds:
        to_gsm7("ع être Août")
    assert check_folds(folds) == ["'ع' -> '?'", "'ê' folded"]


def test_french_catalogs_fold_only_what_gsm7_cannot_write():
    """Every French text (screens, SMS, lists) folds only the letters of UNAVOIDABLE_FOLDS,
    and only inside the words that need them."""
    needless = {}
    for key, text in registry().languages["fr"].texts.items():
        with watch() as folds:
            to_gsm7(text)
        for fold in folds:
            word = UNAVOIDABLE_FOLDS.get(fold.char)
            if word is None or word.casefold() not in text.casefold():
                needless[key] = text
    assert needless == {}


def test_is_gsm7_rejects_what_the_basic_set_lacks():
    assert not is_gsm7("ç")
    assert not is_gsm7("Commerçant")
    assert not is_gsm7("l’école")
    assert is_gsm7("Né(e) le 01/02/1990 @ Lomé")


def test_extension_characters_count_two():
    assert gsm7_length("abc") == 3
    assert gsm7_length("5 €") == 4
    assert gsm7_length("[x]{y}^~\\|") == 18  # 8 extension characters, 2 letters
    assert is_gsm7("€[]")


def test_shorten_words_cuts_at_a_word_boundary():
    text = "Adhésion enregistrée, aucune cotisation reçue."
    short = shorten_words(text, 30)
    assert short == "Adhésion enregistrée..."
    assert len(short) <= 30


def test_shorten_words_leaves_short_text_alone():
    assert shorten_words("Kossi Mensah", 20) == "Kossi Mensah"
