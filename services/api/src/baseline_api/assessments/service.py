"""The rules of assessments: creation against a published framework, edits to drafts only,
optimistic concurrency through the revision, and submission to the scoring service."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.audit import record as audit
from baseline_api.auth import Actor, Principal
from baseline_api.core.db import Connections, PgConnection, driver_connection
from baseline_api.core.pagination import decode_cursor, encode_cursor
from baseline_api.core.scoring_client import ScoringClient, ScoringUnavailable
from baseline_service_kit import (
    Conflict,
    FieldError,
    NotFound,
    PreconditionFailed,
    ProblemError,
    ServiceUnavailable,
    Unprocessable,
)
from framework_model import (
    Framework,
    Profile,
    UnknownFrameworkError,
    content_hash,
    default_catalogue,
    has_profile,
    load_framework,
)

from . import repository
from .models import Assessment
from .result import ScoreResult
from .schemas import AssessmentCreate, AssessmentUpdate, Targets

__all__ = [
    "Scored",
    "ask_scoring",
    "checked_framework",
    "create_assessment",
    "ensure_organisation",
    "for_scoring",
    "framework_for_new",
    "known_framework",
    "list_assessments",
    "pinned_framework",
    "preview_assessment",
    "profile_of",
    "refusal",
    "score_document",
    "start_assessment",
    "stored_result",
    "update_assessment",
    "visible_assessment",
    "write_draft",
]


async def ensure_organisation(
    session: AsyncSession, principal: Principal, organisation_id: uuid.UUID, *, lock: bool = False
) -> None:
    principal.ensure_can_see(organisation_id)
    if not await repository.organisation_exists(session, organisation_id, lock=lock):
        raise NotFound("No such organisation.")


async def visible_assessment(
    session: AsyncSession, principal: Principal, assessment_id: uuid.UUID, *, lock: bool = False
) -> Assessment:
    """An assessment of an organisation outside the token's reach is reported as missing."""
    assessment = await repository.get_assessment(session, assessment_id, lock=lock)
    if assessment is None or not principal.can_see(assessment.organisation_id):
        raise NotFound("No such assessment.")
    return assessment


def pinned_framework(assessment: Assessment) -> Framework:
    return load_framework(assessment.framework_id, assessment.framework_version)


def profile_of(assessment: Assessment) -> Profile:
    return "quick" if assessment.profile == "quick" else "full"


def _check_profile(framework: Framework, profile: Profile) -> None:
    if not has_profile(framework, profile):
        message = f"{framework.framework_id} {framework.version} has no {profile} profile (it marks no lead questions)"
        raise Unprocessable("Unknown profile.", errors=[FieldError(field="profile", message=message)])


def known_framework(framework_id: str, field: str = "framework_id") -> list[Framework]:
    """Every published version of a framework, oldest first; 422 naming ``field`` if there is none."""
    try:
        published = [f for f in default_catalogue().versions(framework_id) if f.status == "published"]
    except UnknownFrameworkError:
        published = []
    if not published:
        raise Unprocessable(
            "Unknown framework.", errors=[FieldError(field=field, message="no such framework")]
        )
    return published


def framework_for_new(framework_id: str, version: str | None) -> Framework:
    """The version a new assessment pins: ``version``, or the latest published; 422 naming
    ``framework_id`` or ``framework_version`` when there is no such published version."""
    published = known_framework(framework_id)
    if version is None:
        return published[-1]
    for framework in published:
        if framework.version == version:
            return framework
    message = f"not a published version; published: {', '.join(f.version for f in published)}"
    raise Unprocessable(
        "Unknown framework version.", errors=[FieldError(field="framework_version", message=message)]
    )


def _check_targets(framework: Framework, targets: Targets) -> None:
    found = (_target_error(framework, pillar_id, level) for pillar_id, level in sorted(targets.items()))
    errors = [error for error in found if error is not None]
    if errors:
        raise Unprocessable(f"{len(errors)} target(s) do not fit {framework.framework_id}.", errors=errors)


