"""FHIR R4 routes for health facilities' software. Every answer is FHIR JSON: the
resource asked for, or an OperationOutcome with a 4xx (never an HTML page or a 5xx)."""
from __future__ import annotations

import json
import logging
from importlib.metadata import PackageNotFoundError, version

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import HTTPException

from gateway.fhir import MEDIA_TYPE
from gateway.fhir.answers import capability_statement
from gateway.fhir.coverage_eligibility import answer_request
from gateway.fhir.outcomes import FhirError

bp = Blueprint("fhir", __name__)
log = logging.getLogger("amu.fhir")
ELIGIBILITY = "/fhir/CoverageEligibilityRequest"
METADATA = "/fhir/metadata"


def _fhir(resource, status: int = 200, headers: dict | None = None) -> Response:
    """A resource (a model, or JSON the model validated) as FHIR JSON."""
    body = json.dumps(resource, ensure_ascii=False) if isinstance(resource, dict) else resource.model_dump_json()
    return Response(body, status=status, headers=headers or {}, content_type=f"{MEDIA_TYPE}; charset=utf-8")


def _refusal(error: FhirError) -> Response:
    return _fhir(error.outcome(), error.status, error.headers)


@bp.post(ELIGIBILITY)
def coverage_eligibility():
    runtime = current_app.extensions["amu"]
    try:
        answer = answer_request(runtime, request.headers.get("Authorization"), request.content_type,
                                request.get_data(cache=False))
    except FhirError as error:
        return _refusal(error)
    return _fhir(answer)


@bp.get(METADATA)
def metadata():
    try:
        software = version("amu-gateway")
    except PackageNotFoundError:
        software = "unknown"
    return _fhir(capability_statement(request.host_url.rstrip("/"), software))


@bp.route(ELIGIBILITY, methods=["GET", "PUT", "PATCH", "DELETE"])
@bp.route(METADATA, methods=["POST", "PUT", "PATCH", "DELETE"])
def wrong_method():
    allowed = "POST" if request.path == ELIGIBILITY else "GET"
    return _refusal(FhirError(405, "not-supported", f"{request.method} is not supported here: use {allowed}",
                              "Méthode non prise en charge.", headers={"Allow": allowed}))


@bp.route("/fhir", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@bp.route("/fhir/<path:_rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(_rest: str = ""):
    return _refusal(FhirError(404, "not-supported", f"no FHIR interaction at {request.path}",
                              "Adresse FHIR inconnue.", headers={}))


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    """E.g. a body over the size limit (413): still an OperationOutcome."""
    return _refusal(FhirError(exc.code or 400, "invalid" if (exc.code or 400) < 500 else "exception",
                              exc.description or exc.name, "Demande refusée."))


@bp.errorhandler(Exception)
def unexpected(exc: Exception):
    log.exception("FHIR request failed")
    return _refusal(FhirError(500, "exception", "internal error, logged", "Erreur du service: réessayez plus tard."))
