"""Payer pour un membre: anyone pays for a member found by AMU number or by phone, sees
the name masked and the plan's price only (nothing of the member's account), and is
politely stopped after too many lookups in an hour (issue 9 item 8, issue 10 finding 7)."""
import pytest

from ussd_menus.services import PaymentOffer

from .conftest import MEMBER_PHONE, NEW_PHONE
from .fakes import LOOKUPS_PER_HOUR, amu_number
from .phone import NAV_EN, NAV_FR, Phone, con, end
from .test_home import HOME_NEW_FR

PAYEE_PHONE = "+22890000001"
PAYEE_NUMBER = amu_number("987654321")
SWAPPED = PAYEE_NUMBER[:-3] + PAYEE_NUMBER[-2] + PAYEE_NUMBER[-3] + PAYEE_NUMBER[-1]  # two neighbours swapped
NUMBER_FR = con("Numéro AMU (10 chiffres) ou téléphone du membre:", *NAV_FR)
NUMBER_EN = con("Member's AMU number (10 digits) or phone:", *NAV_EN)
PAYEE_FR = con("Membre: Ko***** Me**** (9876543217)", "1. Continuer", *NAV_FR)
AMOUNTS_FR = con("Montant à payer:", "1. 7 500 F", "2. 10 000 F", "3. Autre montant", *NAV_FR)


def confirm_fr(amount: str, wallet: str = "Mixx by Yas") -> str:
    return con("Membre: Ko***** Me****", f"Payer {amount} pour le numéro AMU 9876543217 avec {wallet} ?",
               "1. Confirmer", "2. Autre réseau", *NAV_FR)


@pytest.fixture
def payee(services):
    member = services.add_member(PAYEE_PHONE, "Kossiwa Mensah", number=PAYEE_NUMBER)
    # what the payee would be offered, and what anyone else is: the plan's figures only
    services.offers[member.id] = PaymentOffer(suggested=[3_000, 7_500, 10_000], minimum=100, maximum=1_500_000,
                                              period_price=10_000, arrears=500)
    services.public_offers[member.id] = PaymentOffer(suggested=[7_500, 10_000], minimum=100, maximum=1_500_000,
                                                     period_price=10_000)
    return member


def asked(services) -> list[tuple]:
    return [(p.member_id, p.payer_phone, p.network, p.amount) for p in services.payments]


def test_a_phone_that_is_not_a_member_pays_for_a_member(phone, services, payee):
    assert phone.dial() == HOME_NEW_FR
    assert phone.send("2") == NUMBER_FR
    assert phone.send("98765 43217") == PAYEE_FR
    assert phone.send("1") == AMOUNTS_FR  # the payee's plan, not the payee's own offer (no arrears, no credit)
    assert phone.send("1") == confirm_fr("7 500 F")
    assert services.payments == []
    assert phone.send("1") == end(
        "Merci. Vous allez recevoir une demande de code PIN Mixx by Yas pour 7 500 F. Réf AMU0000000001."
    )
    assert asked(services) == [(payee.id, NEW_PHONE, "yas", 7_500)]


@pytest.mark.parametrize("typed, reason", [
    (SWAPPED, "Numéro AMU incorrect, vérifiez les chiffres."),  # the check digit catches it
    ("12345", "Tapez un numéro AMU (10 chiffres) ou un téléphone (8 chiffres)."),
    ("98765432170", "Tapez un numéro AMU (10 chiffres) ou un téléphone (8 chiffres)."),
    ("9876543x17", "Tapez un numéro AMU (10 chiffres) ou un téléphone (8 chiffres)."),
    ("", "Tapez un numéro AMU (10 chiffres) ou un téléphone (8 chiffres)."),
    (amu_number("111111111"), "Aucun membre avec ce numéro."),
    ("90 00 00 99", "Aucun membre avec ce téléphone."),
])
def test_a_wrong_number_is_asked_again_with_the_reason(phone, services, payee, typed, reason):
    phone.dial()
    phone.send("2")
    assert phone.send(typed) == con(reason, "Numéro AMU (10 chiffres) ou téléphone du membre:", *NAV_FR)
    assert phone.send(PAYEE_NUMBER) == PAYEE_FR


