"""One page type and one capped limit for every list: keyset pagination with opaque cursors.

A cursor is the sort key of the last item served, base64-encoded JSON: opaque to clients, and
stable under concurrent inserts (unlike offsets).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from baseline_service_kit import FieldError, Unprocessable

__all__ = ["CursorDep", "LimitDep", "Page", "decode_cursor", "decode_typed_cursor", "encode_cursor"]

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page; null on the last.")


LimitDep = Annotated[int, Query(ge=1, le=100, description="Page size, 1-100.")]
CursorDep = Annotated[
    str | None, Query(max_length=500, description="Opaque cursor from a previous page's `next_cursor`.")
]


def encode_cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str | None, arity: int) -> list[Any] | None:
    if cursor is None:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        key = None
    if not isinstance(key, list) or len(key) != arity or not all(isinstance(k, str) for k in key):
        raise _invalid_cursor()
    return key


def decode_typed_cursor(cursor: str | None, *parsers: Callable[[str], Any]) -> tuple[Any, ...] | None:
    """A cursor whose parts are parsed back into their types (``uuid.UUID``,
    ``datetime.fromisoformat``...): a part that does not parse is a cursor we never issued, and a
    422 rather than a database error."""
    key = decode_cursor(cursor, len(parsers))
    if key is None:
        return None
    try:
        return tuple(parse(part) for parse, part in zip(parsers, key, strict=True))
    except ValueError:
        raise _invalid_cursor() from None


def _invalid_cursor() -> Unprocessable:
    return Unprocessable(
        "Invalid cursor.", errors=[FieldError(field="query.cursor", message="not a cursor we issued")]
    )
