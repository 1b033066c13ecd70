"""GET /v1/assessments/{id}/report: the HTML and PDF report, over HTTP on the real stack."""

from __future__ import annotations

import io
import re
import sys
from datetime import datetime

import pypdf
from markupsafe import escape

from framework_model import framework_index, load_framework
from tests.api.reports.conftest import HOSTILE_COMMENT, HOSTILE_NAME, report_url, scored_peers
from tests.api.test_assessments_support import answer, answers, create_assessment, middle, submit

SECTIONS = [
    "header",
    "summary",
    "pillars",
    "capabilities",
    "next-increment",
    "roadmap",
    "trend",
    "peers",
    "appendix",
]
NOT_ENOUGH_PEERS = "Not enough organisations to compare (fewer than 5)"


def _sections(html: str) -> list[str]:
    return re.findall(r'<section id="([a-z-]+)"', html)


def _section(html: str, name: str) -> str:
    start = html.index(f'<section id="{name}"')
    return html[start : html.index("</section>", start)]


def _day(result_or_assessment: str) -> str:
    return datetime.fromisoformat(result_or_assessment).date().isoformat()


async def test_a_scored_report_shows_every_section_in_order(api, admin_headers, make_history):
    history = await make_history()
    response = await api.get(report_url(history.latest["assessment_id"]), headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    html = response.text
    assert '<html lang="en-GB">' in html
    assert _sections(html) == SECTIONS
    for pillar in history.result["pillars"]:
        assert str(escape(pillar["title"])) in _section(html, "pillars")
    # The previous assessment (1.1.0, lowest answers) is the pillars chart's marker and its table's column.
    previous = {p["title"]: p["score"] for p in history.earlier["pillars"]}
    for title, score in previous.items():
        assert re.search(rf"{title}</th>.*?<td>{score:.1f}</td></tr>", _section(html, "pillars"), re.S)
    trend = _section(html, "trend")
    assert trend.count("(v1.1.0)") == 1
    assert trend.count("(v2.0.0)") == 1
    assert NOT_ENOUGH_PEERS in _section(html, "peers")
    assert len(re.findall(r'<img class="chart" src="data:image/svg\+xml;base64,', html)) == 3


async def test_the_summary_names_each_cap_in_plain_words(api, admin_headers, make_history):
    history = await make_history()
    html = (await api.get(report_url(history.latest["assessment_id"]), headers=admin_headers)).text
    summary = _section(html, "summary")
    capped = [(p["title"], q) for p in history.result["pillars"] for q in p["capped_by"]]
    assert capped, "the lowest critical answers cap every pillar that has one"
    for title, question_id in capped:
        assert re.search(rf"{title} is held at level 2 because the answer to .*? \({question_id}\)", summary)


async def test_the_next_increment_and_roadmap_show_every_recommendation(api, admin_headers, make_history):
    history = await make_history()
    html = (await api.get(report_url(history.latest["assessment_id"]), headers=admin_headers)).text
    recommendations = history.result["recommendations"]
    increment = _section(html, "next-increment")
    roadmap = _section(html, "roadmap")
    for rec in recommendations:
        assert str(escape(rec["title"])) in (increment if rec["in_next_increment"] else roadmap)
    assert "<dt>Done when</dt>" in increment  # 2.0.0's rules say when a step is done
    # Why: the triggering questions' texts, not their ids.
    first = next(rec for rec in recommendations if rec["in_next_increment"])
    assert first["triggered_by"][0] not in increment.split("Because of the answers to:")[1].split("</ul>")[0]
    phases = re.findall(r"<h3>Phase (\d+)</h3>", roadmap)
    assert phases == [str(n) for n in range(1, len(phases) + 1)]
    for phase in roadmap.split("<h3>Phase ")[1:]:
        assert phase.count('<tr><th scope="row">') <= 3  # increment_size


async def test_peers_appear_once_the_cohort_is_large_enough(
    api, admin_headers, make_history, make_organisation
):
    history = await make_history()
    await scored_peers(api, admin_headers, make_organisation, 4)  # 5 trusts with 2.0.0 results
    html = (await api.get(report_url(history.latest["assessment_id"]), headers=admin_headers)).text
    peers = _section(html, "peers")
    assert NOT_ENOUGH_PEERS not in peers
    assert "Lower quartile" in peers
    assert "5 organisations" in peers


async def test_hostile_names_and_comments_are_shown_as_text(api, admin_headers, make_history):
    history = await make_history(name=HOSTILE_NAME)
    html = (await api.get(report_url(history.latest["assessment_id"]), headers=admin_headers)).text
    assert "<script" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt; &amp; Sons" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert HOSTILE_COMMENT.split("\n")[1] in _section(html, "appendix")


async def test_a_drafts_report_is_a_marked_preview(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX9", name="Draft Trust")
    assessment = await create_assessment(api, admin_headers, organisation["id"])
    critical = "wow-cs-clinical-risk-management"
    await answer(
        api, admin_headers, assessment["id"], answers("2.0.0", middle, skip=frozenset({critical}))[:20]
    )
    response = await api.get(report_url(assessment["id"]), headers=admin_headers)
    assert response.status_code == 200, response.text
    html = response.text
    assert "Draft, not submitted" in _section(html, "header")
    assert re.search(r"“Is clinical risk managed under DCB0160.*?” is not yet answered", html)
    assert "held at level 2 because the answer to “Is clinical risk managed" not in html
    day = _day(assessment["updated_at"])
    assert response.headers["content-disposition"] == f'inline; filename="RX9-{day}-baseline-draft.html"'
    pdf = await api.get(report_url(assessment["id"]), params={"format": "pdf"}, headers=admin_headers)
    assert pdf.headers["content-disposition"] == f'inline; filename="RX9-{day}-baseline-draft.pdf"'
    pages = pypdf.PdfReader(io.BytesIO(pdf.content)).pages
    assert len(pages) > 1
    assert all("Draft, not submitted" in page.extract_text() for page in pages)


async def test_the_pdf_holds_every_pillar_and_next_step(api, admin_headers, make_history):
    history = await make_history(ods_code="RX2", name="Pdf Trust")
    url = report_url(history.latest["assessment_id"])
    response = await api.get(url, headers={**admin_headers, "Accept": "application/pdf"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert re.fullmatch(
        r'inline; filename="RX2-\d{4}-\d{2}-\d{2}-baseline\.pdf"', response.headers["content-disposition"]
    )
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert 4 <= len(reader.pages) <= 30
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    for pillar in history.result["pillars"]:
        assert pillar["title"] in text
    for rec in history.result["recommendations"]:
        if rec["in_next_increment"]:
            assert rec["title"] in text
    assert f"Page 1 of {len(reader.pages)}" in text
    assert text.count("Pdf Trust (RX2)") == len(reader.pages)  # the header on every page


async def test_format_overrides_accept(api, admin_headers, make_history):
    history = await make_history()
    url = report_url(history.latest["assessment_id"])
    html_etag = (await api.get(url, headers=admin_headers)).headers["etag"]

    async def chosen(accept: str, **params: str) -> str:
        """The representation negotiated, told by its ETag (``If-None-Match: *``: nothing rendered)."""
        headers = {**admin_headers, "Accept": accept, "If-None-Match": "*"}
        response = await api.get(url, params=params, headers=headers)
        assert response.status_code == 304
        return "html" if response.headers["etag"] == html_etag else "pdf"

    assert await chosen("application/pdf", format="html") == "html"
    assert await chosen("text/html", format="pdf") == "pdf"
    assert await chosen("application/pdf") == "pdf"
    assert await chosen("text/html,application/xhtml+xml,*/*;q=0.8") == "html"
    assert await chosen("application/pdf;q=0.5, text/html") == "html"


async def test_an_unsupported_accept_is_406(api, admin_headers, make_history):
    history = await make_history()
    url = report_url(history.latest["assessment_id"])
    response = await api.get(url, headers={**admin_headers, "Accept": "application/json"})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"
    assert "text/html or application/pdf" in response.json()["detail"]


async def test_another_organisations_key_gets_404(
    api, admin_headers, make_history, make_headers, make_organisation
):
    history = await make_history()
    other = await make_organisation("RX7")
    headers = await make_headers("read", organisation_ids=[other["id"]])
    assessment_id = history.latest["assessment_id"]
    for what in ["report", "charts/pillars", "charts/trend?format=svg", "export", "export?format=xlsx"]:
        response = await api.get(report_url(assessment_id, what), headers=headers)
        assert response.status_code == 404, (what, response.text)
    own = await make_headers("read", organisation_ids=[history.organisation["id"]])
    assert (await api.get(report_url(assessment_id), headers=own)).status_code == 200


async def test_an_unchanged_report_is_304(api, admin_headers, make_history, database_url):
    history = await make_history()
    url = report_url(history.latest["assessment_id"])
    first = await api.get(url, headers=admin_headers)
    etag = first.headers["etag"]
    again = await api.get(url, headers={**admin_headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    pdf = await api.get(url, params={"format": "pdf"}, headers={**admin_headers, "If-None-Match": "*"})
    assert pdf.status_code == 304
    assert pdf.headers["etag"] != etag  # another representation, another tag
    # A renamed organisation is a different report: a new ETag, never the cached one.
    await api.patch(
        f"/v1/organisations/{history.organisation['id']}",
        json={"name": "Renamed Trust"},
        headers=admin_headers,
    )
    renamed = await api.get(url, headers={**admin_headers, "If-None-Match": etag})
    assert renamed.status_code == 200
    assert renamed.headers["etag"] != etag
    assert "Renamed Trust" in renamed.text


async def test_without_the_pdf_engine_a_pdf_is_503_and_the_rest_works(
    api, admin_headers, make_history, monkeypatch
):
    history = await make_history()
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it could not be imported
    url = report_url(history.latest["assessment_id"])
    pdf = await api.get(url, params={"format": "pdf"}, headers=admin_headers)
    assert pdf.status_code == 503
    assert pdf.headers["content-type"] == "application/problem+json"
    assert "WeasyPrint" in pdf.json()["detail"]
    assert "Pango" in pdf.json()["detail"]
    assert (await api.get(url, headers=admin_headers)).status_code == 200
    svg = await api.get(
        report_url(history.latest["assessment_id"], "charts/pillars"),
        params={"format": "svg"},
        headers=admin_headers,
    )
    assert svg.status_code == 200
    assert (
        await api.get(report_url(history.latest["assessment_id"], "export"), headers=admin_headers)
    ).status_code == 200


async def test_an_earlier_reports_trend_ends_at_its_own_assessment(api, admin_headers, make_history):
    history = await make_history()
    html = (await api.get(report_url(history.earlier["assessment_id"]), headers=admin_headers)).text
    trend = _section(html, "trend")
    assert "(v1.1.0)" in trend
    assert "(v2.0.0)" not in trend  # scored later: not part of what this report stood on


async def test_a_quick_assessments_report_is_indicative(api, admin_headers, make_history):
    history = await make_history(ods_code="RX5", name="Quick Trust")
    framework = load_framework("nhs-digital-readiness", "2.0.0")
    leads = [
        ref.question.question_id for ref in framework_index(framework).questions.values() if ref.question.lead
    ]
    assessment = await create_assessment(api, admin_headers, history.organisation["id"], profile="quick")
    await answer(
        api,
        admin_headers,
        assessment["id"],
        [a for a in answers("2.0.0", middle) if a["question_id"] in leads],
    )
    assert (await submit(api, admin_headers, assessment["id"])).status_code == 200
    html = (await api.get(report_url(assessment["id"]), headers=admin_headers)).text
    assert '<strong class="mark">Indicative</strong>' in html
    assert _section(html, "appendix").count('<p class="question">') == len(leads)
    assert "(v2.0.0, indicative)" in _section(html, "trend")
    csv_rows = (
        await api.get(report_url(assessment["id"], "export"), headers=admin_headers)
    ).text.splitlines()
    assert len(csv_rows) == 1 + len(leads)
