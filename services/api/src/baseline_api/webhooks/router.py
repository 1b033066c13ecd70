"""``/v1/webhooks``: subscriptions to events, their receivers' health, and what was delivered
(scope ``webhooks`` or ``admin``; a token limited to organisations sees only their webhooks)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from baseline_api.auth import WebhooksPrincipal
from baseline_api.core.db import SessionDep
from baseline_api.core.pagination import CursorDep, LimitDep, Page
from baseline_api.core.responses import problem_responses

from . import service
from .context import WebhookContextDep
from .schemas import DeliveryRead, DeliveryStatus, WebhookCreate, WebhookRead, WebhookUpdate

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
replayed request). Answer any 2xx within the timeout (10 s unless configured otherwise; connect
within 3 s) to acknowledge; anything else, a timeout or a network error is retried with
exponential backoff and jitter, up to the configured number of attempts (12 by default), and then
the delivery is `failed`. After several failures in a row (5 by default) the receiver is
`failing`: its deliveries wait behind one probe at a time until one succeeds; a receiver failing
for 72 hours (by default) is disabled, and `PATCH /v1/webhooks/{id}` with `{"enabled": true}`
enables it again. Delivery is at least once and in no particular order: ignore an event id
already handled.
"""

_NOT_FOUND = {404: "No such webhook (unknown, deleted, or of organisations outside the token's reach)."}
_LIMITED = "The token lacks the `webhooks` scope (or `admin`)."
_BAD_ID = "The id is not a UUID."


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Subscribe a URL to events; deliveries are signed with the secret.",
    description=SIGNATURE_SCHEME,
    responses=problem_responses(
        {
            403: f"{_LIMITED} Or `organisation_ids` names organisations outside the token's reach.",
            422: "The body does not validate, an organisation does not exist, or the URL is refused "
            "(not https, or its host resolves to an address webhooks may not be sent to); `errors` "
            "names each field.",
        }
    ),
)
async def create_webhook(
    body: WebhookCreate,
    principal: WebhooksPrincipal,
    session: SessionDep,
    context: WebhookContextDep,
    response: Response,
) -> WebhookRead:
    webhook = await service.create_webhook(session, principal, body, context)
    response.headers["Location"] = f"/v1/webhooks/{webhook.id}"
    return webhook


@router.get(
    "",
    summary="List webhooks, oldest first (never their secrets).",
    responses=problem_responses({403: _LIMITED, 422: "A bad `limit` or `cursor`."}),
)
async def list_webhooks(
    principal: WebhooksPrincipal,
    session: SessionDep,
    context: WebhookContextDep,
    limit: LimitDep = 20,
    cursor: CursorDep = None,
) -> Page[WebhookRead]:
    return await service.list_webhooks(session, principal, context, limit=limit, cursor=cursor)


@router.get(
    "/{id}",
    summary="Get a webhook and its receiver's health (never its secret).",
    responses=problem_responses({403: _LIMITED, **_NOT_FOUND, 422: _BAD_ID}),
)
async def get_webhook(
    webhook_id: WebhookId, principal: WebhooksPrincipal, session: SessionDep, context: WebhookContextDep
) -> WebhookRead:
    return await service.get_webhook(session, principal, webhook_id, context)


@router.patch(
    "/{id}",
    summary="Enable a disabled webhook again (or disable one).",
    responses=problem_responses(
        {403: _LIMITED, **_NOT_FOUND, 422: f"{_BAD_ID} Or the body does not validate."}
    ),
)
async def update_webhook(
    webhook_id: WebhookId,
    body: WebhookUpdate,
    principal: WebhooksPrincipal,
    session: SessionDep,
    context: WebhookContextDep,
) -> WebhookRead:
    return await service.update_webhook(session, principal, webhook_id, body, context)


@router.delete(
    "/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a webhook: nothing more is sent to it, and its pending deliveries are cancelled.",
    responses=problem_responses({403: _LIMITED, **_NOT_FOUND, 422: _BAD_ID}),
)
async def delete_webhook(webhook_id: WebhookId, principal: WebhooksPrincipal, session: SessionDep) -> None:
    await service.delete_webhook(session, principal, webhook_id)


@router.get(
    "/{id}/deliveries",
    summary="List a webhook's deliveries, newest first, each with its attempts and status codes.",
    responses=problem_responses(
        {403: _LIMITED, **_NOT_FOUND, 422: "The id is not a UUID, or a bad `limit`, `cursor` or `status`."}
    ),
)
async def list_webhook_deliveries(
    webhook_id: WebhookId,
    principal: WebhooksPrincipal,
    session: SessionDep,
    limit: LimitDep = 20,
    cursor: CursorDep = None,
    status: StatusFilter = None,
) -> Page[DeliveryRead]:
    return await service.list_deliveries(
        session, principal, webhook_id, status=status, limit=limit, cursor=cursor
    )
