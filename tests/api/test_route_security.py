"""Every non-public route refuses callers without a valid token, and without the scope it needs.

The routes are read from the app itself, so a route added later is covered without being listed
here: forgetting its auth dependency fails this file. FastAPI keeps included routers lazily in
``app.routes``; ``iter_route_contexts`` yields each effective route with its full path and
dependencies.
"""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from baseline_api.app import create_app
from baseline_api.auth import RequireScope, authenticate

PUBLIC_PATHS = {"/healthz", "/readyz", "/metrics", "/openapi.json", "/docs", "/redoc"}
PROBLEM_JSON = "application/problem+json"


def _protected_routes() -> list[RouteContext]:
    contexts = iter_route_contexts(create_app().routes)
    routes = [c for c in contexts if isinstance(c.original_route, APIRoute) and c.path not in PUBLIC_PATHS]
    assert routes, "the app has no protected routes?"
    return routes


def _calls(dependant: Dependant) -> list[object]:
    found: list[object] = []
    for dependency in dependant.dependencies:
        found += [dependency.call, *_calls(dependency)]
    return found


def _scopes(route: RouteContext) -> set[frozenset[str]]:
    """Each scope requirement of the route: the scopes any one of which satisfies it."""
    return {frozenset(call.scopes) for call in _calls(route.dependant) if isinstance(call, RequireScope)}


def _requests() -> list[tuple[str, str, RouteContext]]:
    return [
        (method, route.path, route)
        for route in _protected_routes()
        if route.path is not None
        for method in sorted(route.methods or ())
    ]


def _url(path: str) -> str:
    """Fill every path parameter with a random UUID: a plausible value for ids and strings alike."""
    return re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), path)


REQUESTS = pytest.mark.parametrize(
    ("method", "path", "route"),
    [pytest.param(*request, id=f"{request[0]} {request[1]}") for request in _requests()],
)


def _assert_unauthorized(response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["status"] == 401


@pytest.mark.parametrize("route", _protected_routes(), ids=lambda r: r.name)
def test_every_protected_route_authenticates_and_names_its_scope(route):
    assert authenticate in _calls(route.dependant), f"{route.path} has no auth dependency"
    assert _scopes(route), f"{route.path} requires no scope"


@REQUESTS
async def test_no_token_is_401(api, method, path, route):
    _assert_unauthorized(await api.request(method, _url(path)))


BAD_AUTHORIZATIONS = ["Bearer bl_abcdef_not-a-real-secret", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer"]


@REQUESTS
async def test_a_bad_token_is_401(api, method, path, route):
    for authorization in BAD_AUTHORIZATIONS:
        _assert_unauthorized(await api.request(method, _url(path), headers={"Authorization": authorization}))


async def test_a_revoked_token_is_401_everywhere(api, admin_headers):
    body = {"name": "soon revoked", "scopes": ["read", "write", "ingest", "admin"]}
    created = (await api.post("/v1/api-keys", json=body, headers=admin_headers)).json()
    assert (await api.delete(f"/v1/api-keys/{created['id']}", headers=admin_headers)).status_code == 204
    headers = {"Authorization": f"Bearer {created['token']}"}
    for method, path, _ in _requests():
        _assert_unauthorized(await api.request(method, _url(path), headers=headers))


async def test_a_token_without_the_scope_is_403(api, make_headers):
    # A token with one scope the route does not accept, and never admin (which carries them all).
    tokens = {scope: await make_headers(scope) for scope in ("read", "write", "ingest")}
    for method, path, route in _requests():
        for accepted in _scopes(route):
            lacking = sorted(set(tokens) - accepted)[0]
            response = await api.request(method, _url(path), headers=tokens[lacking])
            assert response.status_code == 403, f"{method} {path}: {response.text}"
            assert response.headers["content-type"] == PROBLEM_JSON


@pytest.mark.parametrize("path", ["/healthz", "/metrics", "/openapi.json", "/docs", "/redoc"])
async def test_public_paths_need_no_token(api, path):
    assert (await api.get(path)).status_code == 200
