"""The error answers each route documents, so generated clients know every problem they can get.

Every authenticated route can answer 401 (no, bad or revoked token) and 403 (a scope missing);
routes add what their own rules can give. The service kit turns each into problem+json.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from baseline_service_kit import Problem

__all__ = ["problem_responses", "problems_of"]

_AUTH_PROBLEMS = {
    401: "The bearer token is missing, invalid or revoked.",
    403: "The token lacks the scope this operation needs.",
}


def problem_responses(described: Mapping[int, str]) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: the auth problems plus ``described`` (status -> when)."""
    merged = {**_AUTH_PROBLEMS, **described}
    return {status: {"model": Problem, "description": text} for status, text in sorted(merged.items())}


def problems_of(described: Mapping[int, str], *codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route that answers ``codes`` as a module describes them, and 422: a
    route with a UUID in its path or a body can always answer it."""
    return problem_responses({code: described[code] for code in (*codes, 422)})
