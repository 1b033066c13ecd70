"""The rules of bulk ingestion: validate every item first, then write the valid ones together.

Checks that need the database are made for all items at once (one query each), every item is
then checked in Python, and the valid ones are written with a few statements for the whole
request: new organisations, new drafts, revision bumps, and one ``COPY`` of every answer. A
failed item writes nothing (not even its organisation) and never stops the others. Should the
database still refuse the batch (a rare conflict no check foresaw), it is rolled back to a
savepoint and written item by item, each in a savepoint of its own, so only the items at fault
fail.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

import psycopg
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from baseline_api.assessments.models import Assessment
from baseline_api.assessments.submission import accept_submissions
from baseline_api.auth import Actor, Principal
from baseline_api.organisations.schemas import OrganisationCreate
from baseline_service_kit import Conflict, FieldError, NotFound, ProblemError, Unprocessable
from framework_model import content_hash

from . import repository
from .parsing import Parsed
from .planning import Work, plan_item
from .schemas import IngestItem, IngestItemResult, IngestReport

__all__ = ["ingest"]

# What the database says when it refuses a value or a row: the client's data, never a 500.
_REFUSALS = (sa_exc.DataError, sa_exc.IntegrityError, psycopg.DataError, psycopg.IntegrityError)

Indexed = tuple[int, IngestItem]
Organisations = Mapping[str, uuid.UUID]  # ODS code -> id
Outcomes = dict[int, IngestItemResult]


async def ingest(session: AsyncSession, principal: Principal, parsed: Sequence[Parsed]) -> IngestReport:
    outcomes: Outcomes = {}
    valid: list[Indexed] = []
    for index, entry in enumerate(parsed):
        if isinstance(entry, ProblemError):
            outcomes[index] = _failed(index, entry)
        else:
            valid.append((index, entry))
    codes = {item.organisation.ods_code for _, item in valid}
    known = await repository.organisation_ids(session, codes, principal.organisation_ids)
    reachable = _reachable(valid, known, may_create=principal.organisation_ids is None, outcomes=outcomes)
    works, refused = await _plan(session, _without_repeated_external_ids(reachable, outcomes), known)
    outcomes |= refused | await _store(session, principal, works, known)
    return _report([outcomes[index] for index in range(len(parsed))])


def _reachable(
    valid: Sequence[Indexed], known: Organisations, *, may_create: bool, outcomes: Outcomes
) -> list[Indexed]:
    """The items whose organisation exists within the token's reach, or may be created.

    A token limited to organisations cannot create one, and one outside its reach is reported
    exactly as one that does not exist."""
    reachable = []
    for index, item in valid:
        if may_create or item.organisation.ods_code in known:
            reachable.append((index, item))
        else:
            message = "no organisation with this ODS code that this token can see"
            error = FieldError(field="organisation.ods_code", message=message)
            outcomes[index] = _failed(index, NotFound("No such organisation.", errors=[error]))
    return reachable


def _without_repeated_external_ids(items: Sequence[Indexed], outcomes: Outcomes) -> list[Indexed]:
    """Two items for one assessment in one request: which is meant is anyone's guess."""
    first_at: dict[tuple[str, str], int] = {}
    kept = []
    for index, item in items:
        if item.external_id is not None:
            first = first_at.setdefault((item.organisation.ods_code, item.external_id), index)
            if first != index:
                message = f"already sent for this organisation at {first}"
                error = Unprocessable(
                    "The external_id repeats.", errors=[FieldError(field="external_id", message=message)]
                )
                outcomes[index] = _failed(index, error)
                continue
        kept.append((index, item))
    return kept


async def _plan(
    session: AsyncSession, items: Sequence[Indexed], known: Organisations
) -> tuple[list[Work], Outcomes]:
    """Each item checked against what is stored: the work to do, and the items refused. (Only
    an organisation that exists can have assessments to find by external_id.)"""
    keyed = {
        index: (known[i.organisation.ods_code], i.external_id)
        for index, i in items
        if i.external_id and i.organisation.ods_code in known
    }
    existing = await repository.lock_by_external_id(session, keyed.values())
    found = {index: existing.get(key) for index, key in keyed.items()}
    submitting = [a.id for index, item in items if item.submit and (a := found.get(index)) is not None]
    stored = await repository.answered_questions(session, submitting)
    # Checking every answer of a large batch is CPU work: off the event loop, so other requests
    # keep being served meanwhile. (The thread only reads what the queries above loaded.)
    return await run_in_threadpool(_check_each, items, found, stored)


def _check_each(
    items: Sequence[Indexed], found: Mapping[int, Assessment | None], stored: Mapping[uuid.UUID, set[str]]
) -> tuple[list[Work], Outcomes]:
    works, refused = [], {}
    for index, item in items:
        assessment = found.get(index)
        answered = stored.get(assessment.id, set()) if assessment else set()
        try:
            works.append(plan_item(index, item, assessment, answered))
        except ProblemError as error:
            refused[index] = _failed(index, error, assessment)
    return works, refused


