"""HTTP plumbing shared by Baseline's two services.

Problem+json errors, Prometheus metrics, docs served from local assets, a body size limit and
the app factory that wires them, so both services behave the same at the edges.
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
from .openapi import export_openapi

__all__ = [
    "MAX_BODY_BYTES",
    "PROBLEM_JSON",
    "BadRequest",
    "Conflict",
    "FieldError",
    "Forbidden",
    "Health",
    "NotAcceptable",
    "NotFound",
    "PayloadTooLarge",
    "PreconditionFailed",
    "Problem",
    "ProblemError",
    "ServiceUnavailable",
    "Unauthorized",
    "Unprocessable",
    "UnsupportedMediaType",
    "create_service_app",
    "export_openapi",
    "field_path",
    "problem_response",
]
