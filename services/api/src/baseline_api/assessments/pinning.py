"""What an assessment is pinned to: its organisation and framework version.

These (and the profile) never change after creation, so each process may remember them: answering a question then
needs no read before its one write (the write itself re-checks the status and revision). A
forgotten or evicted entry is read again; nothing here is state another replica could miss.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.core.auth import Principal
from baseline_service_kit import NotFound
from framework_model import Framework, Profile, load_framework

from . import repository
from .service import profile_of

__all__ = ["Pinned", "pinned"]

_CAPACITY = 10_000


@dataclass(frozen=True)
class Pinned:
    organisation_id: uuid.UUID
    framework_id: str
    framework_version: str
    profile: Profile

    @property
    def framework(self) -> Framework:
        return load_framework(self.framework_id, self.framework_version)


_known: OrderedDict[uuid.UUID, Pinned] = OrderedDict()


async def pinned(session: AsyncSession, principal: Principal, assessment_id: uuid.UUID) -> Pinned:
    """The assessment's pinning; 404 if it does not exist or is outside the token's reach."""
    found = _known.get(assessment_id)
    if found is None:
        assessment = await repository.get_assessment(session, assessment_id)
        if assessment is None:
            raise NotFound("No such assessment.")
        found = Pinned(
            assessment.organisation_id,
            assessment.framework_id,
            assessment.framework_version,
            profile_of(assessment),
        )
        _remember(assessment_id, found)
    if not principal.can_see(found.organisation_id):
        raise NotFound("No such assessment.")
    return found


def _remember(assessment_id: uuid.UUID, found: Pinned) -> None:
    _known[assessment_id] = found
    if len(_known) > _CAPACITY:
        _known.popitem(last=False)
