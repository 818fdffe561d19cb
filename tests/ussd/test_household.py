"""Mes ayants droit: the dependents covered with the member, and adding one."""
from datetime import date

import pytest

from ussd_menus.services import DependentRequest

from .conftest import MEMBER_PHONE
from .fakes import dependent
from .phone import NAV_EN, NAV_FR, Phone, con, end

SPOUSE = dependent(1, "spouse", "Afi Mensah", date(1992, 2, 1))
CHILDREN = [
    dependent(2, "child", "Kodjo Mensah", date(2010, 3, 4)),
    dependent(3, "child", "Yawa Mensah", date(2013, 7, 8)),
    dependent(4, "child", "Komi Mensah", date(2016, 1, 1)),
    dependent(5, "child", "Akossiwa Mensah-Agbodjan", date(2019, 9, 9)),
]


@pytest.fixture
def household_phone(engine, services):
    """A member with a spouse and four children, on the dependents list."""
    services.add_member(MEMBER_PHONE, dependents=[SPOUSE, *CHILDREN])
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    return phone


def added(services) -> list:
    member_id = services.members[MEMBER_PHONE].id
    return services.dependents[member_id]


def test_the_list_is_paged(household_phone):
    assert household_phone.send("4") == con(
        "Mes ayants droit:", "1. Ajouter", "2. Afi Mensah (conjoint)", "3. Kodjo Mensah (enfant)",
        "4. Yawa Mensah (enfant)", "5. Komi Mensah (enfant)", "98. Suite", *NAV_FR,
    )
    assert household_phone.send("98") == con(
        "Mes ayants droit:", "6. Akossiwa Mensah-Agbodjan (enfant)", *NAV_FR,
    )


def test_choosing_a_dependent_shows_who_it_is(household_phone):
    household_phone.send("4")
    assert household_phone.send("3") == con("Kodjo Mensah (enfant)", "Né(e) le 04/03/2010", *NAV_FR)
    assert household_phone.send("0").startswith("CON Mes ayants droit:\n1. Ajouter")


def test_an_empty_household(member_phone):
    member_phone.dial()
    assert member_phone.send("4") == con("Mes ayants droit:", "Aucun pour l'instant.", "1. Ajouter", *NAV_FR)


def test_adding_a_spouse_screen_by_screen(member_phone, services):
    member_phone.dial()
    member_phone.send("4")
    assert member_phone.send("1") == con("Qui ajoutez-vous ?", "1. Conjoint", "2. Enfant", *NAV_FR)
    assert member_phone.send("1") == con("Nom et prénoms:", *NAV_FR)
    assert member_phone.send("Afi Mensah") == con("Date de naissance (JJMMAAAA):", *NAV_FR)
    assert member_phone.send("01021992") == con("Sexe:", "1. Femme", "2. Homme", *NAV_FR)
    assert member_phone.send("1") == con(
        "Ajouter au foyer:", "Afi Mensah (conjoint)", "Né(e) le 01/02/1992", "1. Confirmer", "2. Annuler",
        *NAV_FR,
    )
    assert added(services) == []
    assert member_phone.send("1") == end("Afi Mensah est ajouté(e) à votre foyer AMU.")
    assert [(d.relation, d.full_name, d.birth_date) for d in added(services)] == [
        ("spouse", "Afi Mensah", date(1992, 2, 1))
    ]


def test_a_young_child_is_not_asked_about_school(member_phone, services):
    member_phone.dial()
    member_phone.walk("4", "1", "2", "Kodjo Mensah", "04032010")
    assert member_phone.send("2") == con(
        "Ajouter au foyer:", "Kodjo Mensah (enfant)", "Né(e) le 04/03/2010", "1. Confirmer", "2. Annuler",
        *NAV_FR,
    )


def test_an_older_child_is_asked_about_school_in_english(engine, services):
    services.add_member(MEMBER_PHONE, language="en")
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    assert phone.send("4") == con("My dependants:", "None yet.", "1. Add", *NAV_EN)
    assert phone.send("1") == con("Who are you adding?", "1. Spouse", "2. Child", *NAV_EN)
    assert phone.send("2") == con("Full name:", *NAV_EN)
    assert phone.send("Edem Mensah") == con("Date of birth (DDMMYYYY):", *NAV_EN)
    assert phone.send("01012003") == con("Sex:", "1. Female", "2. Male", *NAV_EN)  # 22 years old
    assert phone.send("2") == con("Is the child in school?", "1. Yes", "2. No", *NAV_EN)
    assert phone.send("1") == con(
        "Add to household:", "Edem Mensah (child)", "Born 01/01/2003", "In school", "1. Confirm",
        "2. Cancel", *NAV_EN,
    )
    assert phone.send("1") == end("Edem Mensah has been added to your AMU household.")
    member_id = services.members[MEMBER_PHONE].id
    assert services.dependents[member_id][0].full_name == "Edem Mensah"


