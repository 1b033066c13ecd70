"""The requests Baseline sends to subscribers, documented in the OpenAPI ``webhooks`` section so
that receivers can generate their handlers from the same document as their clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header

from baseline_service_kit.openapi import operation_id

from .payload import ActionEvent, WebhookDisabledEvent, WebhookEvent
from .router import SIGNATURE_SCHEME

__all__ = ["outgoing_events"]

outgoing_events = APIRouter(tags=["webhooks"], generate_unique_id_function=operation_id)

Signature = Annotated[
    str,
    Header(
        alias="Baseline-Signature",
        description="`t=<unix seconds>,v1=<hex HMAC-SHA256 of f'{t}.{body}' keyed with the secret>`.",
        examples=["t=1795705448,v1=5f2b0c3e8a9d1f7e6b4a2c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f"],
    ),
]
EventId = Annotated[str, Header(alias="Baseline-Event-Id", description="The event's id, as in the body.")]
DeliveryId = Annotated[
    str, Header(alias="Baseline-Delivery-Id", description="This delivery, as listed by the API.")
]

_ACKNOWLEDGED: dict[int | str, dict[str, Any]] = {
    204: {"description": "Acknowledged. Any 2xx status acknowledges the event; anything else is retried."}
}


def _assessment_event(
    body: WebhookEvent, signature: Signature, event_id: EventId, delivery_id: DeliveryId
) -> None:
    """Documentation only: Baseline sends this request, it never serves it."""


def _action_event(
    body: ActionEvent, signature: Signature, event_id: EventId, delivery_id: DeliveryId
) -> None:
    """Documentation only: Baseline sends this request, it never serves it."""


def _webhook_disabled_event(
    body: WebhookDisabledEvent, signature: Signature, event_id: EventId, delivery_id: DeliveryId
) -> None:
    """Documentation only: Baseline sends this request, it never serves it."""


Receiver = Callable[[Any, str, str, str], None]
_EVENTS: dict[str, tuple[str, Receiver]] = {
    "assessment.submitted": (
        "An assessment was submitted (it may be scored in the same moment, or later).",
        _assessment_event,
    ),
    "assessment.scored": (
        "An assessment was scored: its result is at `/v1/assessments/{id}/result`.",
        _assessment_event,
    ),
    "assessment.approved": (
        "A scored assessment was approved (signed off): who approved it is at `/v1/assessments/{id}`.",
        _assessment_event,
    ),
    "action.completed": ("An action of the improvement plan was marked done.", _action_event),
    "action.overdue": (
        "An open action's due date has passed (Europe/London): sent once per action and due date.",
        _action_event,
    ),
    "webhook.disabled": (
        "Another webhook was disabled after its receiver failed for too long (sent to the webhooks "
        "of its organisations, and of every organisation, subscribed to `webhook.disabled`).",
        _webhook_disabled_event,
    ),
}


def _document(event_type: str, summary: str, receive: Receiver) -> None:
    outgoing_events.add_api_route(
        event_type,
        receive,
        methods=["POST"],
        name=event_type.replace(".", "_"),  # the operationId: assessment_scored, ...
        summary=summary,
        description=SIGNATURE_SCHEME,
        responses=_ACKNOWLEDGED,
        response_model=None,
        status_code=204,
    )


for _event_type, (_summary, _receive) in _EVENTS.items():
    _document(_event_type, _summary, _receive)
