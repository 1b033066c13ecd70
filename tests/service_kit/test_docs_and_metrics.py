"""Docs pages load only local assets; metrics count requests per route template."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi import APIRouter

from baseline_service_kit import create_service_app


@pytest.fixture
async def client():
    app = create_service_app(title="t", version="0", description="d")

    @app.get("/things/{thing_id}")
    async def get_thing(thing_id: int) -> dict[str, int]:
        return {"thing_id": thing_id}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield client


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_pages_use_only_local_assets(client, page):
    response = await client.get(page)
    assert response.status_code == 200
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", response.text)
    scripts = [u for u in urls if u.endswith((".js", ".css"))]
    assert scripts, "the page loads no script at all"
    for url in scripts:
        assert url.startswith("/"), f"{url} is not served locally"
        assert (await client.get(url)).status_code == 200, url


async def test_metrics_label_routes_by_template(client):
    for thing_id in (1, 2, 3):
        assert (await client.get(f"/things/{thing_id}")).status_code == 200
    await client.get("/nowhere")
    text = (await client.get("/metrics")).text
    assert 'http_requests_total{method="GET",route="/things/{thing_id}",status="200"} 3.0' in text
    assert 'route="<unmatched>",status="404"' in text
    assert 'http_request_duration_seconds_bucket{le="0.005",method="GET",route="/things/{thing_id}"}' in text


async def test_healthz(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_a_service_s_routers_are_matched_before_the_shared_routes():
    # The order a request tries routes in: a service's own first (its busiest route, the scoring
    # one, pays for every route tried before it), so where two paths coincide, the service's wins.
    mine = APIRouter()

    @mine.get("/healthz")
    async def own_health() -> dict[str, str]:
        return {"status": "the service's own"}

    app = create_service_app(title="t", version="0", description="d", routers=[mine])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        assert (await client.get("/healthz")).json() == {"status": "the service's own"}
        assert (await client.get("/metrics")).status_code == 200  # the shared routes still answer
