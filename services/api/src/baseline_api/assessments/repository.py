"""All SQL of assessments, their responses and results.

Every change to an assessment or its responses goes through one ``UPDATE ... SET revision =
revision + 1 ... RETURNING``: the row lock it takes serialises concurrent writers, and its
``WHERE`` re-checks the status and the caller's ``If-Match`` revision after any wait, so a stale
writer finds no row instead of overwriting a newer change.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from psycopg.rows import class_row, namedtuple_row
from sqlalchemy import (
    ColumnElement,
    Row,
    func,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.audit.fragments import AUDIT_OF_CHANGED, AUDIT_OF_STORED_ANSWERS
from baseline_api.auth import Actor
from baseline_api.core.db import PgConnection, psycopg_sql
from baseline_api.organisations.models import Organisation
from baseline_api.webhooks.outbox import CHANGED_COLUMNS, EVENTS_OF_CHANGED, event_parameters
from baseline_api.webhooks.payload import EventType
from framework_model import Profile

from .models import Assessment, AssessmentResult, Response, is_scored

__all__ = [
    "READ_FOR_SCORING",
    "RECORD_SCORE",
    "RESPONDENTS_OF_A",
    "RESULT_COLUMNS",
    "ForScoring",
    "Keyset",
    "Pinning",
    "advance_revision",
    "answer_draft",
    "author_parameters",
    "claim_due_submission",
    "delete_responses_except",
    "get_assessment",
    "get_assessment_by_external_id",
    "get_result",
    "insert_assessment",
    "latest_unnamed_draft",
    "list_assessments",
    "list_responses",
    "mark_submitted",
    "organisation_exists",
    "postpone_scoring",
    "read_for_scoring",
    "read_pinning",
    "record_score",
    "record_score_parameters",
    "retry_waiting_now",
    "scored_series",
]

Keyset = tuple[datetime, uuid.UUID]


async def organisation_exists(
    session: AsyncSession, organisation_id: uuid.UUID, *, lock: bool = False
) -> bool:
    """With ``lock``, the organisation row is held FOR NO KEY UPDATE until commit: it cannot be
    deleted meanwhile, so a row about to be inserted cannot lose its organisation; and two writers
    that lock it run one after the other, so a check-then-insert (one open action per
    recommendation, say) or an erasure sees the other's rows. Bulk ingestion's FOR SHARE waits for
    it, and it for ingestion."""
    query = select(Organisation.id).where(Organisation.id == organisation_id)
    if lock:
        query = query.with_for_update(key_share=True)  # key_share without read: FOR NO KEY UPDATE
    return await session.scalar(query) is not None


async def insert_assessment(session: AsyncSession, **fields: Any) -> Assessment:
    assessment = Assessment(**fields)
    session.add(assessment)
    await session.flush()
    await session.refresh(assessment)  # server defaults: id, status, revision, timestamps
    return assessment


async def get_assessment(
    session: AsyncSession, assessment_id: uuid.UUID, *, lock: bool = False
) -> Assessment | None:
    query = select(Assessment).where(Assessment.id == assessment_id).execution_options(populate_existing=True)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def get_assessment_by_external_id(
    session: AsyncSession, organisation_id: uuid.UUID, external_id: str
) -> Assessment | None:
    query = select(Assessment).where(
        Assessment.organisation_id == organisation_id, Assessment.external_id == external_id
    )
    return await session.scalar(query.execution_options(populate_existing=True))


async def latest_unnamed_draft(
    session: AsyncSession, organisation_id: uuid.UUID, framework_id: str, framework_version: str
) -> Assessment | None:
    """The newest draft of this framework version that no ingestion system has named."""
    query = (
        select(Assessment)
        .where(
            Assessment.organisation_id == organisation_id,
            Assessment.framework_id == framework_id,
            Assessment.framework_version == framework_version,
            Assessment.status == "draft",
            Assessment.external_id.is_(None),
        )
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(1)
    )
    return await session.scalar(query.execution_options(populate_existing=True))


async def list_assessments(
    session: AsyncSession,
    organisation_id: uuid.UUID,
    *,
    limit: int,
    after: Keyset | None,
    filters: dict[str, str],
) -> Sequence[Assessment]:
    """Newest first; ``after`` is the (created_at, id) of the last item of the previous page."""
    query = select(Assessment).where(Assessment.organisation_id == organisation_id)
    query = query.filter_by(**filters)
    if after is not None:
        query = query.where(tuple_(Assessment.created_at, Assessment.id) < tuple_(*after))
    query = query.order_by(Assessment.created_at.desc(), Assessment.id.desc()).limit(limit)
    return (await session.scalars(query)).all()


async def advance_revision(
    session: AsyncSession,
    assessment_id: uuid.UUID,
    expected_revisions: Collection[int] | None,
    **changes: Any,
) -> Assessment | None:
    """Apply ``changes`` to a draft and bump its revision; None when it is no longer a draft or
    its revision is not one of ``expected_revisions`` (None: any revision)."""
    conditions: list[ColumnElement[bool]] = [Assessment.id == assessment_id, Assessment.status == "draft"]
    if expected_revisions is not None:
        conditions.append(Assessment.revision.in_(expected_revisions))
    statement = (
        update(Assessment)
        .where(*conditions)
        .values(revision=Assessment.revision + 1, updated_at=func.now(), **changes)
        .returning(Assessment)
        .execution_options(populate_existing=True, synchronize_session=False)
    )
    return await session.scalar(statement)


_ANSWER_DRAFT = psycopg_sql(f"""
WITH bumped AS (
    UPDATE assessments SET revision = revision + 1, updated_at = now(),
        updated_by = :updated_by, updated_by_name = :updated_by_name
    WHERE id = :assessment_id AND status = 'draft'
      AND (CAST(:expected AS integer[]) IS NULL OR revision = ANY(CAST(:expected AS integer[])))
    RETURNING id, organisation_id, revision
), stored AS (
    INSERT INTO responses (assessment_id, question_id, value, not_applicable, reason, comment,
                           updated_by, updated_by_name)
    SELECT bumped.id, incoming.question_id, incoming.value, incoming.not_applicable, incoming.reason,
           incoming.comment, :updated_by, :updated_by_name
    FROM bumped, jsonb_to_recordset(CAST(:answers AS jsonb))
        AS incoming(question_id text, value text, not_applicable boolean, reason text, comment text)
    ON CONFLICT (assessment_id, question_id) DO UPDATE
    SET value = excluded.value, not_applicable = excluded.not_applicable, reason = excluded.reason,
        comment = excluded.comment, updated_by = excluded.updated_by,
        updated_by_name = excluded.updated_by_name, updated_at = now(), carried = false
    RETURNING *
), {AUDIT_OF_STORED_ANSWERS}
SELECT bumped.revision, stored.* FROM bumped, stored
""")  # noqa: S608 - composed of constant SQL; every value is a bound parameter


async def answer_draft(
    connection: PgConnection,
    assessment_id: uuid.UUID,
    expected_revisions: Collection[int] | None,
    rows: Sequence[dict[str, Any]],
    by: Actor,
) -> tuple[int, list[Any]] | None:
    """Upsert answers by ``by`` and bump the draft's revision in one statement: (new revision,
    stored rows, each with the columns of ``responses`` as attributes), or None when it is no
    longer a draft or its revision is not one of ``expected_revisions``.

    On psycopg directly: on an autocommit connection this is the whole change, one round trip."""
    parameters = {
        "assessment_id": assessment_id,
        "expected": None if expected_revisions is None else sorted(expected_revisions),
        "answers": json.dumps(rows),
        **by.columns(),
    }
    cursor = connection.cursor(row_factory=namedtuple_row)
    result: list[Any] = await (await cursor.execute(_ANSWER_DRAFT, parameters)).fetchall()
    if not result:
        return None
    return result[0].revision, result


# Withdraws answers and records ``response.withdrawn`` for each, by ``:updated_by``, in one statement.
_WITHDRAW_ANSWERS = text("""
WITH gone AS (
    DELETE FROM responses
    WHERE assessment_id = :assessment_id AND NOT (question_id = ANY(CAST(:keep AS text[])))
    RETURNING assessment_id, question_id
)
INSERT INTO audit_events (organisation_id, assessment_id, by, by_name, action, target)
SELECT a.organisation_id, a.id, :updated_by, :updated_by_name, 'response.withdrawn', gone.question_id
FROM gone JOIN assessments a ON a.id = gone.assessment_id
""")


class Pinning(NamedTuple):
    organisation_id: uuid.UUID
    framework_id: str
    framework_version: str
    profile: str
    status: str
    revision: int


_READ_PINNING = psycopg_sql(
    "SELECT organisation_id, framework_id, framework_version, profile, status, revision "
    "FROM assessments WHERE id = :assessment_id"
)


async def read_pinning(connection: PgConnection, assessment_id: uuid.UUID) -> Pinning | None:
    """What an assessment is pinned to, with its status and revision now; None if there is none."""
    cursor = connection.cursor(row_factory=class_row(Pinning))
    return await (await cursor.execute(_READ_PINNING, {"assessment_id": assessment_id})).fetchone()


async def delete_responses_except(
    session: AsyncSession, assessment_id: uuid.UUID, keep: Collection[str], by: Actor
) -> None:
    """Delete, by ``by``, the assessment's answers to every question not in ``keep``."""
    parameters = {"assessment_id": assessment_id, "keep": list(keep), **by.columns()}
    await session.execute(_WITHDRAW_ANSWERS, parameters)


