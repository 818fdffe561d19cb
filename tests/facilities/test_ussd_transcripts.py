"""Transcripts: a facility's phone checks a member (Vérifier un assuré / Check a member),
and a member reports a check that was not theirs (Ce n'était pas moi / It was not me).
Each screen's exact text, in French and English, on the menus' in-memory services."""
from datetime import date

import pytest

from tests.ussd.conftest import engine, services  # noqa: F401 - fixtures
from tests.ussd.fakes import amu_number, check_answer, dependent, rights
from tests.ussd.phone import NAV_EN, NAV_FR, Phone, con, end
from ussd_menus import gsm7_length, to_gsm7
from ussd_menus.facility_services import CheckView
from ussd_menus.journeys.facility_check import REASONS
from ussd_menus.services import Refused

CLINIC_PHONE, MEMBER_PHONE = "+22890000077", "+22890000061"
NUMBER = amu_number("123456700")
TYPO = NUMBER[:-2] + NUMBER[-1] + NUMBER[-2]
WHO_FR = ("Numéro AMU ou téléphone de l'assuré:", *NAV_FR)
WHO_EN = ("Member's AMU number or phone:", *NAV_EN)
PICK_FR = con("Qui est soigné ?", "1. Ko*** Me**** (titulaire, 1988)", "2. Af* Me**** (conjoint, 1992)",
              "3. En***** Me**** (enfant, 2003)", *NAV_FR)


@pytest.fixture
def household(services):
    return services.add_member(MEMBER_PHONE, "Kossi Mensah", number=NUMBER, state=rights("active"), dependents=[
        dependent(1, "spouse", "Afi Mensah", date(1992, 2, 1)), dependent(2, "child", "Enyonam Mensah", date(2003, 5, 1))])


@pytest.fixture
def clinic_phone(engine, services, household):  # noqa: F811
    services.add_facility(CLINIC_PHONE, "Clinique de la Paix")
    return Phone(engine, services, CLINIC_PHONE)


def test_a_clinic_checks_a_child_who_is_covered_in_french(clinic_phone, services):
    assert clinic_phone.dial() == con("AMU Togo", "1. Vérifier un assuré", "2. Adhérer", "3. Payer pour un membre",
                                      "4. Langue")
    assert clinic_phone.send("1") == con(*WHO_FR)
    assert clinic_phone.send("12a") == con("Tapez le numéro AMU (10 chiffres) ou le téléphone de l'assuré.", *WHO_FR)
    assert clinic_phone.send(TYPO) == con("Numéro AMU incorrect, vérifiez les chiffres.", *WHO_FR)
    assert clinic_phone.send(NUMBER) == PICK_FR
    assert clinic_phone.send("4") == "CON Choix invalide.\n" + PICK_FR.removeprefix("CON ")
    services.check_answers[f"{NUMBER}-02"] = check_answer(f"{NUMBER}-02", masked_name="En***** Me****",
                                                          relation="child")
    assert clinic_phone.send("3") == end(
        "COUVERT le 15/06/2025.",
        "En***** Me**** (enfant)",
        "Droits payés jusqu'au 31/07/2025. AMU 80%, patient 20%.",
        "Code: 7KQ2MX (à reporter sur la demande)",
    )  # "Envoyé aussi par SMS." gave way: 160 characters
    assert services.facility_checks == [(CLINIC_PHONE, f"{NUMBER}-02", "fr")]


def test_a_clinic_checks_by_the_members_phone_in_english(clinic_phone, services):
    services.set_language(CLINIC_PHONE, "en")
    assert clinic_phone.dial() == con("AMU Togo", "1. Check a member", "2. Join", "3. Pay for a member", "4. Language")
    assert clinic_phone.send("1") == con(*WHO_EN)
    assert clinic_phone.send("12a") == con("Type the AMU number (10 digits) or the member's phone.", *WHO_EN)
    assert clinic_phone.send("90 00 00 99") == con("No member with this number.", *WHO_EN)
    assert clinic_phone.send("90 00 00 61") == con(
        "Who is being treated?", "1. Ko*** Me**** (member, 1988)", "2. Af* Me**** (spouse, 1992)",
        "3. En***** Me**** (child, 2003)", *NAV_EN)
    services.check_answers[f"{NUMBER}-02"] = check_answer(
        f"{NUMBER}-02", masked_name="En***** Me****", relation="child", covered=False, reason="age_limit",
        date=date(2024, 5, 1))
    assert clinic_phone.send("3") == end(
        "NOT COVERED on 15/06/2025.",
        "En***** Me**** (child)",
        "Not covered since 01/05/2024: a child over 21 (26 in school).",
        "Code: 7KQ2MX (write it on the claim)",
    )
    assert services.facility_checks == [(CLINIC_PHONE, f"{NUMBER}-02", "en")]


