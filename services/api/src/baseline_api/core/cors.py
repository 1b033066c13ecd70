"""CORS for browser front ends on other origins (the "Browsers" line of the HTTP contract).

Starlette's ``CORSMiddleware`` does the work; this subclass closes its three gaps against the
contract:

- an allowed preflight is answered 204 with no body (Starlette answers 200 ``OK``);
- a request from an origin that is not allowed gets no CORS header at all: Starlette would add
  ``Access-Control-Expose-Headers`` to its responses, and the allowed methods, headers and max
  age to its refused preflights. Such a request is served as if CORS were off (a preflight is
  then an ``OPTIONS`` the routes do not serve: 405), bar ``Vary: Origin``, which keeps a cache
  from handing one origin's answer to another;
- a preflight from an allowed origin asking for a method or header we do not allow is a 400
  problem+json naming what was refused, not plain text.

It is the outermost middleware, so every answer the app gives (401, 413, any problem+json) carries
the CORS headers an allowed origin needs to read it. One exception: Starlette writes an unexpected
500 outside every middleware, so a browser sees that bug as a network error (the log has it).
"""

from __future__ import annotations

from collections.abc import Collection

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from baseline_service_kit import BadRequest, FieldError, problem_response

__all__ = ["ALLOWED_HEADERS", "EXPOSED_HEADERS", "MAX_AGE_SECONDS", "ContractCORSMiddleware", "install_cors"]

ALLOWED_HEADERS = ("Authorization", "Content-Type", "If-Match", "Idempotency-Key", "X-Request-ID")
EXPOSED_HEADERS = ("ETag", "Location", "Retry-After", "X-Request-ID", "Idempotent-Replayed")
MAX_AGE_SECONDS = 600


def install_cors(app: FastAPI, origins: Collection[str]) -> None:
    """Answer browsers on ``origins``; none: no CORS at all. Call after every router is included:
    the preflight allows exactly the methods the routes serve."""
    if not origins:
        return
    app.add_middleware(
        ContractCORSMiddleware,
        allow_origins=tuple(origins),
        allow_methods=served_methods(app),
        allow_headers=ALLOWED_HEADERS,
        expose_headers=EXPOSED_HEADERS,
        allow_credentials=False,
        max_age=MAX_AGE_SECONDS,
    )


def served_methods(app: FastAPI) -> tuple[str, ...]:
    methods: set[str] = set()
    for route in iter_route_contexts(app.routes):  # app.routes holds included routers unexpanded
        methods |= set(route.methods or ())
    return tuple(sorted(methods - {"OPTIONS"}))


class ContractCORSMiddleware(CORSMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            if origin is not None and not self.is_allowed_origin(origin):
                # Served as if the request named no origin: Starlette then adds only Vary.
                await self.simple_response(scope, receive, send, request_headers=_without_origin(headers))
                return
        await super().__call__(scope, receive, send)

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        cors_headers = {
            name: value
            for name, value in response.headers.items()
            if name.startswith("access-control-") or name == "vary"
        }
        if response.status_code < 400:
            return Response(status_code=204, headers=cors_headers)
        return problem_response(self._refusal(request_headers).to_problem(), cors_headers)

    def _refusal(self, request_headers: Headers) -> BadRequest:
        """What an allowed origin's preflight asked for that we do not allow."""
        errors = [*self._method_refused(request_headers), *self._headers_refused(request_headers)]
        if "access-control-request-private-network" in request_headers:
            errors.append(FieldError(field="Access-Control-Request-Private-Network", message="not allowed"))
        return BadRequest("The preflight asks for what this API does not allow.", errors=errors)

    def _method_refused(self, request_headers: Headers) -> list[FieldError]:
        method = request_headers["access-control-request-method"]
        if method in self.allow_methods:
            return []
        message = f"{method} is not served; allowed: {', '.join(self.allow_methods)}"
        return [FieldError(field="Access-Control-Request-Method", message=message)]

    def _headers_refused(self, request_headers: Headers) -> list[FieldError]:
        requested = (h.strip() for h in request_headers.get("access-control-request-headers", "").split(","))
        refused = [h for h in requested if h and h.lower() not in self.allow_headers]
        if not refused:
            return []
        message = f"not allowed: {', '.join(refused)}; allowed: {', '.join(ALLOWED_HEADERS)}"
        return [FieldError(field="Access-Control-Request-Headers", message=message)]


def _without_origin(headers: Headers) -> Headers:
    return Headers(raw=[(name, value) for name, value in headers.raw if name != b"origin"])
