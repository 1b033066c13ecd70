"""Issue 17: how long a healthy webhook receiver waits for its event, with and without dead
receivers, on the whole system as `make run` starts it (one API process, its delivery worker).

Two systems run side by side, each as `make run` starts it: on one, the healthy receiver is the
only one; on the other, ``DEAD`` dead receivers are subscribed to every event too (half accept
connections and never answer, half refuse them), with a backlog of ``BACKLOG_SUBMITS`` submits
waiting for them that grows with every submit. Each of ``SUBMITS`` rounds (after ``WARM_UP``
uncounted ones) submits once to each system, the order alternating, and times each submit from its answer (the commit happens just
before it is sent, so this is the commit to within a millisecond) to the healthy receiver's
request carrying its ``assessment.scored`` event. Taking turns puts a slow spell of this shared
machine on both series alike, so the ratio shows what the dead receivers cost the healthy one,
not what the machine was doing (the dead receivers' own load falls on both alike as well).
The goal: with the dead receivers at most twice the time without, at the median and the 99th
percentile.
"""

from __future__ import annotations

import asyncio
import json
import socket
import statistics
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager

import httpx
import uvicorn
from starlette.types import Receive, Scope, Send

from baseline_devstack.processes import free_port
from benchmarks.fixtures import complete_answers, framework
from benchmarks.servers import TOKEN, system
from benchmarks.table import Row

__all__ = ["webhook_rows"]

AUTH = {"Authorization": f"Bearer {TOKEN}"}
SUBMITS, DEAD, BACKLOG_SUBMITS, WARM_UP = 100, 50, 4, 5
SECRET = "bench-webhook-secret-0123456789abcdef"


class _Receiver:
    """Answers 204 and notes when each assessment's event arrived."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.changed = asyncio.Condition()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message.get("body", b""), message.get("more_body", False)
        async with self.changed:
            self.arrived.setdefault(json.loads(body)["data"]["assessment_id"], time.perf_counter())
            self.changed.notify_all()
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def arrival(self, assessment_id: str) -> float:
        async with asyncio.timeout(60), self.changed:
            await self.changed.wait_for(lambda: assessment_id in self.arrived)
        return self.arrived[assessment_id]


@asynccontextmanager
async def _serving(receiver: _Receiver) -> AsyncIterator[str]:
    port = free_port()
    config = uvicorn.Config(receiver, host="127.0.0.1", port=port, lifespan="off", log_level="error")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn has no event to wait on
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}/hook"
    finally:
        server.should_exit = True
        await task


@contextmanager
def _dead_receivers(count: int) -> Iterator[list[str]]:
    """URLs of ``count`` dead receivers: half hang (a listening socket nobody accepts on), half
    refuse (a port nobody listens on)."""
    with ExitStack() as stack:
        urls = []
        for i in range(count):
            if i % 2:
                urls.append(f"http://127.0.0.1:{free_port()}/refused")
                continue
            listening = stack.enter_context(socket.socket())
            listening.bind(("127.0.0.1", 0))
            listening.listen(1024)
            urls.append(f"http://127.0.0.1:{listening.getsockname()[1]}/hangs")
        yield urls


async def _drafts(client: httpx.AsyncClient, count: int) -> list[str]:
    body = {"ods_code": "WHBENCH", "name": "Webhook benchmark trust", "kind": "trust"}
    organisation = (await client.post("/v1/organisations", json=body, headers=AUTH)).raise_for_status().json()
    fw = framework()
    answers = {"responses": [answer.model_dump() for answer in complete_answers(fw)]}
    pinned = {"framework_id": fw.framework_id, "framework_version": fw.version}
    ids = []
    for _ in range(count):
        url = f"/v1/organisations/{organisation['id']}/assessments"
        created = await client.post(url, json=pinned, headers=AUTH)
        assessment_id = created.raise_for_status().json()["id"]
        patched = await client.patch(f"/v1/assessments/{assessment_id}/responses", json=answers, headers=AUTH)
        patched.raise_for_status()
        ids.append(assessment_id)
    return ids


async def _subscribe(client: httpx.AsyncClient, url: str, events: list[str]) -> None:
    body = {"url": url, "events": events, "secret": SECRET}
    (await client.post("/v1/webhooks", json=body, headers=AUTH)).raise_for_status()


async def _submit(client: httpx.AsyncClient, assessment_id: str) -> float:
    """Submit; the moment its answer (sent just after the commit) arrived."""
    response = await client.post(f"/v1/assessments/{assessment_id}/submit", headers=AUTH)
    answered = time.perf_counter()
    if response.status_code != 200:
        raise RuntimeError(f"submit answered {response.status_code}: {response.text[:300]}")
    return answered


async def _latency(client: httpx.AsyncClient, receiver: _Receiver, assessment_id: str) -> float:
    """Milliseconds from the submit's commit to the healthy receiver's request."""
    committed = await _submit(client, assessment_id)
    return max(0.0, await receiver.arrival(assessment_id) - committed) * 1000


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


async def _prepare(client: httpx.AsyncClient, hook: str, dead: list[str]) -> list[str]:
    """Subscribe the healthy receiver and the ``dead`` ones, submit the dead ones' backlog, and
    return the drafts left to submit."""
    drafts = await _drafts(client, WARM_UP + SUBMITS + BACKLOG_SUBMITS)
    await _subscribe(client, hook, ["assessment.scored"])
    for url in dead:
        await _subscribe(client, url, ["assessment.submitted", "assessment.scored"])
    for assessment_id in drafts[:BACKLOG_SUBMITS]:
        await _submit(client, assessment_id)
    return drafts[BACKLOG_SUBMITS:]


async def _measure(alone_api: str, beside_dead_api: str) -> dict[str, list[float]]:
    receiver = _Receiver()
    latencies: dict[str, list[float]] = {"alone": [], "beside dead": []}
    async with (
        _serving(receiver) as hook,
        httpx.AsyncClient(base_url=alone_api, timeout=60) as alone,
        httpx.AsyncClient(base_url=beside_dead_api, timeout=60) as beside_dead,
    ):
        with _dead_receivers(DEAD) as dead:
            series = [
                ("alone", alone, await _prepare(alone, hook, [])),
                ("beside dead", beside_dead, await _prepare(beside_dead, hook, dead)),
            ]
            for round_ in range(WARM_UP + SUBMITS):  # the first rounds warm up, and are not counted
                for name, client, drafts in series[round_ % 2 :] + series[: round_ % 2]:
                    latency = await _latency(client, receiver, drafts[round_])
                    if round_ >= WARM_UP:
                        latencies[name].append(latency)
    return latencies


def webhook_rows() -> list[Row]:
    with system() as first, system() as second:
        measured = asyncio.run(_measure(first.api, second.api))
    alone, beside_dead = measured["alone"], measured["beside dead"]
    baseline = "no dead receivers"
    figure = f"webhook: submit commit to healthy receiver, {DEAD} dead receivers + backlog"
    return [
        Row(
            f"{figure}, p50",
            statistics.median(beside_dead),
            "ms",
            baseline,
            statistics.median(alone),
            "<= 2 x",
            statistics.median(beside_dead) <= 2 * statistics.median(alone),
        ),
        Row(
            f"{figure}, p99",
            _p99(beside_dead),
            "ms",
            baseline,
            _p99(alone),
            "<= 2 x",
            _p99(beside_dead) <= 2 * _p99(alone),
        ),
    ]
