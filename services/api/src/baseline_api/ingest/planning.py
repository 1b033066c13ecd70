"""What each valid item asks for, checked against what is stored, before anything is written.

Every rule of the single-assessment routes applies here through the same helpers: the framework
version a new assessment pins, the answer checks, and completeness for a submission. A broken
rule is raised as the ``ProblemError`` the single routes would answer, and becomes the item's
failure; the item then writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from baseline_api.assessments.models import Assessment
from baseline_api.assessments.responses import answer_errors
from baseline_api.assessments.service import framework_for_new, pinned_framework
from baseline_api.assessments.submission import unanswered_errors
from baseline_service_kit import Conflict, FieldError, Unprocessable
from framework_model import Framework

from .schemas import IngestItem

__all__ = ["Work", "plan_item"]


@dataclass(frozen=True)
class Work:
    """A valid item, ready to write: a new draft (``existing`` False) or an update of one."""

    index: int
    item: IngestItem
    framework: Framework
    assessment_id: uuid.UUID
    existing: bool


def plan_item(
    index: int, item: IngestItem, existing: Assessment | None, stored_answers: Iterable[str] = ()
) -> Work:
    """The item as work to do, or the ``ProblemError`` that stops it."""
    framework = _framework(item, existing)
    errors = answer_errors(framework, item.responses)
    if errors:
        where = f"{framework.framework_id} {framework.version}"
        raise Unprocessable(f"{len(errors)} problem(s) with the answers for {where}.", errors=errors)
    if item.submit:
        errors = unanswered_errors(framework, [*stored_answers, *(r.question_id for r in item.responses)])
        if errors:
            raise Unprocessable(
                f"{len(errors)} question(s) are unanswered; nothing was stored.", errors=errors
            )
    assessment_id = uuid.uuid4() if existing is None else existing.id
    return Work(index, item, framework, assessment_id, existing is not None)


def _framework(item: IngestItem, existing: Assessment | None) -> Framework:
    if existing is None:
        return framework_for_new(item.framework_id, item.framework_version)
    if existing.status != "draft":
        raise Conflict(
            f"The assessment with this external_id is {existing.status}; only a draft can change.",
            errors=[FieldError(field="external_id", message=f"names a {existing.status} assessment")],
        )
    field = _pinned_field_sent_otherwise(item, existing)
    if field is not None:
        pinned = f"{existing.framework_id} {existing.framework_version}"
        raise Conflict(
            f"The assessment with this external_id is pinned to {pinned}.",
            errors=[FieldError(field=field, message=f"the assessment is pinned to {pinned}")],
        )
    return pinned_framework(existing)


def _pinned_field_sent_otherwise(item: IngestItem, existing: Assessment) -> str | None:
    """An update cannot move an assessment to another framework or version."""
    if item.framework_id != existing.framework_id:
        return "framework_id"
    if item.framework_version not in (None, existing.framework_version):
        return "framework_version"
    return None
