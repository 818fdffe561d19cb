"""Mes droits: what the member is covered for, ending the session."""
from datetime import date

import pytest

from .conftest import MEMBER_PHONE
from .fakes import dependent, rights
from .phone import Phone, end

SPOUSE = dependent(1, "spouse", "Afi Mensah", date(1992, 2, 1))
CHILDREN = [dependent(i, "child", f"Enfant {i}", date(2012, 1, i)) for i in range(2, 6)]


def rights_screen(engine, services, state, dependents=(), language="fr", max_chars=160) -> str:
    services.add_member(MEMBER_PHONE, language=language, state=state, dependents=list(dependents))
    phone = Phone(engine, services, MEMBER_PHONE, max_chars=max_chars)
    phone.dial()
    return phone.send("2")


def test_pending_says_what_to_pay_to_be_covered(engine, services):
    assert rights_screen(engine, services, rights("pending")) == end(
        "Adhésion enregistrée, aucune cotisation recue. Payez 10 000 F pour etre couvert.",
        "Foyer: vous seul(e)",
        "L'AMU paie 80% de vos soins.",
    )


def test_waiting_period_with_household_and_savings(engine, services):
    state = rights("waiting", credit=2300)
    assert rights_screen(engine, services, state, [SPOUSE, *CHILDREN[:2]]) == end(
        "Période d'attente jusqu'au 12/08/2025.",
        "Foyer: vous + 1 conjoint + 2 enfants",
        "Épargne: 2 300 F vers votre prochain mois.",
        "Encore 7 700 F pour le mois suivant.",
    )  # the coverage rate gave way


def test_waiting_without_savings_says_nothing_of_the_next_period(engine, services):
    assert rights_screen(engine, services, rights("waiting")) == end(
        "Période d'attente jusqu'au 12/08/2025.",
        "Foyer: vous seul(e)",
        "L'AMU paie 80% de vos soins.",
    )


def test_active_says_what_buys_the_next_month(engine, services):
    assert rights_screen(engine, services, rights("active"), CHILDREN[:1]) == end(
        "Couvert jusqu'au 31/07/2025.",
        "Foyer: vous + 1 enfant",
        "Encore 10 000 F pour le mois suivant.",
        "L'AMU paie 80% de vos soins.",
    )


@pytest.mark.parametrize("period, price, line", [
    ("quarterly", 28500, "Encore 25 500 F pour le trimestre suivant."),
    ("half_yearly", 54000, "Encore 51 000 F pour le semestre suivant."),
    ("yearly", 102000, "Encore 99 000 F pour l'année suivante."),
    ("fortnightly", 5000, "Encore 2 000 F pour la période suivante."),  # a period the menus do not name
])
def test_the_next_period_is_named_by_the_members_billing_period(engine, services, period, price, line):
    state = rights("active", credit=3000, period_label=period, period_price=price)
    screen = rights_screen(engine, services, state, max_chars=182)
    assert screen.split("\n")[3] == line


def test_grace_asks_to_pay_soon(engine, services):
    assert rights_screen(engine, services, rights("grace", credit=500), [SPOUSE]) == end(
        "Couvert jusqu'au 01/06/2025, payez vite.",
        "Foyer: vous + 1 conjoint",
        "Épargne: 500 F vers votre prochain mois.",
        "Encore 9 500 F pour le mois suivant.",
    )


def test_grace_on_a_wider_screen_keeps_every_line(engine, services):
    assert rights_screen(engine, services, rights("grace", credit=500), [SPOUSE], max_chars=182) == end(
        "Couvert jusqu'au 01/06/2025, payez vite.",
        "Foyer: vous + 1 conjoint",
        "Épargne: 500 F vers votre prochain mois.",
        "Encore 9 500 F pour le mois suivant.",
        "L'AMU paie 80% de vos soins.",
    )


