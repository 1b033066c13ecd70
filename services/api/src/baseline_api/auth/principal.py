"""Who is calling, whichever way they proved it: an API key, the bootstrap admin token or an
identity provider's token."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from baseline_service_kit import NotFound

from .actor import Actor
from .scopes import ADMIN, SCOPES

__all__ = ["Principal"]


@dataclass(frozen=True)
class Principal:
    """The caller: who they are (``actor``, recorded on every write), their scopes and reach."""

    actor: Actor
    scopes: frozenset[str]
    organisation_ids: frozenset[uuid.UUID] | None  # None: every organisation

    @classmethod
    def admin(cls) -> Principal:
        """The bootstrap admin token: every scope, every organisation."""
        return cls(actor=Actor.admin(), scopes=frozenset(SCOPES), organisation_ids=None)

    @property
    def key_id(self) -> uuid.UUID | None:
        """The API key's id when the caller is an API key; None for anyone else."""
        return self.actor.key_id

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes or ADMIN in self.scopes

    def can_see(self, organisation_id: uuid.UUID) -> bool:
        return self.organisation_ids is None or organisation_id in self.organisation_ids

    def ensure_can_see(self, organisation_id: uuid.UUID, what: str = "organisation") -> None:
        """An organisation outside the token's reach is reported as missing, never as forbidden."""
        if not self.can_see(organisation_id):
            raise NotFound(f"No such {what}.")
