"""The floor under the gateway's submit, for `make bench`: the same read, scoring call and write
(the gateway's own SQL statements, on one autocommit psycopg connection, and httpx's transport)
with nothing else around them: no framework, no authentication, no pool, no validation of the
result. What this takes, any gateway on this machine pays; what the gateway takes beyond it is the
gateway's own cost.

Served like the gateway (``python -m benchmarks.submit_floor``: uvicorn, one worker), it answers
``POST /v1/assessments/{id}/submit`` for a complete draft, and nothing else.
"""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

import httpx
import psycopg
import uvicorn
from psycopg.rows import dict_row
from starlette.types import Receive, Scope, Send

from baseline_api.assessments.repository import (
    READ_FOR_SCORING,
    RECORD_SCORE,
    RESULT_COLUMNS,
    record_score_parameters,
)
from baseline_api.webhooks.payload import EventType

EVENTS: list[EventType] = ["assessment.submitted", "assessment.scored"]


class SubmitFloor:
    def __init__(self, database_url: str, scoring_url: str) -> None:
        self.database_url, self.scoring_url = database_url, scoring_url
        self.connection: psycopg.AsyncConnection[Any] | None = None
        self.transport = httpx.AsyncHTTPTransport()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["path"] == "/healthz":
            await _answer(send, 200, b"{}")
            return
        assessment_id = uuid.UUID(scope["path"].split("/")[3])
        document = await self._submit(assessment_id)
        if document is None:
            await _answer(send, 409, b'{"title":"not a draft"}')  # the benchmark fails loudly
            return
        await _answer(send, 200, b'{"status":"scored","result":' + document + b"}")

    async def _submit(self, assessment_id: uuid.UUID) -> bytes | None:
        """The scoring service's document, stored; None if the assessment is not a draft."""
        if self.connection is None:
            raise RuntimeError("not started")
        cursor = self.connection.cursor(row_factory=dict_row)
        found = await (await cursor.execute(READ_FOR_SCORING, {"assessment_id": assessment_id})).fetchone()
        if found is None or found["status"] != "draft":
            return None
        request = httpx.Request(
            "POST",
            self.scoring_url + "/v1/score",
            content=found["score_request"].encode(),
            headers={"Content-Type": "application/json"},
        )
        response = await self.transport.handle_async_request(request)
        document = await response.aread()
        result = json.loads(document)
        columns = {name: result[name] for name in RESULT_COLUMNS}
        parameters = record_score_parameters(assessment_id, found["revision"], columns, document, EVENTS)
        await cursor.execute(RECORD_SCORE, parameters)
        return document

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.connection = await psycopg.AsyncConnection.connect(self.database_url, autocommit=True)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.connection is not None:
                    await self.connection.close()
                await self.transport.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _answer(send: Send, status: int, body: bytes) -> None:
    await send(
        {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]}
    )
    await send({"type": "http.response.body", "body": body})


if __name__ == "__main__":
    app = SubmitFloor(os.environ["DATABASE_URL"], os.environ["SCORING_URL"])
    uvicorn.run(app, host=os.environ["HOST"], port=int(os.environ["PORT"]), log_level="info")