@pytest.mark.parametrize("answer, why", [
    (check_answer(covered=False, reason="waiting", date=date(2025, 9, 8)),
     "Délai de carence: soins pris en charge dès le 08/09/2025."),
    (check_answer(reason="grace", date=date(2025, 8, 10)),
     "Cotisation en retard, suspension le 10/08/2025 sans paiement. AMU 80%, patient 20%."),
    (check_answer(covered=False, reason="suspended", date=date(2025, 4, 1), amount=102_000),
     "Suspendu depuis le 01/04/2025: payer 102 000 F pour reprendre, puis délai de carence."),
    (check_answer(covered=False, reason="pending", date=None, amount=10_000),
     "Aucune cotisation: payer 10 000 F, puis délai de carence de 90 jours."),
])
def test_not_covered_or_in_grace_the_answer_says_why_with_the_date_that_matters(clinic_phone, services, answer, why):
    services.check_answers[f"{NUMBER}-00"] = answer
    clinic_phone.dial()
    screen = clinic_phone.walk("1", NUMBER, "1")
    verdict = "COUVERT le 15/06/2025." if answer.covered else "NON COUVERT le 15/06/2025."
    assert screen.startswith(f"END {verdict}\n") and why in screen.split("\n")
    assert "Code: 7KQ2MX (à reporter sur la demande)" in screen.split("\n")
    assert len(screen.removeprefix("END ")) <= 160


def test_a_member_living_alone_is_checked_without_a_list(engine, services):  # noqa: F811
    services.add_member(MEMBER_PHONE, "Kossi Mensah", number=NUMBER)
    services.add_facility(CLINIC_PHONE)
    phone = Phone(engine, services, CLINIC_PHONE)
    phone.dial()
    assert phone.walk("1", NUMBER).startswith("END COUVERT le 15/06/2025.\nKo*** Me**** (titulaire)\n")


def test_too_many_checks_in_a_minute_is_a_polite_screen_and_back_and_home_work(clinic_phone, services):
    clinic_phone.dial()
    clinic_phone.send("1")
    services.refuse_lookup = Refused("facility.too_many")
    assert clinic_phone.send(NUMBER) == con("Trop de vérifications en une minute. Réessayez dans un instant.", *WHO_FR)
    services.refuse_lookup = None
    assert clinic_phone.send(NUMBER) == PICK_FR
    assert clinic_phone.send("0") == con(*WHO_FR)
    assert clinic_phone.send("00").startswith("CON AMU Togo\n1. Vérifier un assuré")
    assert services.facility_checks == []


def test_a_phone_removed_from_its_facility_meanwhile_is_sent_home_with_the_reason(clinic_phone, services):
    clinic_phone.dial()
    clinic_phone.walk("1", NUMBER)
    del services.facilities[CLINIC_PHONE]
    assert clinic_phone.send("1") == con("Ce téléphone n'est plus enregistré pour un établissement.", "AMU Togo",
                                         "1. Adhérer", "2. Payer pour un membre", "3. Langue")


def test_a_member_whose_phone_is_a_facilitys_sees_both(engine, services, household):  # noqa: F811
    services.add_facility(MEMBER_PHONE)
    assert Phone(engine, services, MEMBER_PHONE).dial() == con(
        "AMU Togo", "1. Vérifier un assuré", "2. Payer", "3. Mes droits", "4. Mes paiements", "5. Mes ayants droit",
        "6. Payer pour un membre", "7. Mon rythme de cotisation", "8. Langue")


# --- the member: Ce n'était pas moi --------------------------------------------------

