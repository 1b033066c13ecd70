"""The audit as SQL, for the hot paths that change an assessment in one raw statement.

``record()`` is the way for ORM code; statements built for speed (answering, submitting,
scoring, approving) instead append one of these ``WITH`` parts, so the history is written by the
very statement that makes the change: one round trip, and committed exactly when the change is.
"""

from __future__ import annotations

__all__ = ["AUDIT_OF_CHANGED", "AUDIT_OF_STORED_ANSWERS"]

# One event per type in ``:event_types`` (``assessment.submitted``, ``assessment.scored``...) for
# each row ``changed`` returns: ``id, organisation_id, updated_by, updated_by_name`` at least (the
# author as the change left it), with ``:audit_detail`` (a JSON object, as text).
AUDIT_OF_CHANGED = """
audited AS (
    INSERT INTO audit_events (organisation_id, assessment_id, by, by_name, action, detail)
    SELECT changed.organisation_id, changed.id, changed.updated_by, changed.updated_by_name, kind.type,
           CAST(:audit_detail AS jsonb)
    FROM changed, unnest(CAST(:event_types AS text[])) AS kind(type)
)"""

# ``response.answered`` for each answer ``stored`` returns (``question_id, value,
# not_applicable``) of the assessment ``bumped`` returns (``id, organisation_id``), by the
# statement's ``:updated_by``. The comment and reason stay out: they may name people.
AUDIT_OF_STORED_ANSWERS = """
audited AS (
    INSERT INTO audit_events (organisation_id, assessment_id, by, by_name, action, target, detail)
    SELECT bumped.organisation_id, bumped.id, :updated_by, :updated_by_name, 'response.answered',
           stored.question_id,
           jsonb_build_object('value', stored.value, 'not_applicable', stored.not_applicable)
    FROM bumped, stored
)"""
