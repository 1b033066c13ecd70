"""``Idempotency-Key`` on POST, as a pure ASGI middleware in front of every route.

The first request with a key claims it in PostgreSQL (so every replica sees the claim), runs,
and its answer is stored for 24 hours. A replay with the same body gets that answer back with
``Idempotent-Replayed: true``; the same key with another body is a 422; a request that arrives
while the first is still running waits for its answer. Server errors are not stored, so a
retry after one does the work again.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from baseline_api.idempotency import store
from baseline_service_kit import Conflict, FieldError, ProblemError, Unprocessable, problem_response

__all__ = ["IdempotencyMiddleware"]

HEADER = b"idempotency-key"
MAX_KEY_LENGTH = 255
WAIT_FOR_FIRST_SECONDS = 30.0
# Answers that depend on the caller's credentials or on timing are not worth replaying.
NOT_STORED = frozenset({401, 403, 429})


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, HEADER)
        if scope["type"] != "http" or scope["method"] != "POST" or key is None:
            await self.app(scope, receive, send)
            return
        try:
            await self._handle(scope, receive, send, key)
        except ProblemError as error:
            await problem_response(error.to_problem(), error.headers)(scope, receive, send)

    async def _handle(self, scope: Scope, receive: Receive, send: Send, raw_key: bytes) -> None:
        key = _valid_key(raw_key)
        body = await _read_body(receive)
        owner = hashlib.sha256(_header(scope, b"authorization") or b"").hexdigest()
        fingerprint = _fingerprint(scope, body)
        engine: AsyncEngine = scope["state"]["engine"]
        if await store.claim(engine, owner, key, fingerprint):
            await self._run_and_remember(scope, body, send, engine, owner, key)
            return
        answer = await _wait_for_answer(engine, owner, key)
        if answer.request_sha256 != fingerprint:
            raise Unprocessable(
                "This Idempotency-Key was used with a different request.",
                errors=[FieldError(field="header.idempotency-key", message="reused with a different body")],
            )
        await _replay(answer, send)

    async def _run_and_remember(
        self, scope: Scope, body: bytes, send: Send, engine: AsyncEngine, owner: str, key: str
    ) -> None:
        captured: dict[str, Any] = {"status": 500, "headers": [], "body": b""}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"], captured["headers"] = message["status"], message.get("headers", [])
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, _replay_body(body), capture)
        finally:
            status = captured["status"]
            if status >= 500 or status in NOT_STORED or _carries_secret(captured["headers"]):
                await store.forget(engine, owner, key)
            else:
                headers = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in captured["headers"]]
                await store.remember(engine, owner, key, status, headers, captured["body"])


def _carries_secret(headers: list[tuple[bytes, bytes]]) -> bool:
    """``Cache-Control: no-store`` marks an answer holding a secret (a new API key's token): it
    is never written to the database, so a retry does the work again instead of replaying it."""
    return any(k.lower() == b"cache-control" and b"no-store" in v.lower() for k, v in headers)


def _header(scope: Scope, name: bytes) -> bytes | None:
    for header, value in scope.get("headers", []):
        if header == name:
            return bytes(value)
    return None


def _valid_key(raw: bytes) -> str:
    key = raw.decode("latin-1").strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise Unprocessable(
            "Invalid Idempotency-Key.",
            errors=[
                FieldError(field="header.idempotency-key", message=f"1-{MAX_KEY_LENGTH} printable characters")
            ],
        )
    return key


def _fingerprint(scope: Scope, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (scope["method"].encode(), scope["path"].encode(), scope.get("query_string", b""), body):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay_body(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _wait_for_answer(engine: AsyncEngine, owner: str, key: str) -> store.StoredAnswer:
    deadline = time.monotonic() + WAIT_FOR_FIRST_SECONDS
    while time.monotonic() < deadline:
        answer = await store.load(engine, owner, key)
        if answer is None:
            raise Conflict("The first request with this Idempotency-Key failed; retry with the same key.")
        if answer.status is not None:
            return answer
        await asyncio.sleep(0.05)
    raise Conflict("A request with this Idempotency-Key is still being processed; retry later.")


async def _replay(answer: store.StoredAnswer, send: Send) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers or []]
    headers.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body or b""})
