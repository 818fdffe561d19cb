"""What the FHIR route refuses, always as a valid OperationOutcome with a 4xx, and
fuzzed: no input gives a 5xx."""
import dataclasses
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from gateway.models import FacilityCheckAnswer
from gateway.services.facilities import revoke_key, rotate_key

from .fhir_client import ROUTE, eligibility_request, post, read, refusal

ON = date(2025, 10, 1)


def issues(outcome) -> list[tuple[str, str]]:
    return [(i.code, i.diagnostics) for i in outcome.issue]


def answers_kept(runtime) -> int:
    with runtime.db() as session:
        return session.scalar(select(func.count()).select_from(FacilityCheckAnswer))


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Basic dXNlcjpwYXNz", "Bearer amuf_x", "Bearer é",
                                           "Bearer amuf_\x00_secret", "Bearer amuf_0123456789ab_" + "x" * 300])
def test_a_request_without_a_valid_key_is_refused_with_401(client, afi, clinic, runtime, authorization):
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = client.post(ROUTE, data=json.dumps(eligibility_request(afi.amu_number)), headers=headers,
                           content_type="application/fhir+json")
    outcome = refusal(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert outcome.issue[0].code in ("login", "security")
    assert answers_kept(runtime) == 0


def test_a_revoked_key_is_refused_and_a_rotated_one_replaces_it(client, afi, clinic, runtime):
    from gateway.models import Facility

    with runtime.db.begin() as session:
        revoke_key(session, session.get(Facility, clinic.id))
    refusal(post(client, eligibility_request(afi.amu_number), clinic.api_key, on=ON), 401)
    with runtime.db.begin() as session:
        new = rotate_key(session, session.get(Facility, clinic.id)).api_key
    assert post(client, eligibility_request(afi.amu_number), new, on=ON).status_code == 200
    refusal(post(client, eligibility_request(afi.amu_number), clinic.api_key, on=ON), 401)
    another = dataclasses.replace(clinic, api_key=new[:-1] + ("A" if new[-1] != "A" else "B"))
    refusal(post(client, eligibility_request(afi.amu_number), another.api_key, on=ON), 401)


def test_an_unknown_member_or_person_is_404(client, afi, clinic):
    from stdnum import verhoeff

    nobody = "123456789" + verhoeff.calc_check_digit("123456789")
    outcome = refusal(post(client, eligibility_request(nobody), clinic.api_key, on=ON), 404)
    assert outcome.issue[0].code == "not-found" and outcome.issue[0].details.text == "Aucun assuré avec ce numéro."
    refusal(post(client, eligibility_request(afi.number(7)), clinic.api_key, on=ON), 404)


@pytest.mark.parametrize("change, expression", [
    ({"patient": {"identifier": {"system": "urn:other", "value": "1"}}}, "CoverageEligibilityRequest.patient"),
    ({"patient": {"reference": "#missing"}}, "CoverageEligibilityRequest.patient"),
    ({"servicedDate": "2025-10"}, "CoverageEligibilityRequest.servicedDate"),
    ({"servicedDate": "2025-13-01"}, "CoverageEligibilityRequest.servicedDate"),
    ({"servicedPeriod": {"start": "2025-10-01"}}, "CoverageEligibilityRequest.servicedPeriod"),
    ({"resourceType": "Patient"}, "resourceType"),
    ({"status": None}, "CoverageEligibilityRequest.status"),
    ({"bogus": 1}, "CoverageEligibilityRequest.bogus"),
])
def test_a_malformed_request_is_400_naming_what_is_wrong(client, afi, clinic, runtime, change, expression):
    body = {k: v for k, v in {**eligibility_request(afi.amu_number), **change}.items() if v is not None}
    outcome = refusal(post(client, body, clinic.api_key, on=ON), 400)
    assert expression in [e for i in outcome.issue for e in (i.expression or [])]
    assert answers_kept(runtime) == 0


def test_a_mistyped_amu_number_is_400(client, afi, clinic):
    typo = afi.amu_number[:-2] + afi.amu_number[-1] + afi.amu_number[-2]
    typo = typo if typo != afi.amu_number else afi.amu_number[:-1] + str((int(afi.amu_number[-1]) + 1) % 10)
    outcome = refusal(post(client, eligibility_request(typo), clinic.api_key, on=ON), 400)
    assert outcome.issue[0].details.text == "Numéro AMU incorrect: vérifiez les chiffres."


@pytest.mark.parametrize("body, content_type, status", [
    (b"{not json", "application/fhir+json", 400),
    (b"[]", "application/json", 400),
    (b"\xff\xfe", "application/fhir+json", 400),
    (b"[" * 50_000 + b"]" * 50_000, "application/fhir+json", 413),  # over the 64 KiB limit
    (b"[" * 30_000 + b"]" * 30_000, "application/fhir+json", 400),  # deeper than any parser should follow
    (b"resourceType=CoverageEligibilityRequest", "application/x-www-form-urlencoded", 415),
])
def test_bodies_that_are_not_fhir_json_are_refused(client, clinic, body, content_type, status):
    refusal(post(client, body, clinic.api_key, content_type=content_type), status)


def test_days_that_cannot_be_answered_are_422(client, afi, clinic):
    ahead = refusal(post(client, eligibility_request(afi.amu_number, date(2025, 11, 5)), clinic.api_key, on=ON), 422)
    assert ahead.issue[0].code == "business-rule"
    refusal(post(client, eligibility_request(afi.amu_number, date(2023, 6, 1)), clinic.api_key, on=ON), 422)
    assert post(client, eligibility_request(afi.amu_number, date(2025, 10, 31)), clinic.api_key, on=ON).status_code == 200


def test_other_methods_and_paths_answer_in_fhir_too(client):
    assert refusal(client.get(ROUTE), 405).issue[0].code == "not-supported"
    assert client.get(ROUTE).headers["Allow"] == "POST"
    refusal(client.post("/fhir/metadata"), 405)
    refusal(client.get("/fhir/Patient/1"), 404)
    refusal(client.post("/fhir"), 404)


def test_checks_are_limited_per_facility_per_minute_with_a_polite_429(client, afi, clinic, runtime, monkeypatch):
    from gateway.services.facilities import add_facility

    monkeypatch.setattr(runtime, "settings", dataclasses.replace(runtime.settings, facility_checks_per_minute=2))
    with runtime.db.begin() as session:
        other = add_facility(session, "Pharmacie du Marché", "pharmacy", "grand_lome").api_key
    statuses = [post(client, eligibility_request(afi.amu_number), clinic.api_key, on=ON).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    throttled = post(client, eligibility_request(afi.amu_number), clinic.api_key, on=ON)
    outcome = refusal(throttled, 429)
    assert outcome.issue[0].code == "throttled" and 0 < int(throttled.headers["Retry-After"]) <= 60
    assert outcome.issue[0].details.text == "Trop de vérifications en une minute: réessayez dans un instant."
    assert post(client, eligibility_request(afi.amu_number), other, on=ON).status_code == 200  # another facility


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
FIELDS = ("resourceType", "status", "purpose", "patient", "created", "insurer", "servicedDate", "contained",
          "identifier", "servicedPeriod", "item")


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_fuzz_no_request_gets_a_5xx_and_every_answer_is_valid_fhir(client, afi, clinic, data):
    body = eligibility_request(afi.amu_number)
    kind = data.draw(st.sampled_from(["field", "patient", "bytes", "json"]))
    if kind == "field":
        body[data.draw(st.sampled_from(FIELDS))] = data.draw(JSON)
        raw = json.dumps(body)
    elif kind == "patient":
        body["patient"] = {"identifier": {"system": "urn:amu:member", "value": data.draw(st.text(max_size=30))}}
        raw = json.dumps(body)
    elif kind == "bytes":
        raw = data.draw(st.binary(max_size=200))
    else:
        raw = json.dumps(data.draw(JSON))
    content_type = data.draw(st.sampled_from(["application/fhir+json", "application/json; charset=utf-8",
                                              "text/plain", ""]))
    key = data.draw(st.sampled_from([clinic.api_key, None]) | st.text(max_size=40).map(lambda t: f"amuf_{t}"))
    response = post(client, raw, key, content_type=content_type, on=ON)
    assert response.status_code < 500, response.get_data(as_text=True)
    read(response)
