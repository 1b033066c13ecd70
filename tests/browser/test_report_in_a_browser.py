"""The HTML report in a real browser: it renders without console errors, every chart is visible,
and axe-core finds no serious or critical accessibility problem (WCAG 2.2 AA rules)."""

from __future__ import annotations

import os
from pathlib import Path

from framework_model import Question
from tests.api.reports.conftest import scored_peers
from tests.api.test_assessments_support import (
    answer,
    answers,
    create_assessment,
    lowest,
    scored_assessment,
    submit,
)
from tests.browser.conftest import serious_violations

REALISTIC = "Northshire Teaching Hospitals NHS Foundation Trust"
# `BASELINE_SCREENSHOT=docs/report.png pytest tests/browser` keeps the README's screenshot fresh.
SCREENSHOT = os.environ.get("BASELINE_SCREENSHOT")


TARGETS = {"ways-of-working": 4, "operating-model": 3, "supplier-ecosystem": 3}


def _later(question: Question) -> str:
    """Answers spread over the ladder as a real trust's are; one critical answer below the line."""
    if question.critical:
        return question.options[1 if question.question_id == "opm-gf-dspt-caf" else 2].option_id
    return question.options[(len(question.question_id) + len(question.text)) % 4 + 1].option_id


def _earlier(question: Question) -> str:
    later = [o.option_id for o in question.options].index(_later(question))
    return question.options[max(later - 1, 0)].option_id


async def _realistic_report(api, headers) -> str:
    async def make_organisation(ods_code: str, **fields: str) -> dict:
        body = {"ods_code": ods_code, "name": f"Peer Hospitals {ods_code}", "kind": "trust", **fields}
        response = await api.post("/v1/organisations", json=body, headers=headers)
        assert response.status_code == 201, response.text
        return response.json()

    organisation = await make_organisation("RNS", name=REALISTIC, region="Midlands")
    await scored_assessment(api, headers, organisation["id"], version="1.0.0", pick=lowest)
    for version, pick in (("1.1.0", _earlier), ("2.0.0", _later)):
        body = {"targets": TARGETS, "title": "2026 baseline", "framework_version": version}
        assessment = await create_assessment(api, headers, organisation["id"], **body)
        await answer(api, headers, assessment["id"], answers(version, pick))
        assert (await submit(api, headers, assessment["id"])).status_code == 200
    await scored_peers(api, headers, make_organisation, 4)
    response = await api.get(f"/v1/assessments/{assessment['id']}/report", headers=headers)
    assert response.status_code == 200, response.text
    return response.text


async def test_the_report_renders_cleanly_and_accessibly(api, admin_headers, page):
    html = await _realistic_report(api, admin_headers)
    await page.page.set_content(html, wait_until="load")
    charts = page.page.locator("img.chart")
    assert await charts.count() == 3
    for chart in await charts.all():
        assert await chart.is_visible()
        width = await chart.evaluate("image => image.complete ? image.naturalWidth : 0")
        assert width > 100, "a chart did not load"
        box = await chart.bounding_box()
        assert box is not None
        assert box["width"] > 100
        assert box["height"] > 100
    assert page.errors == []
    assert await serious_violations(page.page) == []
    if SCREENSHOT:
        clip = {"x": 0, "y": 0, "width": 1200, "height": 1700}
        await page.page.screenshot(path=Path(SCREENSHOT), clip=clip, full_page=True)
