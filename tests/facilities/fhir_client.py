"""A facility's software talking FHIR to the gateway; every answer read back through
fhir.resources' models, so a test fails on any answer that is not valid FHIR."""
from __future__ import annotations

import json
from datetime import date

from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.coverageeligibilityresponse import CoverageEligibilityResponse
from fhir.resources.R4B.operationoutcome import OperationOutcome

from gateway import clock
from tests.gateway.payment_helpers import lome

ROUTE = "/fhir/CoverageEligibilityRequest"
MODELS = {m.__name__: m for m in (CoverageEligibilityResponse, OperationOutcome, CapabilityStatement)}


def eligibility_request(number: str, day: date | None = None, *, contained: bool = False) -> dict:
    identifier = {"system": "urn:amu:member", "value": number}
    body = {
        "resourceType": "CoverageEligibilityRequest",
        "identifier": [{"system": "urn:clinique-de-la-paix:requests", "value": "req-1"}],
        "status": "active",
        "purpose": ["validation"],
        "created": "2025-10-01",
        "insurer": {"display": "AMU Togo"},
        "patient": {"identifier": identifier},
    }
    if contained:
        body["contained"] = [{"resourceType": "Patient", "id": "pat", "identifier": [identifier]}]
        body["patient"] = {"reference": "#pat"}
    if day is not None:
        body["servicedDate"] = day.isoformat()
    return body


def read(response):
    """The resource in a FHIR answer, validated by its model."""
    assert response.headers["Content-Type"] == "application/fhir+json; charset=utf-8", response.headers
    data = json.loads(response.get_data(as_text=True))
    return MODELS[data["resourceType"]].model_validate(data)


def post(client, body, key: str | None, *, content_type: str = "application/fhir+json", on: date | None = None):
    """POST a request (a dict, or raw bytes), asked on Lomé day `on` (default: now)."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    if on is None:
        return client.post(ROUTE, data=data, headers=headers, content_type=content_type)
    with clock.travel_to(lome(on, 9)):
        return client.post(ROUTE, data=data, headers=headers, content_type=content_type)


def ask(client, clinic, number: str, on: date, day: date | None = None):
    """The response to a valid request about `number`, asked on `on`; asserts a 200."""
    response = post(client, eligibility_request(number, day), clinic.api_key, on=on)
    assert response.status_code == 200, response.get_data(as_text=True)
    return read(response)


def refusal(response, status: int) -> OperationOutcome:
    assert response.status_code == status, response.get_data(as_text=True)
    outcome = read(response)
    assert isinstance(outcome, OperationOutcome)
    return outcome


def people(answer: CoverageEligibilityResponse) -> dict[str, tuple[bool, str]]:
    """{person number: (excluded, description)} from the household's items."""
    return {item.name: (item.excluded, item.description) for item in answer.insurance[0].item
            if item.category.coding and item.category.coding[0].code == "beneficiary"}
