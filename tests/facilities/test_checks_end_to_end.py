"""A check through the real gateway: the clinic's phone over the USSD route, the answer
kept, both told by SMS, the member's report flagged and listed for the fraud team."""
import dataclasses
import json
import re
from datetime import date

from sqlalchemy import select

from gateway import clock
from gateway.models import FacilityCheck, FacilityCheckAnswer, SmsMessage
from tests.gateway.payment_helpers import lome
from tests.gateway.test_cli import amu  # noqa: F401 - fixture
from tests.gateway.test_ussd_http import Phone

from .conftest import AFI_PHONE
from .fhir_client import ask

ON = date(2025, 10, 1)


def sms(runtime, kind: str) -> list[tuple[str, str]]:
    with runtime.db() as session:
        return [(m.phone, m.text) for m in session.scalars(
            select(SmsMessage).where(SmsMessage.kind == kind).order_by(SmsMessage.id))]


def rights_screen(client, session_id: str) -> str:
    phone = Phone(client, AFI_PHONE, session_id)
    phone.dial()
    return phone.send("2")


def check_by_ussd(client, clinic, entries, session_id="ATUid_clinic", day=ON) -> str:
    phone = Phone(client, clinic.phone, session_id)
    with clock.travel_to(lome(day, 10)):
        phone.dial()
        for entry in entries[:-1]:
            phone.send(entry)
        return phone.send(entries[-1])


def test_a_clinic_checks_a_child_by_ussd_and_everyone_is_told(client, runtime, afi, clinic, run_jobs):
    screen = check_by_ussd(client, clinic, ["1", afi.amu_number, "3"])
    code = re.search(r"Code: ([A-Z0-9]{6}) ", screen).group(1)
    assert screen == "\n".join([
        "END COUVERT le 01/10/2025.",
        "Ko*** Te** (enfant)",
        "Droits payés jusqu'au 09/06/2026. AMU 80%, patient 20%.",
        f"Code: {code} (à reporter sur la demande)",
    ])
    run_jobs()
    assert sms(runtime, "check_dependant") == [(AFI_PHONE, (
        f"AMU Togo: Clinique de la Paix a vérifié les droits de Koffi pour le 01/10/2025, code {code}. "
        "Pas vous ? Menu Mes droits."))]
    assert sms(runtime, "check_facility") == [(clinic.phone, (
        f"AMU Togo: code {code}, {afi.number(2)}, le 01/10/2025: COUVERT, droits payés jusqu'au 09/06/2026. "
        "AMU 80%, patient 20%."))]
    with runtime.db() as session:
        check = session.scalar(select(FacilityCheck))
        answer = session.scalar(select(FacilityCheckAnswer))
    assert (check.code, check.facility_id, check.beneficiary, check.service_day) == (
        code, clinic.id, afi.number(2), ON)
    assert (answer.channel, answer.asked_by, answer.covered, answer.reason, answer.key_date) == (
        "ussd", clinic.phone, True, "active", date(2026, 6, 9))
    assert [p["number"] for p in answer.answer["household"]] == [afi.number(r) for r in range(4)]


def test_the_same_person_checked_again_that_day_keeps_the_code_and_the_member_one_sms(client, runtime, afi, clinic):
    first = check_by_ussd(client, clinic, ["1", afi.amu_number, "1"], "ATUid_1")
    fhir = ask(client, clinic, afi.number(0), on=ON)
    again = check_by_ussd(client, clinic, ["1", "90 00 00 61", "1"], "ATUid_2")  # by the member's phone
    code = fhir.identifier[0].value
    assert f"Code: {code} " in first and f"Code: {code} " in again
    assert [text.split(", code ")[1][:6] for _, text in sms(runtime, "check_member")] == [code]
    assert len(sms(runtime, "check_facility")) == 2  # the clinic's phone got each of its answers
    with runtime.db() as session:
        assert [a.channel for a in session.scalars(select(FacilityCheckAnswer).order_by(FacilityCheckAnswer.id))] == [
            "ussd", "fhir", "ussd"]


