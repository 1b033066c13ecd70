"""HTTP routes of the improvement plan's actions: parse, authorise, return."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi import Response as HttpResponse

from baseline_api.core.auth import ReadPrincipal, WritePrincipal
from baseline_api.core.db import SessionDep
from baseline_api.core.pagination import CursorDep, LimitDep, Page
from baseline_api.core.responses import problem_responses
from baseline_api.core.text import NO_NUL_PATTERN

from . import service
from .schemas import ActionCreate, ActionOut, ActionStatus, ActionUpdate

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["actions"])

OrganisationId = Annotated[uuid.UUID, Path(description="The organisation's id.")]
ActionId = Annotated[uuid.UUID, Path(description="The action's id.")]
_NOT_FOUND = "No such organisation or action, or not one this token can see."
_CONFLICT = "The organisation already has an open action for this recommendation."


@router.post(
    "/organisations/{organisation_id}/actions",
    status_code=201,
    summary="Take on a recommendation of a scored assessment: an owner, a due date, a status.",
    responses=problem_responses(
        {
            404: _NOT_FOUND,
            409: _CONFLICT,
            422: "The body does not validate, the assessment is not a scored one of this organisation, "
            "or the recommendation is not in its result; `errors` names the field.",
        }
    ),
)
async def create_action(
    organisation_id: OrganisationId,
    body: ActionCreate,
    principal: WritePrincipal,
    session: SessionDep,
    response: HttpResponse,
) -> ActionOut:
    action = await service.create_action(session, principal, organisation_id, body)
    response.headers["Location"] = f"/v1/actions/{action.id}"
    return action


@router.get(
    "/organisations/{organisation_id}/actions",
    summary="List an organisation's actions, newest first.",
    responses=problem_responses({404: _NOT_FOUND, 422: "A bad id, `limit`, `cursor` or filter."}),
)
async def list_actions(
    organisation_id: OrganisationId,
    principal: ReadPrincipal,
    session: SessionDep,
    cursor: CursorDep = None,
    limit: LimitDep = 20,
    status: Annotated[ActionStatus | None, Query(description="Only actions in this status.")] = None,
    overdue: Annotated[
        bool | None,
        Query(description="`true`: only open actions due before today (Europe/London); `false`: the rest."),
    ] = None,
    capability_id: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=64,
            pattern=NO_NUL_PATTERN,
            description="Only actions for this capability.",
        ),
    ] = None,
) -> Page[ActionOut]:
    filters = {k: v for k, v in {"status": status, "capability_id": capability_id}.items() if v is not None}
    return await service.list_actions(
        session, principal, organisation_id, limit=limit, cursor=cursor, filters=filters, overdue=overdue
    )


@router.get(
    "/actions/{action_id}",
    summary="Get an action.",
    responses=problem_responses({404: _NOT_FOUND, 422: "The id is not a UUID."}),
)
async def get_action(action_id: ActionId, principal: ReadPrincipal, session: SessionDep) -> ActionOut:
    return await service.get_action(session, principal, action_id)


@router.patch(
    "/actions/{action_id}",
    summary="Change an action's status, owner, due date or notes.",
    description="Marking it `done` sets `completed_at` and sends `action.completed`; leaving `done` "
    "clears `completed_at`. Reopening it while another action for the same recommendation is open: 409.",
    responses=problem_responses(
        {404: _NOT_FOUND, 409: _CONFLICT, 422: "The body does not validate; `errors` names each field."}
    ),
)
async def update_action(
    action_id: ActionId, body: ActionUpdate, principal: WritePrincipal, session: SessionDep
) -> ActionOut:
    return await service.update_action(session, principal, action_id, body)