def test_a_typo_then_an_unknown_number_then_the_right_one_in_english(engine, services, payee):
    services.set_language(NEW_PHONE, "en")
    phone = Phone(engine, services, NEW_PHONE)
    phone.dial()
    assert phone.send("2") == NUMBER_EN
    assert phone.send(SWAPPED) == con("Wrong AMU number, check the digits.",
                                      "Member's AMU number (10 digits) or phone:", *NAV_EN)
    assert phone.send(amu_number("111111111")) == con(
        "No member has this number.", "Member's AMU number (10 digits) or phone:", *NAV_EN
    )
    assert phone.send(PAYEE_NUMBER) == con("Member: Ko***** Me**** (9876543217)", "1. Continue", *NAV_EN)
    assert phone.send("1") == con("Amount to pay:", "1. 7 500 F", "2. 10 000 F", "3. Other amount", *NAV_EN)
    assert phone.send("2") == con(
        "Member: Ko***** Me****", "Pay 10 000 F for AMU number 9876543217 with Mixx by Yas?",
        "1. Confirm", "2. Other network", *NAV_EN,
    )
    assert phone.send("1") == end(
        "Thank you. You will receive a Mixx by Yas PIN request for 10 000 F. Ref AMU0000000001."
    )
    assert asked(services) == [(payee.id, NEW_PHONE, "yas", 10_000)]


def test_a_member_pays_for_another_member(member_phone, services, payee):
    member_phone.dial()
    assert member_phone.send("5") == NUMBER_FR
    member_phone.walk(PAYEE_NUMBER, "1", "3")
    assert member_phone.send("12 000") == confirm_fr("12 000 F")
    assert member_phone.send("2") == confirm_fr("12 000 F", "Flooz")
    member_phone.send("1")
    assert asked(services) == [(payee.id, MEMBER_PHONE, "moov", 12_000)]


def test_a_payer_without_a_known_network_is_asked_it(engine, services, payee):
    phone = Phone(engine, services, NEW_PHONE, network=None)
    phone.dial()
    phone.walk("2", PAYEE_NUMBER, "1")
    assert phone.send("2") == con("Payer avec:", "1. Mixx by Yas", "2. Flooz", *NAV_FR)
    assert phone.send("2") == confirm_fr("10 000 F", "Flooz")
    phone.send("1")
    assert asked(services) == [(payee.id, NEW_PHONE, "moov", 10_000)]


def test_back_returns_through_the_payee_to_an_empty_number(phone, services, payee):
    phone.dial()
    phone.walk("2", PAYEE_NUMBER, "1", "1")
    assert phone.send("0") == AMOUNTS_FR
    assert phone.send("0") == PAYEE_FR
    assert phone.send("0") == NUMBER_FR
    assert "number" not in phone.session["form"]
    assert phone.send("0") == HOME_NEW_FR
    assert services.payments == []


def test_home_in_the_middle_of_paying_for_a_member(phone, services, payee):
    phone.dial()
    phone.walk("2", PAYEE_NUMBER, "1", "1")
    assert phone.send("00") == HOME_NEW_FR
    assert phone.session["form"] == {}
    assert services.payments == []


def test_a_member_typing_their_own_number_pays_their_own_contribution(member_phone, services):
    own = services.members[MEMBER_PHONE]
    member_phone.dial()
    member_phone.walk("5", own.amu_number)
    assert member_phone.send("1").startswith("CON Montant à payer:\n1. 10 000 F")
    assert member_phone.send("1") == con(
        "Payer 10 000 F pour votre cotisation AMU avec Mixx by Yas ?", "1. Confirmer", "2. Autre réseau", *NAV_FR
    )


def test_a_refused_payment_for_a_member_shows_their_amounts_again(phone, services, payee):
    phone.dial()
    phone.walk("2", PAYEE_NUMBER, "1", "3", "2 000 000")  # the input refuses it before any service call
    assert phone.session["screen"] == "payment.other_amount"
    services.public_offers[payee.id] = PaymentOffer(suggested=[7_500, 10_000], minimum=100, maximum=5_000,
                                                    period_price=10_000)
    phone.walk("0", "1")  # 7 500 F, now above the maximum
    assert phone.send("1") == "CON Montant maximum: 5 000 F.\n" + AMOUNTS_FR.removeprefix("CON ")
    assert services.payments == []


