"""The example portal is served at /examples/portal/ in development only, from its build folder,
and says how to build it while the bundle is missing. (A browser drives it in tests/browser.)"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from baseline_api.app import create_app
from baseline_api.core.settings import Settings
from baseline_api.example_portal import PORTAL_PATH, install_example_portal
from baseline_service_kit import create_service_app

PAGE = f"{PORTAL_PATH}/"


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api.test")


def _app(environment: str, database_url: str) -> FastAPI:
    settings = Settings(database_url=database_url, baseline_env=environment, baseline_admin_token="a" * 40)
    return create_app(settings)


async def test_production_does_not_serve_the_portal(database_url):
    async with _client(_app("production", database_url)) as client:
        for path in (PAGE, f"{PORTAL_PATH}/portal.js", PORTAL_PATH):
            response = await client.get(path)
            assert response.status_code == 404, path
            assert response.headers["content-type"] == "application/problem+json"


async def test_development_serves_the_portal(database_url):
    async with _client(_app("development", database_url)) as client:
        response = await client.get(PAGE)
    # 200 once `make typescript` has built it, 503 (saying how) before: either way the page.
    assert response.status_code in (200, 503)
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in response.headers["content-security-policy"]


@pytest.fixture
def built(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text("<!doctype html><title>Portal</title>", encoding="utf-8")
    (tmp_path / "portal.js").write_text("console.log('portal');", encoding="utf-8")
    return tmp_path


def _portal_app(directory: Path) -> FastAPI:
    app = create_service_app(title="t", version="0", description="")
    install_example_portal(app, directory)
    return app


async def test_the_build_is_served_with_the_pages_security_headers(built):
    async with _client(_portal_app(built)) as client:
        page = await client.get(PAGE)
        script = await client.get(f"{PORTAL_PATH}/portal.js")
        bare = await client.get(PORTAL_PATH)
        missing = await client.get(f"{PORTAL_PATH}/nothing.js")
    assert page.status_code == 200
    assert "<title>Portal</title>" in page.text
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert bare.status_code in (307, 308)
    assert bare.headers["location"].endswith(PAGE)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


async def test_before_the_build_the_page_says_how_to_make_it(tmp_path):
    async with _client(_portal_app(tmp_path / "build")) as client:
        page = await client.get(PAGE)
        script = await client.get(f"{PORTAL_PATH}/portal.js")
    assert page.status_code == 503
    assert "make typescript" in page.text
    assert "apt-get install nodejs npm" in page.text
    assert script.status_code == 503
