"""A submit holds no lock and no transaction while the scoring service works; what it does when the
draft changes meanwhile. The scoring service is the real one: a transport in front of it makes
the change at the moment the gateway is waiting on it (or, for an outage, refuses to connect)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

import httpx
import pytest
from sqlalchemy import text

from baseline_api.assessments import submission
from baseline_api.auth import Principal
from baseline_api.core.db import Database
from baseline_api.core.scoring_client import ScoringClient
from baseline_api.core.settings import Settings
from baseline_service_kit import Conflict, PreconditionFailed
from tests.api.test_assessments_support import answer, answers, create_assessment, highest, lowest, submit

ADMIN = Principal.admin()
Change = Callable[[], Awaitable[None]]


class _ChangeWhileScoring(httpx.AsyncBaseTransport):
    """Runs ``change`` while each of the first ``times`` scoring calls is in flight, then forwards
    the call to the real scoring service (or, ``down``, fails to connect, as a stopped one does)."""

    def __init__(self, change: Change, *, times: int = 1, down: bool = False) -> None:
        self.change, self.times, self.down = change, times, down
        self.calls = 0
        self.real = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.calls <= self.times:
            await self.change()
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.real.handle_async_request(request)

    async def aclose(self) -> None:
        await self.real.aclose()


async def _submit(
    settings: Settings,
    assessment_id: str,
    transport: _ChangeWhileScoring,
    expected: set[int] | None = None,
    database: Database | None = None,
) -> submission.Submitted:
    """Submit as ``POST .../submit`` does: on autocommit connections, through ``transport``."""
    database = database or await Database.open(settings)
    scoring = ScoringClient(settings, transport=transport)
    try:
        return await submission.submit_assessment(
            database.autocommit, scoring, ADMIN, uuid.UUID(assessment_id), expected
        )
    finally:
        await scoring.aclose()
        await database.dispose()


@pytest.fixture
async def draft(api, admin_headers, make_organisation) -> dict:
    organisation = await make_organisation("RX1")
    assessment = await create_assessment(api, admin_headers, organisation["id"])
    await answer(api, admin_headers, assessment["id"], answers(pick=lowest))
    return assessment


def _edit_first_answer(api, headers, assessment_id: str) -> Change:
    first = answers(pick=highest)[0]

    async def edit() -> None:
        url = f"/v1/assessments/{assessment_id}/responses/{first['question_id']}"
        response = await api.put(url, json={"value": first["value"]}, headers=headers)
        assert response.status_code == 200, response.text  # not blocked: the submit holds no lock

    return edit


async def test_nothing_is_held_while_the_scoring_service_works(api, admin_headers, settings, draft, sessions):
    database = await Database.open(settings)
    seen: list[tuple[int, int]] = []

    async def look() -> None:
        async with sessions() as session:
            query = "SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'"
            idle_in_transaction = (await session.execute(text(query))).scalar_one()
        stats = database.autocommit.pool.get_stats()
        seen.append((stats["pool_size"] - stats["pool_available"], idle_in_transaction))

    submitted = await _submit(settings, draft["id"], _ChangeWhileScoring(look), database=database)
    assert submitted.scored is not None
    assert seen == [(0, 0)]  # no pooled connection checked out, no transaction open


async def test_an_answer_edited_while_scoring_is_scored_again(api, admin_headers, settings, draft):
    preview = f"/v1/assessments/{draft['id']}/preview"
    as_read = (await api.get(preview, headers=admin_headers)).json()
    transport = _ChangeWhileScoring(_edit_first_answer(api, admin_headers, draft["id"]))
    submitted = await _submit(settings, draft["id"], transport)
    assert transport.calls == 2
    assert submitted.scored is not None
    stored = (await api.get(f"/v1/assessments/{draft['id']}/result", headers=admin_headers)).json()
    assert stored == submitted.scored.result.model_dump(mode="json")
    # Scored as the answers now stand, not as they were first read.
    assert (await api.get(preview, headers=admin_headers)).json()["overall"] == stored["overall"]
    assert stored["overall"]["score"] > as_read["overall"]["score"]
    assessment = (await api.get(f"/v1/assessments/{draft['id']}", headers=admin_headers)).json()
    assert (assessment["status"], assessment["revision"]) == ("scored", submitted.revision)


async def test_a_draft_submitted_by_someone_else_meanwhile_is_409(api, admin_headers, settings, draft):
    async def other_submit() -> None:
        assert (await submit(api, admin_headers, draft["id"])).status_code == 200

    transport = _ChangeWhileScoring(other_submit)
    with pytest.raises(Conflict, match="already scored"):
        await _submit(settings, draft["id"], transport)
    assert transport.calls == 1
    assessment = (await api.get(f"/v1/assessments/{draft['id']}", headers=admin_headers)).json()
    assert assessment["status"] == "scored"


async def test_a_change_meanwhile_makes_if_match_stale(api, admin_headers, settings, draft):
    before = (await api.get(f"/v1/assessments/{draft['id']}", headers=admin_headers)).json()
    transport = _ChangeWhileScoring(_edit_first_answer(api, admin_headers, draft["id"]))
    with pytest.raises(PreconditionFailed):
        await _submit(settings, draft["id"], transport, expected={before["revision"]})
    after = (await api.get(f"/v1/assessments/{draft['id']}", headers=admin_headers)).json()
    assert after["status"] == "draft"


async def test_an_edit_during_an_outage_is_accepted_with_the_edit(api, admin_headers, settings, draft):
    transport = _ChangeWhileScoring(_edit_first_answer(api, admin_headers, draft["id"]), down=True)
    submitted = await _submit(settings, draft["id"], transport)
    assert (submitted.scored, transport.calls) == (None, 2)
    assessment = (await api.get(f"/v1/assessments/{draft['id']}", headers=admin_headers)).json()
    assert (assessment["status"], assessment["revision"]) == ("submitted", submitted.revision)


async def test_a_draft_that_keeps_changing_is_409_and_stays_a_draft(api, admin_headers, settings, draft):
    edit = _edit_first_answer(api, admin_headers, draft["id"])
    transport = _ChangeWhileScoring(edit, times=submission.SUBMIT_ATTEMPTS)
    with pytest.raises(Conflict, match="kept changing"):
        await _submit(settings, draft["id"], transport)
    assert transport.calls == submission.SUBMIT_ATTEMPTS
    assessment = (await api.get(f"/v1/assessments/{draft['id']}", headers=admin_headers)).json()
    assert assessment["status"] == "draft"
    assert (await api.get(f"/v1/assessments/{draft['id']}/result", headers=admin_headers)).status_code == 409
