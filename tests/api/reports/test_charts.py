"""GET /v1/assessments/{id}/charts/{chart}: Vega-Lite v5 specifications with inline data, or SVG."""

from __future__ import annotations

import pytest

from tests.api.reports.conftest import report_url

VEGA_LITE_V5 = "https://vega.github.io/schema/vega-lite/v5.json"


def _values(spec: dict, name: str | None = None) -> list[dict]:
    return spec["datasets"][name] if name else spec["data"]["values"]


async def test_each_chart_is_a_vega_lite_v5_spec_with_its_data(api, admin_headers, make_history):
    history = await make_history()
    charts = {}
    for name in ["pillars", "capabilities", "trend"]:
        response = await api.get(
            report_url(history.latest["assessment_id"], f"charts/{name}"), headers=admin_headers
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        charts[name] = response.json()
        assert charts[name]["$schema"] == VEGA_LITE_V5
    scores = {p["title"]: p["score"] for p in history.result["pillars"]}
    assert {row["pillar"]: row["score"] for row in _values(charts["pillars"], "scores")} == scores
    previous = {p["title"]: p["score"] for p in history.earlier["pillars"]}
    markers = _values(charts["pillars"], "markers")
    assert {m["pillar"]: m["value"] for m in markers if m["kind"] == "Previous assessment"} == previous
    assert {m["value"] for m in markers if m["kind"] == "Target"} == {40}  # level 3 starts at 40
    levels = _values(charts["capabilities"], "levels")
    expected = [c for p in history.result["pillars"] for c in p["capabilities"] if c["level"] is not None]
    assert [row["level"] for row in levels] == [c["level"] for c in expected]
    trend = _values(charts["trend"])
    assert len({row["assessment"] for row in trend}) == 2
    assert len(trend) == 2 * len(scores)


async def test_a_chart_rendered_on_the_server_is_svg(api, admin_headers, make_history):
    history = await make_history()
    url = report_url(history.latest["assessment_id"], "charts/pillars")
    response = await api.get(url, params={"format": "svg"}, headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.text.startswith("<svg")
    assert "Ways of working" in response.text
    again = await api.get(
        url, params={"format": "svg"}, headers={**admin_headers, "If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize("chart", ["radar", "Pillars", "pillars.svg"])
async def test_an_unknown_chart_is_404(api, admin_headers, make_history, chart):
    history = await make_history()
    response = await api.get(
        report_url(history.latest["assessment_id"], f"charts/{chart}"), headers=admin_headers
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
