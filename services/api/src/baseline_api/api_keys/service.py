"""The rules of API keys: who may mint which key, and how a key is shown.

A key can never reach further than the key that created it: an administrator limited to some
organisations may only create keys limited to some of those, and only sees and revokes such
keys. Otherwise a limited admin could mint an unlimited key and escape its own limits.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.api_keys import repository
from baseline_api.api_keys.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead
from baseline_api.auth import Principal
from baseline_api.auth.api_keys import new_token
from baseline_api.core.pagination import Page, decode_typed_cursor, encode_cursor
from baseline_api.organisations.service import ensure_organisations_exist
from baseline_service_kit import Forbidden, NotFound

__all__ = ["create_key", "ensure_within_reach", "list_keys", "revoke_key"]


def ensure_within_reach(principal: Principal, requested: list[uuid.UUID] | None) -> None:
    """403 when the new key would see organisations its creator cannot.

    Checked before the ids are looked up, so the answer never reveals whether an organisation
    outside the caller's reach exists."""
    reach = principal.organisation_ids
    if reach is None:
        return
    if requested is None or not reach.issuperset(requested):
        raise Forbidden("This token may only create keys limited to organisations it can see itself.")


async def create_key(session: AsyncSession, body: ApiKeyCreate) -> ApiKeyCreated:
    await ensure_organisations_exist(session, body.organisation_ids)
    token, prefix, secret_sha256 = new_token()
    key = await repository.insert_key(
        session,
        name=body.name,
        prefix=prefix,
        secret_sha256=secret_sha256,
        scopes=list(body.scopes),
        organisation_ids=body.organisation_ids,
    )
    return ApiKeyCreated(**ApiKeyRead.model_validate(key).model_dump(), token=token)


async def list_keys(
    session: AsyncSession, principal: Principal, *, include_revoked: bool, limit: int, cursor: str | None
) -> Page[ApiKeyRead]:
    after = decode_typed_cursor(cursor, datetime.fromisoformat, uuid.UUID)
    keys = await repository.page_of_keys(
        session,
        reach=principal.organisation_ids,
        include_revoked=include_revoked,
        after=(after[0], after[1]) if after else None,
        limit=limit + 1,
    )
    items = [ApiKeyRead.model_validate(key) for key in keys[:limit]]
    last = items[-1] if len(keys) > limit else None
    next_cursor = encode_cursor([last.created_at.isoformat(), str(last.id)]) if last else None
    return Page(items=items, next_cursor=next_cursor)


async def revoke_key(session: AsyncSession, principal: Principal, key_id: uuid.UUID) -> None:
    if not await repository.revoke_key(session, key_id, principal.organisation_ids):
        raise NotFound("No such active API key.")
