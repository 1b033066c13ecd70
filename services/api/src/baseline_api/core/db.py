"""Database engine, ORM base and the request-scoped sessions.

The engine is created in the app's lifespan (never at import time). A request gets a
transactional session (``SessionDep``), committed when the endpoint returns normally and rolled
back when it raises; or, for work done one self-contained statement at a time on psycopg itself,
:class:`AutocommitConnections` (``AutocommitDep``), which lend a connection in PostgreSQL's
autocommit mode for each use and hold nothing between uses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Protocol, cast

import psycopg
from fastapi import Depends, Request
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import MetaData, text
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

from .settings import Settings, libpq_url, sqlalchemy_url
from .tracing import trace_engine, trace_pool_connections

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

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


# No check at checkout (a pre-ping costs a round trip every time): a dead connection surfaces as
# an error on first use and the pool replaces it; a connection's age is bounded instead.
MAX_CONNECTION_AGE_SECONDS = 1800


def create_engine(settings: Settings, pool_size: int | None = None, max_overflow: int = 10) -> AsyncEngine:
    """``pool_size``: DB_POOL_SIZE unless a worker wants connections of its own."""
    return create_async_engine(
        sqlalchemy_url(settings.database_url),
        pool_size=settings.db_pool_size if pool_size is None else pool_size,
        max_overflow=max_overflow,
        pool_timeout=settings.db_pool_timeout_seconds,
        pool_recycle=MAX_CONNECTION_AGE_SECONDS,
    )


def autocommit_pool(
    settings: Settings, configure: Callable[[PgConnection], Awaitable[None]] | None = None
) -> AsyncConnectionPool[PgConnection]:
    """psycopg's own pool, of connections in autocommit mode; opened by :meth:`Database.open`.
    ``configure`` sets up each new connection (tracing)."""
    return AsyncConnectionPool(
        libpq_url(settings.database_url),
        kwargs={"autocommit": True},
        configure=configure,
        min_size=1,
        max_size=settings.db_pool_size,
        # While the database is down this pool waits for it (SQLAlchemy's fails at once): the
        # request is answered 503 after this long.
        timeout=settings.db_pool_timeout_seconds,
        max_lifetime=MAX_CONNECTION_AGE_SECONDS,
        open=False,
    )


class Connections(Protocol):
    """Where a piece of work gets a psycopg connection, for one use at a time
    (``async with connections.use() as connection``)."""

    def use(self) -> AbstractAsyncContextManager[PgConnection]: ...


@dataclass(frozen=True)
class AutocommitConnections:
    """For each use, a connection of the autocommit pool, given back when the use ends: each
    statement is its own transaction, and nothing is held between uses (so a submit waiting on
    the scoring service holds no connection)."""

    pool: AsyncConnectionPool[PgConnection]

    @asynccontextmanager
    async def use(self) -> AsyncIterator[PgConnection]:
        async with self.pool.connection() as connection:
            try:
                yield connection
            except psycopg.OperationalError:
                if connection.broken:
                    # The database dropped this connection (it restarted, say), and most likely
                    # every idle one too: replace those now, so that one request fails rather
                    # than one for each connection in the pool.
                    await self.pool.check()
                raise


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
    """The gateway's two connection pools on its database.

    - SQLAlchemy's, for transactional work through the ORM (``sessions``).
    - psycopg's own, in autocommit mode (``autocommit``), for work done one self-contained
      statement at a time: a token's key lookup and a submit's read and write, on every request.
      Each statement is its own transaction (no BEGIN and COMMIT round trips), and a checkout
      from psycopg's pool costs a fraction of one from SQLAlchemy's (a submit takes three: the
      SQLAlchemy way, with an ORM session, they cost it 0.3 ms more). Separate pools, as
      switching a connection's mode at checkout costs too.
    """

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    autocommit: AutocommitConnections

    @classmethod
    async def open(cls, settings: Settings, tracer_provider: TracerProvider | None = None) -> Database:
        """Both pools; connections are made as they are first needed (the database may still be
        starting: readiness reports it). With a tracer provider, every statement is a span."""
        engine = create_engine(settings)
        configure = None
        if tracer_provider is not None:
            trace_engine(engine, tracer_provider)
            configure = trace_pool_connections(tracer_provider)
        pool = autocommit_pool(settings, configure)
        await pool.open(wait=False)
        return cls(engine, async_sessionmaker(engine, expire_on_commit=False), AutocommitConnections(pool))

    async def dispose(self) -> None:
        await self.autocommit.pool.close()
        await self.engine.dispose()


def psycopg_sql(sql: str) -> str:
    """SQL written with SQLAlchemy's ``:name`` parameters, as psycopg itself takes it (with
    ``%(name)s``): for statements run on a psycopg connection (see :class:`Connections`)."""
    return str(text(sql).compile(dialect=PGDialect_psycopg()))  # type: ignore[no-untyped-call]


async def driver_connection(session: AsyncSession) -> PgConnection:
    """The psycopg connection under ``session``, in the session's transaction if it has one: for
    statements written for psycopg (:func:`psycopg_sql`) that must join a session's work, such
    as the scoring worker's claim and result. Run on psycopg directly, a statement skips
    SQLAlchemy's per-statement work, about a tenth of a millisecond of CPU."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return cast(PgConnection, raw.driver_connection)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessions: async_sessionmaker[AsyncSession] = request.state.sessions
    async with sessions() as session, session.begin():
        yield session


async def get_autocommit_connections(request: Request) -> AutocommitConnections:
    connections: AutocommitConnections = request.state.autocommit
    return connections


# scope="function": commit before the response is sent, so a failed commit is never a 2xx.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
AutocommitDep = Annotated[AutocommitConnections, Depends(get_autocommit_connections)]
