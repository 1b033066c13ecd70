"""POST /v1/ingest/assessments: many assessments in one request, a report item for each."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence

import httpx
import psycopg
import pytest

from baseline_api.core.settings import libpq_url
from baseline_api.ingest import repository as ingest_repository
from tests.api.test_assessments_support import FRAMEWORK_ID, LATEST, answers, problem_fields

URL = "/v1/ingest/assessments"
NDJSON = "application/x-ndjson"


def item(ods_code: str = "RX1", **fields: object) -> dict:
    organisation = {"ods_code": ods_code, "name": f"Trust {ods_code}", "kind": "trust"}
    return {"organisation": organisation, "framework_id": FRAMEWORK_ID, "responses": answers()[:3], **fields}


def ndjson(items: Sequence[object]) -> bytes:
    return b"".join((x if isinstance(x, bytes) else json.dumps(x).encode()) + b"\n" for x in items)


async def ingest(api: httpx.AsyncClient, headers: dict[str, str], items: list[dict]) -> dict:
    response = await api.post(URL, json=items, headers=headers)
    assert response.status_code == 200, response.text
    report = response.json()
    assert [result["index"] for result in report["items"]] == list(range(len(items)))
    return report


async def stored_answers(api: httpx.AsyncClient, headers: dict[str, str], assessment_id: str) -> dict:
    response = await api.get(f"/v1/assessments/{assessment_id}/responses", headers=headers)
    assert response.status_code == 200, response.text
    return {r["question_id"]: r["value"] for r in response.json()["items"]}


async def organisations(api: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, dict]:
    response = await api.get("/v1/organisations", params={"limit": 100}, headers=headers)
    return {o["ods_code"]: o for o in response.json()["items"]}


async def assessments_of(api: httpx.AsyncClient, headers: dict[str, str], organisation_id: str) -> list[dict]:
    url = f"/v1/organisations/{organisation_id}/assessments"
    return (await api.get(url, params={"limit": 100}, headers=headers)).json()["items"]


async def test_an_array_creates_organisations_and_drafts_with_their_answers(api, admin_headers):
    sent = [
        item("RX1", external_id="a-1"),
        item("RX2", framework_version="1.0.0", responses=answers("1.0.0")),
    ]
    report = await ingest(api, admin_headers, sent)
    assert (report["created"], report["updated"], report["failed"]) == (2, 0, 0)
    first, second = report["items"]
    assert (first["status"], first["http_status"], first["assessment_status"]) == ("created", 201, "draft")
    assert "errors" not in first
    found = await organisations(api, admin_headers)
    assert set(found) == {"RX1", "RX2"}
    assert found["RX1"]["name"] == "Trust RX1"
    assessment = (await api.get(f"/v1/assessments/{first['assessment_id']}", headers=admin_headers)).json()
    assert assessment["organisation_id"] == found["RX1"]["id"]
    assert (assessment["framework_version"], assessment["status"]) == (LATEST, "draft")  # the latest
    assert await stored_answers(api, admin_headers, first["assessment_id"]) == {
        a["question_id"]: a["value"] for a in answers()[:3]
    }
    stored = await stored_answers(api, admin_headers, second["assessment_id"])
    assert len(stored) == len(answers("1.0.0"))


async def test_ndjson_reports_each_line_and_a_bad_line_fails_alone(api, admin_headers):
    lines = [item("RX1"), b'{"organisation": ', b"  ", item("RX2"), [1, 2]]
    response = await api.post(URL, content=ndjson(lines), headers={**admin_headers, "Content-Type": NDJSON})
    assert response.status_code == 200, response.text
    report = response.json()
    statuses = [(r["index"], r["status"], r["http_status"]) for r in report["items"]]
    assert statuses == [
        (0, "created", 201),
        (1, "failed", 400),
        (2, "failed", 422),
        (3, "created", 201),
        (4, "failed", 422),
    ]
    assert report["items"][1]["errors"][0]["field"] == "item"
    assert report["items"][1]["errors"][0]["message"].startswith("Invalid JSON")
    assert set(await organisations(api, admin_headers)) == {"RX1", "RX2"}


async def test_bad_items_fail_with_relative_fields_and_the_good_ones_are_stored(api, admin_headers):
    good = answers()[0]
    sent = [
        item("rx1"),  # lower case: not an ODS code
        item("RX2", framework_id="no-such-framework"),
        item("RX3", framework_version="9.9.9"),
        item("RX4", responses=[good, {"question_id": answers()[1]["question_id"], "value": "often"}]),
        item("RX5", responses=[{"question_id": "no-such-question", "value": "x"}]),
        item("RX6", colour="blue"),
        item("RX7", responses=[{**good, "comment": "nul\u0000"}]),
        item("RX8"),
    ]
    report = await ingest(api, admin_headers, sent)
    failures = {
        r["index"]: (r["http_status"], [e["field"] for e in r["errors"]]) for r in report["items"][:-1]
    }
    assert failures == {
        0: (422, ["organisation.ods_code"]),
        1: (422, ["framework_id"]),
        2: (422, ["framework_version"]),
        3: (422, ["responses[1].value"]),
        4: (422, ["responses[0].question_id"]),
        5: (422, ["colour"]),
        6: (422, ["responses[0].comment"]),
    }
    assert all(r["status"] == "failed" and "assessment_id" not in r for r in report["items"][:-1])
    assert report["items"][-1]["status"] == "created"
    assert (report["created"], report["failed"]) == (1, 7)
    # A failed item writes nothing, not even its organisation.
    found = await organisations(api, admin_headers)
    assert list(found) == ["RX8"]
    assert len(await assessments_of(api, admin_headers, found["RX8"]["id"])) == 1


async def test_a_request_of_only_bad_items_is_a_report_of_failures(api, admin_headers):
    report = await ingest(api, admin_headers, [{"organisation": None}, item("rx1")])
    assert [(r["status"], r["http_status"]) for r in report["items"]] == [("failed", 422)] * 2
    assert await organisations(api, admin_headers) == {}


async def test_resending_an_external_id_updates_the_same_assessment(api, admin_headers):
    first = (await ingest(api, admin_headers, [item("RX1", external_id="survey-7")]))["items"][0]
    before = (await api.get(f"/v1/assessments/{first['assessment_id']}", headers=admin_headers)).json()
    changed = {**answers()[0], "value": answers(pick=lambda q: q.options[0].option_id)[0]["value"]}
    resent = item("RX1", external_id="survey-7", responses=[changed, answers()[3]])
    second = (await ingest(api, admin_headers, [resent]))["items"][0]
    assert (second["status"], second["http_status"]) == ("updated", 200)
    assert second["assessment_id"] == first["assessment_id"]
    stored = await stored_answers(api, admin_headers, first["assessment_id"])
    expected = {a["question_id"]: a["value"] for a in [changed, answers()[1], answers()[2], answers()[3]]}
    assert stored == expected  # merged: the re-sent answer replaced, the others kept
    after = (await api.get(f"/v1/assessments/{first['assessment_id']}", headers=admin_headers)).json()
    assert after["revision"] == before["revision"] + 1
    organisation_id = (await organisations(api, admin_headers))["RX1"]["id"]
    assert len(await assessments_of(api, admin_headers, organisation_id)) == 1


async def test_the_same_external_id_in_another_organisation_is_another_assessment(api, admin_headers):
    report = await ingest(api, admin_headers, [item("RX1", external_id="x"), item("RX2", external_id="x")])
    assert [r["status"] for r in report["items"]] == ["created", "created"]
    assert report["items"][0]["assessment_id"] != report["items"][1]["assessment_id"]


async def test_an_external_id_repeated_in_one_request_fails_the_repeat(api, admin_headers):
    report = await ingest(api, admin_headers, [item("RX1", external_id="x"), item("RX1", external_id="x")])
    assert report["items"][0]["status"] == "created"
    assert report["items"][1]["status"] == "failed"
    assert report["items"][1]["errors"] == [
        {"field": "external_id", "message": "already sent for this organisation at 0"}
    ]


async def test_an_external_id_of_a_submitted_assessment_is_a_409_item(api, admin_headers):
    complete = item("RX1", external_id="done", responses=answers(), submit=True)
    created = (await ingest(api, admin_headers, [complete]))["items"][0]
    assert created["assessment_status"] == "submitted"
    resent = (await ingest(api, admin_headers, [item("RX1", external_id="done"), item("RX2")]))["items"]
    assert (resent[0]["status"], resent[0]["http_status"]) == ("failed", 409)
    assert resent[0]["assessment_id"] == created["assessment_id"]
    assert resent[0]["assessment_status"] == "submitted"
    assert [e["field"] for e in resent[0]["errors"]] == ["external_id"]
    assert resent[1]["status"] == "created"


async def test_an_update_cannot_move_the_assessment_to_another_version(api, admin_headers):
    await ingest(api, admin_headers, [item("RX1", external_id="v", framework_version=LATEST)])
    resent = item("RX1", external_id="v", framework_version="1.0.0", responses=answers("1.0.0")[:1])
    result = (await ingest(api, admin_headers, [resent]))["items"][0]
    assert (result["status"], result["http_status"]) == ("failed", 409)
    assert [e["field"] for e in result["errors"]] == ["framework_version"]
    # Without a version, the update is checked against the pinned version (the latest).
    pinned = (await ingest(api, admin_headers, [item("RX1", external_id="v")]))["items"][0]
    assert pinned["status"] == "updated"


async def test_organisations_are_matched_by_ods_code_and_left_as_they_are(
    api, admin_headers, make_organisation
):
    existing = await make_organisation("RYJ", name="Imperial College Healthcare")
    report = await ingest(
        api,
        admin_headers,
        [item("RYJ"), {**item("RYJ"), "organisation": {**item("RYJ")["organisation"], "name": "Renamed"}}],
    )
    assert [r["status"] for r in report["items"]] == ["created", "created"]
    found = await organisations(api, admin_headers)
    assert list(found) == ["RYJ"]
    assert found["RYJ"]["id"] == existing["id"]
    assert found["RYJ"]["name"] == "Imperial College Healthcare"
    assert len(await assessments_of(api, admin_headers, existing["id"])) == 2


async def test_a_limited_token_ingests_only_into_its_organisations(
    api, admin_headers, make_headers, make_organisation
):
    own = await make_organisation("RX1")
    await make_organisation("RX2")
    limited = await make_headers("ingest", organisation_ids=[own["id"]])
    report = await ingest(api, limited, [item("RX1"), item("RX2"), item("RX3")])
    own_result, hidden, missing = report["items"]
    assert own_result["status"] == "created"
    for result in (hidden, missing):  # one that exists elsewhere and one that does not: the same answer
        assert (result["status"], result["http_status"]) == ("failed", 404)
        assert {k: v for k, v in result.items() if k != "index"} == {
            k: v for k, v in missing.items() if k != "index"
        }
        assert [e["field"] for e in result["errors"]] == ["organisation.ods_code"]
    assert set(await organisations(api, admin_headers)) == {"RX1", "RX2"}  # RX3 was not created


async def test_ingest_needs_the_ingest_scope(api, make_headers):
    writer = await make_headers("read", "write")
    response = await api.post(URL, json=[item()], headers=writer)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert (await api.post(URL, json=[item()], headers=await make_headers("ingest"))).status_code == 200


async def test_submit_true_submits_a_complete_assessment(api, admin_headers):
    report = await ingest(api, admin_headers, [item("RX1", responses=answers(), submit=True)])
    result = report["items"][0]
    assert (result["status"], result["assessment_status"]) == ("created", "submitted")
    assessment = (await api.get(f"/v1/assessments/{result['assessment_id']}", headers=admin_headers)).json()
    assert assessment["status"] == "submitted"
    assert assessment["submitted_at"] is not None


async def test_submit_true_of_an_incomplete_assessment_fails_and_stores_nothing(api, admin_headers):
    missing = answers()[-1]["question_id"]
    report = await ingest(api, admin_headers, [item("RX1", responses=answers()[:-1], submit=True)])
    result = report["items"][0]
    assert (result["status"], result["http_status"]) == ("failed", 422)
    assert result["errors"] == [{"field": f"responses.{missing}", "message": "unanswered"}]
    assert await organisations(api, admin_headers) == {}


async def test_submit_true_counts_the_answers_already_stored(api, admin_headers):
    await ingest(api, admin_headers, [item("RX1", external_id="s", responses=answers()[:-1])])
    last = item("RX1", external_id="s", responses=answers()[-1:], submit=True)
    result = (await ingest(api, admin_headers, [last]))["items"][0]
    assert (result["status"], result["assessment_status"]) == ("updated", "submitted")


@pytest.mark.parametrize(
    ("content", "content_type", "status", "field"),
    [
        (b"[]", "application/json", 422, "body"),
        (b'{"items": []}', "application/json", 422, "body"),
        (b"[{", "application/json", 400, "body"),
        (b"", NDJSON, 422, "body"),
        (b"<items/>", "application/xml", 415, "header.content-type"),
        (b"[]", None, 415, "header.content-type"),
    ],
)
async def test_a_bad_request_is_a_problem_naming_the_field(
    api, admin_headers, content, content_type, status, field
):
    headers = admin_headers | ({"Content-Type": content_type} if content_type else {})
    response = await api.post(URL, content=content, headers=headers)
    assert response.status_code == status, response.text
    assert problem_fields(response) == [field]


@pytest.mark.parametrize("ndjson_body", [False, True])
async def test_more_than_the_item_cap_is_422(api, admin_headers, ndjson_body):
    from baseline_api.ingest.schemas import MAX_ITEMS

    items: list[dict] = [{}] * (MAX_ITEMS + 1)
    if ndjson_body:
        response = await api.post(
            URL, content=ndjson(items), headers={**admin_headers, "Content-Type": NDJSON}
        )
    else:
        response = await api.post(URL, json=items, headers=admin_headers)
    assert response.status_code == 422
    assert problem_fields(response) == ["body"]
    assert str(MAX_ITEMS) in response.json()["errors"][0]["message"]


def _big_batch(size: int) -> list[dict]:
    """Items enough to pass ``size`` bytes of JSON, all for one new organisation."""
    one = item("RX1", responses=answers())
    count = size // len(json.dumps(one)) + 1
    return [one] * count


async def test_ingest_takes_bodies_over_the_service_wide_limit(api, admin_headers):
    from baseline_service_kit import MAX_BODY_BYTES

    items = _big_batch(MAX_BODY_BYTES)
    report = await ingest(api, admin_headers, items)
    assert report["created"] == len(items)
    # Everywhere else the limit stays 1 MiB.
    other = await api.post("/v1/organisations", content=b" " * (MAX_BODY_BYTES + 1), headers=admin_headers)
    assert other.status_code == 413


async def test_a_body_over_the_ingest_limit_is_413(api, admin_headers, settings):
    content = b" " * (settings.ingest_max_body_bytes + 1)
    response = await api.post(
        URL, content=content, headers={**admin_headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert problem_fields(response) == ["body"]


async def test_a_replay_with_the_idempotency_key_returns_the_first_report(api, admin_headers):
    from baseline_service_kit import MAX_BODY_BYTES

    items = _big_batch(MAX_BODY_BYTES)  # a body larger than the service-wide limit
    headers = {**admin_headers, "Idempotency-Key": "ingest-1"}
    first = await api.post(URL, json=items, headers=headers)
    second = await api.post(URL, json=items, headers=headers)
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    organisation_id = (await organisations(api, admin_headers))["RX1"]["id"]
    assert len(await assessments_of(api, admin_headers, organisation_id)) == min(len(items), 100)
    other = await api.post(URL, json=items[:1], headers=headers)
    assert other.status_code == 422  # the same key with another body


async def test_concurrent_ingests_of_one_new_ods_code_create_one_organisation(api, admin_headers):
    reports = await asyncio.gather(*(ingest(api, admin_headers, [item("RNEW")]) for _ in range(6)))
    assert all(r["items"][0]["status"] == "created" for r in reports)
    found = await organisations(api, admin_headers)
    assert list(found) == ["RNEW"]
    assert len(await assessments_of(api, admin_headers, found["RNEW"]["id"])) == 6


async def _waits_for_a_lock(watcher: psycopg.AsyncConnection) -> bool:
    """Whether some session of this database comes to wait for a lock within a few seconds."""
    query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    for _ in range(500):
        if await (await watcher.execute(query)).fetchone() != (0,):
            return True
        await asyncio.sleep(0.02)
    return False


async def _ingest_racing(
    api, headers, items, database_url, insert: str, params: tuple = ()
) -> tuple[dict, object]:
    """Ingest ``items`` while another transaction has run ``insert`` (returning an id) and not
    committed yet: it commits once the ingest waits for it. The report, and the other's id."""
    url = libpq_url(database_url)
    async with (
        await psycopg.AsyncConnection.connect(url) as other,
        # Autocommit: inside one transaction pg_stat_activity would show the same snapshot throughout.
        await psycopg.AsyncConnection.connect(url, autocommit=True) as watcher,
    ):
        row = await (await other.execute(insert, params)).fetchone()
        assert row is not None
        (other_id,) = row
        pending = asyncio.ensure_future(ingest(api, headers, items))
        waited = await _waits_for_a_lock(watcher)
        await other.commit()
        report = await pending
    assert waited, "the ingest never waited for the other transaction"
    return report, other_id


