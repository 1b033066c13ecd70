"""Database engine, ORM base and the request-scoped sessions.

The engine is created in the app's lifespan (never at import time). A request gets a
transactional session (``SessionDep``), committed when the endpoint returns normally and rolled
back when it raises; or, for work done one self-contained statement at a time, a session in
PostgreSQL's autocommit mode (``AutocommitSessionDep``), which holds no transaction open between
its statements.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

from .settings import Settings, sqlalchemy_url

__all__ = [
    "AutocommitSessionDep",
    "Base",
    "SessionDep",
    "create_engine",
    "create_sessionmakers",
    "get_autocommit_session",
    "get_session",
]

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


def create_engine(settings: Settings) -> AsyncEngine:
    return create_async_engine(
        sqlalchemy_url(settings.database_url),
        pool_size=settings.db_pool_size,
        # No pre-ping: it costs a round trip on every checkout; dead connections surface as errors
        # on first use and are replaced by the pool, and pool_recycle bounds their age.
        pool_recycle=1800,
    )


def create_sessionmakers(
    engine: AsyncEngine,
) -> tuple[async_sessionmaker[AsyncSession], async_sessionmaker[AsyncSession]]:
    """Transactional sessions, and autocommit sessions: each statement of the latter is its own
    transaction, so there are no BEGIN and COMMIT round trips, and nothing is held between
    statements (a session still returns its connection to the pool only when it commits or closes)."""
    autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
    return (
        async_sessionmaker(engine, expire_on_commit=False),
        async_sessionmaker(autocommit, expire_on_commit=False),
    )


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessions: async_sessionmaker[AsyncSession] = request.state.sessions
    async with sessions() as session, session.begin():
        yield session


async def get_autocommit_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessions: async_sessionmaker[AsyncSession] = request.state.autocommit_sessions
    async with sessions() as session:
        yield session


# scope="function": commit before the response is sent, so a failed commit is never a 2xx.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
# Every statement is committed as it runs; scope="function" returns the connection before the
# response is sent.
AutocommitSessionDep = Annotated[AsyncSession, Depends(get_autocommit_session, scope="function")]
