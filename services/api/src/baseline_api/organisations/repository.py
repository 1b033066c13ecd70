"""All SQL of the organisations domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, func, insert, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.assessments.models import Assessment
from baseline_api.core.db_errors import violated_constraint
from baseline_api.organisations.models import Organisation

__all__ = [
    "ASSESSMENTS_REFERENCE",
    "ODS_CODE_UNIQUE",
    "delete_organisation",
    "get_organisation",
    "get_organisation_by_ods_code",
    "has_assessments",
    "insert_organisation",
    "ods_code_taken",
    "page_of_organisations",
    "update_organisation",
    "violated_constraint",
]

# Constraint names from the migrations, to tell a duplicate from an organisation still in use.
ODS_CODE_UNIQUE = "uq_organisations_ods_code"
ASSESSMENTS_REFERENCE = "fk_assessments_organisation_id_organisations"


async def insert_organisation(session: AsyncSession, values: dict[str, Any]) -> Organisation:
    return (await session.scalars(insert(Organisation).values(**values).returning(Organisation))).one()


async def get_organisation(session: AsyncSession, organisation_id: uuid.UUID) -> Organisation | None:
    return await session.get(Organisation, organisation_id)


async def get_organisation_by_ods_code(
    session: AsyncSession, ods_code: str, *, lock: bool = False
) -> Organisation | None:
    """With ``lock``, FOR NO KEY UPDATE until commit: the organisation cannot be deleted, and other
    writers taking the same lock (ingestion of its assessments) wait their turn."""
    query = select(Organisation).where(Organisation.ods_code == ods_code)
    if lock:
        query = query.with_for_update(key_share=True)  # key_share without read: FOR NO KEY UPDATE
    return await session.scalar(query)


async def update_organisation(
    session: AsyncSession, organisation_id: uuid.UUID, changes: dict[str, Any]
) -> Organisation | None:
    statement = (
        update(Organisation)
        .where(Organisation.id == organisation_id)
        .values(**changes, updated_at=func.now())
        .returning(Organisation)
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(statement)).one_or_none()


async def delete_organisation(session: AsyncSession, organisation_id: uuid.UUID) -> bool:
    statement = delete(Organisation).where(Organisation.id == organisation_id).returning(Organisation.id)
    return (await session.scalar(statement)) is not None


async def ods_code_taken(session: AsyncSession, ods_code: str, other_than: uuid.UUID | None = None) -> bool:
    condition = Organisation.ods_code == ods_code
    if other_than is not None:
        condition &= Organisation.id != other_than
    return bool(await session.scalar(select(exists().where(condition))))


async def has_assessments(session: AsyncSession, organisation_id: uuid.UUID) -> bool:
    return bool(await session.scalar(select(exists().where(Assessment.organisation_id == organisation_id))))


def _like_pattern(text: str) -> str:
    """A substring pattern matching ``text`` literally: ``%``, ``_`` and ``\\`` are escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filters(
    reach: frozenset[uuid.UUID] | None, kind: str | None, q: str | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if reach is not None:
        conditions.append(Organisation.id.in_(reach))
    if kind is not None:
        conditions.append(Organisation.kind == kind)
    if q is not None:
        pattern = _like_pattern(q)
        conditions.append(
            or_(
                Organisation.name.ilike(pattern, escape="\\"),
                Organisation.ods_code.ilike(pattern, escape="\\"),
            )
        )
    return conditions


async def page_of_organisations(
    session: AsyncSession,
    *,
    reach: frozenset[uuid.UUID] | None,
    kind: str | None,
    q: str | None,
    after: tuple[str, uuid.UUID] | None,
    limit: int,
) -> Sequence[Organisation]:
    statement = select(Organisation).where(*_filters(reach, kind, q))
    if after is not None:
        statement = statement.where(tuple_(Organisation.ods_code, Organisation.id) > tuple_(*after))
    statement = statement.order_by(Organisation.ods_code, Organisation.id).limit(limit)
    return (await session.scalars(statement)).all()
