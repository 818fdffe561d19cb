"""Payer pour mon groupe: a group's leader pays one amount, shared equally among its members.
The group's minimum is checked at the amount screen, not after Confirmer (issue 9 item 5)."""
import pytest

from .conftest import MEMBER_PHONE
from .phone import NAV_EN, NAV_FR, Phone, con, end
from .test_home import HOME_LEADER_FR
from .test_pay import confirm_fr as confirm_self_fr

GROUPS_FR = con("Payer pour quel groupe ?", "1. Coop Kara (3 membres)", "2. Tontine du marché (12 membres)", *NAV_FR)


def amount_fr(share: str) -> str:
    return con("Montant en francs (minimum 100 F):", f"Partagé également entre {share}.", *NAV_FR)


def confirm_fr(name: str, amount: str, members: str, wallet: str = "Mixx by Yas") -> str:
    return con(f"Groupe: {name}", f"Payer {amount} pour le groupe ({members}) avec {wallet} ?",
               "1. Confirmer", "2. Autre réseau", *NAV_FR)


def started_fr(amount: str, reference: str = "AMU0000000001", wallet: str = "Mixx by Yas") -> str:
    return end(f"Merci. Vous allez recevoir une demande de code PIN {wallet} pour {amount}. Réf {reference}.")


def asked(services) -> list[tuple]:
    """The payments started: (group id, member id, payer phone, network, amount)."""
    return [(p.group_id, p.member_id, p.payer_phone, p.network, p.amount) for p in services.payments]


@pytest.fixture
def leader(engine, services):
    """A member leading one group, Coop Kara (3 members)."""
    member = services.add_member(MEMBER_PHONE)
    services.add_group(member, "Coop Kara", 3)
    return Phone(engine, services, MEMBER_PHONE)


@pytest.fixture
def leader_of_two(leader, services):
    services.add_group(services.members[MEMBER_PHONE], "Tontine du marché", 12)
    return leader


def test_a_leader_of_one_group_goes_straight_to_the_amount(leader, services):
    assert leader.dial() == HOME_LEADER_FR
    assert leader.send("7") == amount_fr("3 membres du groupe Coop Kara")
    assert leader.send("30 000") == confirm_fr("Coop Kara", "30 000 F", "3 membres")
    assert services.payments == []  # nothing started before "Confirmer"
    assert leader.send("1") == started_fr("30 000 F")
    assert asked(services) == [(1, 1, MEMBER_PHONE, "yas", 30_000)]


def test_a_leader_of_two_groups_picks_one(leader_of_two, services):
    leader_of_two.dial()
    assert leader_of_two.send("7") == GROUPS_FR
    assert leader_of_two.send("2") == amount_fr("12 membres du groupe Tontine du marché")
    assert leader_of_two.send("60000") == confirm_fr("Tontine du marché", "60 000 F", "12 membres")
    assert leader_of_two.send("2") == confirm_fr("Tontine du marché", "60 000 F", "12 membres", "Flooz")
    assert leader_of_two.send("1") == started_fr("60 000 F", wallet="Flooz")
    assert asked(services) == [(2, 1, MEMBER_PHONE, "moov", 60_000)]


def test_an_amount_too_small_to_share_is_refused_at_the_amount(leader, services):
    leader.dial()
    leader.send("7")
    assert leader.send("2") == con(
        "Montant trop petit à partager entre 3 membres.", "Montant en francs (minimum 100 F):",
        "Partagé également entre 3 membres du groupe Coop Kara.", *NAV_FR,
    )
    assert services.payments == []
    assert "amount" not in leader.session["form"]
    assert leader.send("3 000") == confirm_fr("Coop Kara", "3 000 F", "3 membres")
    leader.send("1")
    assert asked(services) == [(1, 1, MEMBER_PHONE, "yas", 3_000)]


@pytest.mark.parametrize("typed, reason", [
    ("50", "Montant minimum: 100 F."),
    ("1 500 001", "Montant maximum: 1 500 000 F."),
])
def test_an_amount_out_of_the_limits_is_refused_at_the_amount(leader, services, typed, reason):
    leader.dial()
    leader.send("7")
    assert leader.send(typed) == "CON " + reason + "\n" + amount_fr("3 membres du groupe Coop Kara").removeprefix("CON ")
    assert services.payments == []


def test_a_large_group_names_its_minimum(engine, services):
    leader = services.add_member(MEMBER_PHONE)
    services.add_group(leader, "Union des tontines", 250)
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    assert phone.send("7") == con("Montant en francs (minimum 250 F):",
                                  "Partagé également entre 250 membres du groupe Union des tontines.", *NAV_FR)
    assert phone.send("200").startswith("CON Montant trop petit à partager entre 250 membres.")


