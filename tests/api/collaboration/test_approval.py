"""Approval over HTTP: only a scored assessment, by an ``approve`` (or admin) principal; then final
(409 for every change), the signed report served byte for byte with its SHA-256, the webhook
event written; an admin's withdrawal; and approved counting as scored everywhere."""

from __future__ import annotations

import base64
import hashlib
import sys

import pytest
from sqlalchemy import text

from baseline_api.approvals import service as approvals
from baseline_api.reports.service import signed_report
from tests.api.collaboration.support import APPROVAL, add_evidence, approve, draft, scored
from tests.api.test_assessments_support import FRAMEWORK_ID, LATEST, answers, question_ids, submit

QUESTION = question_ids(LATEST)[0]


@pytest.fixture
async def organisation(make_organisation):
    return await make_organisation("RX1")


async def test_only_an_approve_or_admin_principal_approves(api, admin_headers, make_headers, organisation):
    assessment_id = await scored(api, admin_headers, organisation["id"])
    writer = await make_headers("read", "write")
    assert (await approve(api, writer, assessment_id)).status_code == 403
    approver = await make_headers("approve")
    approved = await approve(api, approver, assessment_id, note="Reviewed at the March board.")
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["status"] == "approved"
    assert body["approved_by"].startswith("api_key:")
    assert body["approved_by_name"] == "test key approve"
    assert (body["approver_name"], body["approver_role"]) == (
        APPROVAL["approver_name"],
        APPROVAL["approver_role"],
    )
    assert body["approval_note"] == "Reviewed at the March board."
    assert body["approved_at"] is not None
    assert len(body["approval_sha256"]) == 64
    assert approved.headers["etag"] == f'"{body["revision"]}"'


async def test_only_a_scored_assessment_can_be_approved(api, admin_headers, organisation):
    assessment_id = await draft(api, admin_headers, organisation["id"])
    refused = await approve(api, admin_headers, assessment_id)
    assert (refused.status_code, refused.headers["content-type"]) == (409, "application/problem+json")
    scored_id = await scored(api, admin_headers, organisation["id"])
    assert (await approve(api, admin_headers, scored_id)).status_code == 200
    assert (await approve(api, admin_headers, scored_id)).status_code == 409
    missing = await api.post(
        f"/v1/assessments/{scored_id}/approve", json={"approver_name": "A"}, headers=admin_headers
    )
    assert missing.status_code == 422


async def test_an_approved_assessment_refuses_every_change(api, admin_headers, organisation):
    assessment_id = await scored(api, admin_headers, organisation["id"])
    piece = (await add_evidence(api, admin_headers, assessment_id, QUESTION)).json()
    assert (await approve(api, admin_headers, assessment_id)).status_code == 200
    base = f"/v1/assessments/{assessment_id}"
    attempts = [
        await api.patch(base, json={"title": "Changed"}, headers=admin_headers),
        await api.put(
            f"{base}/responses/{QUESTION}", json={"value": answers()[0]["value"]}, headers=admin_headers
        ),
        await api.patch(f"{base}/responses", json={"responses": answers()[:1]}, headers=admin_headers),
        await submit(api, admin_headers, assessment_id),
        await add_evidence(api, admin_headers, assessment_id, QUESTION),
        await api.patch(f"{base}/evidence/{piece['id']}", json={"title": "x"}, headers=admin_headers),
        await api.delete(f"{base}/evidence/{piece['id']}", headers=admin_headers),
    ]
    assert [response.status_code for response in attempts] == [409] * len(attempts)
    assert (await api.get(base, headers=admin_headers)).json()["status"] == "approved"
    assert len((await api.get(f"{base}/evidence", headers=admin_headers)).json()["items"]) == 1


async def test_the_signed_pdf_is_served_with_its_sha256(api, admin_headers, organisation):
    assessment_id = await scored(api, admin_headers, organisation["id"])
    sha256 = (await approve(api, admin_headers, assessment_id)).json()["approval_sha256"]
    url = f"/v1/assessments/{assessment_id}/report"
    first = await api.get(url, params={"format": "pdf"}, headers=admin_headers)
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(first.content).hexdigest() == sha256
    assert first.headers["repr-digest"] == f"sha-256=:{base64.b64encode(bytes.fromhex(sha256)).decode()}:"
    again = await api.get(url, params={"format": "pdf"}, headers=admin_headers)
    assert again.content == first.content
    unchanged = await api.get(
        url, params={"format": "pdf"}, headers={**admin_headers, "If-None-Match": first.headers["etag"]}
    )
    assert unchanged.status_code == 304
    html = await api.get(url, params={"format": "html"}, headers=admin_headers)
    assert sha256 in html.text
    assert APPROVAL["approver_name"] in html.text
    assert "Evidence coverage" in html.text


async def test_without_the_pdf_engine_approval_stores_the_html(api, admin_headers, organisation, monkeypatch):
    """A missing system library must not block a sign-off: the HTML report is signed instead."""
    assessment_id = await scored(api, admin_headers, organisation["id"])
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it could not be imported
    approved = await approve(api, admin_headers, assessment_id)
    assert approved.status_code == 200, approved.text
    html = await api.get(
        f"/v1/assessments/{assessment_id}/report", params={"format": "html"}, headers=admin_headers
    )
    assert hashlib.sha256(html.content).hexdigest() == approved.json()["approval_sha256"]
    assert "repr-digest" in html.headers
    assert "its SHA-256 is recorded with the approval" in html.text


