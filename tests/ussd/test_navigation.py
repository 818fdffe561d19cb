"""0 goes back (to the previous page of a list first), 00 goes home, 98 shows the next page
(the first again after the last); a number from any page of a list is taken; wrong
entries never end a session (issue 9 item 5)."""
from datetime import date

from .phone import NAV_EN, NAV_FR, Phone, con
from .test_home import HOME_MEMBER_FR, HOME_NEW_FR
from .test_join import OCCUPATIONS_PAGE_1_FR

OCCUPATIONS_PAGE_2_FR = con(
    "Votre métier:", "8. Métiers du poisson", "9. Vendeuse de nourriture", "10. Mécanicien",
    "11. Ouvrier de chantier", "12. Employé(e) de maison", "98. Suite", *NAV_FR,
)
OCCUPATIONS_PAGE_3_FR = con("Votre métier:", "13. Autre métier", *NAV_FR)


def at_occupations(phone: Phone) -> str:
    phone.dial()
    return phone.walk("1", "Kossi Mensah", "17051990", "2")


def test_back_returns_to_the_previous_screen_and_forgets_its_answer(phone, services):
    phone.dial()
    phone.walk("1", "Kossi Mensah", "17051990")
    assert phone.send("0") == con("Date de naissance (JJMMAAAA):", *NAV_FR)
    assert phone.send("0") == con("Nom et prénoms:", *NAV_FR)
    assert phone.send("0") == HOME_NEW_FR
    assert phone.send("0") == HOME_NEW_FR  # nothing before home
    phone.walk("1", "Ama Mensah", "02021992", "1", "1", "1", "3")
    assert phone.session["form"]["full_name"] == "Ama Mensah"
    phone.send("1")
    assert (services.enrolments[0].full_name, services.enrolments[0].birth_date) == ("Ama Mensah", date(1992, 2, 2))


def test_back_from_the_confirmation_lets_the_member_change_the_rhythm(phone, services):
    phone.dial()
    phone.walk("1", "Kossi Mensah", "17051990", "2", "2", "3", "2", "1")  # weekly, Monday
    assert phone.send("0").startswith("CON Jour de marché:")
    assert phone.send("0").startswith("CON Cotisation:")
    phone.walk("3", "1")  # monthly, confirm
    request = services.enrolments[0]
    assert (request.rhythm, request.rhythm_weekday) == ("monthly", None)


def test_home_abandons_the_form(phone, services):
    phone.dial()
    phone.walk("1", "Kossi Mensah", "17051990", "2")
    assert phone.send("00") == HOME_NEW_FR
    assert phone.session["form"] == {}
    assert phone.send("1") == con("Nom et prénoms:", *NAV_FR)


def test_home_and_back_in_english(phone, services):
    services.set_language(phone.number, "en")
    phone.dial()
    phone.walk("1", "Ama Mensah")
    assert phone.send("0") == con("Full name:", *NAV_EN)
    assert phone.send("00") == con("AMU Togo", "1. Join", "2. Pay for a member", "3. Language")


def test_a_member_goes_home_to_the_member_menu(member_phone):
    member_phone.dial()
    member_phone.walk("4", "1")
    assert member_phone.send("00") == HOME_MEMBER_FR


def test_paging_through_occupations_numbers_continue_across_pages(phone, services):
    assert at_occupations(phone) == OCCUPATIONS_PAGE_1_FR
    assert phone.send("98") == OCCUPATIONS_PAGE_2_FR
    assert phone.send("98") == OCCUPATIONS_PAGE_3_FR
    assert phone.send("98") == OCCUPATIONS_PAGE_1_FR  # "Suite" on the last page: the list from its start
    phone.send("12")
    assert phone.session["form"]["occupation"] == "domestic"


def test_a_number_from_a_page_not_shown_yet_is_taken(phone):
    """People know the numbers of a list from an earlier session or a printed leaflet."""
    at_occupations(phone)
    assert phone.send("12").startswith("CON Votre région:")
    assert phone.session["form"]["occupation"] == "domestic"


