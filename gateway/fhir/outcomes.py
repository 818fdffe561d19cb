"""Refusals as FHIR `OperationOutcome`s, each with the HTTP status it goes with."""
from __future__ import annotations

from fhir.resources.R4B.operationoutcome import OperationOutcome


class FhirError(Exception):
    """A request we answer with an OperationOutcome and a 4xx.

    `code` is the FHIR issue type (invalid, not-found, login, security, throttled...),
    `diagnostics` says what is wrong for the developer (English), `text` what it means
    for the facility (French)."""

    def __init__(self, status: int, code: str, diagnostics: str, text: str, *, expression: list[str] | None = None,
                 headers: dict | None = None, issues: list[dict] | None = None):
        super().__init__(diagnostics)
        self.status, self.code, self.diagnostics, self.text = status, code, diagnostics, text
        self.expression, self.headers, self.issues = expression, headers or {}, issues

    def outcome(self) -> OperationOutcome:
        issues = self.issues or [issue(self.code, self.diagnostics, self.expression)]
        issues[0] = {**issues[0], "details": {"text": self.text}}
        return OperationOutcome.model_validate({"issue": issues})


def issue(code: str, diagnostics: str, expression: list[str] | None = None) -> dict:
    found = {"severity": "error", "code": code, "diagnostics": diagnostics}
    if expression:
        found["expression"] = expression
    return found
