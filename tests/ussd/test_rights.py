"""Mes droits: what the member is covered for, in words true in every state (issue 9 item 1).

One table: each membership state, for a member alone with nothing saved and for a
household with savings, in French and in English, screen by screen. Never "couvert"
before the waiting period ends (from when care is paid, and paid-until); partial money
is a saving, never "aucune cotisation"; grace names the day of suspension; pending and
suspended say what to pay and the waiting period that follows.
"""
from datetime import date

import pytest

from .conftest import MEMBER_PHONE
from .fakes import dependent, rights
from .phone import Phone, end

SPOUSE = dependent(1, "spouse", "Afi Mensah", date(1992, 2, 1))
KID = dependent(2, "child", "Kodjo Mensah", date(2010, 3, 4))
CHILDREN = [dependent(i, "child", f"Enfant {i}", date(2012, 1, i)) for i in range(2, 6)]
ALONE, SAVING_HOUSEHOLD = "alone, nothing saved", "spouse and child, 2 500 F saved"
SITUATIONS = {ALONE: (0, []), SAVING_HOUSEHOLD: (2_500, [SPOUSE, KID])}

TRUTH = {  # (state, situation): (French screen, English screen), 160 characters
    ("pending", ALONE): (
        ["Adhésion enregistrée. Payez 10 000 F pour commencer votre couverture.",
         "Puis délai de carence: soins pris en charge 90 jours après.", "Foyer: vous seul(e)"],
        ["Enrolled. Pay 10 000 F to start your cover.", "Then a waiting period: care is paid 90 days later.",
         "Household: you only", "AMU pays 80% of your care."]),
    ("pending", SAVING_HOUSEHOLD): (
        ["Adhésion enregistrée. Épargne: 2 500 F, encore 7 500 F pour commencer votre couverture.",
         "Puis délai de carence: soins pris en charge 90 jours après."],
        ["Enrolled. Saved: 2 500 F; 7 500 F more starts your cover.",
         "Then a waiting period: care is paid 90 days later.", "Household: you + 1 spouse + 1 child"]),
    ("waiting", ALONE): (
        ["Délai de carence: soins pris en charge à partir du 12/08/2025.", "Payé jusqu'au 30/09/2025.",
         "Foyer: vous seul(e)", "L'AMU paie 80% de vos soins."],
        ["Waiting period: care is paid from 12/08/2025.", "Paid until 30/09/2025.", "Household: you only",
         "AMU pays 80% of your care."]),
    ("waiting", SAVING_HOUSEHOLD): (
        ["Délai de carence: soins pris en charge à partir du 12/08/2025.", "Payé jusqu'au 30/09/2025.",
         "Foyer: vous + 1 conjoint + 1 enfant"],
        ["Waiting period: care is paid from 12/08/2025.", "Paid until 30/09/2025.",
         "Household: you + 1 spouse + 1 child", "Saved: 2 500 F toward your next month."]),
    ("active", ALONE): (
        ["Couvert jusqu'au 31/07/2025.", "Foyer: vous seul(e)", "Encore 10 000 F pour le mois suivant.",
         "L'AMU paie 80% de vos soins."],
        ["Covered until 31/07/2025.", "Household: you only", "10 000 F more buys your next month.",
         "AMU pays 80% of your care."]),
    ("active", SAVING_HOUSEHOLD): (
        ["Couvert jusqu'au 31/07/2025.", "Foyer: vous + 1 conjoint + 1 enfant",
         "Épargne: 2 500 F vers votre prochain mois.", "Encore 7 500 F pour le mois suivant."],
        ["Covered until 31/07/2025.", "Household: you + 1 spouse + 1 child", "Saved: 2 500 F toward your next month.",
         "7 500 F more buys your next month."]),
    ("grace", ALONE): (
        ["Payé jusqu'au 01/06/2025, encore couvert. Droits suspendus le 02/08/2025 sans paiement.",
         "Foyer: vous seul(e)", "Encore 10 000 F pour le mois suivant."],
        ["Paid until 01/06/2025, still covered. Rights suspended on 02/08/2025 if unpaid.", "Household: you only",
         "10 000 F more buys your next month."]),
    ("grace", SAVING_HOUSEHOLD): (
        ["Payé jusqu'au 01/06/2025, encore couvert. Droits suspendus le 02/08/2025 sans paiement.",
         "Foyer: vous + 1 conjoint + 1 enfant"],
        ["Paid until 01/06/2025, still covered. Rights suspended on 02/08/2025 if unpaid.",
         "Household: you + 1 spouse + 1 child", "Saved: 2 500 F toward your next month."]),
    ("suspended", ALONE): (
        ["Droits suspendus depuis le 01/04/2025. Payez 10 000 F pour reprendre.",
         "Puis délai de carence: soins pris en charge 90 jours après.", "Foyer: vous seul(e)"],
        ["Rights suspended since 01/04/2025. Pay 10 000 F to resume.",
         "Then a waiting period: care is paid 90 days later.", "Household: you only", "AMU pays 80% of your care."]),
    ("suspended", SAVING_HOUSEHOLD): (
        ["Droits suspendus depuis le 01/04/2025. Épargne: 2 500 F, encore 7 500 F pour reprendre.",
         "Puis délai de carence: soins pris en charge 90 jours après."],
        ["Rights suspended since 01/04/2025. Saved: 2 500 F; 7 500 F more to resume.",
         "Then a waiting period: care is paid 90 days later."]),
}


