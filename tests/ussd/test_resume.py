"""Dialling again soon after a dropped session offers to continue the form."""
from ussd_menus import is_resumable

from .phone import NAV_FR, con
from .test_home import HOME_MEMBER_FR, HOME_NEW_FR

RESUME_FR = con("Reprendre votre saisie ?", "1. Continuer", "2. Recommencer")


def dropped_during_join(phone) -> dict:
    phone.dial()
    phone.walk("1", "Kossi Mensah", "17051990", "2")
    return phone.lose_session()


def test_continuer_restores_the_screen_and_the_answers(phone, services):
    draft = dropped_during_join(phone)
    assert is_resumable(draft)
    assert phone.dial(draft=draft) == RESUME_FR
    assert phone.send("1").startswith("CON Votre métier:\n1. Commercant(e)")
    phone.walk("1", "1", "3")
    assert phone.send("0").startswith("CON Cotisation:")  # the restored back stack works
    phone.walk("3", "1")
    request = services.enrolments[0]
    assert (request.full_name, request.sex, request.occupation) == ("Kossi Mensah", "M", "trader")


def test_recommencer_starts_from_home_with_an_empty_form(phone):
    draft = dropped_during_join(phone)
    phone.dial(draft=draft)
    assert phone.send("2") == HOME_NEW_FR
    assert phone.session["form"] == {}
    assert phone.send("1") == con("Nom et prénoms:", *NAV_FR)


def test_the_offer_in_english(phone, services):
    services.set_language(phone.number, "en")
    draft = dropped_during_join(phone)
    assert phone.dial(draft=draft) == con("Resume where you left off?", "1. Continue", "2. Start again")
    assert phone.send("1").startswith("CON Your trade:")


def test_a_wrong_entry_on_the_offer_asks_again(phone):
    phone.dial(draft=dropped_during_join(phone))
    assert phone.send("3") == "CON Choix invalide.\n" + RESUME_FR.removeprefix("CON ")
    assert phone.send("00") == HOME_NEW_FR


def test_a_session_dropped_again_on_the_offer_is_still_resumable(phone):
    phone.dial(draft=dropped_during_join(phone))
    draft = phone.lose_session()
    assert is_resumable(draft)
    assert phone.dial(draft=draft) == RESUME_FR
    assert phone.send("1").startswith("CON Votre métier:")


def test_a_member_resumes_adding_a_dependent(member_phone):
    member_phone.dial()
    member_phone.walk("4", "1", "1", "Afi Mensah")
    draft = member_phone.lose_session()
    member_phone.dial(draft=draft)
    assert member_phone.send("1") == con("Date de naissance (JJMMAAAA):", *NAV_FR)
    assert member_phone.send("00") == HOME_MEMBER_FR


def test_nothing_to_resume_shows_home(phone):
    phone.dial()
    phone.send("1")  # on the name screen, nothing typed yet
    draft = phone.lose_session()
    assert not is_resumable(draft)
    assert phone.dial(draft=draft) == HOME_NEW_FR


def test_a_finished_session_is_not_resumable(phone):
    phone.dial()
    phone.walk("1", "Kossi Mensah", "17051990", "2", "2", "3", "3", "2")
    assert phone.ended
    assert not is_resumable(phone.session)
    assert phone.dial(draft=phone.session) == HOME_NEW_FR


def test_a_draft_naming_a_screen_that_no_longer_exists_is_ignored(phone):
    draft = dropped_during_join(phone)
    draft["stack"][-1] = draft["screen"] = "join.favourite_colour"
    assert phone.dial(draft=draft) == HOME_NEW_FR


def test_is_resumable_on_odd_input():
    assert not is_resumable(None)
    assert not is_resumable({})
    assert not is_resumable({"screen": "resume", "draft": None})