def test_a_number_past_the_end_of_the_list_is_refused(phone):
    at_occupations(phone)
    assert phone.send("14").startswith("CON Choix invalide.\nVotre métier:\n1. Marchand(e)")
    assert phone.session["form"].get("occupation") is None


def test_an_item_of_an_earlier_page_can_still_be_picked(phone):
    at_occupations(phone)
    phone.walk("98", "98")
    assert phone.send("3").startswith("CON Votre région:")
    assert phone.session["form"]["occupation"] == "artisan"


def test_back_on_page_n_shows_page_n_minus_1_then_the_previous_screen(phone):
    at_occupations(phone)
    phone.walk("98", "98")
    assert phone.send("0") == OCCUPATIONS_PAGE_2_FR
    assert phone.send("0") == OCCUPATIONS_PAGE_1_FR
    assert phone.send("0") == con("Sexe:", "1. Femme", "2. Homme", *NAV_FR)
    assert phone.send("2") == OCCUPATIONS_PAGE_1_FR  # the list starts again at its first page


def test_back_after_the_list_started_again(phone):
    at_occupations(phone)
    phone.walk("98", "98", "98")  # the last page, then the first again
    assert phone.send("0") == con("Sexe:", "1. Femme", "2. Homme", *NAV_FR)


def test_98_on_a_list_of_one_page_is_a_wrong_choice(member_phone):
    member_phone.dial()
    assert member_phone.send("98").startswith("CON Choix invalide.\nAMU Togo")


def test_paging_back_and_forth_in_english(phone, services):
    services.set_language(phone.number, "en")
    at_occupations(phone)
    page_2 = phone.send("98")
    assert phone.send("98").startswith("CON Your trade:\n1. Trader")  # no third page in English
    assert phone.send("98") == page_2
    assert phone.send("0").startswith("CON Your trade:\n1. Trader")


def test_pages_are_cut_by_length_so_a_wider_screen_holds_more(engine, services):
    phone = Phone(engine, services, max_chars=182)
    page_1 = at_occupations(phone)
    assert page_1.endswith("8. Métiers du poisson\n98. Suite\n0. Retour\n00. Accueil")
    assert phone.send("98").startswith("CON Votre métier:\n9. Vendeuse de nourriture")


def test_paging_in_english(phone, services):
    services.set_language(phone.number, "en")
    at_occupations(phone)
    assert phone.send("98") == con(
        "Your trade:", "8. Fisher, fish trader", "9. Food seller", "10. Mechanic", "11. Builder",
        "12. Domestic worker", "13. Other trade", *NAV_EN,
    )


def test_wrong_entries_reshow_the_screen_and_never_end_the_session(phone):
    phone.dial()
    for wrong in ("4", "", "x", "01", "1 2", "*", "999", "98"):
        assert phone.send(wrong) == "CON Choix invalide.\n" + HOME_NEW_FR.removeprefix("CON ")
    assert phone.send("1") == con("Nom et prénoms:", *NAV_FR)


def test_a_wrong_entry_in_english(phone, services):
    services.set_language(phone.number, "en")
    phone.dial()
    assert phone.send("7") == con("Invalid choice.", "AMU Togo", "1. Join", "2. Pay for a member",
                                  "3. Language")


def test_an_expired_session_starts_at_home_without_replaying_the_text(phone, services):
    phone.dial()
    phone.walk("1", "Kossi Mensah")
    phone.lose_session()
    assert phone.send("17051990") == HOME_NEW_FR
    assert phone.send("1") == con("Nom et prénoms:", *NAV_FR)  # the next entry is read after that text


def test_a_session_stored_under_another_id_is_not_used(engine, services, phone):
    phone.dial()
    phone.walk("1", "Kossi Mensah")
    other = Phone(engine, services, phone.number)
    other.dial()
    other.session = phone.session  # a mix-up in the store must not continue someone's form
    assert other.send("1") == HOME_NEW_FR  # treated like an expired session
    assert other.session["form"] == {}
