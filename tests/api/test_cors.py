"""CORS as the contract's "Browsers" line says: exact origins, preflights 204, the exposed headers
on every answer (errors too), and nothing at all for an origin that is not allowed.

A real browser's view of the same rules is in ``tests/browser/test_portal.py``.
"""

from __future__ import annotations

import uuid

import httpx
import pytest
from pydantic import ValidationError

from baseline_api.app import create_app
from baseline_api.core.cors import served_methods
from baseline_api.core.settings import Settings

ALLOWED = "http://portal.test:5173"
OTHER = "http://elsewhere.test:5173"
CONTRACT_REQUEST_HEADERS = ["Authorization", "Content-Type", "If-Match", "Idempotency-Key", "X-Request-ID"]
CONTRACT_EXPOSED = {"etag", "location", "retry-after", "x-request-id", "idempotent-replayed"}
PROBLEM_JSON = "application/problem+json"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"cors_allowed_origins": (ALLOWED,)})


def _preflight(method: str, headers: str = "authorization", origin: str = ALLOWED) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": headers,
    }


def _listed(value: str) -> set[str]:
    return {part.strip().lower() for part in value.split(",")}


def _cors_headers(response: httpx.Response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name.startswith("access-control-")}


def _assert_readable_by_allowed_origin(response: httpx.Response) -> None:
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert _listed(response.headers["access-control-expose-headers"]) == CONTRACT_EXPOSED
    assert "access-control-allow-credentials" not in response.headers
    assert "origin" in _listed(response.headers["vary"])


async def test_a_preflight_from_an_allowed_origin_is_204_with_the_contract_headers(api):
    headers = _preflight("PUT", ", ".join(CONTRACT_REQUEST_HEADERS))
    response = await api.options(f"/v1/assessments/{uuid.uuid4()}/responses/q1", headers=headers)
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert _listed(response.headers["access-control-allow-headers"]) >= {
        h.lower() for h in CONTRACT_REQUEST_HEADERS
    }
    assert _listed(response.headers["access-control-allow-methods"]) >= {
        "get",
        "post",
        "put",
        "patch",
        "delete",
    }
    assert response.headers["access-control-max-age"] == "600"
    assert "access-control-allow-credentials" not in response.headers
    assert "*" not in response.headers["access-control-allow-origin"]


def test_preflights_allow_every_method_the_gateway_serves(settings):
    methods = set(served_methods(create_app(settings)))
    assert methods >= {"GET", "POST", "PUT", "PATCH", "DELETE"}


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"])
async def test_each_served_method_passes_its_preflight(api, method):
    response = await api.options("/v1/organisations", headers=_preflight(method))
    assert response.status_code == 204, response.text


async def test_an_allowed_origin_can_read_an_answer_and_its_exposed_headers(api, admin_headers):
    body = {"ods_code": "RX1", "name": "Trust RX1", "kind": "trust"}
    response = await api.post("/v1/organisations", json=body, headers={**admin_headers, "Origin": ALLOWED})
    assert response.status_code == 201
    _assert_readable_by_allowed_origin(response)
    assert response.headers["location"].startswith("/v1/organisations/")


async def test_error_answers_carry_the_cors_headers_too(api):
    unauthorised = await api.get("/v1/organisations", headers={"Origin": ALLOWED})
    assert unauthorised.status_code == 401
    assert unauthorised.headers["content-type"] == PROBLEM_JSON
    assert unauthorised.headers["www-authenticate"].startswith("Bearer")
    _assert_readable_by_allowed_origin(unauthorised)

    too_large = await api.post(
        "/v1/organisations", content=b"x" * (1024 * 1024 + 1), headers={"Origin": ALLOWED}
    )
    assert too_large.status_code == 413
    _assert_readable_by_allowed_origin(too_large)


async def test_a_preflight_asking_for_more_than_is_allowed_is_a_problem_naming_it(api):
    response = await api.options("/v1/organisations", headers=_preflight("TRACE", "authorization, x-secret"))
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM_JSON
    fields = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert "TRACE" in fields["Access-Control-Request-Method"]
    assert "x-secret" in fields["Access-Control-Request-Headers"]
    assert "authorization" not in fields["Access-Control-Request-Headers"].split(";")[0].lower()


async def test_an_origin_that_is_not_allowed_gets_no_cors_header_at_all(api, admin_headers):
    preflight = await api.options("/v1/organisations", headers=_preflight("PUT", origin=OTHER))
    assert _cors_headers(preflight) == {}
    assert preflight.status_code == 405  # as with CORS off: no route serves OPTIONS
    assert preflight.headers["content-type"] == PROBLEM_JSON

    answer = await api.get("/v1/organisations", headers={**admin_headers, "Origin": OTHER})
    assert answer.status_code == 200
    assert _cors_headers(answer) == {}
    assert "origin" in _listed(answer.headers["vary"])  # caches must not reuse it across origins


@pytest.mark.parametrize("origin", [ALLOWED + "/", ALLOWED.upper(), "null", "http://portal.test"])
async def test_an_origin_that_is_only_close_to_an_allowed_one_is_not_allowed(api, origin):
    response = await api.get("/healthz", headers={"Origin": origin})
    assert _cors_headers(response) == {}


async def test_without_cors_allowed_origins_there_are_no_cors_headers(database_url, scoring_url):
    app = create_app(Settings(database_url=database_url, scoring_url=scoring_url))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        preflight = await client.options("/v1/organisations", headers=_preflight("GET", origin=ALLOWED))
        answer = await client.get("/healthz", headers={"Origin": ALLOWED})
    assert preflight.status_code == 405
    assert _cors_headers(preflight) == {}
    assert _cors_headers(answer) == {}
    assert "vary" not in answer.headers


def test_cors_allowed_origins_is_comma_separated(monkeypatch):
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", " http://127.0.0.1:3000 ,https://portal.example.nhs.uk,")
    assert Settings().cors_allowed_origins == ("http://127.0.0.1:3000", "https://portal.example.nhs.uk")
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "")
    assert Settings().cors_allowed_origins == ()


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("*", "never allowed"),
        ("https://portal.example/", "'https://portal.example'"),
        ("https://Portal.Example:443", "'https://portal.example'"),
        ("https://portal.example/app", "'https://portal.example'"),
        ("portal.example", "not an origin"),
        ("http://portal.example:70000", "not an origin"),
    ],
)
def test_an_origin_a_browser_would_never_send_is_refused_at_start(monkeypatch, value, says):
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", value)
    with pytest.raises(ValidationError, match=says):
        Settings()
