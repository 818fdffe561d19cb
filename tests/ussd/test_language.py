"""Langue: the member's choice applies at once and to the next sessions."""
from .conftest import MEMBER_PHONE
from .phone import NAV_EN, NAV_FR, Phone, con
from .test_home import HOME_MEMBER_FR, HOME_NEW_FR

LANGUAGE_MENU_FR = con("Langue:", "1. Francais", "2. English", *NAV_FR)
LANGUAGE_MENU_EN = con("Language:", "1. Francais", "2. English", *NAV_EN)
HOME_NEW_EN = con("AMU Togo", "1. Join", "2. Pay for a member", "3. Language")


def test_switching_to_english_applies_now_and_to_the_next_session(phone, services):
    phone.dial()
    assert phone.send("3") == LANGUAGE_MENU_FR
    assert phone.send("2") == HOME_NEW_EN
    assert services.languages[phone.number] == "en"
    assert phone.send("1") == con("Full name:", *NAV_EN)
    assert phone.dial() == HOME_NEW_EN


def test_switching_back_to_french(phone, services):
    services.set_language(phone.number, "en")
    phone.dial()
    assert phone.send("3") == LANGUAGE_MENU_EN
    assert phone.send("1") == HOME_NEW_FR
    assert services.languages[phone.number] == "fr"


def test_a_member_changes_language_and_returns_to_the_member_menu(member_phone, services):
    member_phone.dial()
    assert member_phone.send("7") == LANGUAGE_MENU_FR
    assert member_phone.send("2").startswith("CON AMU Togo\n1. Pay\n2. My rights")


def test_a_wrong_entry_on_the_language_menu(phone):
    phone.dial()
    phone.send("3")
    assert phone.send("3") == "CON Choix invalide.\n" + LANGUAGE_MENU_FR.removeprefix("CON ")


def test_the_members_language_is_used_when_the_phone_has_none(engine, services):
    services.add_member(MEMBER_PHONE, language="en")
    assert Phone(engine, services, MEMBER_PHONE).dial().startswith("CON AMU Togo\n1. Pay\n")


def test_a_language_chosen_after_joining_is_the_members_from_then_on(engine, services):
    # set_language changes the member's language as well as the phone's, as the gateway does:
    # the phone's preference never differs from a member's language
    services.add_member(MEMBER_PHONE, language="en")
    services.set_language(MEMBER_PHONE, "fr")
    assert services.members[MEMBER_PHONE].language == "fr"
    assert Phone(engine, services, MEMBER_PHONE).dial() == HOME_MEMBER_FR


def test_a_member_changes_language_on_the_menu_and_the_next_session_follows(member_phone, services):
    member_phone.dial()
    member_phone.walk("7", "2")
    assert services.members[MEMBER_PHONE].language == "en"
    assert member_phone.dial().startswith("CON AMU Togo\n1. Pay\n2. My rights")


def test_an_unknown_language_falls_back_to_french(engine, services, phone):
    services.set_language(phone.number, "ewe")
    assert phone.dial() == HOME_NEW_FR