async def list_responses(session: AsyncSession, assessment_id: uuid.UUID) -> Sequence[Response]:
    return (await session.scalars(select(Response).where(Response.assessment_id == assessment_id))).all()


# Who changed the assessment; with null parameters (the scoring worker) the author stays the one
# who submitted it: the worker does what the submit asked.
_AUTHOR = (
    "updated_by = COALESCE(CAST(:updated_by AS text), updated_by), "
    "updated_by_name = COALESCE(CAST(:updated_by_name AS text), updated_by_name)"
)


def author_parameters(by: Actor | None) -> dict[str, str | None]:
    """The ``:updated_by`` parameters of a statement using ``_AUTHOR``."""
    return by.columns() if by is not None else {"updated_by": None, "updated_by_name": None}


_MARK_SUBMITTED = psycopg_sql(f"""
WITH changed AS (
    UPDATE assessments
    SET status = 'submitted', submitted_at = now(), updated_at = now(),
        next_scoring_at = now() + make_interval(secs => CAST(:retry_in AS double precision)),
        scoring_attempts = CAST(:attempts AS integer), last_scoring_error = CAST(:error AS text),
        revision = revision + 1, {_AUTHOR}
    WHERE id = ANY(CAST(:assessment_ids AS uuid[])) AND status = 'draft'
      AND (CAST(:revision AS integer) IS NULL OR revision = CAST(:revision AS integer))
    RETURNING {CHANGED_COLUMNS}, updated_by, updated_by_name, revision
), {EVENTS_OF_CHANGED}, {AUDIT_OF_CHANGED}
SELECT revision FROM changed
""")  # noqa: S608 - composed of constant SQL; every value is a bound parameter


