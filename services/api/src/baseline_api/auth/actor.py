"""Who made a change: the one representation every table that records writes stores.

An actor is a stable id and a display name, stored side by side (``updated_by``,
``updated_by_name``) and answered the same way by every endpoint:

- ``admin``: the bootstrap admin token (name ``admin``);
- ``api_key:<key uuid>``: an API key (name: the key's name when the change was made);
- ``user:<sub>``: a person signed in with the identity provider (name: the token's ``name``
  claim, else the ``sub`` itself).

The id never changes for the same author, so reports group by it; the name is a snapshot for
people to read. Neither is ever null. Models record them with ``RecordsAuthor`` (``columns.py``),
schemas answer them with ``UpdatedBy`` and ``UpdatedByName``, and a write takes the caller's
``Principal.actor``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field

__all__ = ["MAX_ACTOR_ID", "MAX_ACTOR_NAME", "MAX_SUB", "Actor", "UpdatedBy", "UpdatedByName"]

MAX_SUB = 255  # OpenID Connect caps `sub` at 255 ASCII characters
MAX_ACTOR_ID = len("user:") + MAX_SUB
MAX_ACTOR_NAME = 200


@dataclass(frozen=True)
class Actor:
    id: str
    name: str

    @classmethod
    def admin(cls) -> Actor:
        return cls("admin", "admin")

    @classmethod
    def api_key(cls, key_id: uuid.UUID, name: str) -> Actor:
        return cls(f"api_key:{key_id}", name[:MAX_ACTOR_NAME])

    @classmethod
    def user(cls, sub: str, name: str | None) -> Actor:
        return cls(f"user:{sub}", (name or sub)[:MAX_ACTOR_NAME])

    @property
    def key_id(self) -> uuid.UUID | None:
        """The API key's id, for an API key; None for anyone else."""
        kind, _, key_id = self.id.partition(":")
        return uuid.UUID(key_id) if kind == "api_key" else None

    def columns(self, prefix: str = "updated_by") -> dict[str, Any]:
        """The actor as a row stores it: ``{updated_by: id, updated_by_name: name}``."""
        return {prefix: self.id, f"{prefix}_name": self.name}


UpdatedBy = Annotated[
    str,
    Field(
        description="Who made the last change: `admin` (the bootstrap token), `api_key:<key id>`, or "
        "`user:<sub>` (a person signed in with the identity provider); `unknown` only on rows last "
        "changed before Baseline recorded authors. Stable for the same author: group by it.",
        examples=["api_key:6c1f0d3e-2b4a-4f7e-9d8c-1a2b3c4d5e6f", "user:910000000001", "admin"],
        max_length=MAX_ACTOR_ID,
    ),
]
UpdatedByName = Annotated[
    str,
    Field(
        description="The author's name for people to read, as it was when the change was made: the API "
        "key's name, the person's name (their `sub` when the token carries none) or `admin`.",
        examples=["Trust portal", "Dr Jane Smith", "admin"],
        max_length=MAX_ACTOR_NAME,
    ),
]
