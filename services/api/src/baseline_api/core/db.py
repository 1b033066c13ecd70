"""Database engine, ORM base and the request-scoped sessions.

The engine is created in the app's lifespan (never at import time). A request gets a
transactional session (``SessionDep``), committed when the endpoint returns normally and rolled
back when it raises; or, for work done one self-contained statement at a time on psycopg itself,
:class:`AutocommitConnections` (``AutocommitDep``), which lend a connection in PostgreSQL's
autocommit mode for each use and hold nothing between uses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any, Protocol, cast

import psycopg
from fastapi import Depends, Request
from sqlalchemy import MetaData, text
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

from .settings import Settings, sqlalchemy_url

__all__ = [
    "AutocommitConnections",
    "AutocommitDep",
    "Base",
    "Connections",
    "Database",
    "PgConnection",
    "SessionConnections",
    "SessionDep",
    "create_engine",
    "driver_connection",
    "get_session",
    "psycopg_sql",
]

PgConnection = psycopg.AsyncConnection[Any]

# Named constraints make migrations reproducible: Alembic can drop what it can name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def create_engine(settings: Settings, *, autocommit: bool = False) -> AsyncEngine:
    mode = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}
    return create_async_engine(
        sqlalchemy_url(settings.database_url),
        pool_size=settings.db_pool_size,
        # No pre-ping: it costs a round trip on every checkout; dead connections surface as errors
        # on first use and are replaced by the pool, and pool_recycle bounds their age.
        pool_recycle=1800,
        **mode,
    )


class Connections(Protocol):
    """Where a piece of work gets a psycopg connection, for one use at a time
    (``async with connections.use() as connection``)."""

    def use(self) -> AbstractAsyncContextManager[PgConnection]: ...


@dataclass(frozen=True)
class AutocommitConnections:
    """For each use, a connection of the autocommit pool, given back when the use ends: each
    statement is its own transaction, and nothing is held between uses (so a submit waiting on
    the scoring service holds no connection). A plain pool checkout, with no ORM session around
    it: a submit makes three of them."""

    engine: AsyncEngine

    @asynccontextmanager
    async def use(self) -> AsyncIterator[PgConnection]:
        async with self.engine.connect() as connection:
            raw = await connection.get_raw_connection()
            yield cast(PgConnection, raw.driver_connection)


@dataclass(frozen=True)
class SessionConnections:
    """For every use, the session's own connection, in its transaction: what is done is committed
    or rolled back with the rest of the session's work, and nothing is given back in between."""

    session: AsyncSession

    @asynccontextmanager
    async def use(self) -> AsyncIterator[PgConnection]:
        yield await driver_connection(self.session)


@dataclass(frozen=True)
class Database:
    """The gateway's two connection pools on its database, and a session factory for each: one
    transactional, one whose connections are in autocommit mode. Two pools rather than one that
    switches a connection's mode at checkout, which costs on every checkout (0.1 ms of every
    submit).

    Each statement of an autocommit session is its own transaction: no BEGIN and COMMIT round
    trips, and nothing held between statements (a session still keeps its connection until it
    commits or closes)."""

    engine: AsyncEngine
    autocommit_engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    autocommit_sessions: async_sessionmaker[AsyncSession]
    autocommit_connections: AutocommitConnections

    @classmethod
    def connect(cls, settings: Settings) -> Database:
        engine, autocommit_engine = create_engine(settings), create_engine(settings, autocommit=True)
        return cls(
            engine,
            autocommit_engine,
            async_sessionmaker(engine, expire_on_commit=False),
            async_sessionmaker(autocommit_engine, expire_on_commit=False),
            AutocommitConnections(autocommit_engine),
        )

    async def dispose(self) -> None:
        await self.engine.dispose()
        await self.autocommit_engine.dispose()


def psycopg_sql(sql: str) -> str:
    """SQL written with SQLAlchemy's ``:name`` parameters, as psycopg itself takes it (with
    ``%(name)s``), for :func:`driver_connection`."""
    return str(text(sql).compile(dialect=PGDialect_psycopg()))  # type: ignore[no-untyped-call]


async def driver_connection(session: AsyncSession) -> PgConnection:
    """The psycopg connection under ``session``, in the session's transaction if it has one.

    For the few statements on the hottest path (a submit's read and write), written in SQL and
    run on psycopg directly: that skips SQLAlchemy's per-statement work, about a tenth of a
    millisecond of CPU each."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return cast(PgConnection, raw.driver_connection)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessions: async_sessionmaker[AsyncSession] = request.state.sessions
    async with sessions() as session, session.begin():
        yield session


async def get_autocommit_connections(request: Request) -> AutocommitConnections:
    connections: AutocommitConnections = request.state.autocommit_connections
    return connections


# scope="function": commit before the response is sent, so a failed commit is never a 2xx.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
AutocommitDep = Annotated[AutocommitConnections, Depends(get_autocommit_connections)]
