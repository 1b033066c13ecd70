"""Who is calling: API keys, the bootstrap admin token and OpenID Connect tokens, each giving a
:class:`Principal` with scopes, reach and the :class:`Actor` recorded on every write."""

from .actor import Actor, UpdatedBy, UpdatedByName
from .dependencies import (
    AdminPrincipal,
    ApprovePrincipal,
    IngestPrincipal,
    ReadOrIngestPrincipal,
    ReadPrincipal,
    RequireScope,
    WebhooksPrincipal,
    WritePrincipal,
    authenticate,
)
from .principal import Principal
from .scopes import SCOPES, Scope

__all__ = [
    "SCOPES",
    "Actor",
    "AdminPrincipal",
    "ApprovePrincipal",
    "IngestPrincipal",
    "Principal",
    "ReadOrIngestPrincipal",
    "ReadPrincipal",
    "RequireScope",
    "Scope",
    "UpdatedBy",
    "UpdatedByName",
    "WebhooksPrincipal",
    "WritePrincipal",
    "authenticate",
]
