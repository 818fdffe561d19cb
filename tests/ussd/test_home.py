"""The first screen a phone sees, and the journey not opened yet."""
from .conftest import MEMBER_PHONE
from .phone import Phone, con, end

HOME_NEW_FR = con("AMU Togo", "1. Adhérer", "2. Payer pour un membre", "3. Langue")
HOME_MEMBER_FR = con(
    "AMU Togo", "1. Payer", "2. Mes droits", "3. Mes paiements", "4. Mes ayants droit",
    "5. Payer pour un membre", "6. Mon rythme de cotisation", "7. Langue",
)


def test_a_new_phone_is_offered_to_join(phone):
    assert phone.dial() == HOME_NEW_FR


def test_a_new_phone_in_english(phone, services):
    services.set_language(phone.number, "en")
    assert phone.dial() == con("AMU Togo", "1. Join", "2. Pay for a member", "3. Language")


def test_a_member_sees_the_member_menu_within_160_characters(member_phone):
    screen = member_phone.dial()
    assert screen == HOME_MEMBER_FR
    assert len(screen.removeprefix("CON ")) <= 160


def test_a_member_in_english(engine, services):
    services.add_member(MEMBER_PHONE, language="en")
    assert Phone(engine, services, MEMBER_PHONE).dial() == con(
        "AMU Togo", "1. Pay", "2. My rights", "3. My payments", "4. My dependants",
        "5. Pay for a member", "6. My payment rhythm", "7. Language",
    )


def test_changing_the_rhythm_is_announced_as_coming_soon(member_phone):
    member_phone.dial()
    assert member_phone.send("6") == end("Le changement de rythme de cotisation sera ouvert bientot.")


def test_coming_soon_in_english(engine, services):
    services.add_member(MEMBER_PHONE, language="en")
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    assert phone.send("6") == end("Changing your payment rhythm will open soon.")


def test_the_member_is_looked_up_once_per_session_not_on_every_hop(member_phone, services):
    member_phone.dial()
    member_phone.walk("4", "1", "0", "0")
    assert services.calls.count("member_by_phone") == 1
