"""All SQL of bulk ingestion: a few statements per request, whatever the number of items.

Rows are locked and inserted in a fixed order (organisations by ODS code, existing assessments
by id, new ones by organisation and external id), so two concurrent ingests touching the same
rows wait for each other instead of deadlocking.
Answers go in with ``COPY``, the fastest way into PostgreSQL; re-sent answers of an existing
draft are deleted first, which the lock on the assessment row keeps safe.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import func, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.assessments.models import Assessment, Response
from baseline_api.assessments.schemas import ResponseItemIn
from baseline_api.auth import Actor
from baseline_api.core.db import driver_connection
from baseline_api.organisations.models import Organisation

from . import copy_text

__all__ = [
    "Answers",
    "add_organisations",
    "answered_questions",
    "bump_revisions",
    "copy_answers",
    "forget_answers",
    "insert_assessments",
    "lock_by_external_id",
    "organisation_ids",
]

_COPY_RESPONSES = (
    "COPY responses (assessment_id, question_id, value, not_applicable, reason, comment,"
    " updated_by, updated_by_name) FROM STDIN"
)
_ASSESSMENT_COLUMNS = (
    "id",
    "organisation_id",
    "framework_id",
    "framework_version",
    "content_hash",
    "targets",
    "external_id",
)
_INSERT_ASSESSMENTS = text(
    "WITH inserted AS ("
    " INSERT INTO assessments (id, organisation_id, framework_id, framework_version, content_hash, targets,"
    " external_id, updated_by, updated_by_name)"
    " SELECT *, CAST(:updated_by AS text), CAST(:updated_by_name AS text)"
    " FROM unnest(CAST(:id AS uuid[]), CAST(:organisation_id AS uuid[]),"
    " CAST(:framework_id AS text[]), CAST(:framework_version AS text[]), CAST(:content_hash AS text[]),"
    " CAST(:targets AS jsonb[]), CAST(:external_id AS text[]))"
    " ON CONFLICT (organisation_id, external_id) WHERE external_id IS NOT NULL DO NOTHING"
    " RETURNING id, organisation_id, framework_id, framework_version, profile, external_id"
    "), audited AS ("
    " INSERT INTO audit_events (organisation_id, assessment_id, by, by_name, action, detail)"
    " SELECT organisation_id, id, :updated_by, :updated_by_name, 'assessment.created',"
    " jsonb_build_object('framework_id', framework_id, 'framework_version', framework_version,"
    " 'profile', profile, 'external_id', external_id)"
    " FROM inserted"
    ") SELECT id FROM inserted"
)
# ``response.answered`` for each answer just copied in: COPY, as the answers themselves are.
_COPY_AUDIT = (
    "COPY audit_events (organisation_id, assessment_id, by, by_name, action, target, detail) FROM STDIN"
)
_ANSWERED = "response.answered"

_FORGET_ANSWERS = text(
    "DELETE FROM responses AS r"
    " USING unnest(CAST(:assessment_ids AS uuid[]), CAST(:question_ids AS text[])) AS k(a, q)"
    " WHERE r.assessment_id = k.a AND r.question_id = k.q"
)


class Answers(NamedTuple):
    """One assessment's answers to copy in, with the organisation its audit rows name."""

    assessment_id: uuid.UUID
    organisation_id: uuid.UUID
    responses: Sequence[ResponseItemIn]


