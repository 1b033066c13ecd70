"""FHIR errors: an ``OperationOutcome`` served as ``application/fhir+json``.

FHIR clients expect an OperationOutcome, not RFC 9457 problem+json, so FHIR routes catch
``FhirError`` themselves and answer with ``FhirError.response()``; the app-wide problem
handlers stay untouched for every other route.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from fastapi.responses import JSONResponse

__all__ = [
    "FHIR_JSON",
    "FhirError",
    "FhirJSONResponse",
    "Issue",
    "IssueType",
    "fhir_response",
    "operation_outcome",
]

FHIR_JSON = "application/fhir+json"

#: The subset of FHIR's issue-type value set that Baseline reports.
IssueType = Literal[
    "invalid", "structure", "required", "value", "code-invalid", "business-rule", "not-found", "conflict"
]


@dataclass(frozen=True)
class Issue:
    """One ``OperationOutcome.issue``: ``expression`` holds FHIRPath locations in the request."""

    code: IssueType
    diagnostics: str
    expression: tuple[str, ...] = ()
    severity: Literal["fatal", "error", "warning", "information"] = "error"

    def as_fhir(self) -> dict[str, Any]:
        issue: dict[str, Any] = {
            "severity": self.severity,
            "code": self.code,
            "diagnostics": self.diagnostics,
        }
        if self.expression:
            issue["expression"] = list(self.expression)
        return issue


def operation_outcome(issues: Iterable[Issue]) -> dict[str, Any]:
    """An OperationOutcome listing ``issues``, which must not be empty (FHIR requires 1..*)."""
    listed = [issue.as_fhir() for issue in issues]
    if not listed:
        raise ValueError("an OperationOutcome needs at least one issue")
    return {"resourceType": "OperationOutcome", "issue": listed}


class FhirJSONResponse(JSONResponse):
    """JSON with FHIR's media type; as a route's ``response_class`` it also documents it."""

    media_type = FHIR_JSON


def fhir_response(
    document: Mapping[str, Any], status: int = 200, headers: Mapping[str, str] | None = None
) -> FhirJSONResponse:
    return FhirJSONResponse(dict(document), status_code=status, headers=headers)


class FhirError(Exception):
    """A client error on a FHIR route: ``status`` and the issues its OperationOutcome lists."""

    def __init__(self, status: int, issues: Sequence[Issue]) -> None:
        if not issues:
            raise ValueError("a FhirError needs at least one issue")
        super().__init__("; ".join(issue.diagnostics for issue in issues))
        self.status = status
        self.issues = tuple(issues)

    def response(self) -> FhirJSONResponse:
        return fhir_response(operation_outcome(self.issues), self.status)
