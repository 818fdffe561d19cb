"""A clinic's software asks `POST /fhir/CoverageEligibilityRequest` about Afi's household
(see conftest) on the days of its calendar; every answer is read back through the
library's models (fhir_client.read)."""
import re
from datetime import date

from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.coverageeligibilityresponse import CoverageEligibilityResponse

from .fhir_client import ask, eligibility_request, people, post, read

CODE = re.compile(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}")
CODE_SENTENCE = " Code de vérification {code}: à reporter sur la demande de remboursement."


def code_of(answer: CoverageEligibilityResponse) -> str:
    (identifier,) = answer.identifier
    assert identifier.system == "urn:amu:check" and CODE.fullmatch(identifier.value)
    return identifier.value


def test_an_active_member_is_covered_with_the_period_paid_the_80_percent_and_each_person(client, afi, clinic):
    answer = ask(client, clinic, afi.amu_number, on=date(2025, 10, 1))
    code = code_of(answer)
    assert (answer.status, answer.outcome, answer.purpose, str(answer.servicedDate)) == (
        "active", "complete", ["validation"], "2025-10-01")
    assert answer.disposition == ("COUVERT, droits payés jusqu'au 09/06/2026. AMU 80%, patient 20%."
                                  + CODE_SENTENCE.format(code=code))
    assert (answer.patient.identifier.system, answer.patient.identifier.value) == ("urn:amu:member", afi.number(0))
    assert answer.patient.display == "Af* Te******** (titulaire, 1988)"
    assert (answer.requestor.identifier.value, answer.requestor.display) == (str(clinic.id), "Clinique de la Paix")
    assert answer.request.identifier.value == "req-1"
    (insurance,) = answer.insurance
    assert insurance.inforce is True
    assert (str(insurance.benefitPeriod.start), str(insurance.benefitPeriod.end)) == ("2025-09-08", "2026-06-09")
    assert insurance.coverage.identifier.value == afi.amu_number
    care, exclusions = insurance.item[0], insurance.item[1]
    assert [(b.type.coding[0].code, b.allowedUnsignedInt) for b in care.benefit] == [("benefit", 80), ("copay-percent", 20)]
    assert exclusions.excluded is True and "chirurgie esthétique" in exclusions.description
    assert people(answer) == {
        afi.number(0): (False, "Af* Te******** (titulaire, 1988): COUVERT, droits payés jusqu'au 09/06/2026. "
                               "AMU 80%, patient 20%."),
        afi.number(1): (False, "Ko*** Te** (conjoint, 1985): COUVERT, droits payés jusqu'au 09/06/2026. "
                               "AMU 80%, patient 20%."),
        afi.number(2): (False, "Ko*** Te** (enfant, 2004): COUVERT, droits payés jusqu'au 09/06/2026. "
                               "AMU 80%, patient 20%."),
        afi.number(3): (True, "Am* Te** (enfant, 2004): NON COUVERT depuis le 01/08/2025: enfant de plus de "
                              "21 ans (26 ans à l'école)."),
    }


def test_in_the_waiting_period_the_answer_says_from_when_care_is_paid(client, afi, clinic):
    answer = ask(client, clinic, afi.amu_number, on=date(2025, 7, 1))
    assert answer.insurance[0].inforce is False
    assert answer.disposition.startswith("NON COUVERT, délai de carence: soins pris en charge dès le 08/09/2025.")
    period = answer.insurance[0].benefitPeriod
    assert (str(period.start), str(period.end)) == ("2025-09-08", "2026-06-09")