async def test_an_ods_code_created_concurrently_is_matched_not_duplicated(api, admin_headers, database_url):
    insert = (
        "INSERT INTO organisations (ods_code, name, kind, updated_by, updated_by_name)"
        " VALUES ('RNEW', 'Other', 'icb', 'admin', 'admin') RETURNING id"
    )
    report, organisation_id = await _ingest_racing(api, admin_headers, [item("RNEW")], database_url, insert)
    assert report["items"][0]["status"] == "created"
    found = await organisations(api, admin_headers)
    assert list(found) == ["RNEW"]
    assert found["RNEW"]["id"] == str(organisation_id)
    assert found["RNEW"]["name"] == "Other"


async def test_an_external_id_created_concurrently_is_updated_not_duplicated(
    api, admin_headers, database_url
):
    await ingest(api, admin_headers, [item("RX1")])  # the organisation exists: only the assessment races
    organisation_id = (await organisations(api, admin_headers))["RX1"]["id"]
    insert = (
        "INSERT INTO assessments (organisation_id, framework_id, framework_version, content_hash, targets,"
        " external_id, updated_by, updated_by_name)"
        " VALUES (%s, %s, %s, 'sha256:x', '{}', 'race', 'admin', 'admin') RETURNING id"
    )
    items = [item("RX1", external_id="race")]
    report, assessment_id = await _ingest_racing(
        api, admin_headers, items, database_url, insert, (organisation_id, FRAMEWORK_ID, LATEST)
    )
    result = report["items"][0]
    assert (result["status"], result["assessment_id"]) == ("updated", str(assessment_id))
    assert len(await stored_answers(api, admin_headers, str(assessment_id))) == 3
    assert len(await assessments_of(api, admin_headers, organisation_id)) == 2


