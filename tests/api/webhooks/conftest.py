"""Webhook test helpers: webhooks, events to deliver, and sessions to look at what is stored."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from baseline_api.assessments import repository as assessments
from baseline_api.core.db import create_engine
from baseline_api.core.settings import Settings
from baseline_api.webhooks.outbox import record_event
from tests.api.test_assessments_support import create_assessment

SECRET = "test-webhook-secret-0123456789abcdef"


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


@pytest.fixture
async def create_webhook(
    api: httpx.AsyncClient, admin_headers: dict[str, str]
) -> Callable[..., Awaitable[dict]]:
    async def create(url: str, events: list[str] | None = None, secret: str = SECRET) -> dict:
        body = {
            "url": url,
            "events": events or ["assessment.submitted", "assessment.scored"],
            "secret": secret,
        }
        response = await api.post("/v1/webhooks", json=body, headers=admin_headers)
        assert response.status_code == 201, response.text
        return response.json()

    return create


@pytest.fixture
async def submitted_event(
    api: httpx.AsyncClient,
    admin_headers: dict[str, str],
    make_organisation: Callable[..., Awaitable[dict]],
    sessions: async_sessionmaker[AsyncSession],
) -> Callable[[], Awaitable[str]]:
    """Submit a fresh draft and record ``assessment.submitted``, as submission does, and commit;
    returns the assessment id. (No scoring and no answers needed: the worker only sends events.)"""
    organisation = await make_organisation(f"W{uuid.uuid4().hex[:6].upper()}")

    async def submit() -> str:
        assessment = await create_assessment(api, admin_headers, organisation["id"])
        async with sessions() as session, session.begin():
            submitted = await assessments.mark_submitted(session, uuid.UUID(assessment["id"]))
            await record_event(session, "assessment.submitted", submitted)
        return assessment["id"]

    return submit


async def rows(sessions: async_sessionmaker[AsyncSession], sql: str, **params: object) -> list[dict]:
    async with sessions() as session:
        return [dict(row._mapping) for row in await session.execute(text(sql), params)]
