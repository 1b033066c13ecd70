"""Evidence links come along when an assessment is carried forward.

The seam for the collaboration work (``collaboration.md``), which adds evidence: today there is
no evidence to carry, so this does nothing. Once evidence exists, this copies the links attached
to each carried answer's source questions (``sources``: new question id -> the earlier questions
it came from) to the new draft's question, in the carry forward's transaction. Respondents and
their individual answers are not carried.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["carry_evidence"]


async def carry_evidence(
    session: AsyncSession,
    source_id: uuid.UUID,
    draft_id: uuid.UUID,
    sources: Mapping[str, tuple[str, ...]],
) -> int:
    """Link the draft's carried answers to the evidence of the answers they came from; how many
    links were made (none until evidence exists)."""
    del session, source_id, draft_id, sources
    return 0
