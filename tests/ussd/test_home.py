"""The first screen a phone sees: a new phone, a member, a member who leads a group."""
from .conftest import MEMBER_PHONE
from .phone import Phone, con

HOME_NEW_FR = con("AMU Togo", "1. Adhérer", "2. Payer pour un membre", "3. Langue")
HOME_MEMBER_FR = con(
    "AMU Togo", "1. Payer", "2. Mes droits", "3. Mes paiements", "4. Mes ayants droit",
    "5. Payer pour un membre", "6. Mon rythme de cotisation", "7. Langue",
)
HOME_LEADER_FR = con(
    "AMU Togo", "1. Payer", "2. Mes droits", "3. Mes paiements", "4. Mes ayants droit",
    "5. Payer pour un membre", "6. Mon rythme de cotisation", "7. Payer pour mon groupe", "8. Langue",
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


def test_a_group_leader_also_sees_paying_for_the_group_within_160_characters(member_phone, services):
    services.add_group(services.members[MEMBER_PHONE], "Coop Kara", 3)
    screen = member_phone.dial()
    assert screen == HOME_LEADER_FR
    assert len(screen.removeprefix("CON ")) <= 160


def test_a_group_leader_in_english(engine, services):
    leader = services.add_member(MEMBER_PHONE, language="en")
    services.add_group(leader, "Coop Kara", 3)
    assert Phone(engine, services, MEMBER_PHONE).dial() == con(
        "AMU Togo", "1. Pay", "2. My rights", "3. My payments", "4. My dependants",
        "5. Pay for a member", "6. My payment rhythm", "7. Pay for my group", "8. Language",
    )


def test_a_member_who_leads_no_group_cannot_pick_the_hidden_item(member_phone, services):
    services.add_group(services.add_member("+22890000001", "Ama Mensah"), "Coop Kara", 3)  # led by someone else
    assert member_phone.dial() == HOME_MEMBER_FR
    assert member_phone.send("8") == "CON Choix invalide.\n" + HOME_MEMBER_FR.removeprefix("CON ")
    assert member_phone.send("7").startswith("CON Langue:")


def test_a_wrong_entry_on_a_leaders_home_pages_the_menu_and_every_item_stays_valid(member_phone, services):
    services.add_group(services.members[MEMBER_PHONE], "Coop Kara", 3)
    member_phone.dial()
    assert member_phone.send("9") == con(
        "Choix invalide.", "AMU Togo", "1. Payer", "2. Mes droits", "3. Mes paiements", "4. Mes ayants droit",
        "5. Payer pour un membre", "6. Mon rythme de cotisation", "98. Suite",
    )
    assert member_phone.send("7").startswith("CON Montant en francs (minimum 100 F):")  # already seen on the first screen


def test_the_member_is_looked_up_once_per_session_not_on_every_hop(member_phone, services):
    member_phone.dial()
    member_phone.walk("4", "1", "0", "0")
    assert services.calls.count("member_by_phone") == 1
