"""Webhook test helpers: a real HTTP receiver, the delivery worker's step, and events to deliver.

The receiver is a real server on 127.0.0.1 (uvicorn, in the test's event loop) that records
every request and answers with the status codes a test queues, so deliveries cross a real socket.
It can also hold requests until told to answer: a receiver that is slow, or one that never answers.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field

import httpx
import pytest
import uvicorn
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import Receive, Scope, Send

from baseline_api.assessments import repository as assessments
from baseline_api.core.db import driver_connection
from baseline_api.core.settings import Settings
from baseline_api.webhooks.addresses import AddressPolicy
from baseline_api.webhooks.delivery import DeliveryWorker
from baseline_api.webhooks.models import WebhookDelivery
from baseline_api.webhooks.secret_box import secret_box
from baseline_api.webhooks.sending import webhook_http_client
from baseline_devstack.processes import free_port
from tests.api.test_assessments_support import create_assessment
from tests.resolver import StaticResolver

SECRET = "test-webhook-secret-0123456789abcdef"


@dataclass(frozen=True)
class Received:
    path: str
    headers: httpx.Headers
    body: bytes


@dataclass
class Receiver:
    """Answers each request with the next queued status (200 once none are left)."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    answering: asyncio.Event = field(default_factory=asyncio.Event)  # clear it to hold requests
    delay_seconds: float = 0.0  # how long each answer takes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "http"
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message.get("body", b""), message.get("more_body", False)
        headers = httpx.Headers([(k.decode(), v.decode()) for k, v in scope["headers"]])
        async with self.changed:
            self.received.append(Received(scope["path"], headers, body))
            self.changed.notify_all()
        await self.answering.wait()
        await asyncio.sleep(self.delay_seconds)
        status = self.statuses.pop(0) if self.statuses else 200
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})

    async def requests_arrive(self, count: int = 1, within: float = 5) -> None:
        async with asyncio.timeout(within), self.changed:
            await self.changed.wait_for(lambda: len(self.received) >= count)


@pytest.fixture
async def make_receiver() -> AsyncIterator[Callable[[], Awaitable[Receiver]]]:
    """Start receivers on free loopback ports; all stop (answering whatever they hold) at the end."""
    async with AsyncExitStack() as running:

        async def make() -> Receiver:
            port = free_port()
            endpoint = Receiver(url=f"http://127.0.0.1:{port}/hooks/baseline")
            endpoint.answering.set()
            config = uvicorn.Config(
                endpoint, host="127.0.0.1", port=port, lifespan="off", ws="none", log_level="error"
            )
            server = uvicorn.Server(config)
            serving = asyncio.create_task(server.serve())
            while not server.started:  # noqa: ASYNC110 - uvicorn has no event to wait on
                await asyncio.sleep(0.01)

            async def stop() -> None:
                endpoint.answering.set()
                endpoint.delay_seconds = 0
                server.should_exit = True
                await serving

            running.push_async_callback(stop)
            return endpoint

        yield make


@pytest.fixture
async def receiver(make_receiver: Callable[[], Awaitable[Receiver]]) -> Receiver:
    return await make_receiver()


@pytest.fixture
def worker_settings(settings: Settings) -> Settings:
    """Retries due within milliseconds and a short timeout, so retry tests take no time."""
    update = {"retry_base_seconds": 0.001, "retry_cap_seconds": 0.01, "webhook_timeout_seconds": 2.0}
    return settings.model_copy(update=update)


Step = Callable[[], Awaitable[bool]]


@pytest.fixture
async def make_worker(
    sessions: async_sessionmaker[AsyncSession], worker_settings: Settings, resolver: StaticResolver
) -> AsyncIterator[Callable[..., DeliveryWorker]]:
    """A delivery worker as the app makes it (its own HTTP client), with settings changed as asked."""
    async with AsyncExitStack() as resources:

        def make(**changes: object) -> DeliveryWorker:
            configured = worker_settings.model_copy(update=changes)
            policy = AddressPolicy(
                allow_private=configured.webhook_allow_private_networks,
                resolver=resolver,
                timeout_seconds=configured.webhook_connect_timeout_seconds,
            )
            http = webhook_http_client(configured, policy)
            resources.push_async_callback(http.aclose)
            worker = DeliveryWorker(configured, sessions, http, secret_box(configured))
            resources.push_async_callback(worker.drain)
            return worker

        yield make


@pytest.fixture
def make_step(make_worker: Callable[..., DeliveryWorker]) -> Callable[..., Step]:
    """One step of a delivery worker, and every attempt it started sent and recorded."""

    def make(**changes: object) -> Step:
        worker = make_worker(**changes)

        async def step() -> bool:
            busy = await worker.step()
            await worker.drain()
            return busy

        return step

    return make


@pytest.fixture
def step(make_step: Callable[..., Step]) -> Step:
    return make_step()


async def run_until_settled(
    step: Step, sessions: async_sessionmaker[AsyncSession], within: float = 10
) -> None:
    """Step until no delivery is pending (retries become due within milliseconds here)."""
    async with asyncio.timeout(within):
        while await pending_count(sessions):
            if not await step():
                await asyncio.sleep(0.005)


async def pending_count(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        query = select(WebhookDelivery.id).where(WebhookDelivery.status == "pending")
        return len((await session.scalars(query)).all())


@pytest.fixture
async def create_webhook(
    api: httpx.AsyncClient, admin_headers: dict[str, str]
) -> Callable[..., Awaitable[dict]]:
    async def create(
        url: str, events: list[str] | None = None, secret: str = SECRET, **fields: object
    ) -> dict:
        body = {
            "url": url,
            "events": events or ["assessment.submitted", "assessment.scored"],
            "secret": secret,
            **fields,
        }
        response = await api.post("/v1/webhooks", json=body, headers=admin_headers)
        assert response.status_code == 201, response.text
        return response.json()

    return create


@pytest.fixture
async def submitted_event(
    api: httpx.AsyncClient,
    admin_headers: dict[str, str],
    make_organisation: Callable[..., Awaitable[dict]],
    sessions: async_sessionmaker[AsyncSession],
) -> Callable[[], Awaitable[str]]:
    """Submit a fresh draft (which records ``assessment.submitted``), as submission does, and commit;
    returns the assessment id. (No scoring and no answers needed: the worker only sends events.)"""
    organisation = await make_organisation(f"W{uuid.uuid4().hex[:6].upper()}")

    async def submit() -> str:
        assessment = await create_assessment(api, admin_headers, organisation["id"])
        async with sessions() as session, session.begin():
            connection = await driver_connection(session)
            await assessments.mark_submitted(connection, [uuid.UUID(assessment["id"])])
        return assessment["id"]

    return submit


async def rows(sessions: async_sessionmaker[AsyncSession], sql: str, **params: object) -> list[dict]:
    async with sessions() as session:
        return [dict(row._mapping) for row in await session.execute(text(sql), params)]
