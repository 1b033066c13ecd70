"""The columns a table adds to record who last changed each row (an :class:`Actor`)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .actor import MAX_ACTOR_ID, MAX_ACTOR_NAME

__all__ = ["RecordsAuthor"]


class RecordsAuthor:
    """Mixin for a model: ``updated_by`` (the actor's id) and ``updated_by_name``, never null.
    Every write sets both from ``Actor.columns()``."""

    updated_by: Mapped[str] = mapped_column(String(MAX_ACTOR_ID))
    updated_by_name: Mapped[str] = mapped_column(String(MAX_ACTOR_NAME))
