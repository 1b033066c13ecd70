"""What an assessment is pinned to: its organisation and framework version.

These (and the profile) never change after creation, so each process may remember them: answering a question then
needs no read before its one write (the write itself re-checks the status and revision). A
forgotten or evicted entry is read again; nothing here is state another replica could miss.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from dataclasses import dataclass

from baseline_api.auth import Principal
from baseline_api.core.db import PgConnection
from baseline_service_kit import NotFound
from framework_model import Framework, Profile, load_framework

from . import repository

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


async def pinned(connection: PgConnection, principal: Principal, assessment_id: uuid.UUID) -> Pinned:
    """The assessment's pinning; 404 if it does not exist or is outside the token's reach."""
    found = _known.get(assessment_id)
    if found is None:
        read = await repository.read_pinning(connection, assessment_id)
        if read is None:
            raise NotFound("No such assessment.")
        profile: Profile = "quick" if read.profile == "quick" else "full"
        found = Pinned(read.organisation_id, read.framework_id, read.framework_version, profile)
        _remember(assessment_id, found)
    if not principal.can_see(found.organisation_id):
        raise NotFound("No such assessment.")
    return found


def _remember(assessment_id: uuid.UUID, found: Pinned) -> None:
    _known[assessment_id] = found
    if len(_known) > _CAPACITY:
        _known.popitem(last=False)
