"""Patterns for strings clients send that end up in PostgreSQL.

PostgreSQL text cannot hold a NUL character (the driver refuses it: a 500 if it got that far),
and a blank name is no name. Stating both as a pattern puts the rule in the OpenAPI schema too,
so generated clients and contract tests agree with the server on every string.
"""

from __future__ import annotations

__all__ = ["NO_NUL_PATTERN", "TEXT_PATTERN"]

NO_NUL_PATTERN = r"^[^\x00]*$"
TEXT_PATTERN = r"^[^\x00]*[^\x00\s][^\x00]*$"
