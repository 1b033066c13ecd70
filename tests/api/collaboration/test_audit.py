"""The audit over HTTP: every change to an assessment, in order, attributed to who made it,
paged by cursor; written by the hot paths' own statements (answers, submit, score, ingest)."""

from __future__ import annotations

from collections import Counter

import httpx
import psycopg
import pytest

from baseline_api.core.settings import libpq_url
from tests.api.collaboration.support import approve, draft
from tests.api.test_assessments_support import FRAMEWORK_ID, answer, answers, score_by_worker, submit


@pytest.fixture
async def organisation(make_organisation):
    return await make_organisation("RX1")


async def _key(api: httpx.AsyncClient, admin_headers: dict, name: str, *scopes: str) -> tuple[dict, str]:
    created = (
        await api.post("/v1/api-keys", json={"name": name, "scopes": list(scopes)}, headers=admin_headers)
    ).json()
    return {"Authorization": f"Bearer {created['token']}"}, f"api_key:{created['id']}"


async def history(api: httpx.AsyncClient, headers: dict, assessment_id: str) -> list[dict]:
    events, cursor = [], None
    while True:
        params = {"limit": 100} | ({"cursor": cursor} if cursor else {})
        page = await api.get(f"/v1/assessments/{assessment_id}/audit", params=params, headers=headers)
        assert page.status_code == 200, page.text
        events += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return events


async def test_the_audit_lists_the_history_with_attribution(api, admin_headers, organisation):
    portal, portal_id = await _key(api, admin_headers, "Trust portal", "read", "write")
    board, board_id = await _key(api, admin_headers, "Board secretary", "approve")
    assessment_id = await draft(api, admin_headers, organisation["id"])
    items = answers()
    first = items[0]["question_id"]
    put = await api.put(
        f"/v1/assessments/{assessment_id}/responses/{first}",
        json={"value": items[0]["value"], "comment": "see QMS"},
        headers=portal,
    )
    assert put.status_code == 200, put.text
    await answer(api, portal, assessment_id, items)
    await api.patch(
        f"/v1/assessments/{assessment_id}", json={"title": "2026 baseline"}, headers=admin_headers
    )
    piece = (
        await api.post(
            f"/v1/assessments/{assessment_id}/evidence",
            json={
                "title": "Safety case",
                "reference": "QMS-1",
                "evidence_date": "2026-01-01",
                "question_ids": [first],
            },
            headers=portal,
        )
    ).json()
    await api.patch(
        f"/v1/assessments/{assessment_id}/evidence/{piece['id']}",
        json={"title": "Safety case v2"},
        headers=portal,
    )
    assert (await submit(api, portal, assessment_id)).status_code == 200
    assert (await approve(api, board, assessment_id)).status_code == 200

    events = await history(api, portal, assessment_id)
    actions = [e["action"] for e in events]
    assert actions == [
        "assessment.created",
        "response.answered",
        *["response.answered"] * len(items),
        "assessment.updated",
        "evidence.added",
        "evidence.updated",
        "assessment.submitted",
        "assessment.scored",
        "assessment.approved",
    ]
    by = [(e["action"], e["by"]) for e in events]
    assert by[0] == ("assessment.created", "admin")
    assert {who for action, who in by if action == "response.answered"} == {portal_id}
    assert by[-3:] == [
        ("assessment.submitted", portal_id),
        ("assessment.scored", portal_id),
        ("assessment.approved", board_id),
    ]
    assert events[-1]["by_name"] == "Board secretary"
    assert events[1]["target"] == first
    assert events[1]["detail"] == {"value": items[0]["value"], "not_applicable": False}  # no comment
    added = events[len(items) + 3]
    assert (added["target"], added["detail"]["question_ids"]) == (piece["id"], [first])
    assert "QMS-1" not in str(added["detail"])  # references stay out of the audit
    assert (
        events[-1]["detail"]["sha256"]
        == (await api.get(f"/v1/assessments/{assessment_id}", headers=portal)).json()["approval_sha256"]
    )


async def test_the_audit_pages_by_cursor(api, admin_headers, organisation):
    assessment_id = await draft(api, admin_headers, organisation["id"])
    await answer(api, admin_headers, assessment_id, answers()[:4])
    url = f"/v1/assessments/{assessment_id}/audit"
    first = (await api.get(url, params={"limit": 3}, headers=admin_headers)).json()
    second = (
        await api.get(url, params={"limit": 3, "cursor": first["next_cursor"]}, headers=admin_headers)
    ).json()
    assert len(first["items"]) == 3
    assert len(second["items"]) == 2
    assert second["next_cursor"] is None
    bad = await api.get(url, params={"cursor": "bm90IG91cnM="}, headers=admin_headers)
    assert bad.status_code == 422


async def test_ingestion_and_the_scoring_worker_are_audited(api, admin_headers, sessions, settings):
    ingester, ingester_id = await _key(api, admin_headers, "Regional hub", "ingest", "read")
    item = {
        "organisation": {"ods_code": "RX9", "name": "Trust RX9", "kind": "trust"},
        "framework_id": FRAMEWORK_ID,
        "responses": answers(),
        "submit": True,
    }
    report = (await api.post("/v1/ingest/assessments", json=[item], headers=ingester)).json()
    assessment_id = report["items"][0]["assessment_id"]
    await score_by_worker(sessions, settings)
    events = await history(api, ingester, assessment_id)
    assert Counter(e["action"] for e in events) == {
        "assessment.created": 1,
        "response.answered": len(answers()),
        "assessment.submitted": 1,
        "assessment.scored": 1,
    }
    assert {e["by"] for e in events} == {ingester_id}  # the worker scores on the submitter's behalf
    assert events[-1]["detail"]["by_worker"] is True


async def test_an_audit_row_can_only_name_its_assessments_organisation(
    api, admin_headers, make_organisation, organisation, database_url
):
    other = await make_organisation("RX2")
    assessment_id = await draft(api, admin_headers, organisation["id"])
    row = "INSERT INTO audit_events (organisation_id, assessment_id, by, by_name, action) VALUES (%s, %s, 'admin', 'admin', 'x')"
    with psycopg.connect(libpq_url(database_url), autocommit=True) as connection:
        connection.execute(row, (organisation["id"], assessment_id))
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            connection.execute(row, (other["id"], assessment_id))


async def test_the_audit_needs_read_and_reach(
    api, admin_headers, make_headers, make_organisation, organisation
):
    other = await make_organisation("RX2")
    assessment_id = await draft(api, admin_headers, organisation["id"])
    url = f"/v1/assessments/{assessment_id}/audit"
    assert (await api.get(url, headers=await make_headers("write"))).status_code == 403
    outsider = await make_headers("read", organisation_ids=[other["id"]])
    assert (await api.get(url, headers=outsider)).status_code == 404
