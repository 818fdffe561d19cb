"""POST /fhir/CoverageEligibilityRequest, from the Authorization header and the body to
the answer: the facility by its key, its rate of checks, the question, the check kept."""
from __future__ import annotations

from datetime import timedelta

from gateway import clock
from gateway.fhir import answers
from gateway.fhir.outcomes import FhirError
from gateway.fhir.questions import RESOURCE, malformed, read_question
from gateway.services.eligibility import DayOutOfRange, InvalidBeneficiary, parse_beneficiary
from gateway.services.facilities import facility_by_key
from gateway.services.facility_checks import (
    CHECK_WINDOW, UnknownMember, check_rights, member_by_number, within_check_limit,
)

DAYS_AHEAD = 31  # a check for planned care; further ahead nothing says what will be paid by then


def _unauthorised(diagnostics: str, code: str) -> FhirError:
    return FhirError(401, code, diagnostics, "Clé d'accès absente, inconnue ou révoquée.",
                     headers={"WWW-Authenticate": 'Bearer realm="amu", error="invalid_token"'})


def _bearer(authorization: str | None) -> str:
    scheme, _, key = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise _unauthorised("send Authorization: Bearer <the facility's API key>", "login")
    return key.strip()


def _throttle(runtime, facility_id: int) -> None:
    if not within_check_limit(runtime, facility_id):
        retry = CHECK_WINDOW - int(clock.now().timestamp()) % CHECK_WINDOW
        limit = runtime.settings.facility_checks_per_minute
        raise FhirError(429, "throttled", f"more than {limit} checks a minute from this facility",
                        "Trop de vérifications en une minute: réessayez dans un instant.",
                        headers={"Retry-After": str(retry)})


def answer_request(runtime, authorization: str | None, content_type: str | None, body: bytes) -> dict:
    """The CoverageEligibilityResponse (JSON its model validated), or FhirError (a 4xx)
    saying why there is none. Nothing is kept for a
    refused request; an answered one is kept with its check code."""
    key = _bearer(authorization)
    with runtime.db.begin() as session:
        facility = facility_by_key(session, key)
        if facility is None:
            raise _unauthorised("unknown or revoked API key", "security")
        _throttle(runtime, facility.id)
        question = read_question(content_type, body)
        try:
            amu_number, rank = parse_beneficiary(question.beneficiary)
            member = member_by_number(session, amu_number)
        except InvalidBeneficiary as exc:
            raise malformed(f"patient identifier: {exc}", "Numéro AMU incorrect: vérifiez les chiffres.",
                            expression=[f"{RESOURCE}.patient"]) from None
        except UnknownMember:
            raise _not_found("no member has this AMU number") from None
        now = clock.now()
        today = clock.local_date(now)
        day = question.day or today
        if day > today + timedelta(days=DAYS_AHEAD):
            raise _unanswerable(f"servicedDate is more than {DAYS_AHEAD} days ahead")
        try:
            result = check_rights(session, runtime.queue, facility, member, rank, day, channel="fhir",
                                  asked_by=facility.api_key_id, disposition=answers.disposition)
        except DayOutOfRange as exc:
            raise _unanswerable(str(exc)) from None
        if result is None:
            raise _not_found(f"the household of {amu_number} has no person {rank:02d}")
        return answers.eligibility_response(result, facility, purpose=question.purpose,
                                            request_identifier=question.request_identifier, created=now)


def _not_found(diagnostics: str) -> FhirError:
    return FhirError(404, "not-found", diagnostics, "Aucun assuré avec ce numéro.", expression=[f"{RESOURCE}.patient"])


def _unanswerable(diagnostics: str) -> FhirError:
    return FhirError(422, "business-rule", diagnostics, "Pas de réponse possible pour cette date.",
                     expression=[f"{RESOURCE}.servicedDate"])
