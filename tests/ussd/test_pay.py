"""Payer: a member pays their own contribution, then the session ends before the PIN prompt."""
import pytest

from ussd_menus.services import PaymentOffer, Refused

from .conftest import MEMBER_PHONE
from .fakes import amu_number
from .phone import NAV_EN, NAV_FR, Phone, con, end
from .test_home import HOME_MEMBER_FR

AMOUNTS_FR = con("Montant à payer:", "1. 10 000 F", "2. 2 500 F", "3. Autre montant", *NAV_FR)
AMOUNTS_EN = con("Amount to pay:", "1. 10 000 F", "2. 2 500 F", "3. Other amount", *NAV_EN)
OTHER_AMOUNT_FR = con("Montant en francs (minimum 100 F):", *NAV_FR)


def confirm_fr(amount: str, wallet: str = "Mixx by Yas") -> str:
    return con(f"Payer {amount} pour votre cotisation AMU avec {wallet} ?", "1. Confirmer", "2. Autre réseau",
               *NAV_FR)


def confirm_en(amount: str, wallet: str = "Mixx by Yas") -> str:
    return con(f"Pay {amount} toward your AMU contribution with {wallet}?", "1. Confirm", "2. Other network",
               *NAV_EN)


def asked(services) -> list[tuple]:
    """The payments started: (member id, payer phone, network, amount)."""
    return [(p.member_id, p.payer_phone, p.network, p.amount) for p in services.payments]


def member_phone_on(engine, services, network, language="fr") -> Phone:
    services.add_member(MEMBER_PHONE, language=language)
    return Phone(engine, services, MEMBER_PHONE, network=network)


def test_paying_for_oneself_takes_three_entries_after_dialling(member_phone, services):
    assert member_phone.dial() == HOME_MEMBER_FR
    assert member_phone.send("1") == AMOUNTS_FR
    assert member_phone.send("1") == confirm_fr("10 000 F")
    assert services.payments == []  # nothing started before "Confirmer"
    assert member_phone.send("1") == end(
        "Merci. Vous allez recevoir une demande de code PIN Mixx by Yas pour 10 000 F. Réf AMU0000000001."
    )
    assert member_phone.text == "1*1*1"
    assert asked(services) == [(1, MEMBER_PHONE, "yas", 10_000)]


def test_paying_for_oneself_in_english(engine, services):
    phone = member_phone_on(engine, services, "yas", language="en")
    phone.dial()
    assert phone.send("1") == AMOUNTS_EN
    assert phone.send("2") == confirm_en("2 500 F")
    assert phone.send("1") == end(
        "Thank you. You will receive a Mixx by Yas PIN request for 2 500 F. Ref AMU0000000001."
    )
    assert asked(services) == [(1, MEMBER_PHONE, "yas", 2_500)]


def test_the_amounts_offered_are_the_members_own(member_phone, services):
    services.offers[1] = PaymentOffer(suggested=[2_500, 7_500, 10_000], minimum=100, maximum=1_500_000,
                                      period_price=10_000)
    member_phone.dial()
    assert member_phone.send("1") == con(
        "Montant à payer:", "1. 2 500 F", "2. 7 500 F", "3. 10 000 F", "4. Autre montant", *NAV_FR,
    )
    assert member_phone.send("2") == confirm_fr("7 500 F")


def test_another_amount_is_asked_again_until_it_is_within_the_limits(member_phone, services):
    member_phone.dial()
    member_phone.send("1")
    assert member_phone.send("3") == OTHER_AMOUNT_FR
    assert member_phone.send("50") == con("Montant minimum: 100 F.", "Montant en francs (minimum 100 F):", *NAV_FR)
    assert member_phone.send("1 500 001") == con(
        "Montant maximum: 1 500 000 F.", "Montant en francs (minimum 100 F):", *NAV_FR
    )
    assert member_phone.send("2 500,50") == con(
        "Montant en chiffres seulement.", "Montant en francs (minimum 100 F):", *NAV_FR
    )
    assert member_phone.send("3 250") == confirm_fr("3 250 F")
    member_phone.send("1")
    assert asked(services) == [(1, MEMBER_PHONE, "yas", 3_250)]


def test_another_amount_in_english(engine, services):
    phone = member_phone_on(engine, services, "yas", language="en")
    phone.dial()
    phone.send("1")
    assert phone.send("3") == con("Amount in francs (at least 100 F):", *NAV_EN)
    assert phone.send("99") == con("Minimum amount: 100 F.", "Amount in francs (at least 100 F):", *NAV_EN)
    assert phone.send("2000000") == con(
        "Maximum amount: 1 500 000 F.", "Amount in francs (at least 100 F):", *NAV_EN
    )
    assert phone.send("ten") == con("Digits only, please.", "Amount in francs (at least 100 F):", *NAV_EN)
    assert phone.send("100") == confirm_en("100 F")


@pytest.mark.parametrize("typed", ["", "abc", "2.500", "2,500", "-500", "1e4", "500F", "5*00"])
def test_an_amount_not_in_digits_is_asked_again(member_phone, services, typed):
    member_phone.dial()
    member_phone.walk("1", "3")
    assert member_phone.send(typed) == con("Montant en chiffres seulement.", "Montant en francs (minimum 100 F):",
                                           *NAV_FR)
    assert services.payments == []


