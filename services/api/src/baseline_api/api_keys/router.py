"""``/v1/api-keys``: bearer tokens for portals, front ends and ingestion systems (admin only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from baseline_api.api_keys import service
from baseline_api.api_keys.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead
from baseline_api.auth import AdminPrincipal
from baseline_api.core.db import SessionDep
from baseline_api.core.pagination import CursorDep, LimitDep, Page
from baseline_api.core.responses import problem_responses

router = APIRouter(prefix="/v1/api-keys", tags=["api-keys"])

# The contract names the path parameter `id`; the code calls it what it is.
ApiKeyId = Annotated[uuid.UUID, Path(alias="id", description="The key's id.")]
IncludeRevoked = Annotated[bool, Query(description="Also list revoked keys.")]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create an API key; its token is shown only in this response.",
    responses=problem_responses(
        {
            403: "Not an admin token, or the key would reach organisations this token cannot see.",
            422: "The body does not validate, or names unknown organisations.",
        }
    ),
)
async def create_api_key(
    body: ApiKeyCreate, principal: AdminPrincipal, session: SessionDep, response: Response
) -> ApiKeyCreated:
    service.ensure_within_reach(principal, body.organisation_ids)
    created = await service.create_key(session, body)
    response.headers["Location"] = f"/v1/api-keys/{created.id}"
    response.headers["Cache-Control"] = "no-store"  # the body holds a secret: no cache may keep it
    return created


@router.get(
    "",
    summary="List API keys (never their tokens).",
    responses=problem_responses({422: "A bad `limit` or `cursor`."}),
)
async def list_api_keys(
    principal: AdminPrincipal,
    session: SessionDep,
    limit: LimitDep = 20,
    cursor: CursorDep = None,
    include_revoked: IncludeRevoked = False,
) -> Page[ApiKeyRead]:
    return await service.list_keys(
        session, principal, include_revoked=include_revoked, limit=limit, cursor=cursor
    )


@router.delete(
    "/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an API key; its token stops working at once.",
    responses=problem_responses({404: "No such active key (unknown, already revoked, or out of reach)."}),
)
async def revoke_api_key(key_id: ApiKeyId, principal: AdminPrincipal, session: SessionDep) -> None:
    await service.revoke_key(session, principal, key_id)
