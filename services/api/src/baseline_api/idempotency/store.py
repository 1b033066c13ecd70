"""SQL for idempotency keys. Each statement commits on its own: the claim must be visible to
other replicas before the work starts, and the answer must stay even if the caller hangs up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from baseline_api.idempotency.models import IdempotencyKey

__all__ = ["StoredAnswer", "claim", "forget", "load", "remember"]


@dataclass(frozen=True)
class StoredAnswer:
    request_sha256: str
    status: int | None
    headers: list[Any] | None
    body: bytes | None


async def claim(engine: AsyncEngine, owner: str, key: str, request_sha256: str) -> bool:
    """Take the key for this request; False when another request already holds it."""
    async with engine.begin() as connection:
        await connection.execute(
            delete(IdempotencyKey).where(
                IdempotencyKey.owner == owner,
                IdempotencyKey.key == key,
                IdempotencyKey.expires_at < func.now(),
            )
        )
        inserted = await connection.execute(
            insert(IdempotencyKey)
            .values(owner=owner, key=key, request_sha256=request_sha256)
            .on_conflict_do_nothing()
            .returning(IdempotencyKey.key)
        )
        return inserted.first() is not None


async def load(engine: AsyncEngine, owner: str, key: str) -> StoredAnswer | None:
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                select(
                    IdempotencyKey.request_sha256,
                    IdempotencyKey.status,
                    IdempotencyKey.headers,
                    IdempotencyKey.body,
                ).where(IdempotencyKey.owner == owner, IdempotencyKey.key == key)
            )
        ).first()
    return None if row is None else StoredAnswer(*row)


async def remember(
    engine: AsyncEngine, owner: str, key: str, status: int, headers: list[Any], body: bytes
) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.owner == owner, IdempotencyKey.key == key)
            .values(status=status, headers=headers, body=body)
        )


async def forget(engine: AsyncEngine, owner: str, key: str) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            delete(IdempotencyKey).where(IdempotencyKey.owner == owner, IdempotencyKey.key == key)
        )
