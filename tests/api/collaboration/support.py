"""Helpers of the approval, evidence, audit and erasure tests (no tests here)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.api.test_assessments_support import LATEST, create_assessment, highest, scored_assessment

APPROVAL = {"approver_name": "Dr Jane Smith", "approver_role": "Chief Clinical Information Officer"}


def today() -> date:
    return datetime.now(ZoneInfo("Europe/London")).date()


async def scored(api: httpx.AsyncClient, headers: dict, organisation_id: str) -> str:
    """A new 2.0.0 assessment, every answer the highest option, scored; its id."""
    result = await scored_assessment(api, headers, organisation_id, version=LATEST, pick=highest)
    return str(result["assessment_id"])


async def draft(api: httpx.AsyncClient, headers: dict, organisation_id: str) -> str:
    return str((await create_assessment(api, headers, organisation_id, framework_version=LATEST))["id"])


def evidence_body(*question_ids: str, **fields: Any) -> dict[str, Any]:
    return {
        "title": "Clinical safety case",
        "url": "https://intranet.example.nhs.uk/safety-case.pdf",
        "evidence_date": "2026-01-01",
        "question_ids": list(question_ids),
        **fields,
    }


async def add_evidence(
    api: httpx.AsyncClient, headers: dict, assessment_id: str, *question_ids: str, **fields: Any
) -> httpx.Response:
    url = f"/v1/assessments/{assessment_id}/evidence"
    return await api.post(url, json=evidence_body(*question_ids, **fields), headers=headers)


async def approve(api: httpx.AsyncClient, headers: dict, assessment_id: str, **body: Any) -> httpx.Response:
    return await api.post(
        f"/v1/assessments/{assessment_id}/approve", json={**APPROVAL, **body}, headers=headers
    )
