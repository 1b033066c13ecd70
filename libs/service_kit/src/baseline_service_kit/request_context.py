"""Request ids and the one log line per request, in a pure ASGI middleware.

Each request gets an id: the caller's ``X-Request-ID`` when it is a sensible token (1 to 128
characters of ``A-Z a-z 0-9 . _ ~ : / + = -``), otherwise a new UUID. The id is echoed in
every response's ``X-Request-ID``, written into problem bodies (``request_id``), given to every
log record made while the request runs, and passed on to the scoring service.

The request's log line (logger ``baseline.access``) carries the method, the route *template*
(``/v1/assessments/{assessment_id}``, never the raw path or the query), the status, the duration
and the request id: nothing a client sent as data, so no token, answer or personal detail.
"""

from __future__ import annotations

import functools
import logging
import re
import time
import uuid
from collections.abc import Callable, Sequence
from contextvars import ContextVar

from fastapi.routing import iter_route_contexts
from starlette.applications import Starlette
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "REQUEST_ID_HEADER",
    "RequestContextMiddleware",
    "RequestObserver",
    "current_request_id",
    "route_template",
]

REQUEST_ID_HEADER = "X-Request-ID"
_HEADER = REQUEST_ID_HEADER.lower().encode()
_VALID = re.compile(rb"[A-Za-z0-9._~:/+=-]{1,128}")
UNMATCHED = "<unmatched>"
_access = logging.getLogger("baseline.access")
# Set at the start of each request, in the request's own task (a server runs each request in a
# task of its own, which copies the context), so it never leaks into another request. It is not
# reset on the way out: the 500 handler, outside this middleware, still reads it.
_request_id: ContextVar[str | None] = ContextVar("baseline_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request being handled here, or None outside a request (a background worker)."""
    return _request_id.get()


def route_template(scope: Scope) -> str:
    """The matched route's path template, so logs and metrics never carry ids from the URL. A
    request answered before routing (a CORS preflight) or refused its method gets the template
    of the route its path matches."""
    route = scope.get("route")
    return getattr(route, "path", None) or _template_of_path(scope) or UNMATCHED


def _template_of_path(scope: Scope) -> str | None:
    app = scope.get("app")
    routes = iter_route_contexts(app.routes) if isinstance(app, Starlette) else ()
    templates = (context.path for context in routes if context.path)
    return next((template for template in templates if _pattern(template).match(scope["path"])), None)


@functools.cache
def _pattern(template: str) -> re.Pattern[str]:
    return compile_path(template)[0]


def _request_id_of(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == _HEADER and _VALID.fullmatch(value):
            return bytes(value).decode("ascii")
    return str(uuid.uuid4())


# Told of every finished request: method, route template, status and seconds taken (metrics).
RequestObserver = Callable[[str, str, int, float], None]


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, observers: Sequence[RequestObserver] = ()) -> None:
        self.app = app
        self.observers = observers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id_of(scope)
        _request_id.set(request_id)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != _HEADER]
                message = {**message, "headers": [*headers, (_HEADER, request_id.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._finished(scope, status, time.perf_counter() - started, request_id)

    def _finished(self, scope: Scope, status: int, seconds: float, request_id: str) -> None:
        method, route, duration_ms = scope["method"], route_template(scope), round(seconds * 1000, 1)
        fields = {"method": method, "route": route, "status": status, "duration_ms": duration_ms}
        _access.info(
            "%s %s %d %.1f ms", method, route, status, duration_ms, extra=fields | {"request_id": request_id}
        )
        for observe in self.observers:
            observe(method, route, status, seconds)
