"""Events and their deliveries are written by the statement that changes the assessment, so in the
caller's transaction; submission records ``assessment.submitted`` and ``assessment.scored`` as
they happen."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable

import httpx
import psycopg
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import text

from baseline_api.app import create_app
from baseline_api.assessments import repository as assessments
from baseline_api.core.db import driver_connection
from baseline_api.core.settings import libpq_url
from baseline_api.webhooks import wakeups
from baseline_devstack.processes import free_port
from tests.api.test_assessments_support import answer, answers, create_assessment, submit
from tests.api.webhooks.conftest import rows

HOOK = "https://receiver.example/hook"
EVENTS_AND_DELIVERIES = """
    SELECT e.type, e.assessment_id, d.webhook_id, d.status, d.attempts
    FROM events e LEFT JOIN webhook_deliveries d ON d.event_id = e.id
    ORDER BY e.type, d.webhook_id
"""


async def _events(sessions) -> list[dict]:
    return await rows(sessions, EVENTS_AND_DELIVERIES)


async def test_deliveries_go_to_live_subscribers_of_the_type_only(
    api, admin_headers, create_webhook, submitted_event, sessions
):
    submitted_only = await create_webhook(HOOK, ["assessment.submitted"])
    await create_webhook(HOOK, ["assessment.scored"])
    both = await create_webhook(HOOK)
    deleted = await create_webhook(HOOK)
    assert (await api.delete(f"/v1/webhooks/{deleted['id']}", headers=admin_headers)).status_code == 204
    assessment_id = await submitted_event()
    found = await _events(sessions)
    assert {row["webhook_id"] for row in found} == {uuid.UUID(submitted_only["id"]), uuid.UUID(both["id"])}
    assert {(row["type"], row["assessment_id"], row["status"], row["attempts"]) for row in found} == {
        ("assessment.submitted", uuid.UUID(assessment_id), "pending", 0)
    }


async def test_a_webhook_of_organisations_hears_only_their_events(
    api, admin_headers, make_organisation, create_webhook, sessions
):
    mine, other = await make_organisation("RX5"), await make_organisation("RX6")
    limited = await create_webhook(HOOK, organisation_ids=[mine["id"]])
    everyone = await create_webhook(HOOK)
    disabled = await create_webhook(HOOK)
    await api.patch(f"/v1/webhooks/{disabled['id']}", json={"enabled": False}, headers=admin_headers)
    for organisation in (mine, other):
        assessment = await create_assessment(api, admin_headers, organisation["id"])
        async with sessions() as session, session.begin():
            connection = await driver_connection(session)
            await assessments.mark_submitted(connection, [uuid.UUID(assessment["id"])])
    query = """
        SELECT d.webhook_id, e.organisation_id, e.payload->>'organisation_id' AS in_payload
        FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
    """
    found = await rows(sessions, query)
    heard = {(str(row["webhook_id"]), str(row["organisation_id"])) for row in found}
    assert heard == {
        (limited["id"], mine["id"]),
        (everyone["id"], mine["id"]),
        (everyone["id"], other["id"]),
    }
    assert all(row["in_payload"] == str(row["organisation_id"]) for row in found)


async def test_an_event_with_no_subscriber_is_still_recorded(submitted_event, sessions):
    await submitted_event()
    [event] = await _events(sessions)
    assert (event["type"], event["webhook_id"]) == ("assessment.submitted", None)


async def test_the_payload_is_the_assessment_as_the_change_left_it(
    api, admin_headers, submitted_event, sessions
):
    assessment_id = await submitted_event()
    assessment = (await api.get(f"/v1/assessments/{assessment_id}", headers=admin_headers)).json()
    [event] = await rows(sessions, "SELECT payload FROM events")
    assert event["payload"] == {
        "assessment_id": assessment_id,
        "organisation_id": assessment["organisation_id"],
        "framework_id": assessment["framework_id"],
        "framework_version": assessment["framework_version"],
        "status": "submitted",
        "submitted_at": event["payload"]["submitted_at"],
        "scored_at": None,
    }
    assert event["payload"]["submitted_at"].endswith("Z")


class _Boom(Exception):
    pass


async def test_the_event_rolls_back_with_the_callers_transaction(
    api, admin_headers, make_organisation, create_webhook, sessions
):
    await create_webhook(HOOK)
    organisation = await make_organisation("RX1")
    assessment = await create_assessment(api, admin_headers, organisation["id"])

    async def submit_then_fail() -> None:
        async with sessions() as session, session.begin():
            await assessments.mark_submitted(await driver_connection(session), [uuid.UUID(assessment["id"])])
            found = await session.execute(text("SELECT id FROM webhook_deliveries"))
            assert len(found.all()) == 1  # written, within the transaction
            raise _Boom

    with pytest.raises(_Boom):
        await submit_then_fail()
    assert await _events(sessions) == []
    assert await rows(sessions, "SELECT id FROM webhook_deliveries") == []
    after = (await api.get(f"/v1/assessments/{assessment['id']}", headers=admin_headers)).json()
    assert after["status"] == "draft"


@pytest.fixture
async def complete_draft(api, admin_headers, make_organisation) -> str:
    organisation = await make_organisation("RX1")
    assessment = await create_assessment(api, admin_headers, organisation["id"])
    await answer(api, admin_headers, assessment["id"], answers())
    return assessment["id"]


async def test_a_submit_scored_at_once_records_both_events(
    api, admin_headers, create_webhook, complete_draft, sessions
):
    webhook = await create_webhook(HOOK)
    assert (await submit(api, admin_headers, complete_draft)).status_code == 200
    found = await _events(sessions)
    assert [(row["type"], row["webhook_id"]) for row in found] == [
        ("assessment.scored", uuid.UUID(webhook["id"])),
        ("assessment.submitted", uuid.UUID(webhook["id"])),
    ]
    payloads = await rows(sessions, "SELECT payload->>'status' AS status FROM events")
    assert [p["status"] for p in payloads] == ["scored", "scored"]


async def test_a_submit_waiting_for_scoring_records_submitted_only(
    api, admin_headers, settings, create_webhook, complete_draft, sessions
):
    await create_webhook(HOOK)
    down = create_app(settings.model_copy(update={"scoring_url": f"http://127.0.0.1:{free_port()}"}))
    async with LifespanManager(down) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            assert (await submit(client, admin_headers, complete_draft)).status_code == 202
    assert [row["type"] for row in await _events(sessions)] == ["assessment.submitted"]


async def test_a_refused_submit_records_nothing(api, admin_headers, create_webhook, complete_draft, sessions):
    await create_webhook(HOOK)
    assert (await submit(api, admin_headers, complete_draft)).status_code == 200
    assert (await submit(api, admin_headers, complete_draft)).status_code == 409
    assert len(await _events(sessions)) == 2  # from the first submit only


async def _notifications_while(database_url: str, action: Callable[[], Awaitable[object]]) -> int:
    """How many ``NOTIFY webhook_deliveries`` a listener hears while ``action`` runs and commits."""
    async with await psycopg.AsyncConnection.connect(libpq_url(database_url), autocommit=True) as listener:
        await listener.execute(f"LISTEN {wakeups.CHANNEL}")
        await action()
        heard = 0
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(0.5):
                async for _ in listener.notifies():
                    heard += 1
        return heard


async def test_only_a_statement_that_queues_deliveries_wakes_the_workers(
    database_url, create_webhook, submitted_event
):
    # Every submit inserts the deliveries of its events; with no subscriber that is no rows, and
    # waking every replica's delivery worker for nothing cost each submit a claim.
    assert await _notifications_while(database_url, submitted_event) == 0
    await create_webhook(HOOK, ["assessment.submitted"])
    assert await _notifications_while(database_url, submitted_event) == 1
