"""What the webhooks API needs besides the database: the address policy receivers must pass, the
box their secrets are kept in, and the settings that shape what is shown. Made once per app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from baseline_api.core.settings import Settings

from .addresses import AddressPolicy
from .secret_box import SecretBox

__all__ = ["WebhookContext", "WebhookContextDep"]


@dataclass(frozen=True)
class WebhookContext:
    addresses: AddressPolicy
    secrets: SecretBox
    allow_http: bool  # plain http receivers: in development only
    circuit_failures: int  # failures in a row that open a receiver's circuit: it is "failing"

    @classmethod
    def of(cls, settings: Settings, addresses: AddressPolicy, secrets: SecretBox) -> WebhookContext:
        return cls(
            addresses=addresses,
            secrets=secrets,
            allow_http=settings.baseline_env == "development",
            circuit_failures=settings.webhook_circuit_failures,
        )


def _context(request: Request) -> WebhookContext:
    context: WebhookContext = request.state.webhooks
    return context


WebhookContextDep = Annotated[WebhookContext, Depends(_context)]
