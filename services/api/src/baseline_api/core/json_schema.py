"""Optional fields of PATCH bodies that may be left out but never sent as null.

Such a field is typed ``X | None`` only to tell "not sent" apart; a non-null union would put union
tags into error paths (``name.constrained-str`` instead of ``name``). Its schema must not offer
null (``not_nullable``), and an explicit null is refused when sent (``refuse_null``, from a
``mode="before"`` field validator, which runs only for fields that were sent).
"""

from __future__ import annotations

from typing import Any

from pydantic.config import JsonDict

__all__ = ["not_nullable", "refuse_null"]


def not_nullable(schema: JsonDict) -> None:
    """``json_schema_extra`` for such a field: its schema without the null variant."""
    variants = schema.pop("anyOf")
    assert isinstance(variants, list)
    for variant in variants:
        if isinstance(variant, dict) and variant.get("type") != "null":
            schema.update(variant)


def refuse_null(value: Any) -> Any:
    """An explicit null would break a NOT NULL column: a 422 naming the field instead."""
    if value is None:
        raise ValueError("may not be null")
    return value
