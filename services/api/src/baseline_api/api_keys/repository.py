"""All SQL of the api-keys domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, insert, select, true, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.api_keys.models import ApiKey

__all__ = ["insert_key", "page_of_keys", "revoke_key"]


async def insert_key(
    session: AsyncSession,
    *,
    name: str,
    prefix: str,
    secret_sha256: str,
    scopes: list[str],
    organisation_ids: list[uuid.UUID] | None,
) -> ApiKey:
    values = {"name": name, "prefix": prefix, "secret_sha256": secret_sha256, "scopes": scopes}
    statement = insert(ApiKey).values(**values, organisation_ids=organisation_ids).returning(ApiKey)
    return (await session.scalars(statement)).one()


def _within(reach: frozenset[uuid.UUID] | None) -> ColumnElement[bool]:
    """Keys a caller limited to ``reach`` may manage: those limited to some of its organisations."""
    if reach is None:
        return true()
    return and_(ApiKey.organisation_ids.is_not(None), ApiKey.organisation_ids.contained_by(list(reach)))


async def page_of_keys(
    session: AsyncSession,
    *,
    reach: frozenset[uuid.UUID] | None,
    include_revoked: bool,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[ApiKey]:
    statement = select(ApiKey).where(_within(reach)).order_by(ApiKey.created_at, ApiKey.id).limit(limit)
    if not include_revoked:
        statement = statement.where(ApiKey.revoked_at.is_(None))
    if after is not None:
        statement = statement.where(tuple_(ApiKey.created_at, ApiKey.id) > tuple_(*after))
    return (await session.scalars(statement)).all()


async def revoke_key(session: AsyncSession, key_id: uuid.UUID, reach: frozenset[uuid.UUID] | None) -> bool:
    """Revoke an active key within ``reach``; False if there is none (unknown, revoked or out of reach)."""
    statement = (
        update(ApiKey)
        .where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None), _within(reach))
        .values(revoked_at=func.now())
        .returning(ApiKey.id)
    )
    return (await session.scalar(statement)) is not None
