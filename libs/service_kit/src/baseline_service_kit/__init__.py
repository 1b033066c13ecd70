"""HTTP plumbing shared by Baseline's two services.

Problem+json errors, request ids, request logs and metrics, docs served from local
assets, a body size limit, traces and the app factory that wires them, so both services behave
the same at the edges.
"""

from .app import MAX_BODY_BYTES, Health, create_service_app
from .errors import (
    PROBLEM_JSON,
    BadRequest,
    Conflict,
    FieldError,
    Forbidden,
    NotAcceptable,
    NotFound,
    PayloadTooLarge,
    PreconditionFailed,
    Problem,
    ProblemError,
    ServiceUnavailable,
    Unauthorized,
    Unprocessable,
    UnsupportedMediaType,
    field_path,
    problem_response,
)
from .logs import configure_logging
from .openapi import export_openapi
from .request_context import REQUEST_ID_HEADER, current_request_id
from .settings import ObservabilitySettings
from .tracing import tracer_provider_from

__all__ = [
    "MAX_BODY_BYTES",
    "PROBLEM_JSON",
    "REQUEST_ID_HEADER",
    "BadRequest",
    "Conflict",
    "FieldError",
    "Forbidden",
    "Health",
    "NotAcceptable",
    "NotFound",
    "ObservabilitySettings",
    "PayloadTooLarge",
    "PreconditionFailed",
    "Problem",
    "ProblemError",
    "ServiceUnavailable",
    "Unauthorized",
    "Unprocessable",
    "UnsupportedMediaType",
    "configure_logging",
    "create_service_app",
    "current_request_id",
    "export_openapi",
    "field_path",
    "problem_response",
    "tracer_provider_from",
]
