"""Read a `CoverageEligibilityRequest`: who (the patient's `urn:amu:member` identifier,
on `patient.identifier` or on the contained Patient that `patient.reference` names) and
for which day (`servicedDate`, default today in Lomé)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from fhir.resources.R4B.coverageeligibilityrequest import CoverageEligibilityRequest
from pydantic import ValidationError

from gateway.fhir import MEDIA_TYPE, MEMBER_SYSTEM
from gateway.fhir.outcomes import FhirError, issue

ACCEPTED_TYPES = (MEDIA_TYPE, "application/json")
RESOURCE = "CoverageEligibilityRequest"
MAX_ISSUES = 20


@dataclass(frozen=True)
class Question:
    beneficiary: str  # "1234567890" or "1234567890-01"
    day: date | None  # None: today
    purpose: list[str]
    request_identifier: dict | None  # the request's first identifier (system, value), echoed in the answer


def malformed(diagnostics: str, text: str = "Demande FHIR mal formée.", expression: list[str] | None = None,
              issues: list[dict] | None = None) -> FhirError:
    return FhirError(400, "invalid", diagnostics, text, expression=expression, issues=issues)


def _body(content_type: str | None, body: bytes) -> dict:
    if (content_type or "").split(";")[0].strip().lower() not in ACCEPTED_TYPES:
        raise FhirError(415, "not-supported", f"send the request as {MEDIA_TYPE}",
                        "Format non pris en charge: envoyez du JSON FHIR.")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested beyond reason
        raise malformed("the body is not JSON") from None
    if not isinstance(data, dict) or data.get("resourceType") != RESOURCE:
        raise malformed(f"the body must be a {RESOURCE} resource", expression=["resourceType"])
    return data


def _validated(data: dict) -> CoverageEligibilityRequest:
    try:
        return CoverageEligibilityRequest.model_validate(data)
    except ValidationError as exc:
        issues = [issue("required" if "missing" in e["type"] else "invalid", e["msg"],
                        [".".join([RESOURCE, *(str(p) for p in e["loc"])])])
                  for e in exc.errors(include_url=False, include_input=False)[:MAX_ISSUES]]
        raise malformed("the request is not a valid FHIR R4 CoverageEligibilityRequest", issues=issues) from None
    except (ValueError, TypeError, RecursionError) as exc:  # what a validator may raise outside pydantic
        raise malformed(f"the request cannot be read: {type(exc).__name__}") from None


def _member_identifier(identifiers) -> str | None:
    return next((i.value for i in identifiers or () if i.system == MEMBER_SYSTEM and i.value), None)


def _patient_identifier(request: CoverageEligibilityRequest) -> str:
    patient = request.patient
    if patient.identifier is not None and patient.identifier.system == MEMBER_SYSTEM and patient.identifier.value:
        return patient.identifier.value
    reference = patient.reference or ""
    if reference.startswith("#"):
        contained = next((r for r in request.contained or () if r.get_resource_type() == "Patient"
                          and r.id == reference[1:]), None)
        if contained is not None and (value := _member_identifier(contained.identifier)):
            return value
    raise malformed(f"the patient must carry an identifier with system {MEMBER_SYSTEM} (the AMU number)",
                    "Patient non identifié: donnez son numéro AMU.", expression=[f"{RESOURCE}.patient"])


def read_question(content_type: str | None, body: bytes) -> Question:
    request = _validated(_body(content_type, body))
    if request.servicedPeriod is not None and request.servicedDate is None:
        raise malformed("answers are given for one day: send servicedDate, not servicedPeriod",
                        expression=[f"{RESOURCE}.servicedPeriod"])
    if request.servicedDate is not None and not isinstance(request.servicedDate, date):  # "2026" or "2026-06"
        raise malformed("servicedDate must be a whole day (YYYY-MM-DD)", expression=[f"{RESOURCE}.servicedDate"])
    first = request.identifier[0] if request.identifier else None
    identifier = {k: v for k, v in (("system", first.system), ("value", first.value)) if v} if first else None
    return Question(
        beneficiary=_patient_identifier(request),
        day=request.servicedDate,
        purpose=list(request.purpose or ["validation"]),
        request_identifier=identifier,
    )
