"""Ingest a FHIR QuestionnaireResponse: it creates or updates its organisation's draft assessment,
and a ``completed`` (or ``amended``) one submits it.

The rules, in the order they are checked. Everything the document alone can get wrong is refused
before the database is read, so such a refusal never depends on what is stored.

1. The body parses (``parse_questionnaire_response``): otherwise 422 listing every issue.
2. Its Questionnaire is a published framework version, the rule for every new assessment: 422.
3. A completed response answers every question, 422 listing each one it leaves unanswered. The
   response replaces the draft's answers, so completeness is judged on it alone, and the refusal
   is all or nothing: a completed but incomplete response changes nothing. (Saving the answers
   and refusing only the submission would turn a client's "completed" into a silent draft.)
4. The subject's organisation exists and the token may see it: otherwise 404, the same for both,
   so a token limited to other organisations learns nothing. An unknown organisation is not
   created: a response carries only its ODS code, not the name and kind an organisation needs
   (``POST /v1/organisations`` and the bulk ingest endpoint, which carry them, create them).
5. "That organisation's draft": with an ``identifier``, the assessment whose external id it is
   (so sending the same response again updates the same assessment); without one, the newest
   draft of that framework version that no ingestion system has named. Either is created when
   there is none. 409 when the identified assessment is no longer a draft, or is pinned to
   another framework version (a response cannot move an assessment between versions).
6. The response's answers replace the draft's (``replace_answers``): a question it leaves
   unanswered loses its stored answer, as a question cleared in the form should.
7. A completed response submits the draft as ``POST /v1/assessments/{id}/submit`` does: scored
   now, or, when the scoring service is unavailable, kept ``submitted`` for the background
   worker to score (the result is then None).

The organisation's row stays locked (FOR NO KEY UPDATE) until the request commits, so two
responses for one organisation are applied one after the other: neither can create a second
draft, or a second assessment with the same identifier, while the other is in flight.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.assessments import repository, service, submission
from baseline_api.assessments import responses as answering
from baseline_api.assessments.models import Assessment
from baseline_api.assessments.result import ScoreResult
from baseline_api.auth import Actor, Principal
from baseline_api.core.db import SessionConnections
from baseline_api.core.scoring_client import ScoringClient
from baseline_api.fhir.outcome import FhirError, Issue
from baseline_api.fhir.questionnaire_response import (
    ROOT,
    ParsedResponse,
    fhirpath_string,
    parse_questionnaire_response,
)
from baseline_api.organisations import repository as organisations
from baseline_service_kit import ProblemError
from framework_model import Framework, load_framework

__all__ = ["Ingested", "ingest_questionnaire_response"]

_QUESTIONNAIRE = (f"{ROOT}.questionnaire",)
_IDENTIFIER = (f"{ROOT}.identifier",)
_ODS_CODE = (f"{ROOT}.subject.identifier.value",)


@dataclass(frozen=True)
class Ingested:
    """What a response did: the assessment, whether it was created, and its result if scored now."""

    assessment: Assessment
    created: bool
    result: ScoreResult | None


async def ingest_questionnaire_response(
    session: AsyncSession, scoring: ScoringClient, principal: Principal, body: object
) -> Ingested:
    """Apply a QuestionnaireResponse (any JSON value) as the module describes; ``FhirError`` if not."""
    parsed = _parsed(body)
    framework = _published_framework(parsed)
    if parsed.submit:
        _ensure_complete(framework, parsed)
    organisation_id = await _visible_organisation(session, principal, parsed.ods_code)
    try:
        return await _apply(session, scoring, principal, organisation_id, framework, parsed)
    except ProblemError as exc:  # a shared rule refused: the same refusal, in FHIR
        raise FhirError.from_problem(exc) from exc


def _parsed(body: object) -> ParsedResponse:
    parsed = parse_questionnaire_response(body)
    if isinstance(parsed, list):
        raise FhirError(422, parsed)
    return parsed


def _published_framework(parsed: ParsedResponse) -> Framework:
    framework = load_framework(parsed.framework_id, parsed.version)
    if framework.status != "published":
        message = (
            f"{parsed.framework_id} {parsed.version} is {framework.status}: "
            "answers are taken for published versions only."
        )
        raise FhirError(422, [Issue("business-rule", message, _QUESTIONNAIRE)])
    return framework


def _ensure_complete(framework: Framework, parsed: ParsedResponse) -> None:
    unanswered = submission.unanswered_questions(framework, (a.question_id for a in parsed.answers))
    if unanswered:
        raise FhirError(422, [_unanswered(question_id, parsed) for question_id in unanswered])


def _unanswered(question_id: str, parsed: ParsedResponse) -> Issue:
    message = f"question {question_id!r} is unanswered: a {parsed.status} response answers every question."
    # repeat(item) finds the item at any depth, wherever the client would put it.
    return Issue("required", message, (f"{ROOT}.repeat(item).where(linkId={fhirpath_string(question_id)})",))


async def _visible_organisation(session: AsyncSession, principal: Principal, ods_code: str) -> uuid.UUID:
    organisation = await organisations.get_organisation_by_ods_code(session, ods_code, lock=True)
    if organisation is None or not principal.can_see(organisation.id):
        message = f"No organisation with ODS code {ods_code!r} is visible to this token."
        raise FhirError(404, [Issue("not-found", message, _ODS_CODE)])
    return organisation.id


async def _apply(
    session: AsyncSession,
    scoring: ScoringClient,
    principal: Principal,
    organisation_id: uuid.UUID,
    framework: Framework,
    parsed: ParsedResponse,
) -> Ingested:
    assessment, created = await _draft(
        session, organisation_id, framework, parsed.external_id, principal.actor
    )
    assessment = await answering.replace_answers(session, principal, assessment, parsed.answers)
    if not parsed.submit:
        return Ingested(assessment, created, None)
    connections = SessionConnections(session)  # scored within this transaction, which holds the draft
    submitted = await submission.submit_assessment(connections, scoring, principal, assessment.id, None)
    after = await repository.get_assessment(session, assessment.id)
    assert after is not None  # locked by this transaction, and assessments are never deleted
    return Ingested(after, created, None if submitted.scored is None else submitted.scored.result)


async def _draft(
    session: AsyncSession,
    organisation_id: uuid.UUID,
    framework: Framework,
    external_id: str | None,
    by: Actor,
) -> tuple[Assessment, bool]:
    """The draft the response is about, and whether it was created just now."""
    if external_id is None:
        key = (framework.framework_id, framework.version)
        found = await repository.latest_unnamed_draft(session, organisation_id, *key)
    else:
        found = await repository.get_assessment_by_external_id(session, organisation_id, external_id)
    if found is None:
        started = await service.start_assessment(
            session, organisation_id, framework, by, external_id=external_id
        )
        return started, True
    _ensure_updatable(found, framework)
    return found, False


def _ensure_updatable(assessment: Assessment, framework: Framework) -> None:
    pinned = (assessment.framework_id, assessment.framework_version)
    if pinned != (framework.framework_id, framework.version):
        message = (
            f"The assessment with this identifier is pinned to {' '.join(pinned)}; "
            f"a response to {framework.framework_id} {framework.version} cannot change it."
        )
        raise FhirError(409, [Issue("conflict", message, _QUESTIONNAIRE)])
    if assessment.status != "draft":
        message = f"The assessment with this identifier is {assessment.status}; only a draft can change."
        raise FhirError(409, [Issue("conflict", message, _IDENTIFIER)])