async def test_ingests_into_one_organisation_share_it_and_its_other_writers_wait(
    api, admin_headers, sessions, database_url
):
    await ingest(api, admin_headers, [item("RX1")])
    async with sessions() as session, session.begin():
        # An ingest in flight, holding its organisations as an ingest does until it commits.
        await ingest_repository.organisation_ids(session, ["RX1"], None)
        report = await asyncio.wait_for(ingest(api, admin_headers, [item("RX1")]), timeout=10)
        assert report["created"] == 1  # another ingest went ahead meanwhile
        with (
            psycopg.connect(libpq_url(database_url)) as other,
            pytest.raises(psycopg.errors.LockNotAvailable),
        ):
            # What a FHIR response, a new single assessment or an organisation update takes: it waits.
            other.execute("SELECT 1 FROM organisations WHERE ods_code = 'RX1' FOR NO KEY UPDATE NOWAIT")


# Every character COPY's text format gives a meaning (tab, newline, carriage return, backslash),
# the NULL and end-of-data markers as text, an empty string (not NULL) and characters beyond ASCII.
HOSTILE = ["tab\there", "line\nbreak\r\n", "back\\slash\\", "\\N", "\\.", "\\t not a tab", "", "é ☃ 𝄞"]


async def test_hostile_text_is_stored_and_audited_exactly_as_sent(api, admin_headers):
    body = {"name": "Hub\tone\\two\nthree", "scopes": ["ingest", "read"]}
    key = (await api.post("/v1/api-keys", json=body, headers=admin_headers)).json()
    headers = {"Authorization": f"Bearer {key['token']}"}
    sent = [
        {**answer, "reason": HOSTILE[i % len(HOSTILE)], "comment": HOSTILE[-1 - i % len(HOSTILE)]}
        for i, answer in enumerate(answers()[: len(HOSTILE)])
    ]
    report = await ingest(api, headers, [item("RX1", responses=sent)])
    assessment_id = report["items"][0]["assessment_id"]
    response = await api.get(f"/v1/assessments/{assessment_id}/responses", headers=headers)
    stored = {r["question_id"]: r for r in response.json()["items"]}
    for answer in sent:
        found = stored[answer["question_id"]]
        assert (found["value"], found["reason"], found["comment"]) == (
            answer["value"],
            answer["reason"],
            answer["comment"],
        )
        assert found["updated_by_name"] == body["name"]
    audit = await api.get(f"/v1/assessments/{assessment_id}/audit", params={"limit": 100}, headers=headers)
    answered = [e for e in audit.json()["items"] if e["action"] == "response.answered"]
    assert [(e["target"], e["detail"]["value"]) for e in answered] == [
        (a["question_id"], a["value"]) for a in sent
    ]
    assert {e["by_name"] for e in answered} == {body["name"]}


