"""The scoring worker: submissions accepted during an outage are scored once the service is back,
exactly once however many workers run, and a stopped worker releases what it claimed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import psycopg
import pytest
from asgi_lifespan import LifespanManager

from baseline_api.app import create_app
from baseline_api.assessments.submission import score_next_submission
from baseline_api.core.background import Worker, running
from baseline_api.core.scoring_client import ScoringClient
from baseline_api.core.settings import libpq_url
from baseline_devstack.processes import free_port
from tests.api.test_assessments_support import answer, answers, create_assessment, submit

FAST_RETRIES = {"retry_base_seconds": 0.01, "retry_cap_seconds": 0.02}


@pytest.fixture
def down_settings(settings):
    """Nothing listens on a fresh free port: the scoring service is "down", no mock needed."""
    return settings.model_copy(update={"scoring_url": f"http://127.0.0.1:{free_port()}", **FAST_RETRIES})


async def _submit_during_outage(
    api, admin_headers, make_organisation, down_settings, count: int
) -> list[str]:
    organisation = await make_organisation("RX1")
    ids = []
    for _ in range(count):
        assessment = await create_assessment(api, admin_headers, organisation["id"])
        await answer(api, admin_headers, assessment["id"], answers())
        ids.append(assessment["id"])
    async with LifespanManager(create_app(down_settings)) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            for assessment_id in ids:
                assert (await submit(client, admin_headers, assessment_id)).status_code == 202
    return ids


def _queue(database_url: str) -> dict[str, tuple[str, int, str | None]]:
    with psycopg.connect(libpq_url(database_url)) as connection:
        rows = connection.execute(
            "SELECT id::text, status, scoring_attempts, last_scoring_error FROM assessments"
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


@pytest.fixture
async def scoring(settings) -> AsyncIterator[ScoringClient]:
    client = ScoringClient(settings.model_copy(update=FAST_RETRIES))
    yield client
    await client.aclose()


async def _step(sessions, scoring: ScoringClient) -> bool:
    async with sessions() as session, session.begin():
        return await score_next_submission(session, scoring)


async def test_a_failed_submit_records_the_attempt(
    api, admin_headers, make_organisation, down_settings, database_url
):
    [assessment_id] = await _submit_during_outage(api, admin_headers, make_organisation, down_settings, 1)
    status, attempts, error = _queue(database_url)[assessment_id]
    assert (status, attempts) == ("submitted", 1)
    assert error is not None
    assert "unavailable" in error
    result = await api.get(f"/v1/assessments/{assessment_id}/result", headers=admin_headers)
    assert result.status_code == 409
    shown = (await api.get(f"/v1/assessments/{assessment_id}", headers=admin_headers)).json()
    assert shown["scoring_attempts"] == 1
    assert shown["next_scoring_at"] is not None
    assert "unavailable" in shown["last_scoring_error"]


async def test_the_worker_scores_what_waited_once_the_service_answers(
    api, admin_headers, make_organisation, down_settings, sessions, scoring, database_url
):
    ids = await _submit_during_outage(api, admin_headers, make_organisation, down_settings, 2)
    await asyncio.sleep(0.05)  # past the (tiny) backoff
    assert await _step(sessions, scoring) is True
    assert await _step(sessions, scoring) is True
    assert await _step(sessions, scoring) is False  # nothing left
    assert {status for status, _, _ in _queue(database_url).values()} == {"scored"}
    for assessment_id in ids:
        result = await api.get(f"/v1/assessments/{assessment_id}/result", headers=admin_headers)
        assert result.status_code == 200
        assert result.json()["completeness"] == 1
        shown = (await api.get(f"/v1/assessments/{assessment_id}", headers=admin_headers)).json()
        assert (shown["status"], shown["next_scoring_at"], shown["last_scoring_error"]) == (
            "scored",
            None,
            None,
        )


async def test_while_the_service_is_down_the_worker_backs_off(
    api, admin_headers, make_organisation, down_settings, sessions, database_url
):
    [assessment_id] = await _submit_during_outage(api, admin_headers, make_organisation, down_settings, 1)
    await asyncio.sleep(0.05)
    down = ScoringClient(down_settings)
    assert await _step(sessions, down) is False
    await down.aclose()
    status, attempts, _ = _queue(database_url)[assessment_id]
    assert (status, attempts) == ("submitted", 2)


async def test_a_success_after_failures_makes_every_waiting_submission_due(
    api, admin_headers, make_organisation, down_settings, sessions, scoring, database_url
):
    slow_retries = {"retry_base_seconds": 3600.0, "retry_cap_seconds": 3600.0}
    ids = await _submit_during_outage(
        api, admin_headers, make_organisation, down_settings.model_copy(update=slow_retries), 3
    )
    with psycopg.connect(libpq_url(database_url)) as connection:
        connection.execute("UPDATE assessments SET next_scoring_at = now() WHERE id = %s", (ids[0],))
    assert await _step(sessions, scoring) is True  # ids[0]: a retry that worked
    assert await _step(sessions, scoring) is True  # so the others no longer wait an hour
    assert await _step(sessions, scoring) is True
    assert [_queue(database_url)[i][0] for i in ids] == ["scored"] * 3


async def test_concurrent_workers_never_claim_the_same_submission(
    api, admin_headers, make_organisation, down_settings, sessions, scoring, database_url
):
    await _submit_during_outage(api, admin_headers, make_organisation, down_settings, 1)
    await asyncio.sleep(0.05)
    outcomes = await asyncio.gather(*(_step(sessions, scoring) for _ in range(4)))
    assert sorted(outcomes) == [False, False, False, True]
    [(status, _, _)] = _queue(database_url).values()
    assert status == "scored"


async def test_a_stopped_worker_releases_its_claim(
    api, admin_headers, make_organisation, down_settings, sessions, database_url
):
    [assessment_id] = await _submit_during_outage(api, admin_headers, make_organisation, down_settings, 1)
    await asyncio.sleep(0.05)
    # A scoring service that accepts the connection and never answers: the worker is mid-claim.
    called = asyncio.Event()

    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        called.set()
        await asyncio.sleep(3600)

    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    hanging = ScoringClient(down_settings.model_copy(update={"scoring_url": f"http://127.0.0.1:{port}"}))
    worker = Worker("scoring", lambda: _step(sessions, hanging), idle_seconds=0.01)
    async with running([worker], grace_seconds=0.1):
        await asyncio.wait_for(called.wait(), timeout=5)
        assert _locked(database_url, assessment_id)
    assert not _locked(database_url, assessment_id)
    assert _queue(database_url)[assessment_id][0] == "submitted"
    server.close()
    await hanging.aclose()


def _locked(database_url: str, assessment_id: str) -> bool:
    with psycopg.connect(libpq_url(database_url)) as connection:
        try:
            connection.execute("SELECT 1 FROM assessments WHERE id = %s FOR UPDATE NOWAIT", (assessment_id,))
        except psycopg.errors.LockNotAvailable:
            return True
    return False
