"""The bearer-token dependency every protected route uses, and the scope checks on top of it.

A token is tried as the bootstrap admin token, then as an API key (``bl_...``), then, when
OpenID Connect is configured, as the identity provider's JSON Web Token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from baseline_api.core.db import AutocommitConnections
from baseline_service_kit import Forbidden, ServiceUnavailable, Unauthorized

from .api_keys import bootstrap_admin, split_token, stored_key
from .oidc import InvalidToken, OidcVerifier, looks_like_jwt
from .principal import Principal
from .signing_keys import IssuerUnavailable

__all__ = [
    "AdminPrincipal",
    "ApprovePrincipal",
    "IngestPrincipal",
    "ReadOrIngestPrincipal",
    "ReadPrincipal",
    "RequireScope",
    "WritePrincipal",
    "authenticate",
]

_bearer = HTTPBearer(
    auto_error=False,
    description="An API key (`Authorization: Bearer bl_...`), or an access token from the "
    "configured OpenID Connect identity provider.",
)
# Seconds a client should wait before trying again when the identity provider is unreachable.
ISSUER_RETRY_AFTER = "5"


async def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized()
    try:
        return await _principal(request, credentials.credentials)
    except InvalidToken as exc:
        raise Unauthorized(str(exc), error="invalid_token") from None
    except IssuerUnavailable:
        raise ServiceUnavailable(
            "The identity provider cannot be reached to check the token; try again later.",
            headers={"Retry-After": ISSUER_RETRY_AFTER},
        ) from None


async def _principal(request: Request, token: str) -> Principal:
    admin = bootstrap_admin(request.state.settings.baseline_admin_token, token)
    if admin is not None:
        return admin
    connections: AutocommitConnections = request.state.autocommit
    if split_token(token) is not None:
        key = await stored_key(connections, token)
        if key is None:
            raise InvalidToken("The bearer token is not valid, or has been revoked.")
        return key
    oidc: OidcVerifier | None = request.state.oidc
    if oidc is None or not looks_like_jwt(token):
        raise InvalidToken("The bearer token is not valid, or has been revoked.")
    return await oidc.principal(token, connections)


class RequireScope:
    """Dependency: the caller's token must carry one of ``scopes`` (``admin`` carries every scope)."""

    def __init__(self, *scopes: str) -> None:
        self.scopes = scopes

    async def __call__(self, principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if not any(principal.has_scope(scope) for scope in self.scopes):
            wanted = " or ".join(f"'{scope}'" for scope in self.scopes)
            raise Forbidden(
                f"This token lacks the {wanted} scope.",
                headers={
                    "WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{" ".join(self.scopes)}"'
                },
            )
        return principal


ReadPrincipal = Annotated[Principal, Depends(RequireScope("read"))]
WritePrincipal = Annotated[Principal, Depends(RequireScope("write"))]
IngestPrincipal = Annotated[Principal, Depends(RequireScope("ingest"))]
AdminPrincipal = Annotated[Principal, Depends(RequireScope("admin"))]
WebhooksPrincipal = Annotated[Principal, Depends(RequireScope("webhooks"))]
# Signing off a scored assessment: a named approver's own scope (``admin`` carries it too).
ApprovePrincipal = Annotated[Principal, Depends(RequireScope("approve"))]
# An ingesting system reads what it must answer (the FHIR Questionnaire) without a read scope.
ReadOrIngestPrincipal = Annotated[Principal, Depends(RequireScope("read", "ingest"))]