CHECKS = [CheckView("7KQ2MX", "Clinique de la Paix", date(2025, 6, 14), "Enyonam"),
          CheckView("ABCDEF", "Pharmacie du Grand Marché de Lomé", date(2025, 6, 1), "")]


def test_a_member_reports_a_check_that_was_not_theirs_in_french(engine, services, household):  # noqa: F811
    services.checks = {household.id: list(CHECKS)}
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    assert phone.send("2") == con(
        "Couvert jusqu'au 31/07/2025.",
        "Vérifié par Clinique de la Paix le 14/06, code 7KQ2MX.",
        "1. Ce n'était pas moi", *NAV_FR)
    assert phone.send("1") == con(
        "Quelle vérification ?", "1. 14/06 7KQ2MX Clinique de la Paix (Enyonam)",
        "2. 01/06 ABCDEF Pharmacie du Grand Marc. (vous)", *NAV_FR)
    assert phone.send("2") == con(
        "Signaler cette vérification ?", "Pharmacie du Grand Marc., le 01/06/2025, code ABCDEF", "Pour: vous",
        "1. Confirmer", "2. Annuler", *NAV_FR)
    assert phone.send("1") == end("Merci. La vérification ABCDEF est signalée à l'AMU, qui va l'examiner.")
    assert services.reported == [(household.id, "ABCDEF")]


def test_a_member_reports_the_only_check_of_a_child_in_english(engine, services, household):  # noqa: F811
    services.set_language(MEMBER_PHONE, "en")
    services.checks = {household.id: CHECKS[:1]}
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    assert phone.send("2") == con(
        "Covered until 31/07/2025.", "Checked by Clinique de la Paix on 14/06, code 7KQ2MX.",
        "Household: you + 1 spouse + 1 child", "1. It was not me", *NAV_EN)
    assert phone.send("1") == con(
        "Report this check?", "Clinique de la Paix, on 14/06/2025, code 7KQ2MX", "For: Enyonam",
        "1. Confirm", "2. Cancel", *NAV_EN)
    assert phone.send("1") == end("Thank you. Check 7KQ2MX is reported to AMU, who will look into it.")
    assert services.reported == [(household.id, "7KQ2MX")]


def test_cancelling_reports_nothing_and_a_check_reported_meanwhile_is_refused(engine, services, household):  # noqa: F811
    services.checks = {household.id: CHECKS[:1]}
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    phone.walk("2", "1")
    assert phone.send("2").startswith("CON AMU Togo\n1. Payer")
    assert services.reported == []
    phone.walk("2", "1")
    services.checks = {household.id: []}  # reported from another session
    assert phone.send("1") == con("Vérification déjà signalée, ou trop ancienne.", "AMU Togo", "1. Payer",
                                  "2. Mes droits", "3. Mes paiements", "4. Mes ayants droit", "5. Payer pour un membre",
                                  "98. Suite")


def test_without_a_recent_check_mes_droits_ends_as_before(engine, services, household):  # noqa: F811
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    assert phone.send("2").startswith("END Couvert jusqu'au 31/07/2025.")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("reason", REASONS)
def test_every_answer_fits_the_screen_with_its_verdict_reason_and_code(engine, services, household, language,
                                                                        reason):  # noqa: F811
    services.add_facility(CLINIC_PHONE)
    services.set_language(CLINIC_PHONE, language)
    worst = check_answer(masked_name="Ko***** Ad**** Ma****** Ak**** Dz*** En***** Ab** Af*** Me****",
                         relation="spouse", covered=reason in ("active", "grace"), reason=reason,
                         date=date(2025, 12, 31), amount=9_999_999, waiting_days=365, child_age_limit=99,
                         child_age_limit_in_school=99)
    services.check_answers[f"{NUMBER}-01"] = worst
    phone = Phone(engine, services, CLINIC_PHONE)
    phone.dial()
    lines = phone.walk("1", NUMBER, "2").removeprefix("END ").split("\n")
    why = to_gsm7(engine.catalog.text(language, f"facility.reason.{reason}", date="31/12/2025", amount="9 999 999 F",
                                      days=365, rate=80, share=20, limit=99, school_limit=99))
    assert gsm7_length("\n".join(lines)) <= 160 and lines[0].endswith("15/06/2025.")
    assert why in lines and lines[-1].startswith("Code: 7KQ2MX (")