async def add_organisations(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
    """Create the organisations whose ODS codes are new; those that exist stay as they are. A
    concurrent insert of the same code makes this one wait for it, then skip the row."""
    if rows:  # an empty list would be one INSERT of nothing but defaults
        ordered = sorted(rows, key=lambda row: row["ods_code"])
        statement = insert(Organisation).on_conflict_do_nothing(index_elements=["ods_code"])
        await session.execute(statement, ordered)


async def organisation_ids(
    session: AsyncSession, ods_codes: Iterable[str], reach: frozenset[uuid.UUID] | None
) -> dict[str, uuid.UUID]:
    """ODS code -> id of the organisations among ``ods_codes`` (and within ``reach``, unless None).

    FOR SHARE keeps them from being deleted before the assessments referring to them are in, and
    keeps the writers that take FOR NO KEY UPDATE (a FHIR response, a new single assessment, an
    update of the organisation) waiting until this request commits, while other ingests, which
    share it, go ahead at once. (``key_share=True`` alone would be FOR NO KEY UPDATE, which queued
    every ingest touching one organisation behind the one before.)"""
    codes = list(ods_codes)
    if not codes:
        return {}
    query = select(Organisation.ods_code, Organisation.id).where(Organisation.ods_code.in_(codes))
    if reach is not None:
        query = query.where(Organisation.id.in_(reach))
    query = query.order_by(Organisation.ods_code).with_for_update(read=True)  # FOR SHARE
    return dict((await session.execute(query)).all())


async def lock_by_external_id(
    session: AsyncSession, keys: Iterable[tuple[uuid.UUID, str]]
) -> dict[tuple[uuid.UUID, str], Assessment]:
    """The assessments with these (organisation id, external id) keys, locked for update."""
    wanted = list(keys)
    if not wanted:
        return {}
    query = (
        select(Assessment)
        .where(tuple_(Assessment.organisation_id, Assessment.external_id).in_(wanted))
        .order_by(Assessment.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    found = (await session.scalars(query)).all()
    return {(a.organisation_id, a.external_id): a for a in found if a.external_id is not None}


async def answered_questions(
    session: AsyncSession, assessment_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, set[str]]:
    answered: dict[uuid.UUID, set[str]] = {assessment_id: set() for assessment_id in assessment_ids}
    if assessment_ids:
        query = select(Response.assessment_id, Response.question_id).where(
            Response.assessment_id.in_(assessment_ids)
        )
        for assessment_id, question_id in (await session.execute(query)).all():
            answered[assessment_id].add(question_id)
    return answered


async def insert_assessments(
    session: AsyncSession, rows: Sequence[Mapping[str, Any]], by: Actor
) -> set[uuid.UUID]:
    """Insert new drafts by ``by`` (each row names its own id); the ids of those inserted. A row whose
    (organisation, external id) another transaction took meanwhile is skipped, not an error.

    One statement over arrays, whatever the number of rows: a VALUES list of thousands of rows
    costs more to build and parse than the insert itself."""
    if not rows:
        return set()
    ordered = sorted(rows, key=lambda row: (str(row["organisation_id"]), row["external_id"] or ""))
    columns = {name: [row[name] for row in ordered] for name in _ASSESSMENT_COLUMNS}
    columns["targets"] = [json.dumps(targets) for targets in columns["targets"]]
    return set((await session.scalars(_INSERT_ASSESSMENTS, {**columns, **by.columns()})).all())


async def bump_revisions(session: AsyncSession, assessment_ids: Sequence[uuid.UUID], by: Actor) -> None:
    """Every changed draft's ETag moves on, as after a PATCH of its responses, and ``by`` made it."""
    if assessment_ids:
        statement = (
            update(Assessment)
            .where(Assessment.id.in_(assessment_ids), Assessment.status == "draft")
            .values(revision=Assessment.revision + 1, updated_at=func.now(), **by.columns())
            .execution_options(synchronize_session=False)
        )
        await session.execute(statement)


async def forget_answers(session: AsyncSession, keys: Sequence[tuple[uuid.UUID, str]]) -> None:
    """Delete the stored answers to these (assessment id, question id) keys, if any."""
    if keys:
        assessment_ids, question_ids = zip(*keys, strict=True)
        params = {"assessment_ids": list(assessment_ids), "question_ids": list(question_ids)}
        await session.execute(_FORGET_ANSWERS, params)


async def copy_answers(session: AsyncSession, batch: Sequence[Answers], by: Actor) -> None:
    """``COPY`` each assessment's answers, answered by ``by``, into responses, and record each
    in the audit (``response.answered``), in the session's transaction.

    The audit is a second COPY, so it costs ingestion no more than the answers do (an INSERT over
    arrays halved the rate); both are formatted in one pass and each sent in one write."""
    answers, audit = _copy_lines(batch, by)
    if not answers:
        return
    driver = await driver_connection(session)
    async with driver.cursor() as cursor:
        async with cursor.copy(_COPY_RESPONSES) as copy:
            await copy.write(answers)
        async with cursor.copy(_COPY_AUDIT) as copy:
            await copy.write(audit)


def _copy_lines(batch: Sequence[Answers], by: Actor) -> tuple[str, str]:
    """The rows of responses and of the audit, in COPY's text format."""
    author = f"{copy_text.text(by.id)}\t{copy_text.text(by.name)}"
    details: dict[tuple[str | None, bool], str] = {}  # few distinct answers: each dumped once
    answers, audit = [], []
    for assessment_id, organisation_id, responses in batch:
        answered = f"{assessment_id}\t"
        audited = f"{organisation_id}\t{assessment_id}\t{author}\t{_ANSWERED}\t"
        for r in responses:
            question = copy_text.text(r.question_id)
            answers.append(
                f"{answered}{question}\t{copy_text.text(r.value)}\t{copy_text.boolean(r.not_applicable)}"
                f"\t{copy_text.text(r.reason)}\t{copy_text.text(r.comment)}\t{author}\n"
            )
            key = (r.value, r.not_applicable)
            detail = details.get(key)
            if detail is None:
                detail = details[key] = copy_text.text(
                    json.dumps({"value": r.value, "not_applicable": r.not_applicable})
                )
            audit.append(f"{audited}{question}\t{detail}\n")
    return "".join(answers), "".join(audit)