@pytest.mark.parametrize("typed, amount", [("1 500 000", 1_500_000), ("100", 100), ("0250", 250), ("98", None)])
def test_amounts_at_the_limits(member_phone, services, typed, amount):
    member_phone.dial()
    member_phone.walk("1", "3")
    screen = member_phone.send(typed)
    if amount is None:  # 98 is "Suite" on lists only: here it is an amount, too small
        assert screen.startswith("CON Montant minimum: 100 F.")
    else:
        assert screen.startswith("CON Payer ")
        member_phone.send("1")
        assert asked(services) == [(1, MEMBER_PHONE, "yas", amount)]


def test_autre_reseau_switches_the_wallet_and_back(member_phone, services):
    member_phone.dial()
    member_phone.walk("1", "1")
    assert member_phone.send("2") == confirm_fr("10 000 F", "Flooz")
    assert member_phone.send("2") == confirm_fr("10 000 F", "Mixx by Yas")
    assert member_phone.send("2") == confirm_fr("10 000 F", "Flooz")
    assert member_phone.send("1") == end(
        "Merci. Vous allez recevoir une demande de code PIN Flooz pour 10 000 F. Réf AMU0000000001."
    )
    assert asked(services) == [(1, MEMBER_PHONE, "moov", 10_000)]


def test_a_session_carried_by_moov_offers_flooz_first(engine, services):
    phone = member_phone_on(engine, services, "moov")
    phone.dial()
    phone.send("1")
    assert phone.send("1") == confirm_fr("10 000 F", "Flooz")
    assert phone.send("2") == confirm_fr("10 000 F", "Mixx by Yas")
    phone.send("1")
    assert asked(services) == [(1, MEMBER_PHONE, "yas", 10_000)]


def test_an_unknown_network_is_asked_before_the_confirmation(engine, services):
    phone = member_phone_on(engine, services, None)
    phone.dial()
    phone.send("1")
    network_fr = con("Payer avec:", "1. Mixx by Yas", "2. Flooz", *NAV_FR)
    assert phone.send("1") == network_fr
    assert phone.send("2") == confirm_fr("10 000 F", "Flooz")
    assert phone.send("2") == confirm_fr("10 000 F", "Mixx by Yas")
    assert phone.send("0") == network_fr  # back to the question, the answer forgotten
    assert phone.send("2") == confirm_fr("10 000 F", "Flooz")
    phone.send("1")
    assert asked(services) == [(1, MEMBER_PHONE, "moov", 10_000)]


def test_an_unknown_network_in_english(engine, services):
    phone = member_phone_on(engine, services, None, language="en")
    phone.dial()
    phone.walk("1", "3")
    assert phone.send("5000") == con("Pay with:", "1. Mixx by Yas", "2. Flooz", *NAV_EN)
    assert phone.send("1") == confirm_en("5 000 F")


def test_an_unexpected_network_name_is_treated_as_unknown(engine, services):
    phone = member_phone_on(engine, services, "togocom")
    phone.dial()
    phone.send("1")
    assert phone.send("1").startswith("CON Payer avec:\n1. Mixx by Yas\n2. Flooz")


@pytest.mark.parametrize("refusal, reason", [
    (Refused("pay.too_large", maximum=5_000), "Montant maximum: 5 000 F."),
    (Refused("pay.too_small", minimum=20_000), "Montant minimum: 20 000 F."),
    (Refused("pay.something_new"), "Demande refusée."),  # a reason the catalog does not know yet
])
def test_a_refused_payment_shows_the_amounts_again_with_the_reason(member_phone, services, refusal, reason):
    services.refuse_payment = refusal
    member_phone.dial()
    member_phone.walk("1", "1")
    assert member_phone.send("1") == "CON " + reason + "\n" + AMOUNTS_FR.removeprefix("CON ")
    assert services.payments == []
    services.refuse_payment = None
    member_phone.walk("2", "1")
    assert asked(services) == [(1, MEMBER_PHONE, "yas", 2_500)]


def test_an_amount_the_rules_no_longer_accept_is_refused_in_english(engine, services):
    phone = member_phone_on(engine, services, "yas", language="en")
    services.offers[1] = PaymentOffer(suggested=[50], minimum=100, maximum=1_500_000, period_price=10_000)
    phone.dial()
    phone.walk("1", "1")
    assert phone.send("1") == con("Minimum amount: 100 F.", "Amount to pay:", "1. 50 F", "2. Other amount", *NAV_EN)


def test_the_same_payment_dialled_again_gets_no_second_pin_prompt(member_phone, services):
    member_phone.dial()
    member_phone.walk("1", "1", "1")
    member_phone.dial()
    member_phone.walk("1", "1")
    assert member_phone.send("1") == end(
        "Ce paiement est déjà en cours: une seule demande de code PIN Mixx by Yas pour 10 000 F vous sera "
        "envoyée. Réf AMU0000000001."
    )
    assert len(services.payments) == 1


