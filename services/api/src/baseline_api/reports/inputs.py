"""Everything a report, a chart or an export of one assessment shows, read in one place.

A scored assessment shows its stored result; any other (a draft, or one submitted and waiting to
be scored) shows a preview scored now, marked as such. The reads run one statement at a time on
autocommit connections, so nothing is held while the scoring service is asked for a preview.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from baseline_api.actions.dates import london_today
from baseline_api.actions.models import Action
from baseline_api.actions.service import open_actions_for_assessment
from baseline_api.assessments.service import preview_assessment
from baseline_api.auth import Principal
from baseline_api.core.db import Connections
from baseline_api.core.scoring_client import ScoringClient
from baseline_api.evidence import repository as evidence_repository
from baseline_api.evidence.coverage import Piece, coverage, judged_on
from baseline_api.peer_benchmarks.service import benchmark
from baseline_api.respondents import repository as respondents_repository
from baseline_api.respondents.service import sees_people
from baseline_service_kit import NotFound
from framework_model import Framework, load_framework

from . import repository

__all__ = [
    "Answer",
    "AssessmentFacts",
    "OpenAction",
    "OrganisationFacts",
    "ReportInputs",
    "TrendPoint",
    "gather",
]


@dataclass(frozen=True)
class OrganisationFacts:
    id: uuid.UUID
    ods_code: str
    name: str
    kind: str
    region: str | None


@dataclass(frozen=True)
class AssessmentFacts:
    id: uuid.UUID
    title: str | None
    status: str
    framework_id: str
    framework_version: str
    content_hash: str
    profile: str
    targets: dict[str, int]
    revision: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    scored_at: datetime | None


@dataclass(frozen=True)
class Answer:
    question_id: str
    value: str | None
    not_applicable: bool
    reason: str | None
    comment: str | None
    updated_at: datetime
    # Who answered: opaque (an API key id today, a person's identity later), shown as text.
    updated_by: str | None


@dataclass(frozen=True)
class TrendPoint:
    assessment_id: uuid.UUID
    framework_version: str
    scored_at: datetime
    overall: float | None
    pillars: dict[str, float | None]
    indicative: bool


@dataclass(frozen=True)
class OpenAction:
    """An open action of the improvement plan taking on one of the result's recommendations."""

    id: uuid.UUID
    recommendation_id: str
    capability_id: str
    title: str
    done_when: str | None
    owner: str
    due_on: date
    status: str
    notes: str | None
    overdue: bool


@dataclass(frozen=True)
class ReportInputs:
    """``preview``: the result was scored now from the current answers, not stored. ``peers``: the
    benchmark of the organisation's kind (``Benchmark`` as JSON), None when not asked for.
    ``respondents`` (names and roles) and ``approval`` (who signed it off, when) are for the
    collaboration work to fill in ``gather``; the report shows them when present. ``actions``:
    the improvement plan's open actions on the result's recommendations, soonest due first.
    ``evidence``: the evidence coverage (``coverage``, ``unevidenced``, ``expired``, ``as_of``),
    with ``history`` only."""

    organisation: OrganisationFacts
    assessment: AssessmentFacts
    result: dict[str, Any]
    preview: bool
    answers: list[Answer]
    trend: list[TrendPoint] = field(default_factory=list)
    peers: dict[str, Any] | None = None
    respondents: list[dict[str, Any]] = field(default_factory=list)
    approval: dict[str, Any] | None = None
    actions: list[OpenAction] = field(default_factory=list)
    evidence: dict[str, Any] | None = None

    @property
    def framework(self) -> Framework:
        return load_framework(self.assessment.framework_id, self.assessment.framework_version)

    @cached_property
    def canonical(self) -> bytes:
        """Everything above as canonical JSON: the same inputs, the same bytes (computed once)."""
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"), default=str).encode()


