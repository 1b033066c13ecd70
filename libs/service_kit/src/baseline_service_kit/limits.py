"""Refuse request bodies over a size limit before the app reads them into memory.

One limit serves most routes; a few (bulk ingestion) need more, so a limit can be raised for a
path prefix. The longest matching prefix wins, so a narrower prefix can lower it again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import FieldError, PayloadTooLarge, problem_response

__all__ = ["BodySizeLimitMiddleware"]


class _TooLarge(Exception):
    pass


class BodySizeLimitMiddleware:
    """Pure ASGI: checks ``Content-Length`` first, then counts streamed chunks (chunked uploads
    carry no length). ``max_bytes_by_prefix`` maps path prefixes to their own limits."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, max_bytes_by_prefix: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # Longest first: the first prefix that matches is the most specific.
        self.by_prefix = sorted((max_bytes_by_prefix or {}).items(), key=lambda item: -len(item[0]))

    def limit_for(self, path: str) -> int:
        return next((limit for prefix, limit in self.by_prefix if path.startswith(prefix)), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        if self._declared_length(scope) > limit:
            await self._refuse(limit, scope, receive, send)
            return
        received = 0
        exceeded = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                exceeded = True
                raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # Frameworks may turn our exception into their own error response (FastAPI answers
            # 400); once the limit is exceeded only our 413 goes out.
            if not exceeded:
                await send(message)

        with contextlib.suppress(_TooLarge):
            await self.app(scope, counting_receive, guarded_send)
        if exceeded:
            await self._refuse(limit, scope, receive, send)

    @staticmethod
    def _declared_length(scope: Scope) -> int:
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                return int(value) if value.isdigit() else 0
        return 0

    @staticmethod
    async def _refuse(limit: int, scope: Scope, receive: Receive, send: Send) -> None:
        error = PayloadTooLarge(
            f"The request body is larger than {limit} bytes.",
            errors=[FieldError(field="body", message=f"at most {limit} bytes")],
        )
        await problem_response(error.to_problem())(scope, receive, send)
