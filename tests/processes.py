"""Real gateway processes on a database of their own: for the contract test, and for tests of how
processes behave together (replicas sharing work, stopping on SIGTERM, the scoring service going
away)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import psycopg

from baseline_api.core.settings import libpq_url
from baseline_devstack.migrate import upgrade
from baseline_devstack.postgres import create_database
from baseline_devstack.processes import Process, free_port, spawn_module, stop_process, wait_until_ready
from tests.api.test_assessments_support import FRAMEWORK_ID, answers
from tests.conftest import ADMIN_TOKEN

__all__ = [
    "AUTH",
    "Delivery",
    "answered_drafts",
    "events_of",
    "fresh_database",
    "gateway",
    "scoring_service",
    "statuses",
    "webhook_receiver",
]

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
# Quick retries and an attentive worker, so a test waits seconds, not minutes; webhook receivers
# in tests listen on loopback, which only an operator's leave allows.
QUICK = {
    "RETRY_BASE_SECONDS": "0.2",
    "RETRY_CAP_SECONDS": "1",
    "WORKER_IDLE_SECONDS": "0.1",
    "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true",
}


def fresh_database(pg_server_url: str, name: str) -> str:
    url = create_database(pg_server_url, name, drop_first=True)
    upgrade(url)
    return url


@contextmanager
def gateway(database_url: str, scoring_url: str, log: Path, **env: str) -> Iterator[tuple[str, Process]]:
    """A gateway process; yields its URL and the process (stopped with SIGTERM at the end)."""
    port = free_port()
    settings = {
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "DATABASE_URL": database_url,
        "SCORING_URL": scoring_url,
        "BASELINE_ADMIN_TOKEN": ADMIN_TOKEN,
        **QUICK,
        **env,
    }
    with log.open("ab") as out:
        process = spawn_module("baseline_api", settings, log=out)
        try:
            wait_until_ready(f"http://127.0.0.1:{port}/healthz", [process], timeout=60)
            yield f"http://127.0.0.1:{port}", process
        finally:
            stop_process(process)


@contextmanager
def scoring_service(port: int, log: Path, **env: str) -> Iterator[Process]:
    with log.open("ab") as out:
        process = spawn_module("baseline_scoring", {"HOST": "127.0.0.1", "PORT": str(port), **env}, log=out)
        try:
            wait_until_ready(f"http://127.0.0.1:{port}/healthz", [process], timeout=60)
            yield process
        finally:
            stop_process(process)


def answered_drafts(api_url: str, count: int, ods_code: str = "RX1") -> list[str]:
    """``count`` complete drafts of one new organisation, ready to submit."""
    with httpx.Client(base_url=api_url, headers=AUTH, timeout=30) as client:
        body = {"ods_code": ods_code, "name": f"Trust {ods_code}", "kind": "trust"}
        organisation = client.post("/v1/organisations", json=body).raise_for_status().json()
        ids = []
        for _ in range(count):
            url = f"/v1/organisations/{organisation['id']}/assessments"
            assessment = client.post(url, json={"framework_id": FRAMEWORK_ID}).raise_for_status().json()
            patch = {"responses": answers()}
            client.patch(f"/v1/assessments/{assessment['id']}/responses", json=patch).raise_for_status()
            ids.append(assessment["id"])
        return ids


def statuses(database_url: str) -> dict[str, str]:
    with psycopg.connect(libpq_url(database_url)) as connection:
        rows = connection.execute("SELECT id::text, status FROM assessments").fetchall()
    return dict(rows)


Delivery = tuple[dict[str, str], bytes]  # a webhook request's headers and body


@contextmanager
def webhook_receiver() -> Iterator[tuple[str, list[Delivery]]]:
    """A real HTTP server that answers 204 to every POST and keeps what it received."""
    received: list[Delivery] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers.items()), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()
        server.server_close()


def events_of(received: list[Delivery]) -> list[dict]:
    return [json.loads(body) for _, body in received]