def opaque_text(value: Any) -> str | None:
    """Who made a change, as text whatever its type: a UUID, a string, or a JSON value."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return str(value)


async def gather(
    connections: Connections,
    sessions: async_sessionmaker[AsyncSession],
    scoring: ScoringClient,
    principal: Principal,
    assessment_id: uuid.UUID,
    *,
    history: bool = True,
    scored: bool = True,
) -> ReportInputs:
    """The inputs of one assessment's report; with ``history``, its trend and peers too; without
    ``scored``, no preview is scored for an assessment without a result (its ``result`` is then
    empty). 404 if the assessment does not exist or is outside the token's reach."""
    async with connections.use() as connection:
        row = await repository.assessment_row(connection, assessment_id)
        if row is None or not principal.can_see(row["organisation_id"]):
            raise NotFound("No such assessment.")
        answers = await repository.answers(connection, assessment_id)
        organisation_id, framework_id = row["organisation_id"], row["framework_id"]
        trend = await repository.trend_rows(connection, organisation_id, framework_id) if history else []
    result = row["result"]
    if result is None and scored:
        preview = await preview_assessment(connections, scoring, principal, assessment_id)
        result = preview.model_dump(mode="json")
    peers, actions = await _organisation_context(sessions, row, history=history, scored=scored)
    evidence = await _evidence(sessions, row, answers) if history else None
    respondents = await _respondents(sessions, assessment_id, principal)
    return ReportInputs(
        organisation=_organisation(row),
        assessment=_assessment(row),
        result=result or {},
        preview=row["result"] is None,
        answers=[_answer(answer) for answer in answers],
        trend=_until(assessment_id, [TrendPoint(**point) for point in trend]),
        peers=peers,
        actions=actions,
        respondents=respondents,
        approval=_approval(row),
        evidence=evidence,
    )


async def _respondents(
    sessions: async_sessionmaker[AsyncSession], assessment_id: uuid.UUID, principal: Principal
) -> list[dict[str, Any]]:
    """Who answered, by role; their names only for those who may see people (as the API shows them)."""
    async with sessions() as session:
        found = await respondents_repository.list_respondents(session, assessment_id)
    people = sees_people(principal)
    return [{"name": r.name if people else None, "role": r.role} for r in found]


def _approval(row: dict[str, Any]) -> dict[str, Any] | None:
    if row["status"] != "approved":
        return None
    names = ("approver_name", "approver_role", "approved_at")
    return {**{name: row[name] for name in names}, "sha256": row["approval_sha256"]}


async def _evidence(
    sessions: async_sessionmaker[AsyncSession], row: dict[str, Any], answers: list[dict[str, Any]]
) -> dict[str, Any]:
    """The evidence coverage as the summary endpoint gives it, judged on the same day."""
    async with sessions() as session:
        stored = await evidence_repository.pieces(session, row["id"])
    pieces = [Piece(e.id, e.question_ids, e.expires_on) for e in stored]
    given = [(a["question_id"], None if a["not_applicable"] else a["value"]) for a in answers]
    framework = load_framework(row["framework_id"], row["framework_version"])
    found = coverage(framework, given, pieces, judged_on(row["scored_at"]))
    return {
        "coverage": found.coverage,
        "unevidenced": found.unevidenced,
        "expired": len(found.expired),
        "pieces": len(pieces),
        "as_of": found.as_of,
    }


async def _organisation_context(
    sessions: async_sessionmaker[AsyncSession], row: dict[str, Any], *, history: bool, scored: bool
) -> tuple[dict[str, Any] | None, list[OpenAction]]:
    """Peers (with ``history``) and the open actions on the stored result (with ``scored``)."""
    framework = load_framework(row["framework_id"], row["framework_version"])
    peers, actions = None, []
    async with sessions() as session:
        if history:
            peers = (await benchmark(session, framework, kind=row["kind"], region=None)).model_dump(
                mode="json"
            )
        if scored and row["result"] is not None:
            actions = [
                _open_action(action) for action in await open_actions_for_assessment(session, row["id"])
            ]
    return peers, actions


def _open_action(action: Action) -> OpenAction:
    fields = {name: getattr(action, name) for name in OpenAction.__dataclass_fields__ if name != "overdue"}
    return OpenAction(**fields, overdue=action.due_on < london_today())


def _until(assessment_id: uuid.UUID, trend: list[TrendPoint]) -> list[TrendPoint]:
    """The trend as it stood when this assessment was scored: a report of last year's assessment
    does not change when this year's is scored. A preview's trend is all there is."""
    ids = [point.assessment_id for point in trend]
    return trend[: ids.index(assessment_id) + 1] if assessment_id in ids else trend


def _organisation(row: dict[str, Any]) -> OrganisationFacts:
    return OrganisationFacts(
        id=row["organisation_id"],
        ods_code=row["ods_code"],
        name=row["organisation_name"],
        kind=row["kind"],
        region=row["region"],
    )


def _assessment(row: dict[str, Any]) -> AssessmentFacts:
    names = AssessmentFacts.__dataclass_fields__
    return AssessmentFacts(**{name: row[name] for name in names})


def _answer(row: dict[str, Any]) -> Answer:
    return Answer(**{**row, "updated_by": opaque_text(row["updated_by"])})
