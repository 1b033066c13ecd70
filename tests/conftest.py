"""Shared fixtures: one real PostgreSQL and one real scoring service per test session.

The database is the embedded server (or the one DATABASE_URL names), migrated once with
Alembic, never ``create_all``. Tests leave it clean by truncating every table afterwards.
The gateway talks to a real scoring process over HTTP, as in production.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from asgi_lifespan import LifespanManager
from starlette.types import ASGIApp

from baseline_api.app import create_app
from baseline_api.core.settings import Settings, libpq_url
from baseline_api.models import Base
from baseline_devstack.migrate import upgrade
from baseline_devstack.postgres import create_database, embedded_postgres
from baseline_devstack.processes import free_port, spawn_module, stop_process, wait_until_ready
from tests.resolver import StaticResolver

ADMIN_TOKEN = "test-admin-token-with-enough-entropy-0123456789"


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """A PostgreSQL server URL: DATABASE_URL's server, or an embedded one for this session."""
    if url := os.environ.get("DATABASE_URL"):
        yield url
        return
    # Not under pytest's tmp folder: pytest keeps that 0700, and the server runs as its own user.
    folder = Path(tempfile.mkdtemp(prefix="baseline-test-pg-"))
    try:
        with embedded_postgres(folder / "data") as url:
            yield url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def database_url(pg_server_url: str) -> str:
    url = create_database(pg_server_url, f"baseline_test_{os.getpid()}", drop_first=True)
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def scoring_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = (tmp_path_factory.mktemp("logs") / "scoring.log").open("wb")
    process = spawn_module("baseline_scoring", {"HOST": "127.0.0.1", "PORT": str(port)}, log=log)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/healthz", [process], timeout=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)
        log.close()


def _truncate_all(database_url: str) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    if tables:
        with psycopg.connect(libpq_url(database_url), autocommit=True) as connection:
            connection.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture
def settings(database_url: str, scoring_url: str) -> Settings:
    # No background workers: a test that wants one starts it, so nothing changes behind a test's back.
    # Webhook receivers in tests listen on loopback, which only an operator's choice allows.
    return Settings(
        database_url=database_url,
        scoring_url=scoring_url,
        baseline_admin_token=ADMIN_TOKEN,
        background_workers=False,
        webhook_allow_private_networks=True,
    )


@pytest.fixture
def resolver() -> StaticResolver:
    """How webhook receivers' names resolve in this test (never through the real DNS)."""
    return StaticResolver()


@pytest.fixture
async def api_app(settings: Settings, database_url: str, resolver: StaticResolver) -> AsyncIterator[ASGIApp]:
    """The gateway with its lifespan running (engine, scoring client), as an ASGI app."""
    app = create_app(settings, resolver=resolver)
    try:
        async with LifespanManager(app) as manager:
            yield manager.app
    finally:
        _truncate_all(database_url)


@pytest.fixture
async def api(api_app: ASGIApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=api_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        yield client


@pytest.fixture
def admin_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}


REPO_ROOT = Path(__file__).resolve().parents[1]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests that start real processes go first, so that pytest-xdist's workers share
    them out early and fill the rest of the run with quick tests, rather than one worker starting
    a minute-long test when the others have nothing left to do."""
    items.sort(key=lambda item: "tests/e2e/" not in item.nodeid)
