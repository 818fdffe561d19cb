"""Joining the AMU from a phone that is not a member yet."""
from datetime import date

import pytest

from ussd_menus.services import EnrolmentRequest, Refused

from .phone import NAV_EN, NAV_FR, con, end

OCCUPATIONS_PAGE_1_FR = con(
    "Votre métier:", "1. Marchand(e)", "2. Agriculteur", "3. Artisan", "4. Conducteur de taxi-moto",
    "5. Couturier(ère)", "6. Coiffeur(se)", "7. Éleveur", "98. Suite", *NAV_FR,
)
RHYTHMS_FR = con(
    "Cotisation:", "1. Chaque jour", "2. Chaque jour de marché", "3. Chaque mois", "4. Chaque trimestre",
    "5. Chaque semestre", "6. Chaque année", "7. Aux récoltes", *NAV_FR,
)


def test_joining_in_french_screen_by_screen(phone, services):
    assert phone.dial().startswith("CON AMU Togo\n1. Adhérer")
    assert phone.send("1") == con("Nom et prénoms:", *NAV_FR)
    assert phone.send("Kossi Mensah") == con("Date de naissance (JJMMAAAA):", *NAV_FR)
    assert phone.send("17051990") == con("Sexe:", "1. Femme", "2. Homme", *NAV_FR)
    assert phone.send("2") == OCCUPATIONS_PAGE_1_FR
    assert phone.send("2") == con(
        "Votre région:", "1. Grand Lomé", "2. Maritime", "3. Plateaux", "4. Centrale", "5. Kara",
        "6. Savanes", *NAV_FR,
    )
    assert phone.send("3") == RHYTHMS_FR
    assert phone.send("3") == con(
        "Vérifiez:", "Nom: Kossi Mensah", "Né(e) le 17/05/1990", "Région: Plateaux",
        "Cotisation: Chaque mois", "1. Confirmer", "2. Annuler", *NAV_FR,
    )
    assert services.enrolments == []  # nothing saved before the confirmation
    assert phone.send("1") == end(
        "Bienvenue Kossi Mensah. Votre numéro AMU: 1234567890. Un SMS vous le confirme."
    )
    assert services.enrolments == [EnrolmentRequest(
        phone=phone.number, network="yas", language="fr", full_name="Kossi Mensah",
        birth_date=date(1990, 5, 17), sex="M", occupation="farmer", region="plateaux", rhythm="monthly",
    )]


def test_joining_in_english_with_a_market_day(phone, services):
    services.set_language(phone.number, "en")
    phone.dial()
    assert phone.send("1") == con("Full name:", *NAV_EN)
    assert phone.send("Ama Mensah") == con("Date of birth (DDMMYYYY):", *NAV_EN)
    assert phone.send("01011990") == con("Sex:", "1. Female", "2. Male", *NAV_EN)
    assert phone.send("1") == con(
        "Your trade:", "1. Trader", "2. Farmer", "3. Craftsperson", "4. Motorbike taxi driver", "5. Tailor",
        "6. Hairdresser", "7. Livestock farmer", "98. More", *NAV_EN,
    )
    assert phone.send("1") == con(
        "Your region:", "1. Greater Lomé", "2. Maritime", "3. Plateaux", "4. Central", "5. Kara",
        "6. Savanes", *NAV_EN,
    )
    assert phone.send("2") == con(
        "Payment rhythm:", "1. Every day", "2. Every market day", "3. Every month", "4. Every quarter",
        "5. Every half-year", "6. Every year", "7. At harvest", *NAV_EN,
    )
    assert phone.send("2") == con(
        "Market day:", "1. Monday", "2. Tuesday", "3. Wednesday", "4. Thursday", "5. Friday",
        "6. Saturday", "7. Sunday", *NAV_EN,
    )
    assert phone.send("6") == con(
        "Please check:", "Name: Ama Mensah", "Born 01/01/1990", "Region: Maritime",
        "Payments: Every market day (Saturday)", "1. Confirm", "2. Cancel", *NAV_EN,
    )
    assert phone.send("1") == end("Welcome Ama Mensah. Your AMU number: 1234567890. An SMS confirms it.")
    request = services.enrolments[0]
    assert (request.language, request.sex, request.rhythm, request.rhythm_weekday) == ("en", "F", "weekly", 5)


def test_a_market_day_in_french(phone, services):
    phone.dial()
    phone.walk("1", "Ama Mensah", "01011990", "1", "1", "1", "2")
    assert phone.send("1") == con(
        "Vérifiez:", "Nom: Ama Mensah", "Né(e) le 01/01/1990", "Région: Grand Lomé",
        "Cotisation: Chaque jour de marché (Lundi)", "1. Confirmer", "2. Annuler", *NAV_FR,
    )
    phone.send("1")
    assert services.enrolments[0].rhythm_weekday == 0


def test_seasonal_payers_pick_the_first_harvest_month_and_the_season_wraps_the_year(phone, services):
    phone.dial()
    phone.walk("1", "Yao Agbeko", "03031985", "2", "2", "6")
    assert phone.send("7") == con(
        "Premier mois de récolte:", "1. Janvier", "2. Février", "3. Mars", "4. Avril", "5. Mai", "6. Juin",
        "7. Juillet", "8. Aout", "9. Septembre", "10. Octobre", "98. Suite", *NAV_FR,
    )
    assert phone.send("98") == con("Premier mois de récolte:", "11. Novembre", "12. Décembre", *NAV_FR)
    assert phone.send("11") == con(
        "Vérifiez:", "Nom: Yao Agbeko", "Né(e) le 03/03/1985", "Région: Savanes",
        "Cotisation: Aux récoltes (Novembre-Janvier)", "1. Confirmer", "2. Annuler", *NAV_FR,
    )
    phone.send("1")
    request = services.enrolments[0]
    assert (request.rhythm, request.rhythm_months, request.rhythm_weekday) == ("seasonal", (11, 12, 1), None)