def test_the_school_question_in_french_and_the_answer_sent(member_phone, services, monkeypatch):
    sent = []
    monkeypatch.setattr(services, "add_dependent", lambda member_id, request: sent.append(request))
    member_phone.dial()
    member_phone.walk("4", "1", "2", "Edem Mensah", "01012003")
    assert member_phone.send("1") == con("L'enfant va-t-il à l'école ?", "1. Oui", "2. Non", *NAV_FR)
    member_phone.walk("2", "1")
    assert sent == [DependentRequest("child", "Edem Mensah", date(2003, 1, 1), "F", in_school=False)]


def test_a_fifth_child_costs_extra_and_the_member_is_told_before_confirming(household_phone, services):
    household_phone.walk("4", "1", "2", "Edem Mensah", "01012015")
    assert household_phone.send("2") == con(
        "Ajouter au foyer:", "Edem Mensah (enfant)", "Né(e) le 01/01/2015",
        "Déjà 4 enfants: un enfant en plus coute 1 000 F/mois.", "1. Confirmer", "2. Annuler", *NAV_FR,
    )
    assert household_phone.send("1") == end("Edem Mensah est ajouté(e) à votre foyer AMU.")
    assert len(added(services)) == 6


def test_a_household_at_the_maximum_refuses_another_child(engine, services):
    children = [dependent(10 + i, "child", f"Enfant {i}", date(2010, 1, 1 + i)) for i in range(10)]
    services.add_member(MEMBER_PHONE, dependents=children)
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    phone.walk("4", "1", "2", "Edem Mensah", "01012015", "2")
    assert phone.send("1") == con(
        "Votre foyer a déjà 10 enfants, le maximum.",
        "Mes ayants droit:", "1. Ajouter", "2. Enfant 0 (enfant)", "3. Enfant 1 (enfant)", "98. Suite",
        *NAV_FR,
    )
    assert len(added(services)) == 10
    assert phone.session["form"] == {}
    assert phone.send("98").startswith("CON Mes ayants droit:\n4. Enfant 2 (enfant)")


def test_a_second_spouse_costs_extra_in_english(engine, services):
    services.add_member(MEMBER_PHONE, language="en", dependents=[SPOUSE])
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    phone.walk("4", "1", "1", "Ama Mensah", "05051990")
    assert phone.send("1") == con(
        "Add to household:", "Ama Mensah (spouse)", "Born 05/05/1990",
        "Already 1 spouse: an extra spouse costs 2 500 F/month.", "1. Confirm", "2. Cancel", *NAV_EN,
    )


def test_a_fifth_spouse_is_refused_in_english(engine, services):
    spouses = [dependent(i, "spouse", f"Spouse {i}", date(1990, 1, i)) for i in range(1, 5)]
    services.add_member(MEMBER_PHONE, language="en", dependents=spouses)
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    phone.walk("4", "1", "1", "Ama Mensah", "05051990", "1")
    assert phone.send("1") == con(
        "Your household already has 4 spouses, the maximum.",
        "My dependants:", "1. Add", "2. Spouse 1 (spouse)", "3. Spouse 2 (spouse)", "98. More", *NAV_EN,
    )


def test_an_older_child_out_of_school_is_refused_with_the_age_limits(member_phone):
    member_phone.dial()
    member_phone.walk("4", "1", "2", "Edem Mensah", "01012003", "2", "2")  # 22, not in school
    assert member_phone.send("1") == con(
        "Après 21 ans, un enfant est couvert s'il va à l'école (jusqu'à 26 ans).",
        "Mes ayants droit:", "Aucun pour l'instant.", "1. Ajouter", *NAV_FR,
    )


def test_a_child_past_the_school_age_limit_is_not_asked_about_school_and_is_refused(member_phone):
    member_phone.dial()
    member_phone.walk("4", "1", "2", "Edem Mensah", "01011998")  # 27
    assert member_phone.send("2").startswith("CON Ajouter au foyer:")
    assert member_phone.send("1") == con(
        "Un enfant doit avoir moins de 26 ans.", "Mes ayants droit:", "Aucun pour l'instant.", "1. Ajouter",
        *NAV_FR,
    )


def test_someone_already_in_the_household_is_refused(engine, services):
    services.add_member(MEMBER_PHONE, dependents=[SPOUSE])
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    phone.walk("4", "1", "1", "Afi Mensah", "01021992", "1")
    assert phone.send("1").startswith("CON Cette personne est déjà dans votre foyer.\nMes ayants droit:")


def test_cancelling_returns_to_the_list_and_adds_nothing(member_phone, services):
    member_phone.dial()
    member_phone.walk("4", "1", "1", "Afi Mensah", "01021992", "1")
    assert member_phone.send("2") == con("Mes ayants droit:", "Aucun pour l'instant.", "1. Ajouter", *NAV_FR)
    assert added(services) == []
    assert member_phone.send("0").startswith("CON AMU Togo\n1. Payer")


def test_a_wrong_birth_date_for_a_dependent(member_phone):
    member_phone.dial()
    member_phone.walk("4", "1", "2", "Kodjo Mensah")
    assert member_phone.send("01012026") == con(
        "Date dans le futur.", "Date de naissance (JJMMAAAA):", *NAV_FR
    )
    assert member_phone.send("01011890") == con(
        "Date invalide (JJMMAAAA).", "Date de naissance (JJMMAAAA):", *NAV_FR
    )
