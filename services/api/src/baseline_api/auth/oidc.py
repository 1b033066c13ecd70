"""OpenID Connect access tokens (JSON Web Tokens) from the one configured issuer.

A token is accepted only when it is signed (RS256 or ES256) by a key the issuer publishes, was
issued by ``OIDC_ISSUER`` for ``OIDC_AUDIENCE``, and is within ``exp``/``nbf`` (with
``OIDC_LEEWAY_SECONDS`` for clock skew). Its scopes come from ``OIDC_SCOPES_CLAIM`` (values
prefixed ``OIDC_SCOPE_PREFIX``), never ``admin``; the organisations it may see are those whose
ODS codes ``OIDC_ODS_CLAIM`` lists, and none when it lists none.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from baseline_api.core.db import Connections, psycopg_sql
from baseline_api.core.settings import Settings

from .actor import MAX_SUB, Actor
from .claims import granted_scopes, ods_codes
from .principal import Principal
from .signing_keys import ALGORITHMS, SigningKeys, UnknownKey

__all__ = ["InvalidToken", "OidcVerifier", "looks_like_jwt"]

# The issuer must answer within this; a request waiting on it waits this long at most.
ISSUER_TIMEOUT = httpx.Timeout(5.0, connect=2.0)
_REQUIRED_CLAIMS = ["exp", "iss", "aud", "sub"]
_REASONS: dict[type[jwt.PyJWTError], str] = {
    jwt.ExpiredSignatureError: "The token has expired.",
    jwt.ImmatureSignatureError: "The token is not valid yet.",
    jwt.InvalidAudienceError: "The token was not issued for this service.",
    jwt.InvalidIssuerError: "The token was not issued by the configured identity provider.",
    jwt.MissingRequiredClaimError: "The token lacks a required claim (exp, iss, aud, sub).",
}


class InvalidToken(Exception):
    """The token is not one this gateway accepts; the message is safe to show the caller."""


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2


@dataclass(frozen=True)
class OidcVerifier:
    settings: Settings
    keys: SigningKeys
    client: httpx.AsyncClient

    @classmethod
    def from_settings(cls, settings: Settings) -> OidcVerifier | None:
        """The verifier, or None when OpenID Connect is off (no ``OIDC_ISSUER``)."""
        if settings.oidc_issuer is None:
            return None
        client = httpx.AsyncClient(timeout=ISSUER_TIMEOUT, follow_redirects=False)
        keys = SigningKeys(
            client,
            issuer=settings.oidc_issuer,
            jwks_url=settings.oidc_jwks_url,
            min_refresh_seconds=settings.oidc_jwks_min_refresh_seconds,
            max_age_seconds=settings.oidc_jwks_max_age_seconds,
        )
        return cls(settings, keys, client)

    async def aclose(self) -> None:
        await self.client.aclose()

    async def principal(self, token: str, connections: Connections) -> Principal:
        """The caller ``token`` proves; InvalidToken, or IssuerUnavailable when the issuer's keys
        cannot be fetched."""
        claims = await self.verified_claims(token)
        sub = claims["sub"]
        if not isinstance(sub, str) or not 0 < len(sub) <= MAX_SUB:
            raise InvalidToken("The token's sub is not a string of 1 to 255 characters.")
        name = claims.get("name")
        codes = ods_codes(claims, self.settings.oidc_ods_claim)
        return Principal(
            actor=Actor.user(sub, name if isinstance(name, str) and name.strip() else None),
            scopes=granted_scopes(claims, self.settings.oidc_scopes_claim, self.settings.oidc_scope_prefix),
            organisation_ids=await _organisations_with(connections, codes),
        )

    async def verified_claims(self, token: str) -> Mapping[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise InvalidToken("The bearer token is not valid.") from None
        algorithm, kid = header.get("alg"), header.get("kid")
        if algorithm not in ALGORITHMS:
            raise InvalidToken(f"Tokens must be signed with {' or '.join(sorted(ALGORITHMS))}.")
        if not isinstance(kid, str):
            raise InvalidToken("The token names no signing key (kid).")
        try:
            key = await self.keys.get(kid)
        except UnknownKey:
            raise InvalidToken(
                "The token is signed with a key the identity provider does not publish."
            ) from None
        return self._decode(token, key, algorithm)

    def _decode(self, token: str, key: jwt.PyJWK, algorithm: str) -> Mapping[str, Any]:
        if key.algorithm_name != algorithm:
            raise InvalidToken("The token's algorithm does not match its signing key.")
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self.settings.oidc_audience,
                issuer=self.settings.oidc_issuer,
                leeway=self.settings.oidc_leeway_seconds,
                options={"require": _REQUIRED_CLAIMS},
            )
        except jwt.PyJWTError as exc:
            reason = next((text for kind, text in _REASONS.items() if isinstance(exc, kind)), None)
            raise InvalidToken(reason or "The bearer token is not valid.") from None


_ORGANISATIONS_WITH = psycopg_sql("SELECT id FROM organisations WHERE ods_code = ANY(:codes)")


async def _organisations_with(connections: Connections, codes: frozenset[str]) -> frozenset[uuid.UUID]:
    """The ids of the organisations with these ODS codes (codes nobody has simply match nothing)."""
    if not codes:
        return frozenset()
    async with connections.use() as connection:
        rows = await (await connection.execute(_ORGANISATIONS_WITH, {"codes": sorted(codes)})).fetchall()
    return frozenset(organisation_id for (organisation_id,) in rows)
