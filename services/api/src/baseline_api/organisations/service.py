"""The rules of organisations: unique ODS codes, who may create or re-code them, safe deletes.

Uniqueness and "still has assessments" are checked first, for a clear answer, and the database
constraints are caught as well, because a concurrent request can slip in between.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.auth import Actor, Principal
from baseline_api.core.pagination import Page, decode_typed_cursor, encode_cursor
from baseline_api.organisations import repository
from baseline_api.organisations.models import ODS_CODE_PATTERN
from baseline_api.organisations.schemas import OrganisationCreate, OrganisationRead, OrganisationUpdate
from baseline_service_kit import Conflict, FieldError, Forbidden, NotFound, Unprocessable

__all__ = [
    "create_organisation",
    "delete_organisation",
    "ensure_may_identify",
    "ensure_organisations_exist",
    "get_organisation",
    "list_organisations",
    "update_organisation",
]


async def ensure_organisations_exist(session: AsyncSession, ids: list[uuid.UUID] | None) -> None:
    """422 naming each ``organisation_ids[i]`` of a body that names no organisation."""
    if not ids:
        return
    known = await repository.existing_organisation_ids(session, ids)
    errors = [
        FieldError(field=f"organisation_ids[{i}]", message="no such organisation")
        for i, organisation_id in enumerate(ids)
        if organisation_id not in known
    ]
    if errors:
        raise Unprocessable("Unknown organisation ids.", errors=errors)


def ensure_may_identify(principal: Principal) -> None:
    """Creating an organisation or changing its ODS code needs a token not limited to organisations.

    A limited token could not see an organisation it created, and a 409 on a code it tries to
    take would reveal an organisation outside its reach."""
    if principal.organisation_ids is not None:
        raise Forbidden("A token limited to organisations cannot create them or change their ODS codes.")


def _ods_code(text: str) -> str:
    """An ODS code read back from a cursor: anything else is a cursor we never issued."""
    if not re.fullmatch(ODS_CODE_PATTERN, text):
        raise ValueError(text)
    return text


def _duplicate_ods_code() -> Conflict:
    error = FieldError(field="ods_code", message="already used by another organisation")
    return Conflict("An organisation with this ODS code already exists.", errors=[error])


def _in_use() -> Conflict:
    return Conflict("The organisation has assessments; it cannot be deleted.")


def _conflict_from(error: IntegrityError) -> Exception:
    conflicts = {repository.ODS_CODE_UNIQUE: _duplicate_ods_code, repository.ASSESSMENTS_REFERENCE: _in_use}
    make = conflicts.get(repository.violated_constraint(error) or "")
    return make() if make else error


async def create_organisation(session: AsyncSession, body: OrganisationCreate, by: Actor) -> OrganisationRead:
    if await repository.ods_code_taken(session, body.ods_code):
        raise _duplicate_ods_code()
    try:
        organisation = await repository.insert_organisation(session, {**body.model_dump(), **by.columns()})
    except IntegrityError as error:
        raise _conflict_from(error) from error
    return OrganisationRead.model_validate(organisation)


async def get_organisation(session: AsyncSession, organisation_id: uuid.UUID) -> OrganisationRead:
    organisation = await repository.get_organisation(session, organisation_id)
    if organisation is None:
        raise NotFound("No such organisation.")
    return OrganisationRead.model_validate(organisation)


async def list_organisations(
    session: AsyncSession,
    principal: Principal,
    *,
    kind: str | None,
    q: str | None,
    limit: int,
    cursor: str | None,
) -> Page[OrganisationRead]:
    after = decode_typed_cursor(cursor, _ods_code, uuid.UUID)
    found = await repository.page_of_organisations(
        session,
        reach=principal.organisation_ids,
        kind=kind,
        q=q,
        after=(after[0], after[1]) if after else None,
        limit=limit + 1,
    )
    items = [OrganisationRead.model_validate(organisation) for organisation in found[:limit]]
    last = items[-1] if len(found) > limit else None
    return Page(items=items, next_cursor=encode_cursor([last.ods_code, str(last.id)]) if last else None)


async def update_organisation(
    session: AsyncSession, organisation_id: uuid.UUID, body: OrganisationUpdate, by: Actor
) -> OrganisationRead:
    changes = body.changes()
    if not changes:
        return await get_organisation(session, organisation_id)
    if "ods_code" in changes and await repository.ods_code_taken(
        session, changes["ods_code"], organisation_id
    ):
        raise _duplicate_ods_code()
    try:
        organisation = await repository.update_organisation(
            session, organisation_id, {**changes, **by.columns()}
        )
    except IntegrityError as error:
        raise _conflict_from(error) from error
    if organisation is None:
        raise NotFound("No such organisation.")
    return OrganisationRead.model_validate(organisation)


async def delete_organisation(session: AsyncSession, organisation_id: uuid.UUID) -> None:
    if await repository.has_assessments(session, organisation_id):
        raise _in_use()
    try:
        deleted = await repository.delete_organisation(session, organisation_id)
    except IntegrityError as error:
        raise _conflict_from(error) from error
    if not deleted:
        raise NotFound("No such organisation.")