def test_pending_savings_are_not_followed_by_what_the_state_line_already_says(engine, services):
    # 182 characters: room for every line, so only the rule can leave the next period out
    assert rights_screen(engine, services, rights("pending", credit=2300), max_chars=182) == end(
        "Adhésion enregistrée, aucune cotisation recue. Payez 7 700 F pour etre couvert.",
        "Foyer: vous seul(e)",
        "Épargne: 2 300 F vers votre prochain mois.",
        "L'AMU paie 80% de vos soins.",
    )


def test_the_next_period_gives_way_before_the_savings(engine, services):
    state = rights("waiting", credit=2300, period_label="quarterly", period_price=28500)
    assert rights_screen(engine, services, state, [SPOUSE, *CHILDREN]) == end(
        "Période d'attente jusqu'au 12/08/2025.",
        "Foyer: vous + 1 conjoint + 4 enfants",
        "Épargne: 2 300 F vers votre prochain trimestre.",
    )


def test_suspended_says_what_to_pay_to_resume(engine, services):
    assert rights_screen(engine, services, rights("suspended", credit=2300)) == end(
        "Droits suspendus depuis le 01/04/2025. Payez 7 700 F pour reprendre.",
        "Foyer: vous seul(e)",
        "Épargne: 2 300 F vers votre prochain mois.",
        "L'AMU paie 80% de vos soins.",
    )


def test_in_english(engine, services):
    state = rights("active", credit=2300, period_label="yearly", period_price=102000)
    assert rights_screen(engine, services, state, [SPOUSE, *CHILDREN[:2]], language="en") == end(
        "Covered until 31/07/2025.",
        "Household: you + 1 spouse + 2 children",
        "Saved: 2 300 F toward your next year.",
        "99 700 F more buys your next year.",
    )


def test_covered_in_english_says_what_buys_the_next_quarter(engine, services):
    state = rights("active", period_label="quarterly", period_price=28500)
    assert rights_screen(engine, services, state, language="en") == end(
        "Covered until 31/07/2025.",
        "Household: you only",
        "28 500 F more buys your next quarter.",
        "AMU pays 80% of your care.",
    )


def test_suspended_in_english(engine, services):
    assert rights_screen(engine, services, rights("suspended"), CHILDREN[:1], language="en") == end(
        "Rights suspended since 01/04/2025. Pay 10 000 F to resume.",
        "Household: you + 1 child",
        "AMU pays 80% of your care.",
    )


def test_the_least_important_lines_give_way_on_a_small_screen(engine, services):
    state = rights("pending", credit=2300, period_label="quarterly", period_price=28500)
    assert rights_screen(engine, services, state, [SPOUSE, *CHILDREN]) == end(
        "Adhésion enregistrée, aucune cotisation recue. Payez 26 200 F pour etre couvert.",
        "Foyer: vous + 1 conjoint + 4 enfants",
    )


def test_a_wider_screen_keeps_more_lines(engine, services):
    state = rights("pending", credit=2300, period_label="quarterly", period_price=28500)
    assert rights_screen(engine, services, state, [SPOUSE, *CHILDREN], max_chars=182) == end(
        "Adhésion enregistrée, aucune cotisation recue. Payez 26 200 F pour etre couvert.",
        "Foyer: vous + 1 conjoint + 4 enfants",
        "Épargne: 2 300 F vers votre prochain trimestre.",
    )


@pytest.mark.parametrize("max_chars", [60, 90, 120])
def test_a_very_small_screen_never_cuts_a_word(engine, services, max_chars):
    state = rights("suspended", credit=2300)
    screen = rights_screen(engine, services, state, [SPOUSE], max_chars=max_chars).removeprefix("END ")
    assert len(screen) <= max_chars
    assert screen.startswith("Droits suspendus")
    words = set("Droits suspendus depuis le 01/04/2025. Payez 7 700 F pour reprendre. Foyer: vous + 1 "
                "conjoint".split())
    assert set(screen.removesuffix("...").split()) <= words
