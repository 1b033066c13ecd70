"""Preview, submit and result, against the real scoring service over HTTP."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from asgi_lifespan import LifespanManager

from baseline_api.app import create_app
from baseline_api.assessments.service import score_document
from baseline_api.core.scoring_client import ScoringClient
from baseline_devstack.processes import free_port
from baseline_service_kit import ServiceUnavailable
from tests.api.test_assessments_support import (
    FRAMEWORK_ID,
    LATEST,
    answer,
    answers,
    create_assessment,
    highest,
    problem_fields,
    question_ids,
    submit,
)


@pytest.fixture
async def assessment(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX1")
    return await create_assessment(api, admin_headers, organisation["id"], targets={"ways-of-working": 4})


async def _scored_directly(scoring_url: str, assessment: dict, items: list[dict]) -> dict:
    body = {
        "framework_id": assessment["framework_id"],
        "framework_version": assessment["framework_version"],
        "responses": items,
        "targets": assessment["targets"],
    }
    async with httpx.AsyncClient(base_url=scoring_url) as scoring:
        response = await scoring.post("/v1/score", json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def test_preview_counts_unanswered_as_zero_and_stores_nothing(api, admin_headers, assessment):
    url = f"/v1/assessments/{assessment['id']}"
    empty = (await api.get(f"{url}/preview", headers=admin_headers)).json()
    assert (empty["completeness"], empty["overall"]["score"]) == (0, 0)
    await answer(api, admin_headers, assessment["id"], answers(pick=highest)[:10])
    response = await api.get(f"{url}/preview", headers=admin_headers)
    assert response.status_code == 200, response.text
    preview = response.json()
    assert 0 < preview["completeness"] < 1
    assert 0 < preview["overall"]["score"] < 100  # the unanswered count as 0, at full weight
    assert preview["content_hash"] == assessment["content_hash"]
    after = (await api.get(url, headers=admin_headers)).json()
    assert (after["status"], after["revision"]) == ("draft", 2)
    assert (await api.get(f"{url}/result", headers=admin_headers)).status_code == 409


async def test_submit_lists_every_unanswered_question(api, admin_headers, assessment):
    skipped = question_ids()[3:5]
    await answer(api, admin_headers, assessment["id"], answers(skip=frozenset(skipped)))
    response = await submit(api, admin_headers, assessment["id"])
    assert response.status_code == 422
    assert problem_fields(response) == [f"responses.{qid}" for qid in skipped]
    assert {e["message"] for e in response.json()["errors"]} == {"unanswered"}


async def test_submit_scores_as_the_scoring_service_does_and_stores_it(
    api, admin_headers, assessment, scoring_url
):
    items = answers()
    await answer(api, admin_headers, assessment["id"], items)
    response = await submit(api, admin_headers, assessment["id"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "scored"
    assert body["result"] == await _scored_directly(scoring_url, assessment, items)
    assert response.headers["etag"] == '"3"'
    url = f"/v1/assessments/{assessment['id']}"
    stored = await api.get(f"{url}/result", headers=admin_headers)
    assert stored.status_code == 200
    assert stored.json() == body["result"]
    after = (await api.get(url, headers=admin_headers)).json()
    assert after["status"] == "scored"
    assert after["submitted_at"] == after["scored_at"] is not None


async def test_a_scored_assessment_refuses_changes_and_a_second_submit(api, admin_headers, assessment):
    await answer(api, admin_headers, assessment["id"], answers())
    assert (await submit(api, admin_headers, assessment["id"])).status_code == 200
    url = f"/v1/assessments/{assessment['id']}"
    first = answers()[0]
    assert (await submit(api, admin_headers, assessment["id"])).status_code == 409
    assert (await api.patch(url, json={"title": "late"}, headers=admin_headers)).status_code == 409
    put = await api.put(
        f"{url}/responses/{first['question_id']}", json={"value": first["value"]}, headers=admin_headers
    )
    assert put.status_code == 409
    batch = await api.patch(f"{url}/responses", json={"responses": [first]}, headers=admin_headers)
    assert batch.status_code == 409
    assert (await api.get(f"{url}/preview", headers=admin_headers)).status_code == 200


async def test_concurrent_submits_score_once(api, admin_headers, assessment):
    await answer(api, admin_headers, assessment["id"], answers())
    responses = await asyncio.gather(*(submit(api, admin_headers, assessment["id"]) for _ in range(2)))
    assert sorted(r.status_code for r in responses) == [200, 409]


async def test_submit_with_scoring_down_is_accepted_and_kept(api, admin_headers, assessment, settings):
    await answer(api, admin_headers, assessment["id"], answers())
    # Nothing listens on a fresh free port: the scoring service is "down", no mock needed.
    down = create_app(settings.model_copy(update={"scoring_url": f"http://127.0.0.1:{free_port()}"}))
    async with LifespanManager(down) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            response = await submit(client, admin_headers, assessment["id"])
            preview = await client.get(f"/v1/assessments/{assessment['id']}/preview", headers=admin_headers)
    assert response.status_code == 202
    assert response.json() == {"status": "submitted", "result": None}
    assert preview.status_code == 503
    assert preview.headers["content-type"] == "application/problem+json"
    after = (await api.get(f"/v1/assessments/{assessment['id']}", headers=admin_headers)).json()
    assert after["status"] == "submitted"
    assert after["submitted_at"] is not None
    stored = (await api.get(f"/v1/assessments/{assessment['id']}/responses", headers=admin_headers)).json()
    assert len(stored["items"]) == len(answers())
    assert (await submit(api, admin_headers, assessment["id"])).status_code == 409


@pytest.mark.parametrize(
    ("reply", "detail"),
    [
        (httpx.Response(200, json={"content_hash": "sha256:other"}), "not a result"),
        (httpx.Response(404, json={"title": "Not Found"}), "HTTP 404"),
        (httpx.Response(502), "unavailable"),
    ],
)
async def test_a_scoring_service_that_answers_wrongly_is_503(settings, scoring_url, reply, detail):
    client = ScoringClient(settings, transport=httpx.MockTransport(lambda _: reply))
    with pytest.raises(ServiceUnavailable, match=detail):
        await score_document(client, _EMPTY_REQUEST, "sha256:ours")
    await client.aclose()


async def test_a_result_for_other_content_is_503(settings, scoring_url):
    # The real scoring service, but an assessment pinned to content it does not serve.
    client = ScoringClient(settings)
    with pytest.raises(ServiceUnavailable, match="serves different content"):
        await score_document(client, _EMPTY_REQUEST, "sha256:" + "0" * 64)
    await client.aclose()


_EMPTY_REQUEST = json.dumps(
    {"framework_id": FRAMEWORK_ID, "framework_version": LATEST, "responses": [], "targets": {}}
).encode()