async def mark_submitted(
    connection: PgConnection,
    assessment_ids: Collection[uuid.UUID],
    *,
    revision: int | None = None,
    retry_in: float = 0.0,
    error: str | None = None,
    by: Actor | None = None,
) -> list[int]:
    """Drafts -> submitted by ``by``, due for scoring in ``retry_in`` seconds, and
    ``assessment.submitted`` recorded, in one statement; ``error`` records a scoring attempt that
    already failed. With ``revision``, only a draft still at that revision changes. The new
    revisions, one for each draft that changed."""
    parameters = {
        "assessment_ids": list(assessment_ids),
        "revision": revision,
        "retry_in": retry_in,
        "attempts": 0 if error is None else 1,
        "error": error,
        **event_parameters(["assessment.submitted"]),
        "audit_detail": json.dumps({} if error is None else {"scoring": "deferred"}),
        **author_parameters(by),
    }
    rows = await (await connection.execute(_MARK_SUBMITTED, parameters)).fetchall()
    return [revision for (revision,) in rows]


class ForScoring(NamedTuple):
    """An assessment as scoring needs it: its state, which questions are answered (and which of
    those carry an answer carried forward and not yet confirmed), and the scoring service's
    request, ready to send."""

    id: uuid.UUID
    organisation_id: uuid.UUID
    status: str
    revision: int
    framework_id: str
    framework_version: str
    content_hash: str
    profile: Profile
    scoring_attempts: int
    answered: list[str]
    carried: list[str]
    score_request: str