@pytest.fixture
def refuse_comment(database_url):
    """A database that refuses one comment no check of ours foresees: a stand-in for a rare conflict."""
    url = libpq_url(database_url)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            "CREATE FUNCTION refuse_comment() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            " IF NEW.comment = 'refused' THEN RAISE check_violation USING MESSAGE = 'refused'; END IF;"
            " RETURN NEW; END $$;"
            "CREATE TRIGGER refuse_comment BEFORE INSERT ON responses FOR EACH ROW EXECUTE FUNCTION refuse_comment()"
        )
    yield "refused"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP TRIGGER refuse_comment ON responses; DROP FUNCTION refuse_comment()")


async def test_a_row_the_database_refuses_fails_only_its_item(api, admin_headers, refuse_comment):
    refused = item("RX2", external_id="r", responses=[{**answers()[0], "comment": refuse_comment}])
    report = await ingest(
        api, admin_headers, [item("RX1"), refused, item("RX3", submit=True, responses=answers())]
    )
    assert [r["status"] for r in report["items"]] == ["created", "failed", "created"]
    assert report["items"][1]["errors"] == [
        {"field": "item", "message": "a value was refused by the database"}
    ]
    assert report["items"][2]["assessment_status"] == "submitted"
    found = await organisations(api, admin_headers)
    assert set(found) == {"RX1", "RX3"}
    for ods_code in ("RX1", "RX3"):
        [assessment] = await assessments_of(api, admin_headers, found[ods_code]["id"])
        assert await stored_answers(api, admin_headers, assessment["id"])


async def test_submitted_items_are_due_for_scoring_and_announced_once_each(api, admin_headers, database_url):
    hook = {"url": "https://receiver.example/hook", "events": ["assessment.submitted"], "secret": "s" * 16}
    assert (await api.post("/v1/webhooks", json=hook, headers=admin_headers)).status_code == 201
    items = [item(f"RX{n}", responses=answers(), submit=True) for n in range(1, 4)] + [item("RX9")]
    report = await ingest(api, admin_headers, items)
    submitted = {r["assessment_id"] for r in report["items"] if r["assessment_status"] == "submitted"}
    assert len(submitted) == 3
    with psycopg.connect(libpq_url(database_url)) as connection:
        due = connection.execute(
            "SELECT id::text FROM assessments WHERE status = 'submitted' AND next_scoring_at <= now()"
        ).fetchall()
        announced = connection.execute(
            "SELECT e.assessment_id::text FROM events e JOIN webhook_deliveries d ON d.event_id = e.id"
        ).fetchall()
    assert {row[0] for row in due} == submitted
    assert sorted(row[0] for row in announced) == sorted(submitted)
