"""Logging for both services: ``LOG_FORMAT=text`` (the default) for people at a terminal,
``json`` for a log pipeline, one JSON object a line.

Every record made while a request runs carries that request's id (``request_id``). Records hold
only what the code logs on purpose: messages never include tokens, answers or personal data
(see ``request_context``), and nothing here adds the request's headers or body.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, Literal

from .request_context import current_request_id

__all__ = ["JsonFormatter", "configure_logging"]

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# Attributes every LogRecord has; anything else on a record was passed in ``extra`` (bar
# uvicorn's copy of its message with terminal colours).
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id", "color_message"}


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id() or "-"
        trace_id = _trace_id()
        if trace_id is not None:
            record.trace_id = trace_id
        return True


def _trace_id() -> str | None:
    """The current trace's id, to find a log line's trace; None when tracing is off (then
    OpenTelemetry was never imported, and is not imported for this either)."""
    trace = sys.modules.get("opentelemetry.trace")
    if trace is None:
        return None
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


def _request_id(record: logging.LogRecord) -> str | None:
    request_id = getattr(record, "request_id", None)
    return None if request_id in (None, "-") else str(request_id)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request id, the record's
    ``extra`` fields and, for an error, the formatted exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _request_id(record),
        }
        line |= {key: value for key, value in record.__dict__.items() if key not in _STANDARD}
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure_logging(log_format: LogFormat, level: int = logging.INFO) -> None:
    """Send every record (ours and uvicorn's) to stderr in ``log_format``. Run servers with
    ``log_config=None`` and ``access_log=False``: the request line is ``baseline.access``'s."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_RequestIdFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