# The respondents of assessment ``a`` (how many, and their own answers as the scoring service
# takes them, in the order they were added), for a LATERAL join. Built as json, not jsonb: json is
# written as text as it goes, where jsonb would build and sort a tree of every answer first.
RESPONDENTS_OF_A = """
SELECT count(*) AS respondent_count,
       COALESCE(json_agg(json_build_object(
           'respondent_id', rs.id,
           'responses', COALESCE((
               SELECT json_agg(json_build_object(
                   'question_id', rr.question_id, 'value', rr.value, 'not_applicable', rr.not_applicable))
               FROM respondent_responses rr WHERE rr.respondent_id = rs.id), '[]'::json)
       ) ORDER BY rs.created_at, rs.id), '[]'::json) AS respondents
FROM respondents rs WHERE rs.assessment_id = a.id
"""

# One round trip gives everything scoring needs: the assessment's state, which questions are
# answered, and the scoring service's request built by PostgreSQL (nothing re-encoded in Python),
# from one pass over the responses, as json (written as it goes; jsonb would first build and sort
# a tree of every answer, a third of the query's time). With two respondents or more, their
# answers go too (spliced into the request's text, which always ends in its closing brace), so
# the result carries how far they agree.
_FOR_SCORING = f"""
SELECT a.id, a.organisation_id, a.status, a.revision, a.framework_id, a.framework_version,
       a.content_hash, a.profile, a.scoring_attempts, r.answered, r.carried,
       CASE WHEN p.respondent_count >= 2
            THEN left(b.request, -1) || ', "respondents": ' || p.respondents::text || '}}'
            ELSE b.request END AS score_request
FROM assessments a
CROSS JOIN LATERAL (
    SELECT COALESCE(array_agg(question_id), '{{}}') AS answered,
           COALESCE(array_agg(question_id) FILTER (WHERE carried), '{{}}') AS carried,
           COALESCE(json_agg(json_build_object(
               'question_id', question_id, 'value', value, 'not_applicable', not_applicable)),
               '[]'::json) AS responses
    FROM responses WHERE assessment_id = a.id
) r
CROSS JOIN LATERAL (
    SELECT json_build_object(
        'framework_id', a.framework_id,
        'framework_version', a.framework_version,
        'profile', a.profile,
        'targets', a.targets,
        'responses', r.responses
    )::text AS request
) b
CROSS JOIN LATERAL ({RESPONDENTS_OF_A}) p
"""  # noqa: S608 - composed of constant SQL; every value is a bound parameter
READ_FOR_SCORING = psycopg_sql(_FOR_SCORING + "WHERE a.id = :assessment_id")
# The scoring worker's claim: rows another worker holds are skipped, so replicas never score the
# same assessment twice.
_CLAIM_DUE = psycopg_sql(
    _FOR_SCORING
    + "WHERE a.status = 'submitted' AND a.next_scoring_at <= now() "
    + "ORDER BY a.next_scoring_at LIMIT 1 FOR UPDATE OF a SKIP LOCKED"
)


async def _for_scoring(
    connection: PgConnection, query: str, parameters: Mapping[str, Any]
) -> ForScoring | None:
    cursor = connection.cursor(row_factory=class_row(ForScoring))
    return await (await cursor.execute(query, parameters)).fetchone()


async def read_for_scoring(connection: PgConnection, assessment_id: uuid.UUID) -> ForScoring | None:
    """The assessment as scoring needs it, including its revision (see ``record_score``)."""
    return await _for_scoring(connection, READ_FOR_SCORING, {"assessment_id": assessment_id})


async def claim_due_submission(connection: PgConnection) -> ForScoring | None:
    """The most overdue submitted assessment, as ``read_for_scoring`` gives it, or None; locked
    until the connection's transaction ends."""
    return await _for_scoring(connection, _CLAIM_DUE, {})


# What RECORD_SCORE keeps beside the scoring service's document, taken from the document itself.
RESULT_COLUMNS = ("framework_id", "framework_version", "content_hash", "engine_version")