def test_the_same_payment_dialled_again_in_english(engine, services):
    phone = member_phone_on(engine, services, "yas", language="en")
    services.add_payment(1, 2_500, "pending", payer_phone=MEMBER_PHONE, network="moov")
    phone.dial()
    assert phone.walk("1", "2", "1") == end(
        "This payment is already on its way: you will get only one Flooz PIN request for 2 500 F. "
        "Ref AMU0000000001."
    )


def test_back_in_the_middle_of_paying(member_phone, services):
    member_phone.dial()
    member_phone.walk("1", "1")
    assert member_phone.send("0") == AMOUNTS_FR
    assert member_phone.send("2") == confirm_fr("2 500 F")
    assert member_phone.send("0") == AMOUNTS_FR
    assert member_phone.send("3") == OTHER_AMOUNT_FR
    assert member_phone.send("0") == AMOUNTS_FR
    assert member_phone.send("0") == HOME_MEMBER_FR
    assert services.payments == []


def test_back_after_the_other_amount_returns_to_it(member_phone):
    member_phone.dial()
    member_phone.walk("1", "3", "4000")
    assert member_phone.send("0") == OTHER_AMOUNT_FR
    assert member_phone.send("4500") == confirm_fr("4 500 F")


def test_the_wallet_chosen_stays_chosen_when_going_back_to_the_amounts(member_phone, services):
    member_phone.dial()
    member_phone.walk("1", "1", "2")  # Flooz
    assert member_phone.send("0") == AMOUNTS_FR  # back goes to the amounts, not to the other wallet
    assert member_phone.send("2") == confirm_fr("2 500 F", "Flooz")


def test_home_in_the_middle_of_paying(member_phone, services):
    member_phone.dial()
    member_phone.walk("1", "1", "2")
    assert member_phone.send("00") == HOME_MEMBER_FR
    assert member_phone.session["form"] == {}
    assert member_phone.send("1") == AMOUNTS_FR
    assert member_phone.send("1") == confirm_fr("10 000 F")  # the session's network again
    assert member_phone.walk("0", "3") == OTHER_AMOUNT_FR
    assert member_phone.send("00") == HOME_MEMBER_FR
    assert services.payments == []


def test_home_and_back_in_english(engine, services):
    phone = member_phone_on(engine, services, "yas", language="en")
    phone.dial()
    phone.walk("1", "1")
    assert phone.send("0") == AMOUNTS_EN
    assert phone.send("00") == con(
        "AMU Togo", "1. Pay", "2. My rights", "3. My payments", "4. My dependants",
        "5. Pay for a member", "6. My payment rhythm", "7. Language",
    )


def test_payer_pays_for_the_member_even_after_looking_up_someone_else(member_phone, services):
    other = services.add_member("+22890000001", "Afi Mensah", number=amu_number("987654321"))
    member_phone.dial()
    member_phone.walk("5", other.amu_number, "1")  # on the amounts for Afi
    member_phone.walk("0", "0", "0")  # back home without "00": the form is not cleared
    assert member_phone.send("1") == AMOUNTS_FR
    assert member_phone.send("1") == confirm_fr("10 000 F")
    member_phone.send("1")
    assert asked(services) == [(1, MEMBER_PHONE, "yas", 10_000)]


def test_a_payment_dropped_on_the_confirmation_can_be_resumed(member_phone, services):
    member_phone.dial()
    member_phone.walk("1", "2")
    draft = member_phone.lose_session()
    member_phone.dial(draft=draft)
    assert member_phone.send("1") == confirm_fr("2 500 F")
    member_phone.send("1")
    assert asked(services) == [(1, MEMBER_PHONE, "yas", 2_500)]


def test_the_member_is_looked_up_once_per_session_while_paying(member_phone, services):
    member_phone.dial()
    member_phone.walk("1", "3", "5000", "2", "1")
    assert services.calls.count("member_by_phone") == 1


def test_the_first_amount_names_the_arrears_it_includes(member_phone, services):
    """The pay screen's first amount is Mon rythme's amount plus what is late, said so
    (issue 9 item 4): 323 F due today, 1 935 F late."""
    services.offers[1] = PaymentOffer(suggested=[2_258, 10_000], minimum=100, maximum=1_500_000,
                                      period_price=10_000, arrears=1_935)
    member_phone.dial()
    assert member_phone.send("1") == con(
        "Montant à payer:", "1. 2 258 F dont 1 935 F de retard", "2. 10 000 F", "3. Autre montant", *NAV_FR,
    )
    assert member_phone.send("1") == confirm_fr("2 258 F")


def test_the_arrears_in_english(engine, services):
    phone = member_phone_on(engine, services, "yas", language="en")
    services.offers[1] = PaymentOffer(suggested=[2_258, 10_000], minimum=100, maximum=1_500_000,
                                      period_price=10_000, arrears=1_935)
    phone.dial()
    assert phone.send("1") == con(
        "Amount to pay:", "1. 2 258 F incl. 1 935 F overdue", "2. 10 000 F", "3. Other amount", *NAV_EN,
    )