def rights_screen(engine, services, state, dependents=(), language="fr", max_chars=160) -> str:
    services.add_member(MEMBER_PHONE, language=language, state=state, dependents=list(dependents))
    phone = Phone(engine, services, MEMBER_PHONE, max_chars=max_chars)
    phone.dial()
    return phone.send("2")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("state, situation", list(TRUTH))
def test_every_state_in_both_languages(engine, services, state, situation, language):
    credit, dependents = SITUATIONS[situation]
    screen = rights_screen(engine, services, rights(state, credit=credit), dependents, language)
    assert screen == end(*TRUTH[state, situation][language == "en"])


def test_the_table_covers_every_state():
    assert {state for state, _ in TRUTH} == {"pending", "waiting", "active", "grace", "suspended"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_covered_before_the_waiting_period_ends(engine, services, language):
    screen = rights_screen(engine, services, rights("waiting", credit=2_500), [SPOUSE], language, max_chars=182)
    assert "ouvert" not in screen and "overed" not in screen  # neither "Couvert" nor "Covered"


def test_without_a_new_waiting_period_after_suspension_care_is_paid_from_the_payment(engine, services):
    assert rights_screen(engine, services, rights("suspended", next_waiting_days=0)).split("\n")[1] == (
        "Soins pris en charge dès le paiement.")


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


def test_grace_on_a_wider_screen_keeps_the_saving(engine, services):
    assert rights_screen(engine, services, rights("grace", credit=500), [SPOUSE], max_chars=182) == end(
        "Payé jusqu'au 01/06/2025, encore couvert. Droits suspendus le 02/08/2025 sans paiement.",
        "Foyer: vous + 1 conjoint",
        "Épargne: 500 F vers votre prochain mois.",
    )  # the next period and the coverage rate gave way


def test_the_least_important_lines_give_way_on_a_small_screen(engine, services):
    state = rights("waiting", credit=2300, period_label="quarterly", period_price=28500)
    assert rights_screen(engine, services, state, [SPOUSE, *CHILDREN]) == end(
        "Délai de carence: soins pris en charge à partir du 12/08/2025.",
        "Payé jusqu'au 30/09/2025.",
        "Foyer: vous + 1 conjoint + 4 enfants",
    )


def test_a_wider_screen_keeps_more_lines(engine, services):
    state = rights("waiting", credit=2300, period_label="quarterly", period_price=28500)
    assert rights_screen(engine, services, state, [SPOUSE, *CHILDREN], max_chars=182) == end(
        "Délai de carence: soins pris en charge à partir du 12/08/2025.",
        "Payé jusqu'au 30/09/2025.",
        "Foyer: vous + 1 conjoint + 4 enfants",
        "Épargne: 2 300 F vers votre prochain trimestre.",
    )


@pytest.mark.parametrize("max_chars", [60, 90, 120])
def test_a_very_small_screen_never_cuts_a_word(engine, services, max_chars):
    state = rights("suspended", credit=2300)
    screen = rights_screen(engine, services, state, [SPOUSE], max_chars=max_chars).removeprefix("END ")
    assert len(screen) <= max_chars
    assert screen.startswith("Droits suspendus")
    words = set("Droits suspendus depuis le 01/04/2025. Épargne: 2 300 F, encore 7 700 F pour reprendre. Puis délai "
                "de carence: soins pris en charge 90 jours après. Foyer: vous + 1 conjoint".split())
    assert set(screen.removesuffix("...").split()) <= words