# The result is stored only if the assessment is still at the revision that was scored: the
# UPDATE comes first, so that it is the one to wait for a concurrent writer and re-check.
RECORD_SCORE = psycopg_sql(f"""
WITH changed AS (
    UPDATE assessments
    SET status = 'scored', submitted_at = COALESCE(submitted_at, now()), scored_at = now(),
        updated_at = now(), next_scoring_at = NULL, last_scoring_error = NULL, revision = revision + 1,
        {_AUTHOR}
    WHERE id = :assessment_id AND revision = :revision AND status IN ('draft', 'submitted')
    RETURNING {CHANGED_COLUMNS}, updated_by, updated_by_name, revision
), stored AS (
    INSERT INTO assessment_results
        (assessment_id, framework_id, framework_version, content_hash, engine_version, result)
    SELECT id, :framework_id, :framework_version, :content_hash, :engine_version, CAST(:document AS jsonb)
    FROM changed
), {EVENTS_OF_CHANGED}, {AUDIT_OF_CHANGED}
SELECT revision FROM changed
""")  # noqa: S608 - composed of constant SQL; every value is a bound parameter


def record_score_parameters(
    assessment_id: uuid.UUID,
    revision: int,
    columns: Mapping[str, Any],
    document: bytes,
    event_types: Sequence[EventType],
    by: Actor | None = None,
) -> dict[str, Any]:
    """RECORD_SCORE's parameters (see ``record_score``)."""
    return {
        **columns,
        "assessment_id": assessment_id,
        "revision": revision,
        "document": document.decode(),
        **event_parameters(event_types),
        # The worker (``by`` None) scores on the submitter's behalf: the audit names the submitter.
        "audit_detail": json.dumps({"engine_version": columns["engine_version"], "by_worker": by is None}),
        **author_parameters(by),
    }


async def record_score(
    connection: PgConnection,
    assessment_id: uuid.UUID,
    revision: int,
    columns: Mapping[str, Any],
    document: bytes,
    event_types: Sequence[EventType],
    by: Actor | None = None,
) -> int | None:
    """Store the scoring service's ``document`` as it is, mark the assessment scored (by ``by``, a
    submit; None, the worker, leaves the submit's author), record ``event_types`` and the audit, in
    one statement, if the assessment is still at ``revision``: the new revision, or None when it has
    changed since it was read. ``columns`` are the document's ``RESULT_COLUMNS``, kept beside it."""
    parameters = record_score_parameters(assessment_id, revision, columns, document, event_types, by)
    row = await (await connection.execute(RECORD_SCORE, parameters)).fetchone()
    return None if row is None else int(row[0])


async def postpone_scoring(session: AsyncSession, assessment_id: uuid.UUID, delay: float, error: str) -> None:
    statement = (
        update(Assessment)
        .where(Assessment.id == assessment_id)
        .values(
            scoring_attempts=Assessment.scoring_attempts + 1,
            next_scoring_at=func.now() + timedelta(seconds=delay),
            last_scoring_error=error,
        )
    )
    await session.execute(statement)


async def retry_waiting_now(session: AsyncSession) -> None:
    """Make every backed-off submission due now: the scoring service has just answered again."""
    statement = (
        update(Assessment)
        .where(Assessment.status == "submitted", Assessment.next_scoring_at > func.now())
        .values(next_scoring_at=func.now())
    )
    await session.execute(statement)


async def get_result(session: AsyncSession, assessment_id: uuid.UUID) -> dict[str, Any] | None:
    query = select(AssessmentResult.result).where(AssessmentResult.assessment_id == assessment_id)
    return await session.scalar(query)


async def scored_series(
    session: AsyncSession, organisation_id: uuid.UUID, framework_id: str
) -> Sequence[Row[Any]]:
    """Scored assessments of one organisation and framework, oldest score first; only the parts of
    each result that progress needs (recommendations can be large)."""
    query = (
        select(
            Assessment.id,
            Assessment.framework_version,
            Assessment.profile,
            Assessment.scored_at,
            Assessment.targets,
            AssessmentResult.result["overall"]["score"].label("overall"),
            AssessmentResult.result["pillars"].label("pillars"),
        )
        .join(AssessmentResult, AssessmentResult.assessment_id == Assessment.id)
        .where(
            Assessment.organisation_id == organisation_id,
            Assessment.framework_id == framework_id,
            is_scored(),
        )
        .order_by(Assessment.scored_at, Assessment.id)
    )
    return (await session.execute(query)).all()
