"""The identity provider's signing keys: found through its discovery document (or configured),
cached in the process, and fetched again when a token names a key the cache does not hold.

The cache holds public data only (the issuer's published keys), so every replica may keep its
own. Fetches are rate limited: at most one every ``min_refresh_seconds``, whatever tokens
arrive, so a flood of tokens naming made-up keys cannot hammer the issuer. Keys older than
``max_age_seconds`` are fetched again on next use, so a key the issuer withdraws stops working;
while the issuer cannot be reached the keys it last published stay in use (a token is never
accepted without a signature check), and a key the cache has never seen is a 503.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx
import jwt

__all__ = ["ALGORITHMS", "IssuerUnavailable", "SigningKeys", "UnknownKey"]

# Asymmetric signatures only: "none" proves nothing, and with an HMAC algorithm the issuer's
# public key would be the secret, which anyone can read.
ALGORITHMS = frozenset({"RS256", "ES256"})

_log = logging.getLogger("baseline.oidc")
DISCOVERY_PATH = "/.well-known/openid-configuration"


class IssuerUnavailable(Exception):
    """The issuer's discovery document or keys could not be fetched (or made no sense)."""


class UnknownKey(Exception):
    """The token names a key the issuer does not publish."""


class SigningKeys:
    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        issuer: str,
        jwks_url: str | None,
        min_refresh_seconds: float,
        max_age_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._issuer = issuer
        self._configured_jwks_url = jwks_url
        self._jwks_url = jwks_url
        self._min_refresh = min_refresh_seconds
        self._max_age = max_age_seconds
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._last_failed = False
        self._lock = asyncio.Lock()

    async def get(self, kid: str) -> jwt.PyJWK:
        """The key ``kid`` names; UnknownKey when the issuer does not publish it, IssuerUnavailable
        when the issuer cannot be reached to ask."""
        if self._stale() or kid not in self._keys:
            await self._refresh()
        key = self._keys.get(kid)
        if key is not None:
            return key
        if self._last_failed:
            raise IssuerUnavailable("the identity provider's keys cannot be fetched")
        raise UnknownKey(kid)

    def _stale(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at > self._max_age

    def _may_attempt(self) -> bool:
        return self._attempted_at is None or self._clock() - self._attempted_at >= self._min_refresh

    async def _refresh(self) -> None:
        """One fetch at a time; a caller that waited for another's fetch does not fetch again."""
        async with self._lock:
            if not self._may_attempt():
                return
            self._attempted_at = self._clock()
            try:
                self._keys = await self._fetch_keys()
            except IssuerUnavailable as exc:
                _log.warning("cannot refresh the identity provider's keys: %s", exc)
                self._jwks_url = self._configured_jwks_url  # discover again next time
                self._last_failed = True
                return
            self._fetched_at = self._attempted_at
            self._last_failed = False

    async def _fetch_keys(self) -> dict[str, jwt.PyJWK]:
        if self._jwks_url is None:
            self._jwks_url = await self._discover_jwks_url()
        return _signing_keys(await self._get_json(self._jwks_url))

    async def _discover_jwks_url(self) -> str:
        document = await self._get_json(self._issuer.rstrip("/") + DISCOVERY_PATH)
        if document.get("issuer") != self._issuer:
            raise IssuerUnavailable("the discovery document names another issuer")
        jwks_uri = document.get("jwks_uri")
        if not isinstance(jwks_uri, str) or not jwks_uri.startswith(("https://", "http://")):
            raise IssuerUnavailable("the discovery document has no jwks_uri")
        return jwks_uri

    async def _get_json(self, url: str) -> Mapping[str, Any]:
        try:
            response = await self._client.get(url)
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise IssuerUnavailable(f"GET {url}: {exc.__class__.__name__}") from exc
        if not isinstance(document, dict):
            raise IssuerUnavailable(f"GET {url}: not a JSON object")
        return document


def _signing_keys(document: Mapping[str, Any]) -> dict[str, jwt.PyJWK]:
    """The set's keys by ``kid`` that can verify a signature with an accepted algorithm; keys for
    encryption (``use: enc``), of other algorithms or malformed are left out."""
    found: dict[str, jwt.PyJWK] = {}
    entries = document.get("keys")
    for entry in entries if isinstance(entries, list) else []:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("kid"), str)
            or entry.get("use", "sig") != "sig"
        ):
            continue
        try:
            key = jwt.PyJWK(entry)
        except jwt.PyJWTError:
            continue
        if key.algorithm_name in ALGORITHMS:
            found[entry["kid"]] = key
    return found
