"""FHIR errors: an ``OperationOutcome`` served as ``application/fhir+json``.

FHIR clients expect an OperationOutcome, not RFC 9457 problem+json, so FHIR routes raise
``FhirError`` and the handler ``install_fhir_error_handler`` adds answers with
``FhirError.response()``; the app-wide problem handlers stay untouched for every other route.
Raising rather than returning the error matters on a route that writes: the exception passes
through the request's session dependency, which rolls the transaction back.

Authentication fails before a route runs, so it still answers problem+json on FHIR routes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from baseline_service_kit import ProblemError

__all__ = [
    "FHIR_JSON",
    "FhirError",
    "FhirJSONResponse",
    "Issue",
    "IssueType",
    "fhir_response",
    "install_fhir_error_handler",
    "operation_outcome",
]

FHIR_JSON = "application/fhir+json"

#: The subset of FHIR's issue-type value set that Baseline reports.
IssueType = Literal[
    "invalid",
    "structure",
    "required",
    "value",
    "code-invalid",
    "business-rule",
    "not-found",
    "conflict",
    "not-supported",
    "processing",
]
#: How the problem+json errors of the rules FHIR routes share with the REST routes read in FHIR.
_PROBLEM_ISSUE_CODES: dict[int, IssueType] = {
    400: "structure",
    404: "not-found",
    409: "conflict",
    412: "conflict",
    415: "not-supported",
    422: "invalid",
}


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

    @classmethod
    def from_problem(cls, problem: ProblemError) -> FhirError:
        """The same refusal as an OperationOutcome: one issue per field error, else the detail."""
        code = _PROBLEM_ISSUE_CODES.get(problem.status, "processing")
        fields = [Issue(code, f"{error.field}: {error.message}") for error in problem.errors]
        return cls(problem.status, fields or [Issue(code, problem.detail or problem.title)])

    def response(self) -> FhirJSONResponse:
        return fhir_response(operation_outcome(self.issues), self.status)


async def _on_fhir_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, FhirError)
    return exc.response()


def install_fhir_error_handler(app: FastAPI) -> None:
    app.add_exception_handler(FhirError, _on_fhir_error)
