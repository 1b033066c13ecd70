"""Request and response bodies of the api-keys domain."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic.config import JsonDict

from baseline_api.auth.scopes import SCOPES, Scope
from baseline_api.core.text import TEXT_PATTERN

__all__ = ["ApiKeyCreate", "ApiKeyCreated", "ApiKeyRead", "Scope"]

MAX_ORGANISATIONS_PER_KEY = 1000
T = TypeVar("T")

_UNIQUE: JsonDict = {"uniqueItems": True}  # checked by _no_duplicates; stated for clients
_EXAMPLE_ORGANISATION = "3f8a2c1e-6b0d-4d5e-9a7f-2b1c0d9e8f7a"


def _no_duplicates(values: list[T] | None) -> list[T] | None:
    if values is not None and len(set(values)) != len(values):
        raise ValueError("must not contain duplicates")
    return values


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Trust portal",
                    "scopes": ["read", "write"],
                    "organisation_ids": [_EXAMPLE_ORGANISATION],
                }
            ]
        },
    )

    name: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=TEXT_PATTERN)] = Field(
        description="What the key is for, to recognise it later."
    )
    scopes: list[Scope] = Field(
        min_length=1,
        max_length=len(SCOPES),
        description="`admin` carries every scope; `webhooks` manages webhooks (of the key's organisations "
        "when it is limited to some).",
        json_schema_extra=_UNIQUE,
    )
    organisation_ids: list[uuid.UUID] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_ORGANISATIONS_PER_KEY,
        description="The only organisations the key may see; absent or null: every organisation.",
        json_schema_extra=_UNIQUE,
    )

    _unique = field_validator("scopes", "organisation_ids")(_no_duplicates)


class ApiKeyRead(BaseModel):
    """An API key as listed: never its token, which only its creator ever saw."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str = Field(examples=["Trust portal"])
    prefix: str = Field(
        description="The public part of the token (`bl_<prefix>_...`).", examples=["a1b2c3d4e5f6"]
    )
    scopes: list[Scope] = Field(examples=[["read", "write"]])
    organisation_ids: list[uuid.UUID] | None = Field(examples=[[_EXAMPLE_ORGANISATION]])
    created_at: datetime
    revoked_at: datetime | None = None


class ApiKeyCreated(ApiKeyRead):
    token: str = Field(
        description="The bearer token. Shown only in this response: store it now.",
        examples=["bl_a1b2c3d4e5f6_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5"],
    )
