"""A number typed picks what the member saw next to it, even when the services would
now list something else (an offer changed after a payment settled, a group left)."""
from ussd_menus.services import PaymentOffer

from .conftest import MEMBER_PHONE
from .phone import NAV_FR, Phone, con
from .test_home import HOME_LEADER_FR, HOME_MEMBER_FR
from .test_language import LANGUAGE_MENU_FR
from .test_pay import asked, confirm_fr


def offer(*suggested: int) -> PaymentOffer:
    return PaymentOffer(suggested=list(suggested), minimum=100, maximum=1_500_000, period_price=10_000)


def test_the_amount_confirmed_is_the_one_shown_though_the_offer_changed_since(member_phone, services):
    services.offers[1] = offer(10_000, 7_500)
    member_phone.dial()
    assert member_phone.send("1") == con("Montant à payer:", "1. 10 000 F", "2. 7 500 F", "3. Autre montant",
                                         *NAV_FR)
    services.offers[1] = offer(2_500, 10_000)  # a payment settled in the meantime
    assert member_phone.send("2") == confirm_fr("7 500 F")
    member_phone.send("1")
    assert asked(services) == [(1, MEMBER_PHONE, "yas", 7_500)]


def test_the_values_shown_are_kept_in_the_session_as_json(member_phone, services):
    services.offers[1] = offer(10_000, 7_500)
    member_phone.dial()
    member_phone.send("1")
    assert member_phone.session["choices"] == [10_000, 7_500, "other"]
    member_phone.send("2")
    assert member_phone.session["choices"] == ["confirm.yes", "pay.other_network"]


def test_a_session_kept_before_the_values_were_stored_shows_its_list_again(member_phone, services):
    services.offers[1] = offer(10_000, 7_500)
    member_phone.dial()
    amounts = member_phone.send("1")
    del member_phone.session["choices"]  # as an older gateway stored it
    services.offers[1] = offer(2_500, 10_000)
    assert member_phone.send("2") == con("Montant à payer:", "1. 2 500 F", "2. 10 000 F", "3. Autre montant",
                                         *NAV_FR)  # shown again, as it reads now; nothing picked
    assert amounts != member_phone.send("2") == confirm_fr("10 000 F")
    assert services.payments == []


def test_an_old_session_on_the_home_menu_shows_it_again(member_phone):
    member_phone.dial()
    del member_phone.session["choices"]
    assert member_phone.send("2") == HOME_MEMBER_FR
    assert member_phone.send("2").startswith("END ")  # Mes droits


def test_the_options_of_a_menu_keep_their_numbers_after_leaving_the_group(engine, services):
    leader = services.add_member(MEMBER_PHONE)
    services.add_group(leader, "Coop Kara", 3)
    phone = Phone(engine, services, MEMBER_PHONE)
    assert phone.dial() == HOME_LEADER_FR
    services.groups.clear()  # no longer a leader: the home now reads "7. Langue"
    assert phone.send("8") == LANGUAGE_MENU_FR


def test_paying_for_a_group_no_longer_led_goes_home_with_a_refusal(engine, services):
    leader = services.add_member(MEMBER_PHONE)
    services.add_group(leader, "Coop Kara", 3)
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    services.groups.clear()
    assert phone.send("7") == "CON Demande refusée.\n" + HOME_MEMBER_FR.removeprefix("CON ")
    assert services.payments == []