def test_the_member_reports_it_and_the_fraud_team_sees_it_flagged(client, runtime, afi, clinic, amu):  # noqa: F811
    check_by_ussd(client, clinic, ["1", afi.amu_number, "2"])
    member = Phone(client, AFI_PHONE, "ATUid_afi")
    with clock.travel_to(lome(date(2025, 10, 3), 18)):
        member.dial()
        rights = member.send("2")
        assert rights.startswith("CON Couvert jusqu'au 09/06/2026.\nVérifié par Clinique de la Paix le 01/10, code ")
        assert member.send("1").startswith("CON Signaler cette vérification ?\nClinique de la Paix, le 01/10/2025")
        assert member.send("1").startswith("END Merci. La vérification ")
    flagged = json.loads(amu("facilities", "checks", "--flagged", "--format", "json").output)
    assert [(c["beneficiary"], c["facility"], c["asked_by"], c["covered"], c["flagged_at"]) for c in flagged] == [
        (afi.number(1), "Clinique de la Paix", clinic.phone, True, "2025-10-03 18:00")]
    assert len(json.loads(amu("facilities", "checks", "--format", "json").output)) == 1
    with clock.travel_to(lome(date(2025, 10, 4), 9)):  # reported: Mes droits ends as before
        assert rights_screen(client, "ATUid_afi2").startswith("END Couvert jusqu'au 09/06/2026.")


def test_a_check_older_than_the_report_window_cannot_be_reported(client, runtime, afi, clinic):
    check_by_ussd(client, clinic, ["1", afi.amu_number, "1"])
    with clock.travel_to(lome(date(2025, 10, 31), 9)):  # 30 days later: the last day to report it
        assert rights_screen(client, "ATUid_last").startswith("CON Couvert jusqu'au 09/06/2026.\nVérifié par")
    with clock.travel_to(lome(date(2025, 11, 1), 9)):  # 31 days later: the window (30 days) is over
        assert rights_screen(client, "ATUid_late").startswith("END Couvert jusqu'au 09/06/2026.")


def test_by_ussd_too_many_checks_a_minute_get_a_polite_screen(client, runtime, afi, clinic, monkeypatch):
    monkeypatch.setattr(runtime, "settings", dataclasses.replace(runtime.settings, facility_checks_per_minute=1))
    check_by_ussd(client, clinic, ["1", afi.amu_number, "1"], "ATUid_a")
    refused = check_by_ussd(client, clinic, ["1", afi.amu_number], "ATUid_b")
    assert refused == ("CON Trop de vérifications en une minute. Réessayez dans un instant.\n"
                       "Numéro AMU ou téléphone de l'assuré:\n0. Retour\n00. Accueil")


def test_a_phone_not_registered_to_a_facility_never_sees_the_item(client, afi):
    assert "Vérifier un assuré" not in Phone(client, "+22890000099", "ATUid_x").dial()
    assert "Vérifier un assuré" not in Phone(client, AFI_PHONE, "ATUid_y").dial()


def test_each_is_told_in_their_own_language(client, runtime, afi, clinic, run_jobs):
    from gateway.services.menu_facade import GatewayMenuServices

    GatewayMenuServices(runtime).set_language(AFI_PHONE, "en")
    GatewayMenuServices(runtime).set_language(clinic.phone, "en")
    screen = check_by_ussd(client, clinic, ["1", afi.amu_number, "4"])
    code = re.search(r"Code: ([A-Z0-9]{6}) ", screen).group(1)
    assert screen.startswith("END NOT COVERED on 01/10/2025.\nAm* Te** (child)\n"
                             "Not covered since 01/08/2025: a child over 21 (26 in school).\n")
    run_jobs()
    assert sms(runtime, "check_dependant") == [(AFI_PHONE, (
        f"AMU Togo: Clinique de la Paix checked the rights of Ama for 01/10/2025, code {code}. Not you? Menu My rights."))]
    assert sms(runtime, "check_facility") == [(clinic.phone, (
        f"AMU Togo: code {code}, {afi.number(3)}, on 01/10/2025: NOT COVERED since 01/08/2025: a child over 21 "
        "(26 in school)."))]
