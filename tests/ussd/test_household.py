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


DETAIL_FR = ("1. Corriger le nom", "2. Corriger la date de naissance", "3. Retirer du foyer", *NAV_FR)


def test_choosing_a_dependent_shows_who_it_is_and_what_can_be_done(household_phone):
    household_phone.send("4")
    assert household_phone.send("3") == con("Kodjo Mensah (enfant)", "Né(e) le 04/03/2010", *DETAIL_FR)
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
    # 22 years old: school is asked right after the date it depends on
    assert phone.send("01012003") == con("Is the child in school?", "1. Yes", "2. No", *NAV_EN)
    assert phone.send("1") == con("Sex:", "1. Female", "2. Male", *NAV_EN)
    assert phone.send("2") == con(
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
    member_phone.walk("4", "1", "2", "Edem Mensah")
    assert member_phone.send("01012003") == con("L'enfant va-t-il à l'école ?", "1. Oui", "2. Non", *NAV_FR)
    member_phone.walk("1", "2", "1")
    assert sent == [DependentRequest("child", "Edem Mensah", date(2003, 1, 1), "M", in_school=True)]


def test_a_fifth_child_costs_extra_and_the_member_is_told_before_confirming(household_phone, services):
    household_phone.walk("4", "1", "2", "Edem Mensah", "01012015")
    assert household_phone.send("2") == con(
        "Ajouter au foyer:", "Edem Mensah (enfant)", "Né(e) le 01/01/2015",
        "Déjà 4 enfants: celui-ci ajoute 1 000 F par mois.", "1. Confirmer", "2. Annuler", *NAV_FR,
    )
    assert household_phone.send("1") == end("Edem Mensah est ajouté(e) à votre foyer AMU.")
    assert len(added(services)) == 6


def test_a_household_at_the_maximum_refuses_another_child_as_soon_as_child_is_picked(engine, services):
    children = [dependent(10 + i, "child", f"Enfant {i}", date(2010, 1, 1 + i)) for i in range(10)]
    services.add_member(MEMBER_PHONE, dependents=children)
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    phone.walk("4", "1")
    assert phone.send("2") == con(
        "Votre foyer a déjà 10 enfants, le maximum.", "Qui ajoutez-vous ?", "1. Conjoint", "2. Enfant", *NAV_FR,
    )  # asked again before a name is typed; a spouse can still be added
    assert phone.send("1") == con("Nom et prénoms:", *NAV_FR)
    assert len(added(services)) == 10


def test_a_second_spouse_costs_extra_in_english(engine, services):
    services.add_member(MEMBER_PHONE, language="en", dependents=[SPOUSE])
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    phone.walk("4", "1", "1", "Ama Mensah", "05051990")
    assert phone.send("1") == con(
        "Add to household:", "Ama Mensah (spouse)", "Born 05/05/1990",
        "Already 1 spouse: this one adds 2 500 F a month.", "1. Confirm", "2. Cancel", *NAV_EN,
    )


def test_a_fifth_spouse_is_refused_in_english(engine, services):
    spouses = [dependent(i, "spouse", f"Spouse {i}", date(1990, 1, i)) for i in range(1, 5)]
    services.add_member(MEMBER_PHONE, language="en", dependents=spouses)
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    phone.walk("4", "1")
    assert phone.send("1") == con(
        "Your household already has 4 spouses, the maximum.", "Who are you adding?", "1. Spouse", "2. Child",
        *NAV_EN,
    )


def test_an_older_child_out_of_school_is_refused_at_the_school_question(member_phone):
    member_phone.dial()
    member_phone.walk("4", "1", "2", "Edem Mensah", "01012003")  # 22
    assert member_phone.send("2") == con(
        "Après 21 ans, un enfant est couvert s'il va à l'école (jusqu'à 26 ans).",
        "L'enfant va-t-il à l'école ?", "1. Oui", "2. Non", *NAV_FR,
    )


def test_a_child_past_the_school_age_limit_is_refused_right_after_the_date_of_birth(member_phone, services):
    member_phone.dial()
    member_phone.walk("4", "1", "2", "Edem Mensah")
    assert member_phone.send("01011998") == con(  # 27
        "Un enfant doit avoir moins de 26 ans.", "Date de naissance (JJMMAAAA):", *NAV_FR,
    )
    assert added(services) == []


def test_a_child_too_old_in_english(engine, services):
    services.add_member(MEMBER_PHONE, language="en")
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    phone.walk("4", "1", "2", "Edem Mensah")
    assert phone.send("01011998") == con("A child must be under 26.", "Date of birth (DDMMYYYY):", *NAV_EN)
    phone.send("01012003")
    assert phone.send("2") == con(
        "From 21, a child is covered only while in school (up to 26).",
        "Is the child in school?", "1. Yes", "2. No", *NAV_EN,
    )


def test_someone_already_in_the_household_is_refused_at_the_date_of_birth(engine, services):
    services.add_member(MEMBER_PHONE, dependents=[SPOUSE])
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    phone.walk("4", "1", "1", "Afi  Mensah")
    assert phone.send("01021992") == con(
        "Cette personne est déjà dans votre foyer.", "Date de naissance (JJMMAAAA):", *NAV_FR,
    )


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


def test_correcting_a_name_keeps_the_row_before_in_the_history(household_phone, services):
    household_phone.walk("4", "3")  # Kodjo Mensah
    assert household_phone.send("1") == con("Nom et prénoms:", *NAV_FR)
    assert household_phone.send("Kodjovi Mensah") == con(
        "Enregistrer la correction ?", "Kodjovi Mensah (enfant)", "Né(e) le 04/03/2010", "1. Confirmer", "2. Annuler",
        *NAV_FR,
    )
    assert household_phone.send("1") == end("Correction enregistrée: Kodjovi Mensah, né(e) le 04/03/2010.")
    assert "Kodjovi Mensah" in [d.full_name for d in added(services)]
    assert [(kept.full_name, kept.birth_date) for _, kept in services.removed] == [("Kodjo Mensah", date(2010, 3, 4))]


def test_correcting_a_date_of_birth_checks_the_age_at_once(household_phone, services):
    household_phone.walk("4", "3", "2")
    assert household_phone.send("01011990") == con(  # 35: too old, said before any confirmation
        "Un enfant doit avoir moins de 26 ans.", "Date de naissance (JJMMAAAA):", *NAV_FR,
    )
    assert household_phone.send("04032011") == con(
        "Enregistrer la correction ?", "Kodjo Mensah (enfant)", "Né(e) le 04/03/2011", "1. Confirmer", "2. Annuler",
        *NAV_FR,
    )
    assert household_phone.send("2") == con("Kodjo Mensah (enfant)", "Né(e) le 04/03/2010", *DETAIL_FR)
    assert services.removed == []


def test_removing_a_dependent_is_dated_and_kept(household_phone, services):
    household_phone.walk("4", "2")  # Afi Mensah
    assert household_phone.send("3") == con(
        "Retirer du foyer ?", "Afi Mensah (conjoint)", "Né(e) le 01/02/1992", "1. Confirmer", "2. Annuler", *NAV_FR,
    )
    assert household_phone.send("1") == end(
        "Afi Mensah est retiré(e) de votre foyer depuis le 15/06/2025. Ses soins ne sont plus pris en charge par "
        "votre adhésion."
    )
    assert "Afi Mensah" not in [d.full_name for d in added(services)]
    assert [kept.full_name for _, kept in services.removed] == ["Afi Mensah"]


def test_correcting_and_removing_in_english(engine, services):
    services.add_member(MEMBER_PHONE, language="en", dependents=[SPOUSE])
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    assert phone.walk("4", "2") == con("Afi Mensah (spouse)", "Born 01/02/1992", "1. Correct the name",
                                       "2. Correct the date of birth", "3. Remove from household", *NAV_EN)
    phone.walk("2", "01021993")
    assert phone.send("1") == end("Correction saved: Afi Mensah, born 01/02/1993.")
    phone.dial()
    phone.walk("4", "2", "3")
    assert phone.send("1") == end(
        "Afi Mensah is out of your household from 15/06/2025. Their care is no longer paid through your membership."
    )


def test_a_dependent_removed_meanwhile_is_said_gone(household_phone, services):
    household_phone.walk("4", "2", "3")
    services.remove_dependent(services.members[MEMBER_PHONE].id, SPOUSE.id)  # from another session
    assert household_phone.send("1") == con(
        "Cette personne n'est plus dans votre foyer.", "Mes ayants droit:", "1. Ajouter", "2. Kodjo Mensah (enfant)",
        "3. Yawa Mensah (enfant)", "98. Suite", *NAV_FR,
    )