def _target_error(framework: Framework, pillar_id: str, level: int) -> FieldError | None:
    pillar_ids = [pillar.pillar_id for pillar in framework.pillars]
    field = f"targets.{pillar_id}"
    if pillar_id not in pillar_ids:
        return FieldError(field=field, message=f"unknown pillar; expected one of {', '.join(pillar_ids)}")
    if level > len(framework.levels):
        return FieldError(field=field, message=f"a target is a level from 1 to {len(framework.levels)}")
    return None


async def create_assessment(
    session: AsyncSession, principal: Principal, organisation_id: uuid.UUID, body: AssessmentCreate
) -> Assessment:
    await ensure_organisation(session, principal, organisation_id, lock=True)
    framework = checked_framework(body)
    return await start_assessment(
        session,
        organisation_id,
        framework,
        principal.actor,
        targets=body.targets,
        title=body.title,
        profile=body.profile,
    )


def checked_framework(body: AssessmentCreate) -> Framework:
    """The version a new assessment pins, once the body's targets and profile fit it (else 422)."""
    framework = framework_for_new(body.framework_id, body.framework_version)
    _check_targets(framework, body.targets)
    _check_profile(framework, body.profile)
    return framework


async def start_assessment(
    session: AsyncSession,
    organisation_id: uuid.UUID,
    framework: Framework,
    by: Actor,
    *,
    targets: Targets | None = None,
    title: str | None = None,
    external_id: str | None = None,
    profile: Profile = "full",
    carried_forward_from: uuid.UUID | None = None,
) -> Assessment:
    """A new draft pinned to ``framework``'s content, the framework's default targets filling
    what ``targets`` leaves out. The caller has checked (and locked) the organisation and checked
    the targets."""
    assessment = await repository.insert_assessment(
        session,
        organisation_id=organisation_id,
        framework_id=framework.framework_id,
        framework_version=framework.version,
        content_hash=content_hash(framework),
        title=title,
        targets={**framework.default_targets, **(targets or {})},
        external_id=external_id,
        profile=profile,
        carried_forward_from=carried_forward_from,
        **by.columns(),
    )
    detail = {
        "framework_id": framework.framework_id,
        "framework_version": framework.version,
        "profile": profile,
    }
    if carried_forward_from is not None:
        detail["carried_forward_from"] = str(carried_forward_from)
    await audit.record(
        session,
        organisation_id=organisation_id,
        assessment_id=assessment.id,
        by=by,
        action="assessment.created",
        detail=detail,
    )
    return assessment


async def list_assessments(
    session: AsyncSession,
    principal: Principal,
    organisation_id: uuid.UUID,
    *,
    limit: int,
    cursor: str | None,
    filters: dict[str, str],
) -> tuple[Sequence[Assessment], str | None]:
    """One page, newest first, and the cursor of the next page (None on the last)."""
    await ensure_organisation(session, principal, organisation_id)
    key = decode_cursor(cursor, 2)
    after = None if key is None else _keyset(key)
    found = await repository.list_assessments(
        session, organisation_id, limit=limit + 1, after=after, filters=filters
    )
    items, more = found[:limit], len(found) > limit
    last = items[-1] if more else None
    return items, None if last is None else encode_cursor([last.created_at.isoformat(), str(last.id)])


def _keyset(key: list[Any]) -> repository.Keyset:
    try:
        return datetime.fromisoformat(key[0]), uuid.UUID(key[1])
    except ValueError:
        raise Unprocessable(
            "Invalid cursor.", errors=[FieldError(field="query.cursor", message="not a cursor we issued")]
        ) from None


async def update_assessment(
    session: AsyncSession,
    principal: Principal,
    assessment_id: uuid.UUID,
    body: AssessmentUpdate,
    expected_revisions: Collection[int] | None,
) -> Assessment:
    assessment = await visible_assessment(session, principal, assessment_id)
    changes: dict[str, Any] = {}
    if "title" in body.model_fields_set:
        changes["title"] = body.title
    if body.targets:
        _check_targets(pinned_framework(assessment), body.targets)
        # Merged in SQL (jsonb ||), so two concurrent edits of different pillars both stick.
        changes["targets"] = Assessment.targets.op("||", return_type=JSONB)(type_coerce(body.targets, JSONB))
    updated = await write_draft(session, assessment, expected_revisions, principal.actor, **changes)
    detail = body.model_dump(mode="json", exclude_unset=True)
    await audit.record_on(session, updated, principal.actor, "assessment.updated", detail)
    return updated


