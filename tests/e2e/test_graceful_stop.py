"""SIGTERM on a gateway: the request in flight gets its answer, the process exits cleanly, and
nothing it had claimed stays locked."""

from __future__ import annotations

import signal
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import psycopg
import pytest

from baseline_api.core.settings import libpq_url
from tests.processes import AUTH, answered_drafts, fresh_database, gateway, statuses

pytestmark = pytest.mark.e2e


@pytest.fixture
def silent_scoring() -> Iterator[str]:
    """A scoring service that accepts connections and never answers: every call runs to its timeout."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in [*held, server]:
        connection.close()


def _locked(database_url: str) -> list[str]:
    with psycopg.connect(libpq_url(database_url)) as connection:
        rows = connection.execute("SELECT id::text FROM assessments FOR UPDATE SKIP LOCKED").fetchall()
        every = connection.execute("SELECT id::text FROM assessments").fetchall()
    return sorted({row[0] for row in every} - {row[0] for row in rows})


def test_sigterm_finishes_the_request_in_flight_and_releases_claims(pg_server_url, silent_scoring, tmp_path):
    database_url = fresh_database(pg_server_url, "baseline_stop_test")
    env = {"SCORING_TIMEOUT_SECONDS": "2", "SHUTDOWN_GRACE_SECONDS": "20"}
    with gateway(database_url, silent_scoring, tmp_path / "gateway.log", **env) as (api_url, process):
        waiting, in_flight = answered_drafts(api_url, 2)
        # The first times out (2 s) and waits as submitted; the worker then claims it and hangs too.
        first = httpx.post(f"{api_url}/v1/assessments/{waiting}/submit", headers=AUTH, timeout=30)
        assert first.status_code == 202
        with ThreadPoolExecutor(1) as pool:
            submitting = pool.submit(
                httpx.post, f"{api_url}/v1/assessments/{in_flight}/submit", headers=AUTH, timeout=30
            )
            time.sleep(0.5)  # the submit is now waiting on the silent scoring service
            process.send_signal(signal.SIGTERM)
            answer = submitting.result(timeout=30)
        assert answer.status_code == 202, answer.text
        # uvicorn re-raises SIGTERM once it has shut down, so "killed by SIGTERM" is its clean exit;
        # the log shows the lifespan (and its workers) finished.
        assert process.wait(30) in (0, -signal.SIGTERM)
    assert "Application shutdown complete." in (tmp_path / "gateway.log").read_text()
    assert statuses(database_url) == {waiting: "submitted", in_flight: "submitted"}
    assert _locked(database_url) == []
