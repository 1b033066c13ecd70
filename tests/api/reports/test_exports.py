"""GET /v1/assessments/{id}/export: CSV and XLSX, read back and compared with what is stored."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl

from baseline_api.reports.spreadsheets import PILLAR_COLUMNS
from framework_model import framework_index, load_framework
from tests.api.reports.conftest import FORMULA_COMMENT, HOSTILE_COMMENT, report_url

HEADER = "pillar_id,capability_id,question_id,question,value,option_label,option_score,not_applicable,reason,comment,updated_at,updated_by"
SHEETS = ["Summary", "Pillars", "Capabilities", "Answers", "Recommendations", "Actions"]


async def _responses(api, headers, assessment_id: str) -> list[dict]:
    return (await api.get(report_url(assessment_id, "responses"), headers=headers)).json()["items"]


async def test_csv_has_one_row_per_question_quoted_as_rfc_4180(api, admin_headers, make_history):
    history = await make_history(ods_code="RX3")
    assessment_id = history.latest["assessment_id"]
    response = await api.get(report_url(assessment_id, "export"), headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="RX3-')
    assert response.content.startswith(HEADER.encode() + b"\r\n")
    rows = list(csv.DictReader(io.StringIO(response.content.decode(), newline="")))
    questions = framework_index(load_framework("nhs-digital-readiness", "2.0.0")).questions
    assert [row["question_id"] for row in rows] == list(questions)
    stored = {r["question_id"]: r for r in await _responses(api, admin_headers, assessment_id)}
    first, second = rows[0], rows[1]
    assert first["comment"] == HOSTILE_COMMENT  # commas, quotes and a line break survive the round trip
    assert second["comment"] == "'" + FORMULA_COMMENT  # never a formula
    for row in rows:
        answer = stored[row["question_id"]]
        option = next(
            o for o in questions[row["question_id"]].question.options if o.option_id == answer["value"]
        )
        assert (row["value"], row["option_label"], float(row["option_score"])) == (
            answer["value"],
            option.label,
            option.score,
        )
        assert row["not_applicable"] == "false"
        assert datetime.fromisoformat(row["updated_at"]) == datetime.fromisoformat(answer["updated_at"])
        assert row["updated_by"] == answer["updated_by"] == "admin"


async def test_xlsx_reads_back_as_the_stored_result(api, admin_headers, make_history):
    history = await make_history()
    assessment_id = history.latest["assessment_id"]
    response = await api.get(
        report_url(assessment_id, "export"), params={"format": "xlsx"}, headers=admin_headers
    )
    assert response.status_code == 200, response.text
    assert (
        response.headers["content-type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["content-disposition"].endswith('-baseline.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == SHEETS
    assert all(book[name].freeze_panes == "A2" for name in SHEETS)
    result = (await api.get(report_url(assessment_id, "result"), headers=admin_headers)).json()

    def records(name: str) -> list[dict]:
        header, *rows = book[name].iter_rows(values_only=True)
        return [dict(zip(header, row, strict=True)) for row in rows]

    pillars = records("Pillars")
    for row, pillar in zip(pillars, result["pillars"], strict=True):
        expected = {k: pillar[k] for k in PILLAR_COLUMNS if k != "capped_by"}
        assert {k: row[k] for k in expected} == expected
        assert row["capped_by"] == (", ".join(pillar["capped_by"]) or None)
    capabilities = [c for p in result["pillars"] for c in p["capabilities"]]
    assert [(r["capability_id"], r["score"], r["level"]) for r in records("Capabilities")] == [
        (c["capability_id"], c["score"], c["level"]) for c in capabilities
    ]
    recommendations = records("Recommendations")
    assert [
        (r["rank"], r["recommendation_id"], r["priority"], r["in_next_increment"]) for r in recommendations
    ] == [
        (r["rank"], r["recommendation_id"], r["priority"], r["in_next_increment"])
        for r in result["recommendations"]
    ]
    stored = await _responses(api, admin_headers, assessment_id)
    answers = records("Answers")
    assert [(r["question_id"], r["value"]) for r in answers] == [
        (s["question_id"], s["value"]) for s in stored
    ]
    updated = datetime.fromisoformat(stored[0]["updated_at"]).astimezone(UTC).replace(tzinfo=None)
    assert abs((answers[0]["updated_at"] - updated).total_seconds()) < 0.001  # a date cell, not text
    assert answers[1]["comment"] == "'" + FORMULA_COMMENT
    summary = dict(book["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["Overall score"] == result["overall"]["score"]
    assert summary["ODS code"] == "RX1"
    assert isinstance(summary["Scored at"], datetime)


async def test_a_drafts_csv_needs_no_scoring(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX4")
    body = {"framework_id": "nhs-digital-readiness"}
    created = await api.post(
        f"/v1/organisations/{organisation['id']}/assessments", json=body, headers=admin_headers
    )
    response = await api.get(report_url(created.json()["id"], "export"), headers=admin_headers)
    assert response.status_code == 200
    assert response.headers["content-disposition"].endswith('-baseline-draft.csv"')
    rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
    assert rows
    assert all(row["value"] == "" for row in rows)


async def test_open_actions_show_in_the_report_and_the_xlsx(api, admin_headers, make_history):
    history = await make_history()
    assessment_id = history.latest["assessment_id"]
    step = next(r for r in history.result["recommendations"] if r["in_next_increment"])
    body = {
        "assessment_id": assessment_id,
        "recommendation_id": step["recommendation_id"],
        "owner": "<Head of IT>",
        "due_on": "2020-01-31",
    }
    created = await api.post(
        f"/v1/organisations/{history.organisation['id']}/actions", json=body, headers=admin_headers
    )
    assert created.status_code == 201, created.text
    html = (await api.get(report_url(assessment_id), headers=admin_headers)).text
    increment = html[html.index('<section id="next-increment"') : html.index('<section id="roadmap"')]
    assert "<strong>Already planned:</strong> &lt;Head of IT&gt;, due 31 January 2020." in increment
    assert "31 January 2020 <strong>(overdue)</strong>" in increment
    response = await api.get(
        report_url(assessment_id, "export"), params={"format": "xlsx"}, headers=admin_headers
    )
    header, *rows = openpyxl.load_workbook(io.BytesIO(response.content))["Actions"].iter_rows(
        values_only=True
    )
    [action] = [dict(zip(header, row, strict=True)) for row in rows]
    assert (action["action_id"], action["owner"], action["status"], action["overdue"]) == (
        created.json()["id"],
        "<Head of IT>",
        "planned",
        True,
    )
    assert action["due_on"] == datetime(2020, 1, 31)  # a date cell
