"""All SQL of respondents, their answers and what agreement needs.

The callers bump the assessment's revision first (``assessments.repository.advance_revision``):
that row lock serialises every change to one assessment's respondents, so the count that caps
them holds, and a respondent deleted meanwhile is seen as gone.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Row, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.assessments.repository import RESPONDENTS_OF_A
from baseline_api.auth import Actor

from .models import Respondent, RespondentResponse

__all__ = [
    "ForAgreement",
    "answer",
    "count_respondents",
    "delete_respondent",
    "get_respondent",
    "insert_respondent",
    "list_answers",
    "list_respondents",
    "read_for_agreement",
]


async def count_respondents(session: AsyncSession, assessment_id: uuid.UUID) -> int:
    query = select(func.count()).select_from(Respondent).where(Respondent.assessment_id == assessment_id)
    return int(await session.scalar(query) or 0)


async def insert_respondent(session: AsyncSession, **fields: Any) -> Respondent:
    respondent = Respondent(**fields)
    session.add(respondent)
    await session.flush()
    await session.refresh(respondent)  # server defaults: id, created_at
    return respondent


async def list_respondents(session: AsyncSession, assessment_id: uuid.UUID) -> Sequence[Respondent]:
    query = (
        select(Respondent)
        .where(Respondent.assessment_id == assessment_id)
        .order_by(Respondent.created_at, Respondent.id)
    )
    return (await session.scalars(query)).all()


async def get_respondent(
    session: AsyncSession, assessment_id: uuid.UUID, respondent_id: uuid.UUID
) -> Respondent | None:
    query = select(Respondent).where(
        Respondent.id == respondent_id, Respondent.assessment_id == assessment_id
    )
    return await session.scalar(query)


_DELETE = text("""
WITH gone AS (
    DELETE FROM respondents WHERE id = :respondent_id AND assessment_id = :assessment_id
    RETURNING id, role
)
SELECT gone.role, (SELECT count(*) FROM respondent_responses WHERE respondent_id = gone.id) AS answers
FROM gone
""")


async def delete_respondent(
    session: AsyncSession, assessment_id: uuid.UUID, respondent_id: uuid.UUID
) -> Row[Any] | None:
    """Delete a respondent and (by cascade) their answers: (role, how many answers went), or None."""
    parameters = {"assessment_id": assessment_id, "respondent_id": respondent_id}
    return (await session.execute(_DELETE, parameters)).first()


_ANSWER = text("""
INSERT INTO respondent_responses (respondent_id, question_id, value, not_applicable, reason, comment,
                                  updated_by, updated_by_name)
SELECT :respondent_id, incoming.question_id, incoming.value, incoming.not_applicable, incoming.reason,
       incoming.comment, :updated_by, :updated_by_name
FROM jsonb_to_recordset(CAST(:answers AS jsonb))
    AS incoming(question_id text, value text, not_applicable boolean, reason text, comment text)
ON CONFLICT (respondent_id, question_id) DO UPDATE
SET value = excluded.value, not_applicable = excluded.not_applicable, reason = excluded.reason,
    comment = excluded.comment, updated_by = excluded.updated_by,
    updated_by_name = excluded.updated_by_name, updated_at = now()
RETURNING *
""")


async def answer(
    session: AsyncSession, respondent_id: uuid.UUID, rows: Sequence[dict[str, Any]], by: Actor
) -> Sequence[Row[Any]]:
    """Upsert a respondent's answers by ``by`` in one statement; the stored rows."""
    parameters = {"respondent_id": respondent_id, "answers": json.dumps(rows), **by.columns()}
    return (await session.execute(_ANSWER, parameters)).all()


async def list_answers(session: AsyncSession, respondent_id: uuid.UUID) -> Sequence[RespondentResponse]:
    query = select(RespondentResponse).where(RespondentResponse.respondent_id == respondent_id)
    return (await session.scalars(query)).all()


class ForAgreement(NamedTuple):
    """An assessment as agreement needs it: the scoring service's request (built by PostgreSQL),
    the respondents, and the assessment's own answers by question (``[value, not_applicable]``)."""

    organisation_id: uuid.UUID
    agreement_request: str
    roster: list[dict[str, Any]]
    agreed: dict[str, list[Any]]


_FOR_AGREEMENT = text(f"""
SELECT a.organisation_id,
       json_build_object(
           'framework_id', a.framework_id,
           'framework_version', a.framework_version,
           'profile', a.profile,
           'respondents', p.respondents
       )::text AS agreement_request,
       COALESCE((
           SELECT json_agg(json_build_object('respondent_id', rs.id, 'name', rs.name, 'role', rs.role)
                           ORDER BY rs.created_at, rs.id)
           FROM respondents rs WHERE rs.assessment_id = a.id
       ), '[]'::json) AS roster,
       COALESCE((
           SELECT json_object_agg(question_id, json_build_array(value, not_applicable))
           FROM responses WHERE assessment_id = a.id
       ), '{{}}'::json) AS agreed
FROM assessments a
CROSS JOIN LATERAL ({RESPONDENTS_OF_A}) p
WHERE a.id = :assessment_id
""")  # noqa: S608 - composed of constant SQL; every value is a bound parameter


async def read_for_agreement(session: AsyncSession, assessment_id: uuid.UUID) -> ForAgreement | None:
    """Everything agreement needs, in one round trip; None when there is no such assessment."""
    row = (await session.execute(_FOR_AGREEMENT, {"assessment_id": assessment_id})).first()
    return None if row is None else ForAgreement(*row)
