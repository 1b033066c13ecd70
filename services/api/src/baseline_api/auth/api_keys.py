"""API keys and the bootstrap admin token.

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

from pydantic import SecretStr

from baseline_api.core.db import Connections, psycopg_sql

from .actor import Actor
from .principal import Principal

__all__ = ["TOKEN_PREFIX", "bootstrap_admin", "digest", "new_token", "split_token", "stored_key"]

TOKEN_PREFIX = "bl"  # noqa: S105 - a public marker that makes tokens recognisable, not a secret


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


def bootstrap_admin(configured: SecretStr | None, token: str) -> Principal | None:
    if configured is None or not hmac.compare_digest(digest(token), digest(configured.get_secret_value())):
        return None
    return Principal.admin()


_LIVE_KEY = psycopg_sql(
    "SELECT id, name, secret_sha256, scopes, organisation_ids FROM api_keys "
    "WHERE prefix = :prefix AND revoked_at IS NULL"
)


async def stored_key(connections: Connections, token: str) -> Principal | None:
    """The live API key ``token`` names, or None (not an API key, unknown, revoked, wrong secret)."""
    parts = split_token(token)
    if parts is None:
        return None
    prefix, secret = parts
    async with connections.use() as connection:
        key = await (await connection.execute(_LIVE_KEY, {"prefix": prefix})).fetchone()
    if key is None:
        return None
    key_id, name, secret_sha256, scopes, organisation_ids = key
    if not hmac.compare_digest(secret_sha256, digest(secret)):
        return None
    reach = None if organisation_ids is None else frozenset(organisation_ids)
    return Principal(actor=Actor.api_key(key_id, name), scopes=frozenset(scopes), organisation_ids=reach)