@pytest.mark.parametrize("typed", ["12a", "2.500", "-500", ""])
def test_an_amount_not_in_digits_is_asked_again_before_any_service_call(leader, services, typed):
    leader.dial()
    leader.send("7")
    assert leader.send(typed) == "CON Montant en chiffres seulement.\n" + amount_fr(
        "3 membres du groupe Coop Kara").removeprefix("CON ")


def test_a_payment_dialled_again_is_not_asked_twice(leader, services):
    leader.dial()
    leader.walk("7", "30000", "1")
    leader.dial()
    leader.walk("7", "30000")
    assert leader.send("1") == end(
        "Ce paiement est déjà en cours: une seule demande de code PIN Mixx by Yas pour 30 000 F vous sera envoyée. "
        "Réf AMU0000000001."
    )
    assert len(services.payments) == 1


def test_a_group_of_one_member_reads_in_the_singular(engine, services):
    services.add_group(services.add_member(MEMBER_PHONE), "Famille Mensah", 1)
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    assert phone.send("7") == amount_fr("1 membre du groupe Famille Mensah")


def test_one_group_in_english(engine, services):
    leader = services.add_member(MEMBER_PHONE, language="en")
    services.add_group(leader, "Coop Kara", 3)
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    assert phone.send("7") == con("Amount in francs (at least 100 F):",
                                  "Shared equally among 3 members of the group Coop Kara.", *NAV_EN)
    assert phone.send("2") == con(  # refused at once, before any confirmation
        "Too small an amount to share among 3 members.", "Amount in francs (at least 100 F):",
        "Shared equally among 3 members of the group Coop Kara.", *NAV_EN,
    )
    assert phone.send("30 000") == con(
        "Group: Coop Kara", "Pay 30 000 F for the group (3 members) with Mixx by Yas?", "1. Confirm",
        "2. Other network", *NAV_EN,
    )
    assert phone.send("1") == end(
        "Thank you. You will receive a Mixx by Yas PIN request for 30 000 F. Ref AMU0000000001."
    )


def test_two_groups_in_english(engine, services):
    leader = services.add_member(MEMBER_PHONE, language="en")
    services.add_group(leader, "Coop Kara", 3)
    services.add_group(leader, "Market tontine", 1)
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    assert phone.send("7") == con("Pay for which group?", "1. Coop Kara (3 members)", "2. Market tontine (1 member)",
                                  *NAV_EN)
    assert phone.send("2") == con("Amount in francs (at least 100 F):",
                                  "Shared equally among 1 member of the group Market tontine.",
                                  *NAV_EN)
    phone.walk("5000", "1")
    assert asked(services) == [(2, 1, MEMBER_PHONE, "yas", 5_000)]


def test_an_unknown_network_is_asked_before_the_confirmation(engine, services):
    services.add_group(services.add_member(MEMBER_PHONE), "Coop Kara", 3)
    phone = Phone(engine, services, MEMBER_PHONE, network=None)
    phone.dial()
    phone.walk("7")
    assert phone.send("9000") == con("Payer avec:", "1. Mixx by Yas", "2. Flooz", *NAV_FR)
    assert phone.send("2") == confirm_fr("Coop Kara", "9 000 F", "3 membres", "Flooz")


def test_back_returns_through_the_amount_and_the_list_to_home(leader_of_two, services):
    leader_of_two.dial()
    leader_of_two.walk("7", "1", "30000")
    assert leader_of_two.send("0") == amount_fr("3 membres du groupe Coop Kara")
    assert leader_of_two.send("0") == GROUPS_FR
    assert "payee" not in leader_of_two.session["form"]
    assert leader_of_two.send("0") == HOME_LEADER_FR
    assert services.payments == []


def test_home_in_the_middle_abandons_the_group_payment(leader_of_two, services):
    leader_of_two.dial()
    leader_of_two.walk("7", "2", "30000")
    assert leader_of_two.send("00") == HOME_LEADER_FR
    assert leader_of_two.session["form"] == {}
    assert services.payments == []


def test_backing_out_of_a_group_payment_then_paying_for_oneself_pays_for_oneself(leader, services):
    leader.dial()
    leader.walk("7", "0")  # the group is in the form, the member goes back home
    assert leader.send("1").startswith("CON Montant à payer:")
    assert leader.send("1") == confirm_self_fr("10 000 F")
    leader.send("1")
    assert asked(services) == [(None, 1, MEMBER_PHONE, "yas", 10_000)]


def test_the_groups_are_looked_up_once_per_hop(leader, services):
    leader.dial()
    leader.walk("7", "30000", "1")
    assert services.calls.count("groups_led_by") == 2  # the home shown, then the home answered
