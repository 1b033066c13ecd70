"""The outbox: how the rest of the gateway announces a change to webhook subscribers.

Events are written by the very statement that makes the change (the outbox pattern): committed
exactly when the change is, and rolled back with it. A statement that changes assessments names
the rows it changed ``changed`` (a ``WITH`` query returning :data:`CHANGED_COLUMNS`) and appends
:data:`EVENTS_OF_CHANGED`; its parameters include :func:`event_parameters`. Nothing is sent here:
the delivery worker sends what the outbox holds once it is committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .payload import EventType

__all__ = [
    "ACTION_CHANGED_COLUMNS",
    "ACTION_EVENTS_OF_CHANGED",
    "CHANGED_COLUMNS",
    "EVENTS_OF_CHANGED",
    "SUBSCRIBED",
    "WEBHOOK_DISABLED_EVENTS",
    "event_parameters",
]

# Which webhooks hear of an ``event`` row (with ``type`` and ``organisation_id``): live ones,
# subscribed to its type, and of every organisation or of the event's own. An event of no one
# organisation (NULL) reaches only webhooks of every organisation.
SUBSCRIBED = """
    webhooks.deleted_at IS NULL AND webhooks.disabled_at IS NULL AND event.type = ANY(webhooks.events)
    AND (webhooks.organisation_ids IS NULL OR event.organisation_id = ANY(webhooks.organisation_ids))
"""

# What ``changed`` must return: the assessment as the change left it. (Read from the change's own
# RETURNING, because every part of one statement sees the same snapshot: a separate SELECT of the
# assessments would still see them as they were before.)
CHANGED_COLUMNS = "id, organisation_id, framework_id, framework_version, status, submitted_at, scored_at"

# A pending delivery of each new ``event`` for every webhook that hears of it (SUBSCRIBED).
_DELIVERIES = (
    """
delivery AS (
    INSERT INTO webhook_deliveries (webhook_id, event_id)
    SELECT webhooks.id, event.id FROM event JOIN webhooks ON """  # noqa: S608 - constants only
    + SUBSCRIBED
    + """
)
"""
)


def _events_of_changed(assessment_id: str, payload: str) -> str:
    """CTEs that record one event per type (``:event_types``) for each row ``changed`` returns, of
    its ``organisation_id`` and the assessment ``assessment_id`` names, with ``payload`` (a
    ``jsonb_build_object`` over ``changed``), and a pending delivery for every webhook that hears of
    it (SUBSCRIBED)."""
    return (
        f"""
event AS (
    INSERT INTO events (type, organisation_id, assessment_id, payload)
    SELECT kind.type, changed.organisation_id, {assessment_id}, {payload}
    FROM changed, unnest(CAST(:event_types AS text[])) AS kind(type)
    RETURNING id, type, organisation_id
),"""  # noqa: S608 - constants only
        + _DELIVERIES
    )


# One event per type for each changed assessment, and its deliveries. An event nobody subscribes
# to is still recorded, as a trace of what happened that outlives the change (settled events are
# deleted after the retention period).
EVENTS_OF_CHANGED = _events_of_changed(
    "changed.id",
    """jsonb_build_object(
               'assessment_id', changed.id, 'organisation_id', changed.organisation_id,
               'framework_id', changed.framework_id, 'framework_version', changed.framework_version,
               'status', changed.status,
               'submitted_at', to_char(changed.submitted_at AT TIME ZONE 'UTC', :rfc3339),
               'scored_at', to_char(changed.scored_at AT TIME ZONE 'UTC', :rfc3339))""",
)

# As CHANGED_COLUMNS and EVENTS_OF_CHANGED, for a statement that changes actions: ``changed``
# returns the actions as the change left it, and each gets one event per type (``action.*``).
ACTION_CHANGED_COLUMNS = (
    "id, organisation_id, assessment_id, recommendation_id, capability_id, status, due_on, completed_at"
)
ACTION_EVENTS_OF_CHANGED = _events_of_changed(
    "changed.assessment_id",
    """jsonb_build_object(
               'action_id', changed.id, 'organisation_id', changed.organisation_id,
               'assessment_id', changed.assessment_id, 'recommendation_id', changed.recommendation_id,
               'capability_id', changed.capability_id, 'status', changed.status,
               'due_on', changed.due_on,
               'completed_at', to_char(changed.completed_at AT TIME ZONE 'UTC', :rfc3339))""",
)

# ``webhook.disabled`` for the webhook :webhook_id, just disabled: one event per organisation it
# was limited to, or one of no organisation for a webhook of every organisation.
WEBHOOK_DISABLED_EVENTS = (
    """
WITH event AS (
    INSERT INTO events (type, organisation_id, payload)
    SELECT 'webhook.disabled', organisation.id,
           jsonb_build_object(
               'webhook_id', disabled.id, 'organisation_id', organisation.id,
               'failing_since', to_char(disabled.failing_since AT TIME ZONE 'UTC', :rfc3339),
               'disabled_at', to_char(disabled.disabled_at AT TIME ZONE 'UTC', :rfc3339))
    FROM webhooks disabled
    LEFT JOIN LATERAL unnest(disabled.organisation_ids) AS organisation(id) ON true
    WHERE disabled.id = :webhook_id
    RETURNING id, type, organisation_id
)
INSERT INTO webhook_deliveries (webhook_id, event_id)
SELECT webhooks.id, event.id FROM event JOIN webhooks ON """  # noqa: S608 - constants only
    + SUBSCRIBED
)

_RFC3339_UTC = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'  # a parameter: text() would read ":MI" as one


def event_parameters(event_types: Sequence[EventType]) -> dict[str, Any]:
    """The parameters :data:`EVENTS_OF_CHANGED` needs to record ``event_types``."""
    return {"event_types": list(event_types), "rfc3339": _RFC3339_UTC}
