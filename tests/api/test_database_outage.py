"""A database that does not answer is a 503 the client may retry, never a 500 and never a hang:
through SQLAlchemy's pool (which fails at once) and through psycopg's (which waits for the
database for ``DB_POOL_TIMEOUT_SECONDS``, then gives up). A database that drops its connections
(a restart) costs one failed use, not one for each connection pooled."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator

import httpx
import psycopg
import pytest
from asgi_lifespan import LifespanManager

from baseline_api.app import create_app
from baseline_api.core.db import Database
from baseline_api.core.settings import Settings, libpq_url
from baseline_devstack.processes import free_port


@pytest.fixture
async def api_without_database(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    # A port nothing listens on: every connection attempt is refused, as when PostgreSQL is down.
    down = f"postgresql://postgres@127.0.0.1:{free_port()}/baseline"
    app = create_app(settings.model_copy(update={"database_url": down, "db_pool_timeout_seconds": 0.5}))
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            yield client


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/organisations"),  # an ORM session
        ("POST", "/v1/assessments/00000000-0000-4000-8000-000000000000/submit"),  # psycopg's pool
    ],
)
async def test_a_database_that_does_not_answer_is_a_503(api_without_database, admin_headers, method, path):
    started = time.perf_counter()
    response = await api_without_database.request(method, path, headers=admin_headers)
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    assert response.json()["detail"] == "The database is not answering; try again later."
    assert time.perf_counter() - started < 5  # the pool's timeout, not a hang


async def test_a_token_cannot_be_checked_without_the_database(api_without_database):
    # A stored key cannot be looked up: 503, not 401 (the token may well be valid).
    headers = {"Authorization": "Bearer bl_0123456789ab_" + "x" * 43}
    response = await api_without_database.get("/v1/organisations", headers=headers)
    assert response.status_code == 503, response.text


async def test_when_the_database_drops_its_connections_one_use_fails_not_one_per_connection(
    settings: Settings,
) -> None:
    # A pool of four at most: it grows in the background while uses wait, and a fifth connection,
    # made after the others were dropped, would answer the first use.
    database = await Database.open(settings.model_copy(update={"db_pool_size": 4}))
    try:
        async with contextlib.AsyncExitStack() as held:  # all four at once, all idle after
            connections = [await held.enter_async_context(database.autocommit.use()) for _ in range(4)]
            pids = [connection.info.backend_pid for connection in connections]
        with psycopg.connect(libpq_url(settings.database_url), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [pids])

        outcomes = []
        for _ in range(4):
            try:
                async with database.autocommit.use() as connection:
                    await connection.execute("SELECT 1")
                outcomes.append("answered")
            except psycopg.OperationalError:
                outcomes.append("failed")
        # The first use finds its connection dropped, and has the idle ones checked and replaced.
        assert outcomes == ["failed", "answered", "answered", "answered"]
    finally:
        await database.dispose()