async def _store(
    session: AsyncSession, principal: Principal, works: Sequence[Work], known: Organisations
) -> Outcomes:
    try:
        async with session.begin_nested():
            return await _write(session, principal, works, known)
    except _REFUSALS:
        pass
    outcomes: Outcomes = {}
    for work in works:  # the fallback: one savepoint an item, so only the items at fault fail
        try:
            async with session.begin_nested():
                outcomes |= await _write(session, principal, [work], known)
        except _REFUSALS:
            refusal = FieldError(field="item", message="a value was refused by the database")
            outcomes[work.index] = _failed(
                work.index, Unprocessable("The item cannot be stored.", errors=[refusal])
            )
    return outcomes


async def _write(
    session: AsyncSession, principal: Principal, works: Sequence[Work], known: Organisations
) -> Outcomes:
    by = principal.actor
    organisations = await _with_new_organisations(session, works, known, by)
    works, outcomes = await _insert_new(session, works, organisations, by)
    await repository.bump_revisions(session, [work.assessment_id for work in works if work.existing], by)
    resent = [(w.assessment_id, r.question_id) for w in works if w.existing for r in w.item.responses]
    await repository.forget_answers(session, resent)
    # An existing assessment was found under its organisation's id, so this names it for both.
    answers = [
        repository.Answers(w.assessment_id, organisations[w.item.organisation.ods_code], w.item.responses)
        for w in works
    ]
    await repository.copy_answers(session, answers, by)
    await accept_submissions(session, [work.assessment_id for work in works if work.item.submit], by)
    for work in works:
        outcomes[work.index] = _stored(work)
    return outcomes


async def _with_new_organisations(
    session: AsyncSession, works: Sequence[Work], known: Organisations, by: Actor
) -> Organisations:
    """Create the organisations the works need that do not exist yet (as first sent), and
    return every organisation's id. One created concurrently meanwhile is matched instead."""
    new: dict[str, OrganisationCreate] = {}
    for work in works:
        sent = work.item.organisation
        if sent.ods_code not in known:
            new.setdefault(sent.ods_code, sent)
    if not new:
        return known
    rows = [{**organisation.model_dump(), **by.columns()} for organisation in new.values()]
    await repository.add_organisations(session, rows)
    return {**known, **await repository.organisation_ids(session, new, None)}


async def _insert_new(
    session: AsyncSession, works: Sequence[Work], organisations: Organisations, by: Actor
) -> tuple[list[Work], Outcomes]:
    """Insert the new drafts. One whose external_id a concurrent request took meanwhile is
    planned again, now as an update of that request's assessment."""
    new = [work for work in works if not work.existing]
    rows = [_assessment_row(work, organisations[work.item.organisation.ods_code]) for work in new]
    inserted = await repository.insert_assessments(session, rows, by)
    kept = [work for work in works if work.existing or work.assessment_id in inserted]
    lost = [(work.index, work.item) for work in new if work.assessment_id not in inserted]
    if not lost:
        return kept, {}
    again, outcomes = await _plan(session, lost, organisations)
    for work in again:
        if not work.existing:  # the assessment that took it is gone again: let the client retry
            outcomes[work.index] = _failed(
                work.index, Conflict("The external_id changed hands; send it again.")
            )
    return kept + [work for work in again if work.existing], outcomes


def _assessment_row(work: Work, organisation_id: uuid.UUID) -> dict[str, object]:
    framework = work.framework
    return {
        "id": work.assessment_id,
        "organisation_id": organisation_id,
        "framework_id": framework.framework_id,
        "framework_version": framework.version,
        "content_hash": content_hash(framework),
        "targets": dict(framework.default_targets),
        "external_id": work.item.external_id,
    }


def _stored(work: Work) -> IngestItemResult:
    return IngestItemResult(
        index=work.index,
        status="updated" if work.existing else "created",
        http_status=200 if work.existing else 201,
        assessment_id=work.assessment_id,
        assessment_status="submitted" if work.item.submit else "draft",
    )


def _failed(index: int, error: ProblemError, assessment: Assessment | None = None) -> IngestItemResult:
    return IngestItemResult(
        index=index,
        status="failed",
        http_status=error.status,
        assessment_id=assessment.id if assessment else None,
        assessment_status=assessment.status if assessment else None,
        detail=error.detail or error.title,
        errors=error.errors or None,
    )


def _report(items: list[IngestItemResult]) -> IngestReport:
    counts = {"created": 0, "updated": 0, "failed": 0}
    for item in items:
        counts[item.status] += 1
    return IngestReport(items=items, **counts)
