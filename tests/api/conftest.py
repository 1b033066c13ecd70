"""Gateway test helpers: API keys with chosen scopes, an organisation to work on, and sessions
of our own on the test database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from baseline_api.core.db import create_engine
from baseline_api.core.settings import Settings

KeyFactory = Callable[..., Awaitable[dict[str, str]]]


@pytest.fixture
def make_headers(api: httpx.AsyncClient, admin_headers: dict[str, str]) -> KeyFactory:
    """Create an API key through the API and return its Authorization header."""

    async def make(*scopes: str, organisation_ids: list[str] | None = None) -> dict[str, str]:
        body = {"name": f"test key {'+'.join(scopes)}", "scopes": list(scopes)}
        if organisation_ids is not None:
            body["organisation_ids"] = organisation_ids
        response = await api.post("/v1/api-keys", json=body, headers=admin_headers)
        assert response.status_code == 201, response.text
        return {"Authorization": f"Bearer {response.json()['token']}"}

    return make


@pytest.fixture
def make_organisation(
    api: httpx.AsyncClient, admin_headers: dict[str, str]
) -> Callable[..., Awaitable[dict]]:
    async def make(ods_code: str = "RX1", **fields: str) -> dict:
        body = {"ods_code": ods_code, "name": f"Test organisation {ods_code}", "kind": "trust", **fields}
        response = await api.post("/v1/organisations", json=body, headers=admin_headers)
        assert response.status_code == 201, response.text
        return response.json()

    return make


@pytest.fixture
async def sessions(
    settings: Settings, api: httpx.AsyncClient
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions of our own on the test database (``api`` empties it afterwards)."""
    engine = create_engine(settings)
    try:
        yield async_sessionmaker(engine, expire_on_commit=False)
    finally:
        await engine.dispose()
