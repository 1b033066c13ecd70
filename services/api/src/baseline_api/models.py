"""Every ORM model, imported in one place so Alembic sees the whole schema."""

from baseline_api.actions.models import Action
from baseline_api.api_keys.models import ApiKey
from baseline_api.approvals.models import ApprovalDocument
from baseline_api.assessments.models import Assessment, AssessmentResult, Response
from baseline_api.audit.models import AuditEvent
from baseline_api.core.db import Base
from baseline_api.evidence.models import Evidence
from baseline_api.idempotency.models import IdempotencyKey
from baseline_api.organisations.models import Organisation
from baseline_api.reports.models import RenderedDocument
from baseline_api.respondents.models import Respondent, RespondentResponse
from baseline_api.webhooks.models import Event, Webhook, WebhookDelivery, WebhookDeliveryAttempt

__all__ = [
    "Action",
    "ApiKey",
    "ApprovalDocument",
    "Assessment",
    "AssessmentResult",
    "AuditEvent",
    "Base",
    "Event",
    "Evidence",
    "IdempotencyKey",
    "Organisation",
    "RenderedDocument",
    "Respondent",
    "RespondentResponse",
    "Response",
    "Webhook",
    "WebhookDelivery",
    "WebhookDeliveryAttempt",
]