async def test_approving_writes_the_webhook_event(api, admin_headers, organisation, sessions):
    assessment_id = await scored(api, admin_headers, organisation["id"])
    await approve(api, admin_headers, assessment_id)
    async with sessions() as session:
        rows = (
            await session.execute(
                text("SELECT payload FROM events WHERE type = 'assessment.approved' AND assessment_id = :id"),
                {"id": assessment_id},
            )
        ).all()
    [(payload,)] = rows
    assert (payload["status"], payload["assessment_id"]) == ("approved", assessment_id)
    assert "approver_name" not in payload  # webhooks carry no names


async def test_an_admin_withdraws_an_approval_with_a_reason(api, admin_headers, make_headers, organisation):
    assessment_id = await scored(api, admin_headers, organisation["id"])
    signed = (await approve(api, admin_headers, assessment_id)).json()
    url = f"/v1/assessments/{assessment_id}/approval/withdraw"
    approver = await make_headers("approve", "write")
    assert (await api.post(url, json={"reason": "Too early"}, headers=approver)).status_code == 403
    assert (await api.post(url, json={}, headers=admin_headers)).status_code == 422
    withdrawn = await api.post(url, json={"reason": "Signed before the board met."}, headers=admin_headers)
    assert withdrawn.status_code == 200, withdrawn.text
    body = withdrawn.json()
    assert body["status"] == "scored"
    assert [body[k] for k in ("approved_at", "approved_by", "approver_name", "approval_sha256")] == [None] * 4
    assert (await api.post(url, json={"reason": "again"}, headers=admin_headers)).status_code == 409
    report = await api.get(
        f"/v1/assessments/{assessment_id}/report", params={"format": "pdf"}, headers=admin_headers
    )
    assert "repr-digest" not in report.headers
    assert (await add_evidence(api, admin_headers, assessment_id, QUESTION)).status_code == 201
    audit = (
        await api.get(f"/v1/assessments/{assessment_id}/audit", params={"limit": 100}, headers=admin_headers)
    ).json()
    [event] = [e for e in audit["items"] if e["action"] == "assessment.approval_withdrawn"]
    assert event["detail"] == {"reason": "Signed before the board met.", "sha256": signed["approval_sha256"]}
    assert (await approve(api, admin_headers, assessment_id)).status_code == 200  # and may be approved again


async def test_approved_counts_as_scored_for_progress_benchmarks_and_exports(
    api, admin_headers, organisation
):
    assessment_id = await scored(api, admin_headers, organisation["id"])
    assert (await approve(api, admin_headers, assessment_id)).status_code == 200
    progress = await api.get(
        f"/v1/organisations/{organisation['id']}/progress",
        params={"framework_id": FRAMEWORK_ID},
        headers=admin_headers,
    )
    assert progress.json()["latest"]["assessment_id"] == assessment_id
    benchmark = await api.get(
        "/v1/benchmarks",
        params={"framework_id": FRAMEWORK_ID, "framework_version": LATEST},
        headers=admin_headers,
    )
    assert benchmark.json()["cohort"]["n"] == 1
    export = await api.get(
        "/v1/exports/results",
        params={"framework_id": FRAMEWORK_ID, "format": "ndjson"},
        headers=admin_headers,
    )
    assert assessment_id in export.text
    result = await api.get(f"/v1/assessments/{assessment_id}/result", headers=admin_headers)
    assert result.status_code == 200
    carried = await api.post(
        f"/v1/organisations/{organisation['id']}/assessments",
        json={"framework_id": FRAMEWORK_ID, "carry_forward_from": assessment_id},
        headers=admin_headers,
    )
    assert carried.status_code == 201, carried.text
    listed = await api.get(
        f"/v1/organisations/{organisation['id']}/assessments",
        params={"status": "approved"},
        headers=admin_headers,
    )
    assert [a["id"] for a in listed.json()["items"]] == [assessment_id]


async def test_another_organisations_approver_gets_404(
    api, admin_headers, make_headers, make_organisation, organisation
):
    other = await make_organisation("RX2")
    assessment_id = await scored(api, admin_headers, organisation["id"])
    outsider = await make_headers("read", "approve", organisation_ids=[other["id"]])
    assert (await approve(api, outsider, assessment_id)).status_code == 404
    await approve(api, admin_headers, assessment_id)
    report = await api.get(
        f"/v1/assessments/{assessment_id}/report", params={"format": "pdf"}, headers=outsider
    )
    assert report.status_code == 404


async def test_evidence_changed_while_the_report_renders_refuses_the_approval(
    api, admin_headers, organisation, monkeypatch
):
    """What is signed must be what is stored: a piece of evidence added between the rendering and
    the sign-off makes the approval a 409, and nothing is approved."""
    assessment_id = await scored(api, admin_headers, organisation["id"])
    render = signed_report

    async def render_then_add_evidence(*args, **kwargs):
        rendered = await render(*args, **kwargs)
        assert (await add_evidence(api, admin_headers, assessment_id, QUESTION)).status_code == 201
        return rendered

    monkeypatch.setattr(approvals, "signed_report", render_then_add_evidence)
    refused = await approve(api, admin_headers, assessment_id)
    assert refused.status_code == 409, refused.text
    assert "changed" in refused.json()["detail"]
    assert (await api.get(f"/v1/assessments/{assessment_id}", headers=admin_headers)).json()[
        "status"
    ] == "scored"
    monkeypatch.setattr(approvals, "signed_report", render)
    assert (await approve(api, admin_headers, assessment_id)).status_code == 200
