"""Real processes with ``LOG_FORMAT=json``: one JSON object a line, a line per request with its
route template and request id (the same id in the scoring service's line for a submit's call),
and nothing a client sent as a secret or as data: no bearer token, no answer text."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from baseline_devstack.processes import free_port
from tests.api.test_assessments_support import FRAMEWORK_ID, answers
from tests.conftest import ADMIN_TOKEN
from tests.processes import AUTH, fresh_database, gateway, scoring_service

pytestmark = pytest.mark.e2e

COMMENT = "Discussed with Jane Smith, NHS number 943 476 5919, at the delivery board."
BAD_TOKEN = "bl_0123456789ab_this-secret-is-not-a-real-key-but-must-not-leak"


def _exercise(api_url: str) -> dict[str, str]:
    """Requests touching every kind of secret and personal data; the secrets sent, by name."""
    with httpx.Client(base_url=api_url, headers=AUTH, timeout=30) as client:
        key = client.post("/v1/api-keys", json={"name": "log test", "scopes": ["read", "write"]}).json()[
            "token"
        ]
        as_key = {"Authorization": f"Bearer {key}"}
        body = {"ods_code": "RX1", "name": "Trust RX1", "kind": "trust"}
        organisation = client.post("/v1/organisations", json=body, headers=as_key).json()
        url = f"/v1/organisations/{organisation['id']}/assessments"
        assessment = client.post(url, json={"framework_id": FRAMEWORK_ID}, headers=as_key).json()
        items = [{**item, "comment": COMMENT} for item in answers()]
        client.patch(
            f"/v1/assessments/{assessment['id']}/responses", json={"responses": items}
        ).raise_for_status()
        submitted = client.post(
            f"/v1/assessments/{assessment['id']}/submit", headers={"X-Request-ID": "e2e-submit-1"}
        )
        assert submitted.status_code == 200, submitted.text
        assert (
            client.get("/v1/organisations", headers={"Authorization": f"Bearer {BAD_TOKEN}"}).status_code
            == 401
        )
    return {"admin token": ADMIN_TOKEN, "API key": key, "bad token": BAD_TOKEN}


def _lines(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def test_json_logs_carry_requests_and_never_a_token_or_an_answer(pg_server_url, tmp_path):
    database_url = fresh_database(pg_server_url, "baseline_logs_test")
    scoring_port = free_port()
    api_log, scoring_log = tmp_path / "api.log", tmp_path / "scoring.log"
    with (
        scoring_service(scoring_port, scoring_log, LOG_FORMAT="json"),
        gateway(database_url, f"http://127.0.0.1:{scoring_port}", api_log, LOG_FORMAT="json") as (api_url, _),
    ):
        secrets = _exercise(api_url)
    text = api_log.read_text() + scoring_log.read_text()
    for name, secret in secrets.items():
        assert secret not in text, f"the {name} is in the logs"
    assert "Jane Smith" not in text
    assert "943 476 5919" not in text
    api_lines, scoring_lines = _lines(api_log), _lines(scoring_log)  # every line is JSON
    access = [
        (line["method"], line["route"], line["status"])
        for line in api_lines
        if line["logger"] == "baseline.access"
    ]
    assert ("PATCH", "/v1/assessments/{assessment_id}/responses", 200) in access
    assert ("GET", "/v1/organisations", 401) in access
    submit = [line for line in api_lines if line.get("route") == "/v1/assessments/{assessment_id}/submit"]
    assert [line["request_id"] for line in submit] == ["e2e-submit-1"]
    scored = [line for line in scoring_lines if line.get("route") == "/v1/score"]
    assert [line["request_id"] for line in scored] == ["e2e-submit-1"]
