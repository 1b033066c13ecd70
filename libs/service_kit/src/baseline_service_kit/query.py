"""Unknown query parameters are refused, not ignored.

A misspelt filter (``?kidn=trust``) that is silently ignored returns a wrong answer that looks
right; a 422 naming the parameter tells the caller at once. Only the versioned API (``/v1/``) is
strict: probes and scrapers of the health and metrics endpoints may add what they like.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from .errors import FieldError, Unprocessable

__all__ = ["STRICT_PREFIX", "reject_unknown_query_parameters"]

STRICT_PREFIX = "/v1/"


def _query_names(dependant: Dependant) -> set[str]:
    names = {field.alias for field in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return names


async def reject_unknown_query_parameters(request: Request) -> None:
    """App-wide dependency: 422 naming every query parameter the route does not declare.

    Async although it awaits nothing: FastAPI runs sync dependencies in a thread pool, and the
    hand-off would cost more than the check."""
    if not request.scope["query_string"]:
        return  # most requests: nothing to check
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.path.startswith(STRICT_PREFIX):
        return
    known = _query_names(route.dependant)  # microseconds: not worth a cache keyed on routes
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in known]
    if unknown:
        expected = ", ".join(sorted(known)) or "none"
        message = f"unknown query parameter; expected: {expected}"
        errors = [FieldError(field=f"query.{name}", message=message) for name in unknown]
        raise Unprocessable(f"{len(unknown)} unknown query parameter(s).", errors=errors)