def test_a_long_name_gives_way_on_the_confirmation_the_number_and_wallet_stay_whole(engine, services):
    long_name = "Kossiwa Adjoa Mawuena Akouvi Dzifa Enyonam Abla Afiwa Mensah"
    member = services.add_member(PAYEE_PHONE, long_name, number=PAYEE_NUMBER)
    services.public_offers[member.id] = PaymentOffer(suggested=[1_234_567], minimum=100, maximum=9_999_999,
                                                     period_price=1_234_567)
    phone = Phone(engine, services, NEW_PHONE)
    phone.dial()
    assert phone.walk("2", PAYEE_NUMBER) == con(
        "Membre: Ko***** Ad*** Ma***** Ak**** Dz*** En***** Ab** Af*** Me**** (9876543217)", "1. Continuer", *NAV_FR,
    )
    screen = phone.walk("1", "1")
    assert screen == con(
        "Membre: Ko***** Ad*** Ma***** Ak****...",
        "Payer 1 234 567 F pour le numéro AMU 9876543217 avec Mixx by Yas ?",
        "1. Confirmer", "2. Autre réseau", *NAV_FR,
    )
    assert len(screen.removeprefix("CON ")) <= 160


PAYEE_BY_PHONE_FR = con("Membre: Ko***** Me**** (tél. +228 90 XX XX 01)", "1. Continuer", *NAV_FR)


@pytest.mark.parametrize("typed", ["90 00 00 01", "90000001", "+228 90 00 00 01", "22890000001", "90.00.00.01"])
def test_a_member_is_found_by_phone_in_any_usual_spelling(phone, services, payee, typed):
    phone.dial()
    phone.send("2")
    assert phone.send(typed) == PAYEE_BY_PHONE_FR  # the phone masked, the AMU number not shown


def test_paying_for_a_member_found_by_phone(phone, services, payee):
    phone.dial()
    phone.walk("2", "90 00 00 01", "1")
    assert phone.send("2") == con("Membre: Ko***** Me****", "Payer 10 000 F pour ce membre avec Mixx by Yas ?",
                                  "1. Confirmer", "2. Autre réseau", *NAV_FR)
    assert phone.send("1") == end(
        "Merci. Vous allez recevoir une demande de code PIN Mixx by Yas pour 10 000 F. Réf AMU0000000001."
    )
    assert asked(services) == [(payee.id, NEW_PHONE, "yas", 10_000)]


def test_paying_for_a_member_found_by_phone_in_english(engine, services, payee):
    services.set_language(NEW_PHONE, "en")
    phone = Phone(engine, services, NEW_PHONE)
    phone.dial()
    assert phone.walk("2", "90 00 00 01") == con("Member: Ko***** Me**** (phone +228 90 XX XX 01)", "1. Continue",
                                                 *NAV_EN)
    assert phone.walk("1", "1") == con("Member: Ko***** Me****", "Pay 7 500 F for this member with Mixx by Yas?",
                                       "1. Confirm", "2. Other network", *NAV_EN)


def test_the_payees_own_offer_is_never_shown_to_someone_else(phone, services, payee):
    """The payee's arrears and credit shape their own offer (3 000 F with 500 F overdue);
    a payer sees the plan's price only."""
    phone.dial()
    screen = phone.walk("2", PAYEE_NUMBER, "1")
    assert screen == AMOUNTS_FR and "retard" not in screen and "3 000" not in screen


LOOKUP_SCREEN = "Numéro AMU (10 chiffres) ou téléphone du membre:"


def test_too_many_lookups_in_an_hour_end_politely(phone, services, payee):
    phone.dial()
    phone.send("2")
    for attempt in range(LOOKUPS_PER_HOUR - 1):  # wrong numbers count too: they are how numbers are guessed
        assert phone.send(amu_number(f"{111111111 + attempt}")) == con("Aucun membre avec ce numéro.", LOOKUP_SCREEN,
                                                                         *NAV_FR)
    assert phone.send(PAYEE_NUMBER) == PAYEE_FR  # the last one allowed
    phone.dial()
    phone.send("2")
    assert phone.send(PAYEE_NUMBER) == end(
        "Trop de recherches de membres depuis ce téléphone. Par sécurité, réessayez dans une heure. Merci."
    )
    assert services.payments == []


def test_too_many_lookups_in_english(engine, services, payee):
    services.set_language(NEW_PHONE, "en")
    services.lookups[NEW_PHONE] = LOOKUPS_PER_HOUR
    phone = Phone(engine, services, NEW_PHONE)
    phone.dial()
    phone.send("2")
    assert phone.send("90 00 00 01") == end(
        "Too many member searches from this phone. For safety, please try again in an hour. Thank you."
    )


def test_a_payer_found_too_many_is_not_told_whether_the_number_exists(phone, services, payee):
    services.lookups[NEW_PHONE] = LOOKUPS_PER_HOUR
    phone.dial()
    phone.send("2")
    unknown = phone.send(amu_number("111111111"))
    phone.dial()
    phone.send("2")
    assert phone.send(PAYEE_NUMBER) == unknown  # the same polite refusal for a member and for nobody