def test_in_grace_covered_until_the_suspension_and_the_child_of_22_in_school_too(client, afi, clinic):
    member = ask(client, clinic, afi.number(0), on=date(2026, 8, 5))
    assert member.insurance[0].inforce is True
    assert member.disposition.startswith("COUVERT, cotisation en retard (suspension le 10/08/2026).")
    assert str(member.insurance[0].benefitPeriod.end) == "2026-08-09"
    koffi = ask(client, clinic, afi.number(2), on=date(2026, 8, 5))  # 22, in school
    assert koffi.insurance[0].inforce is True and koffi.patient.identifier.value == afi.number(2)
    ama = ask(client, clinic, afi.number(3), on=date(2026, 8, 5))  # 22, not in school
    assert ama.insurance[0].inforce is False and ama.insurance[0].benefitPeriod is None
    assert ama.disposition.startswith("NON COUVERT depuis le 01/08/2025: enfant de plus de 21 ans (26 ans à l'école).")
    assert len({code_of(member), code_of(koffi), code_of(ama)}) == 3  # one check per person


def test_the_spouse_is_covered_as_the_member_is(client, afi, clinic):
    spouse = ask(client, clinic, afi.number(1), on=date(2025, 10, 1))
    assert spouse.insurance[0].inforce is True and spouse.patient.display == "Ko*** Te** (conjoint, 1985)"


def test_suspended_says_what_to_pay_and_that_a_new_waiting_period_follows(client, afi, clinic):
    answer = ask(client, clinic, afi.amu_number, on=date(2026, 9, 1))
    assert answer.insurance[0].inforce is False and answer.insurance[0].benefitPeriod is None
    assert answer.disposition.startswith(
        "NON COUVERT, suspendu depuis le 10/08/2026: payer 102 000 F pour reprendre, puis délai de carence.")


def test_a_claim_for_past_care_is_answered_for_its_day(client, afi, clinic):
    answer = ask(client, clinic, afi.amu_number, on=date(2026, 9, 1), day=date(2025, 10, 1))
    assert answer.insurance[0].inforce is True and str(answer.servicedDate) == "2025-10-01"


def test_the_patient_may_be_a_contained_patient(client, afi, clinic):
    response = post(client, eligibility_request(afi.number(2), contained=True), clinic.api_key, on=date(2025, 10, 1))
    assert response.status_code == 200
    assert read(response).patient.identifier.value == afi.number(2)


def test_the_requests_identifier_is_echoed_whatever_it_carries(client, afi, clinic):
    body = eligibility_request(afi.amu_number)
    body["identifier"] = [{"system": "urn:x", "value": "r-7", "period": {"start": "2025-10-01"}, "use": "usual"}]
    answer = read(post(client, body, clinic.api_key, on=date(2025, 10, 1)))
    assert (answer.request.identifier.system, answer.request.identifier.value) == ("urn:x", "r-7")
    del body["identifier"]
    assert read(post(client, body, clinic.api_key, on=date(2025, 10, 1))).request.display == "CoverageEligibilityRequest"


def test_asking_again_the_same_day_gives_the_same_check_code(client, afi, clinic):
    first = ask(client, clinic, afi.amu_number, on=date(2025, 10, 1))
    again = ask(client, clinic, afi.number(0), on=date(2025, 10, 1))
    next_day = ask(client, clinic, afi.amu_number, on=date(2025, 10, 2))
    assert code_of(first) == code_of(again) != code_of(next_day)


def test_a_facility_learns_nothing_beyond_the_answer(client, afi, clinic):
    text = post(client, eligibility_request(afi.amu_number), clinic.api_key, on=date(2026, 9, 1)).get_data(as_text=True)
    for private in ("+22890000061", "90000061", "Afi Test-Koffi", "Komla Test", "Koffi Test", "Ama Test",
                    "1985-01-01", "2004-03-01", "AMU0", "Épargne", "credit"):
        assert private not in text


def test_the_capability_statement_tells_fhir_clients_what_is_served(client):
    response = client.get("/fhir/metadata")
    assert response.status_code == 200
    statement = read(response)
    assert isinstance(statement, CapabilityStatement)
    assert statement.fhirVersion == "4.0.1" and statement.kind == "instance"
    (rest,) = statement.rest
    assert [(r.type, [i.code for i in r.interaction]) for r in rest.resource] == [("CoverageEligibilityRequest", ["create"])]
    assert "urn:amu:member" in rest.documentation and "Bearer" in rest.security.description
