"""Request and response bodies of the organisations domain.

ODS codes are taken exactly as sent: upper-casing ``rx1`` silently could merge two clients'
ideas of an identifier, so a lower-case code is a 422 that says what is expected.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic.config import JsonDict

from baseline_api.core.json_schema import not_nullable, refuse_null
from baseline_api.core.text import TEXT_PATTERN
from baseline_api.organisations.models import ODS_CODE_PATTERN

__all__ = ["Kind", "OrganisationCreate", "OrganisationRead", "OrganisationUpdate"]

Kind = Literal["trust", "icb", "gp-practice", "supplier", "other"]
OdsCode = Annotated[
    str,
    Field(
        pattern=ODS_CODE_PATTERN,
        description="NHS ODS code: 3-10 upper-case letters or digits.",
        examples=["RX1"],
    ),
]
# Not stripped: taken as sent, and the pattern (not blank, no NUL) is stated in the schema.
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=TEXT_PATTERN)]
Region = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=TEXT_PATTERN)]

_EXAMPLE: JsonDict = {
    "ods_code": "RX1",
    "name": "Nottingham University Hospitals",
    "kind": "trust",
    "region": "Midlands",
}
_READ_EXAMPLE: JsonDict = {
    "id": "3f8a2c1e-6b0d-4d5e-9a7f-2b1c0d9e8f7a",
    **_EXAMPLE,
    "created_at": "2026-11-26T15:04:08Z",
    "updated_at": "2026-11-26T15:04:08Z",
}


class OrganisationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EXAMPLE]})

    ods_code: OdsCode
    name: Name
    kind: Kind
    region: Region | None = None


class OrganisationUpdate(BaseModel):
    """Only the fields sent change; ``region: null`` clears the region."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "Nottingham University Hospitals NHS Trust"}]},
    )

    ods_code: OdsCode | None = Field(default=None, json_schema_extra=not_nullable)
    name: Name | None = Field(default=None, json_schema_extra=not_nullable)
    kind: Kind | None = Field(default=None, json_schema_extra=not_nullable)
    region: Region | None = None

    @field_validator("ods_code", "name", "kind", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        return refuse_null(value)

    def changes(self) -> dict[str, Any]:
        return self.model_dump(include=self.model_fields_set)


class OrganisationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_READ_EXAMPLE]})

    id: uuid.UUID
    ods_code: str
    name: str
    kind: Kind
    region: str | None
    created_at: datetime
    updated_at: datetime
