"""The scopes a bearer token can carry: the one list every other part of the gateway reads.

Adding a scope is adding it to ``Scope`` here (the API keys' schema, the database constraint
and OpenID Connect's scope mapping follow) plus a migration that widens the ``api_keys``
constraint to match.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["ADMIN", "SCOPES", "TOKEN_SCOPES", "Scope"]

Scope = Literal["read", "write", "ingest", "webhooks", "approve", "admin"]
SCOPES: tuple[Scope, ...] = get_args(Scope)
ADMIN: Scope = "admin"
# What an identity provider's token may grant: everything but admin, which stays with API keys
# and the bootstrap token, whatever the provider says.
TOKEN_SCOPES: frozenset[Scope] = frozenset(SCOPES) - {ADMIN}
