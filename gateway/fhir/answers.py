"""The `CoverageEligibilityResponse` a facility's software gets, and the server's
`CapabilityStatement`, built with fhir.resources' models (so every answer is validated).

What a facility sees: whether care is paid that day and why, in plain French; the
period paid for; the 80 % share; the check code; and each person of the household with
their own answer, named as the USSD menus name a payee ("Ko*** Me****"), with their
year of birth and relation: enough to tell the people in front of them apart, not to
learn who they are. Never a phone number, a payment or saved credit.
"""
from __future__ import annotations

from datetime import datetime

from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.coverageeligibilityresponse import CoverageEligibilityResponse

from gateway.fhir import CHECK_SYSTEM, FACILITY_SYSTEM, FHIR_VERSION, MEDIA_TYPE, MEMBER_SYSTEM
from gateway.masking import mask_name
from gateway.models import Facility
from gateway.services.eligibility import Answer, Eligibility
from gateway.services.facility_checks import CheckResult, answer_text

INSURER = {"display": "AMU Togo (Assurance Maladie Universelle)"}
RELATIONS = {"member": "titulaire", "spouse": "conjoint", "child": "enfant"}
EXCLUSIONS = ("Jamais pris en charge par l'AMU: évacuations sanitaires à l'étranger, soins déjà gratuits "
              "(programmes nationaux), maladies professionnelles (autre régime), chirurgie esthétique.")
CODE_SENTENCE = "Code de vérification {code}: à reporter sur la demande de remboursement."
TERMINOLOGY = "http://terminology.hl7.org/CodeSystem"
CAPABILITY_DATE = "2026-12-01"


def _coding(system: str, code: str, display: str) -> dict:
    return {"coding": [{"system": system, "code": code, "display": display}]}


def disposition(code: str, found: Eligibility, answer: Answer) -> str:
    """'NON COUVERT, délai de carence: soins pris en charge dès le 01/03/2027. Code de vérification ...'"""
    return f"{answer_text(answer, found, 'fr')} {CODE_SENTENCE.format(code=code)}"


def person_label(answer: Answer) -> str:
    person = answer.person
    return f"{mask_name(person.full_name)} ({RELATIONS[person.relation]}, {person.birth_date.year})"


def _period(answer: Answer) -> dict | None:
    return {"start": answer.period[0].isoformat(), "end": answer.period[1].isoformat()} if answer.period else None


def _care_item(found: Eligibility) -> dict:
    share = 100 - found.coverage_rate
    return {
        "category": _coding(f"{TERMINOLOGY}/ex-benefitcategory", "30", "Health Benefit Plan Coverage"),
        "network": _coding(f"{TERMINOLOGY}/benefit-network", "in", "In Network"),
        "unit": _coding(f"{TERMINOLOGY}/benefit-unit", "individual", "Individual"),
        "excluded": False,
        "description": (f"Soins en tiers payant dans un établissement conventionné: l'AMU paie {found.coverage_rate} %, "
                        f"le patient {share} % (ticket modérateur)."),
        "benefit": [
            {"type": {**_coding(f"{TERMINOLOGY}/benefit-type", "benefit", "Benefit"), "text": "part AMU (%)"},
             "allowedUnsignedInt": found.coverage_rate},
            {"type": {**_coding(f"{TERMINOLOGY}/benefit-type", "copay-percent", "Copayment Percent per service"),
                      "text": "ticket modérateur (%)"},
             "allowedUnsignedInt": share},
        ],
    }


def _person_item(answer: Answer, found: Eligibility) -> dict:
    """One person of the household and their own answer that day."""
    return {
        "category": {**_coding("urn:amu:eligibility-item", "beneficiary", "Bénéficiaire du foyer"),
                     "text": "bénéficiaire"},
        "name": answer.person.number,
        "unit": _coding(f"{TERMINOLOGY}/benefit-unit", "individual", "Individual"),
        "excluded": not answer.covered,
        "description": f"{person_label(answer)}: {answer_text(answer, found, 'fr')}",
    }


def eligibility_response(result: CheckResult, facility: Facility, *, purpose: list[str],
                         request_identifier: dict | None, created: datetime) -> dict:
    """The answer as FHIR JSON, validated by the R4B model before it is returned. What is
    sent is this JSON as the model accepted it: the model's own serialiser would cost
    more than the rest of the answer's work (4 ms against 3 ms of building and validating)."""
    found, answer = result.eligibility, result.answer
    insurance = {
        "coverage": {"identifier": {"system": MEMBER_SYSTEM, "value": found.amu_number},
                     "display": f"Foyer AMU {found.amu_number}"},
        "inforce": answer.covered,
        "item": [_care_item(found),
                 {"category": {"text": "Exclusions"}, "excluded": True, "description": EXCLUSIONS},
                 *(_person_item(a, found) for a in found.answers)],
    }
    if answer.period:
        insurance["benefitPeriod"] = _period(answer)
    answer = {
        "resourceType": "CoverageEligibilityResponse",
        "language": "fr",
        "identifier": [{"system": CHECK_SYSTEM, "value": result.code}],
        "status": "active",
        "purpose": purpose,
        "patient": {"identifier": {"system": MEMBER_SYSTEM, "value": answer.person.number},
                    "display": person_label(answer)},
        "servicedDate": found.day.isoformat(),
        "created": created.isoformat(timespec="seconds"),
        "requestor": {"identifier": {"system": FACILITY_SYSTEM, "value": str(facility.id)}, "display": facility.name},
        "request": {"identifier": request_identifier} if request_identifier else {"display": "CoverageEligibilityRequest"},
        "outcome": "complete",
        "disposition": disposition(result.code, found, answer),
        "insurer": INSURER,
        "insurance": [insurance],
    }
    CoverageEligibilityResponse.model_validate(answer)  # raises if it is not valid FHIR
    return answer


def capability_statement(base_url: str, version: str) -> CapabilityStatement:
    return CapabilityStatement.model_validate({
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": CAPABILITY_DATE,
        "publisher": "AMU Gateway",
        "kind": "instance",
        "software": {"name": "AMU Gateway", "version": version},
        "implementation": {"description": "AMU Togo: droits des assurés pour les établissements de santé",
                           "url": f"{base_url}/fhir"},
        "fhirVersion": FHIR_VERSION,
        "format": [MEDIA_TYPE, "json"],
        "rest": [{
            "mode": "server",
            "documentation": (f"Identify the patient with system {MEMBER_SYSTEM}: the AMU number (the member) or "
                              "AMU number-NN (a person of the household, as listed in each answer)."),
            "security": {
                "service": [{"text": "Bearer API key"}],
                "description": "Authorization: Bearer <the facility's API key> (amu facilities add).",
            },
            "resource": [{
                "type": "CoverageEligibilityRequest",
                "interaction": [{"code": "create",
                                 "documentation": "POST a request; the answer is a CoverageEligibilityResponse."}],
            }],
        }],
    })
