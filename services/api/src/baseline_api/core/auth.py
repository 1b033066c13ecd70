"""Bearer-token authentication and scope checks.

Tokens look like ``bl_<prefix>_<secret>``. The prefix is public and indexes the key; only a
SHA-256 digest of the secret is stored, compared in constant time. (The secret is 32 random
bytes, so a fast digest is enough: there is nothing to brute-force as with passwords.) Keys are
read from the database on every request, so a revocation takes effect on the next one. The
lookup is one autocommit statement of its own: it starts no transaction that the endpoint's
work would then carry (a submit waiting on the scoring service must hold none).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from baseline_api.api_keys.models import SCOPES
from baseline_api.core.db import AutocommitConnections, psycopg_sql
from baseline_api.core.settings import Settings
from baseline_service_kit import Forbidden, NotFound, Unauthorized

__all__ = [
    "AdminPrincipal",
    "IngestPrincipal",
    "Principal",
    "ReadOrIngestPrincipal",
    "ReadPrincipal",
    "WebhooksPrincipal",
    "WritePrincipal",
    "digest",
    "new_token",
    "split_token",
]

TOKEN_PREFIX = "bl"  # noqa: S105 - a public marker that makes tokens recognisable, not a secret
_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer bl_...`.")


@dataclass(frozen=True)
class Principal:
    """Who is calling: an API key's id (None for the bootstrap admin), its scopes and reach."""

    key_id: uuid.UUID | None
    scopes: frozenset[str]
    organisation_ids: frozenset[uuid.UUID] | None  # None: every organisation

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes or "admin" in self.scopes

    def can_see(self, organisation_id: uuid.UUID) -> bool:
        return self.organisation_ids is None or organisation_id in self.organisation_ids

    def ensure_can_see(self, organisation_id: uuid.UUID, what: str = "organisation") -> None:
        """An organisation outside the token's reach is reported as missing, never as forbidden."""
        if not self.can_see(organisation_id):
            raise NotFound(f"No such {what}.")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token() -> tuple[str, str, str]:
    """A fresh token and what to store of it: ``(token, prefix, secret digest)``."""
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    return f"{TOKEN_PREFIX}_{prefix}_{secret}", prefix, digest(secret)


def split_token(token: str) -> tuple[str, str] | None:
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def _bootstrap_admin(settings: Settings, token: str) -> Principal | None:
    configured = settings.baseline_admin_token
    if configured is None or not hmac.compare_digest(digest(token), digest(configured.get_secret_value())):
        return None
    return Principal(key_id=None, scopes=frozenset(SCOPES), organisation_ids=None)


_LIVE_KEY = psycopg_sql(
    "SELECT id, secret_sha256, scopes, organisation_ids FROM api_keys "
    "WHERE prefix = :prefix AND revoked_at IS NULL"
)


async def _stored_key(request: Request, token: str) -> Principal | None:
    parts = split_token(token)
    if parts is None:
        return None
    prefix, secret = parts
    connections: AutocommitConnections = request.state.autocommit
    async with connections.use() as connection:
        key = await (await connection.execute(_LIVE_KEY, {"prefix": prefix})).fetchone()
    if key is None:
        return None
    key_id, secret_sha256, scopes, organisation_ids = key
    if not hmac.compare_digest(secret_sha256, digest(secret)):
        return None
    reach = None if organisation_ids is None else frozenset(organisation_ids)
    return Principal(key_id=key_id, scopes=frozenset(scopes), organisation_ids=reach)


async def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized()
    token = credentials.credentials
    principal = _bootstrap_admin(request.state.settings, token) or await _stored_key(request, token)
    if principal is None:
        raise Unauthorized("The bearer token is not valid, or has been revoked.")
    return principal


class RequireScope:
    """Dependency: the caller's token must carry one of ``scopes`` (``admin`` carries every scope)."""

    def __init__(self, *scopes: str) -> None:
        self.scopes = scopes

    async def __call__(self, principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if not any(principal.has_scope(scope) for scope in self.scopes):
            wanted = " or ".join(f"'{scope}'" for scope in self.scopes)
            raise Forbidden(f"This token lacks the {wanted} scope.")
        return principal


ReadPrincipal = Annotated[Principal, Depends(RequireScope("read"))]
WritePrincipal = Annotated[Principal, Depends(RequireScope("write"))]
IngestPrincipal = Annotated[Principal, Depends(RequireScope("ingest"))]
AdminPrincipal = Annotated[Principal, Depends(RequireScope("admin"))]
WebhooksPrincipal = Annotated[Principal, Depends(RequireScope("webhooks"))]
# An ingesting system reads what it must answer (the FHIR Questionnaire) without a read scope.
ReadOrIngestPrincipal = Annotated[Principal, Depends(RequireScope("read", "ingest"))]
