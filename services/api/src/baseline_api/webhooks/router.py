"""``/v1/webhooks``: subscriptions to assessment events, and what was delivered (admin only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from baseline_api.core.auth import AdminPrincipal
from baseline_api.core.db import SessionDep
from baseline_api.core.pagination import CursorDep, LimitDep, Page
from baseline_api.core.responses import problem_responses

from . import service
from .schemas import DeliveryRead, DeliveryStatus, WebhookCreate, WebhookRead

__all__ = ["SIGNATURE_SCHEME", "router"]

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])

# The contract names the path parameter `id`; the code calls it what it is.
WebhookId = Annotated[uuid.UUID, Path(alias="id", description="The webhook's id.")]
StatusFilter = Annotated[DeliveryStatus | None, Query(description="Only deliveries in this status.")]

SIGNATURE_SCHEME = """\
Each event is POSTed to the webhook's URL as JSON (see the `webhooks` section of this document)
with these headers:

- `Baseline-Signature: t=<unix seconds>,v1=<hex>`: `<hex>` is HMAC-SHA256, keyed with the
  webhook's secret (UTF-8), of the timestamp, a full stop and the raw body: `f"{t}.{body}"`.
- `Baseline-Event-Id`, `Baseline-Event-Type`: the event's id and type, as in the body.
- `Baseline-Delivery-Id`: this delivery, as listed under `/v1/webhooks/{id}/deliveries`.

To verify: compute the HMAC over the bytes received, before parsing them, compare it with each
`v1` value in constant time, and refuse a timestamp more than five minutes from your clock (a
replayed request). Answer any 2xx within the timeout (10 s unless configured otherwise) to
acknowledge; anything else, a timeout or a network error is retried with exponential backoff and
jitter, up to the configured number of attempts (12 by default), and then the delivery is
`failed`. Delivery is at least once and in no particular order: ignore an event id already handled.
"""

_NOT_FOUND = {404: "No such webhook (unknown or deleted)."}
_LIMITED = "The token lacks `admin`, or is limited to organisations (webhooks see every organisation)."


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Subscribe a URL to assessment events; deliveries are signed with the secret.",
    description=SIGNATURE_SCHEME,
    responses=problem_responses(
        {403: _LIMITED, 422: "The body does not validate; `errors` names each field."}
    ),
)
async def create_webhook(
    body: WebhookCreate, principal: AdminPrincipal, session: SessionDep, response: Response
) -> WebhookRead:
    service.ensure_unlimited(principal)
    webhook = await service.create_webhook(session, principal, body)
    response.headers["Location"] = f"/v1/webhooks/{webhook.id}"
    return webhook


@router.get(
    "",
    summary="List webhooks, oldest first (never their secrets).",
    responses=problem_responses({403: _LIMITED, 422: "A bad `limit` or `cursor`."}),
)
async def list_webhooks(
    principal: AdminPrincipal, session: SessionDep, limit: LimitDep = 20, cursor: CursorDep = None
) -> Page[WebhookRead]:
    service.ensure_unlimited(principal)
    return await service.list_webhooks(session, limit=limit, cursor=cursor)


@router.get(
    "/{id}",
    summary="Get a webhook (never its secret).",
    responses=problem_responses({403: _LIMITED, **_NOT_FOUND, 422: "The id is not a UUID."}),
)
async def get_webhook(webhook_id: WebhookId, principal: AdminPrincipal, session: SessionDep) -> WebhookRead:
    service.ensure_unlimited(principal)
    return await service.get_webhook(session, webhook_id)


@router.delete(
    "/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a webhook: nothing more is sent to it, and its pending deliveries are cancelled.",
    responses=problem_responses({403: _LIMITED, **_NOT_FOUND, 422: "The id is not a UUID."}),
)
async def delete_webhook(webhook_id: WebhookId, principal: AdminPrincipal, session: SessionDep) -> None:
    service.ensure_unlimited(principal)
    await service.delete_webhook(session, webhook_id)


@router.get(
    "/{id}/deliveries",
    summary="List a webhook's deliveries, newest first, each with its attempts and status codes.",
    responses=problem_responses(
        {403: _LIMITED, **_NOT_FOUND, 422: "The id is not a UUID, or a bad `limit`, `cursor` or `status`."}
    ),
)
async def list_webhook_deliveries(
    webhook_id: WebhookId,
    principal: AdminPrincipal,
    session: SessionDep,
    limit: LimitDep = 20,
    cursor: CursorDep = None,
    status: StatusFilter = None,
) -> Page[DeliveryRead]:
    service.ensure_unlimited(principal)
    return await service.list_deliveries(session, webhook_id, status=status, limit=limit, cursor=cursor)
