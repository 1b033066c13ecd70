"""``/v1/organisations``: NHS bodies, identified by their ODS code, that assessments belong to.

An organisation outside the token's reach answers 404, exactly as one that does not exist.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from baseline_api.auth import ReadPrincipal, WritePrincipal
from baseline_api.core.db import SessionDep
from baseline_api.core.pagination import CursorDep, LimitDep, Page
from baseline_api.core.responses import problem_responses
from baseline_api.core.text import NO_NUL_PATTERN
from baseline_api.organisations import service
from baseline_api.organisations.schemas import Kind, OrganisationCreate, OrganisationRead, OrganisationUpdate

router = APIRouter(prefix="/v1/organisations", tags=["organisations"])

OrganisationId = Annotated[uuid.UUID, Path(description="The organisation's id.")]
KindFilter = Annotated[Kind | None, Query(description="Only organisations of this kind.")]
Search = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=200,
        pattern=NO_NUL_PATTERN,
        description="Case-insensitive substring of the name or the ODS code.",
    ),
]

_NOT_FOUND = {404: "No such organisation, or not one this token can see."}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create an organisation.",
    responses=problem_responses(
        {
            403: "The token lacks `write`, or is limited to organisations.",
            409: "An organisation with this ODS code already exists.",
            422: "The body does not validate; `errors` names each field.",
        }
    ),
)
async def create_organisation(
    body: OrganisationCreate, principal: WritePrincipal, session: SessionDep, response: Response
) -> OrganisationRead:
    service.ensure_may_identify(principal)
    organisation = await service.create_organisation(session, body, principal.actor)
    response.headers["Location"] = f"/v1/organisations/{organisation.id}"
    return organisation


@router.get(
    "",
    summary="List the organisations this token can see, by ODS code.",
    responses=problem_responses({422: "A bad `limit`, `cursor`, `kind` or `q`."}),
)
async def list_organisations(
    principal: ReadPrincipal,
    session: SessionDep,
    limit: LimitDep = 20,
    cursor: CursorDep = None,
    kind: KindFilter = None,
    q: Search = None,
) -> Page[OrganisationRead]:
    return await service.list_organisations(session, principal, kind=kind, q=q, limit=limit, cursor=cursor)


@router.get(
    "/{organisation_id}",
    summary="Get an organisation.",
    responses=problem_responses({**_NOT_FOUND, 422: "The id is not a UUID."}),
)
async def get_organisation(
    organisation_id: OrganisationId, principal: ReadPrincipal, session: SessionDep
) -> OrganisationRead:
    principal.ensure_can_see(organisation_id)
    return await service.get_organisation(session, organisation_id)


@router.patch(
    "/{organisation_id}",
    summary="Change an organisation's ODS code, name, kind or region.",
    responses=problem_responses(
        {
            403: "The token lacks `write`, or is limited to organisations and tries to change the ODS code.",
            **_NOT_FOUND,
            409: "Another organisation has this ODS code.",
            422: "The body does not validate; `errors` names each field.",
        }
    ),
)
async def update_organisation(
    organisation_id: OrganisationId, body: OrganisationUpdate, principal: WritePrincipal, session: SessionDep
) -> OrganisationRead:
    principal.ensure_can_see(organisation_id)
    if "ods_code" in body.model_fields_set:
        service.ensure_may_identify(principal)
    return await service.update_organisation(session, organisation_id, body, principal.actor)


@router.delete(
    "/{organisation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an organisation that has no assessments.",
    responses=problem_responses(
        {**_NOT_FOUND, 409: "The organisation has assessments.", 422: "The id is not a UUID."}
    ),
)
async def delete_organisation(
    organisation_id: OrganisationId, principal: WritePrincipal, session: SessionDep
) -> None:
    principal.ensure_can_see(organisation_id)
    await service.delete_organisation(session, organisation_id)
