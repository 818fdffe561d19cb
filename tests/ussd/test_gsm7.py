import pytest

from ussd_menus.gsm7 import gsm7_length, is_gsm7, shorten_words, to_gsm7


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
