"""One error hierarchy for both services, written to clients as RFC 9457 problem details.

Every error a client can cause is a `ProblemError` subclass raised by the code that found it;
`install_problem_handlers` turns it, FastAPI's request validation errors and Starlette's
routing errors into ``application/problem+json``. Anything else is a bug: the client gets a
bare 500 problem and the traceback goes to the log, never into the response.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from .request_context import REQUEST_ID_HEADER, current_request_id

__all__ = [
    "PROBLEM_JSON",
    "BadRequest",
    "Conflict",
    "FieldError",
    "Forbidden",
    "NotAcceptable",
    "NotFound",
    "PayloadTooLarge",
    "PreconditionFailed",
    "Problem",
    "ProblemError",
    "ServiceUnavailable",
    "Unauthorized",
    "Unprocessable",
    "UnsupportedMediaType",
    "field_path",
    "install_problem_handlers",
    "problem_response",
]

PROBLEM_JSON = "application/problem+json"
_log = logging.getLogger("baseline.errors")


class FieldError(BaseModel):
    field: str = Field(description="Path of the offending item, e.g. `responses[3].value`.")
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(default="about:blank", examples=["urn:baseline:problem:validation-error"])
    title: str = Field(examples=["Request validation failed"])
    status: int = Field(examples=[422])
    detail: str = Field(default="", examples=["1 field is invalid."])
    errors: list[FieldError] | None = None
    request_id: str | None = Field(
        default=None,
        description="The request's id, as in its `X-Request-ID` header: quote it when reporting a problem.",
        examples=["5f0c6a52-8a3e-4b8e-9d5e-2f1b7c9a0d11"],
    )


class ProblemError(Exception):
    """Base of every error a client can cause; subclasses fix the status and title."""

    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal Server Error"
    slug: ClassVar[str] = "internal-error"

    def __init__(
        self,
        detail: str = "",
        *,
        errors: Iterable[FieldError] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = list(errors)
        self.headers = dict(headers or {})

    def to_problem(self) -> Problem:
        return Problem(
            type=f"urn:baseline:problem:{self.slug}",
            title=self.title,
            status=self.status,
            detail=self.detail,
            errors=self.errors or None,
        )


class BadRequest(ProblemError):
    status, title, slug = 400, "Bad Request", "bad-request"


class Unauthorized(ProblemError):
    status, title, slug = 401, "Unauthorized", "unauthorized"

    def __init__(
        self, detail: str = "A valid bearer token is required.", *, error: str | None = None
    ) -> None:
        """``error`` is RFC 6750's code for the challenge (``invalid_token`` for a token that was
        sent but is bad, expired or foreign); none when no token was sent at all."""
        challenge = 'Bearer realm="baseline"' + (f', error="{error}"' if error else "")
        super().__init__(detail, headers={"WWW-Authenticate": challenge})


class Forbidden(ProblemError):
    status, title, slug = 403, "Forbidden", "forbidden"


class NotFound(ProblemError):
    status, title, slug = 404, "Not Found", "not-found"


class NotAcceptable(ProblemError):
    status, title, slug = 406, "Not Acceptable", "not-acceptable"


class Conflict(ProblemError):
    status, title, slug = 409, "Conflict", "conflict"


class PreconditionFailed(ProblemError):
    status, title, slug = 412, "Precondition Failed", "precondition-failed"


class PayloadTooLarge(ProblemError):
    status, title, slug = 413, "Content Too Large", "payload-too-large"


class UnsupportedMediaType(ProblemError):
    status, title, slug = 415, "Unsupported Media Type", "unsupported-media-type"


class Unprocessable(ProblemError):
    status, title, slug = 422, "Unprocessable Content", "validation-error"


class ServiceUnavailable(ProblemError):
    status, title, slug = 503, "Service Unavailable", "service-unavailable"


def problem_response(problem: Problem, headers: Mapping[str, str] | None = None) -> JSONResponse:
    """The problem as ``application/problem+json``, naming the request it answers (body and
    header both, so even an answer made outside the request middleware, a 500, carries it)."""
    request_id = current_request_id()
    if request_id is not None:
        problem = problem.model_copy(update={"request_id": request_id})
        headers = {**(headers or {}), REQUEST_ID_HEADER: request_id}
    body = problem.model_dump(mode="json", exclude_none=True)
    return JSONResponse(body, status_code=problem.status, headers=headers, media_type=PROBLEM_JSON)


def field_path(loc: Sequence[Any]) -> str:
    """A pydantic error location as a path: ``("responses", 3, "value")`` -> ``responses[3].value``;
    empty for an empty location."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _request_field(loc: Sequence[Any]) -> str:
    """``("body", "responses", 3, "value")`` -> ``responses[3].value``; ``("query", "limit")`` stays
    qualified so a query parameter is never mistaken for a body field."""
    parts = list(loc[1:]) if loc and loc[0] == "body" else list(loc)
    return field_path(parts) or "body"


def _validation_problem(exc: RequestValidationError) -> Problem:
    errors = [
        FieldError(field=_request_field(e.get("loc", ())), message=str(e.get("msg", "")))
        for e in exc.errors()
    ]
    noun = "field is" if len(errors) == 1 else "fields are"
    return Unprocessable(f"{len(errors)} {noun} invalid.", errors=errors).to_problem()


async def _on_problem(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(exc.to_problem(), exc.headers)


async def _on_validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return problem_response(_validation_problem(exc))


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    problem = Problem(
        type="about:blank", title=_reason(exc.status_code), status=exc.status_code, detail=str(exc.detail)
    )
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return problem_response(problem, headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path: Starlette's own ``Allow`` names only the first
    route whose path matched, and FastAPI makes one route per method."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:  # PARTIAL: the path matched, the method did not
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


async def _on_unexpected(_: Request, exc: Exception) -> JSONResponse:
    _log.error("unhandled error", exc_info=exc)
    return problem_response(ProblemError("An unexpected error occurred; it has been logged.").to_problem())


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)