async def write_draft(
    session: AsyncSession,
    assessment: Assessment,
    expected_revisions: Collection[int] | None,
    by: Actor,
    **changes: Any,
) -> Assessment:
    """Apply ``changes`` by ``by`` and bump the revision, or explain why not: 409 not a draft,
    412 stale tag."""
    changes |= by.columns()
    updated = await repository.advance_revision(session, assessment.id, expected_revisions, **changes)
    if updated is None:
        raise await refusal(await driver_connection(session), assessment.id)
    return updated


async def refusal(connection: PgConnection, assessment_id: uuid.UUID) -> ProblemError:
    """Why a conditional write to an assessment found no row."""
    current = await repository.read_pinning(connection, assessment_id)
    if current is None:
        return NotFound("No such assessment.")
    if current.status != "draft":
        return Conflict(f"The assessment is {current.status}; only a draft can change.")
    return PreconditionFailed(f'If-Match does not match the current ETag "{current.revision}".')


async def for_scoring(
    connection: PgConnection, principal: Principal, assessment_id: uuid.UUID
) -> repository.ForScoring:
    """The assessment as scoring needs it (``repository.read_for_scoring``); 404 if it does not
    exist or is outside the token's reach."""
    found = await repository.read_for_scoring(connection, assessment_id)
    if found is None or not principal.can_see(found.organisation_id):
        raise NotFound("No such assessment.")
    return found


async def preview_assessment(
    connections: Connections, scoring: ScoringClient, principal: Principal, assessment_id: uuid.UUID
) -> ScoreResult:
    async with connections.use() as connection:
        found = await for_scoring(connection, principal, assessment_id)
    return (await score_document(scoring, found.score_request.encode(), found.content_hash)).result


async def stored_result(session: AsyncSession, principal: Principal, assessment_id: uuid.UUID) -> ScoreResult:
    assessment = await visible_assessment(session, principal, assessment_id)
    result = await repository.get_result(session, assessment.id)
    if result is None:
        raise Conflict(f"The assessment is {assessment.status}; it has no result yet.")
    return ScoreResult.model_validate(result)


@dataclass(frozen=True)
class Scored:
    """A result, and the scoring service's document of it byte for byte (stored and forwarded as is)."""

    result: ScoreResult
    document: bytes


async def ask_scoring(scoring: ScoringClient, path: str, request: bytes) -> bytes:
    """POST a ready-made request to the scoring service and return its answer's bytes; any failure
    of the service (down, slow, an error status) is a 503 (ServiceUnavailable), never a 500."""
    try:
        return await scoring.post_raw(path, request)
    except ScoringUnavailable as exc:
        raise ServiceUnavailable("The scoring service is unavailable; try again later.") from exc
    except httpx.HTTPStatusError as exc:
        detail = f"The scoring service refused the request (HTTP {exc.response.status_code})."
        raise ServiceUnavailable(detail) from exc


async def score_document(scoring: ScoringClient, request: bytes, content_hash: str) -> Scored:
    """Score a ready-made ``/v1/score`` request for an assessment pinned to ``content_hash``; any
    failure of the scoring service is a 503 (ServiceUnavailable), never a 500."""
    document = await ask_scoring(scoring, "/v1/score", request)
    try:
        result = ScoreResult.model_validate_json(document)
    except ValueError as exc:  # not JSON, or not a result
        raise ServiceUnavailable("The scoring service answered with something that is not a result.") from exc
    if result.content_hash != content_hash:
        # A result is only reproducible if it was scored against the very content pinned.
        raise ServiceUnavailable(
            f"The scoring service serves different content for {result.framework_id} "
            f"{result.framework_version} ({result.content_hash}, expected {content_hash})."
        )
    return Scored(result, document)
