"""Dialling again soon after a dropped session offers to continue the form: only a form
with real answers in it, named ("Reprendre votre adhésion ?"), 0 and 00 working, back on
the page of the list the member was on (issue 9 item 6)."""
from ussd_menus import is_resumable

from .phone import NAV_FR, con
from .test_home import HOME_MEMBER_FR, HOME_NEW_FR

RESUME_FR = con("Reprendre votre adhésion ?", "1. Continuer", "2. Recommencer")


def dropped_during_join(phone) -> dict:
    phone.dial()
    phone.walk("1", "Kossi Mensah", "17051990", "2")
    return phone.lose_session()


def test_continuer_restores_the_screen_and_the_answers(phone, services):
    draft = dropped_during_join(phone)
    assert is_resumable(draft)
    assert phone.dial(draft=draft) == RESUME_FR
    assert phone.send("1").startswith("CON Votre métier:\n1. Marchand(e)")
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
    assert phone.dial(draft=draft) == con("Resume joining?", "1. Continue", "2. Start again")
    assert phone.send("1").startswith("CON Your trade:")


def test_a_wrong_entry_on_the_offer_asks_again(phone):
    phone.dial(draft=dropped_during_join(phone))
    assert phone.send("3") == "CON Choix invalide.\n" + RESUME_FR.removeprefix("CON ")
    assert phone.send("00") == HOME_NEW_FR


def test_0_and_00_on_the_offer_go_home_and_forget_the_form(phone):
    for key in ("0", "00"):
        phone.dial(draft=dropped_during_join(phone))
        assert phone.send(key) == HOME_NEW_FR
        assert phone.session["form"] == {} and not is_resumable(phone.session)


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
    assert member_phone.dial(draft=draft) == con("Reprendre l'ajout d'un ayant droit ?", "1. Continuer",
                                                 "2. Recommencer")
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


def test_opening_a_menu_is_no_form_to_resume(member_phone):
    """Payer puts the member in the form, Mes ayants droit lists people, Mon rythme shows
    the rhythm: nothing typed, nothing to resume."""
    for entries in (("1",), ("4",), ("4", "2"), ("6",)):
        member_phone.dial()
        member_phone.walk(*entries)
        draft = member_phone.lose_session()
        assert not is_resumable(draft), entries
        assert member_phone.dial(draft=draft) == HOME_MEMBER_FR


def test_a_payment_with_an_amount_picked_is_resumed_by_name(member_phone, services):
    member_phone.dial()
    member_phone.walk("1", "2")  # 2 500 F, on the confirmation
    draft = member_phone.lose_session()
    assert member_phone.dial(draft=draft) == con("Reprendre votre paiement ?", "1. Continuer", "2. Recommencer")
    assert member_phone.send("1").startswith("CON Payer 2 500 F pour votre cotisation AMU avec Mixx by Yas ?")


def test_resuming_a_list_comes_back_on_the_page_the_member_was_on(phone):
    phone.dial()
    phone.walk("1", "Kossi Mensah", "17051990", "2", "98")  # occupations, page 2
    draft = phone.lose_session()
    phone.dial(draft=draft)
    page_2 = phone.send("1")
    assert page_2.startswith("CON Votre métier:\n8. Métiers du poisson")
    assert phone.send("0").startswith("CON Votre métier:\n1. Marchand(e)")  # then page 1
    assert phone.send("8").startswith("CON Votre région:")


def test_changing_rhythm_resumed_in_english(engine, services):
    from .conftest import MEMBER_PHONE
    from .phone import Phone

    services.add_member(MEMBER_PHONE, language="en")
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    phone.walk("6", "1", "2")  # change to weekly: the market day is asked
    draft = phone.lose_session()
    assert phone.dial(draft=draft) == con("Resume changing your rhythm?", "1. Continue", "2. Start again")
    assert phone.send("1").startswith("CON Market day:")


def test_correcting_a_dependent_is_resumed_by_name(engine, services):
    from datetime import date

    from .conftest import MEMBER_PHONE
    from .fakes import dependent
    from .phone import Phone

    services.add_member(MEMBER_PHONE, dependents=[dependent(1, "spouse", "Afi Mensah", date(1992, 2, 1))])
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    phone.walk("4", "2", "1", "Afi Mensa")  # a new name typed, on the confirmation
    draft = phone.lose_session()
    assert phone.dial(draft=draft) == con("Reprendre la correction d'un ayant droit ?", "1. Continuer",
                                          "2. Recommencer")
    assert phone.send("1").startswith("CON Enregistrer la correction ?\nAfi Mensa (conjoint)")
