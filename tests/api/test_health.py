"""Liveness, readiness and metrics of the gateway, against a real database and scoring service."""

from __future__ import annotations

import httpx
from asgi_lifespan import LifespanManager

from baseline_api.app import create_app
from baseline_api.core.settings import Settings
from baseline_devstack.processes import free_port


async def test_healthz_answers_without_dependencies(api):
    response = await api.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_is_200_when_database_and_scoring_answer(api):
    response = await api.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "scoring": "ok", "frameworks": "ok"},
    }


async def _readyz_with(settings: Settings) -> httpx.Response:
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            return await client.get("/readyz")


async def test_readyz_is_503_when_scoring_does_not_answer(settings):
    # Nothing listens on a fresh free port: the scoring service is "down", no mock needed.
    down = settings.model_copy(update={"scoring_url": f"http://127.0.0.1:{free_port()}"})
    response = await _readyz_with(down)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "scoring" in response.json()["detail"]


async def test_readyz_is_503_when_database_does_not_answer(settings):
    down = settings.model_copy(update={"database_url": f"postgresql://nobody@127.0.0.1:{free_port()}/none"})
    response = await _readyz_with(down)
    assert response.status_code == 503
    assert "database" in response.json()["detail"]


async def test_metrics_count_requests_per_route(api):
    await api.get("/healthz")
    text = (await api.get("/metrics")).text
    assert 'http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in text
