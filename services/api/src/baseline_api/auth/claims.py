"""Reading scopes and organisations out of an identity provider's token claims.

A claim path is dotted, with ``[*]`` after a name whose value is a list to take every item:
``ods_codes``, ``realm_access.roles``, or CIS2's ``nhsid_nrbac_roles[*].org_code``. A list at
the end of a path counts as its items, so ``ods_codes`` may be one code or a list of them.
Settings check a path's shape (``CLAIM_PATH_PATTERN``) before it gets here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .scopes import TOKEN_SCOPES

__all__ = ["MAX_ODS_CODES", "claim_values", "granted_scopes", "ods_codes"]

# More than any person's roles; a token listing more organisations than this is cut short.
MAX_ODS_CODES = 1000


def claim_values(claims: Mapping[str, Any], path: str) -> list[Any]:
    """Every value ``path`` reaches in ``claims``, lists at the end flattened; [] when none."""
    values: list[Any] = [claims]
    for segment in path.split("."):
        name, every = (segment[:-3], True) if segment.endswith("[*]") else (segment, False)
        values = [value[name] for value in values if isinstance(value, Mapping) and name in value]
        if every:
            values = list(_items(values))
    return list(_items(values))


def _items(values: Iterable[Any]) -> Iterable[Any]:
    for value in values:
        if isinstance(value, list):
            yield from value
        else:
            yield value


def granted_scopes(claims: Mapping[str, Any], path: str, prefix: str) -> frozenset[str]:
    """The Baseline scopes a token grants: each value under ``path`` (a space-separated string or
    a list) that starts with ``prefix``, without it; unknown ones and ``admin`` are dropped."""
    words = (word for value in claim_values(claims, path) if isinstance(value, str) for word in value.split())
    named = {word.removeprefix(prefix) for word in words if word.startswith(prefix)}
    return frozenset(named & TOKEN_SCOPES)


def ods_codes(claims: Mapping[str, Any], path: str) -> frozenset[str]:
    """The ODS codes under ``path``, upper-cased as the organisations table keeps them."""
    codes = (value.strip().upper() for value in claim_values(claims, path) if isinstance(value, str))
    return frozenset(code for code in list(codes)[:MAX_ODS_CODES] if code)