def test_cancelling_saves_nothing(phone, services):
    phone.dial()
    phone.walk("1", "Kossi Mensah", "17051990", "2", "2", "3", "3")
    assert phone.send("2") == end("Adhésion annulée. Rien n'a été enregistré.")
    assert services.enrolments == []


@pytest.mark.parametrize("refusal, reason", [
    (Refused("join.already_member"), "Ce numéro est déjà membre de l'AMU."),
    (Refused("join.too_young", min_age=18), "Adhésion possible à partir de 18 ans."),
    (Refused("join.something_new"), "Demande refusée."),  # a reason the catalog does not know yet
])
def test_a_refused_enrolment_ends_with_the_reason(phone, services, refusal, reason):
    services.refuse_enrolment = refusal
    phone.dial()
    phone.walk("1", "Kossi Mensah", "17051990", "2", "2", "3", "3")
    assert phone.send("1") == end(reason, "Adhésion non enregistrée.")


@pytest.mark.parametrize("typed, reason", [
    ("K", "Nom invalide: 2 à 60 lettres."),
    ("Kossi2", "Nom invalide: 2 à 60 lettres."),
    ("K" * 61, "Nom invalide: 2 à 60 lettres."),
    ("Kossi*Mensah", "Nom invalide: 2 à 60 lettres."),  # the whole entry, not just "Mensah"
])
def test_a_wrong_name_is_asked_again_with_the_reason(phone, typed, reason):
    phone.dial()
    phone.send("1")
    assert phone.send(typed) == con(reason, "Nom et prénoms:", *NAV_FR)


def test_an_entry_after_one_containing_a_star_is_read_whole(phone, services):
    phone.dial()
    phone.walk("1", "Kossi*Mensah")
    assert phone.send("Kossi Mensah") == con("Date de naissance (JJMMAAAA):", *NAV_FR)
    phone.walk("17051990", "2", "2", "3", "3", "1")
    assert services.enrolments[0].full_name == "Kossi Mensah"


def test_names_keep_accents_hyphens_and_apostrophes(phone, services):
    phone.dial()
    phone.walk("1", "  Akouvi   N’Guessan-Ayité ", "17051990", "1", "1", "1", "3", "1")
    assert services.enrolments[0].full_name == "Akouvi N'Guessan-Ayité"


@pytest.mark.parametrize("typed, reason", [
    ("31021990", "Date invalide (JJMMAAAA)."),
    ("1990", "Date invalide (JJMMAAAA)."),
    ("17/05/90", "Date invalide (JJMMAAAA)."),
    ("16062025", "Date dans le futur."),
    ("16062007", "Adhésion possible de 18 à 100 ans."),  # 17 the day before the 18th birthday
    ("15061924", "Adhésion possible de 18 à 100 ans."),  # 101 today
])
def test_a_wrong_birth_date_is_asked_again_with_the_reason(phone, typed, reason):
    phone.dial()
    phone.walk("1", "Kossi Mensah")
    assert phone.send(typed) == con(reason, "Date de naissance (JJMMAAAA):", *NAV_FR)


@pytest.mark.parametrize("typed, born", [
    ("15062007", date(2007, 6, 15)),  # 18 today
    ("15/06/1925", date(1925, 6, 15)),  # 100 today, typed with slashes
    ("01 01 1990", date(1990, 1, 1)),
])
def test_birth_dates_at_the_age_limits_are_accepted(phone, services, typed, born):
    phone.dial()
    phone.walk("1", "Kossi Mensah")
    assert phone.send(typed) == con("Sexe:", "1. Femme", "2. Homme", *NAV_FR)
    phone.walk("1", "1", "1", "3", "1")
    assert services.enrolments[0].birth_date == born


def test_wrong_date_in_english(phone, services):
    services.set_language(phone.number, "en")
    phone.dial()
    phone.walk("1", "Ama Mensah")
    assert phone.send("32011990") == con("Invalid date (DDMMYYYY).", "Date of birth (DDMMYYYY):", *NAV_EN)
    assert phone.send("01012010") == con(
        "Joining is open from age 18 to 100.", "Date of birth (DDMMYYYY):", *NAV_EN
    )


def test_a_very_long_name_is_shortened_on_the_confirmation_but_saved_whole(phone, services):
    """The title gives way first, then the name is cut at a word boundary; the options stay."""
    name = "Kossiwa Adjoa Mawuena Akouvi Dzifa Enyonam Abla Afiwa Mensah"
    assert len(name) == 60
    phone.dial()
    phone.walk("1", name, "17051990", "1", "1", "6", "7", "98")
    screen = phone.send("11")
    assert screen == con(
        "Nom: Kossiwa Adjoa Mawuena...", "Né(e) le 17/05/1990", "Région: Savanes",
        "Cotisation: Aux récoltes (Novembre-Janvier)", "1. Confirmer", "2. Annuler", *NAV_FR,
    )
    assert len(screen) - len("CON ") <= 160
    phone.send("1")
    assert services.enrolments[0].full_name == name
