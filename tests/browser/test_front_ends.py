"""Browser front ends, as a browser sees them: the example portal answers, previews and submits an
assessment, both from the gateway's own origin and from another origin that CORS allows (real
preflights); a page on an origin that is not allowed cannot read any answer; and the TypeScript
client generated from openapi/api.json runs the whole flow in Node against the same gateway.

Headless Debian Chromium through Playwright; a real gateway process and scoring service.
"""

from __future__ import annotations

import json
import re
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.api.test_assessments_support import FRAMEWORK_ID, question_ids
from tests.browser import front_end_fixtures
from tests.browser.front_end_fixtures import FrontEndStack
from tests.processes import AUTH

pytestmark = pytest.mark.e2e

# The fixtures live in front_end_fixtures.py (its docstring says why); pytest finds them here.
front_end_chromium = front_end_fixtures.front_end_chromium
front_end_stack = front_end_fixtures.front_end_stack
node_flow_bundle = front_end_fixtures.node_flow_bundle

QUESTIONS = len(question_ids())
REPORT_ROUTE = "/v1/assessments/{assessment_id}/report"
# Runs in the page: whether it could read the answer, and what the browser let it see.
READ_IN_PAGE = """async ({url, token}) => {
  try {
    const response = await fetch(url, token ? {headers: {Authorization: `Bearer ${token}`}} : {});
    return {read: true, status: response.status, etag: response.headers.get("ETag"), body: await response.text()};
  } catch (error) {
    return {read: false, error: error.name};
  }
}"""


class Console:
    """The page's console errors and uncaught exceptions, and (to say which) answers of 400 or more."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        self.failed: list[str] = []
        page.on(
            "console", lambda message: self.errors.append(message.text) if message.type == "error" else None
        )
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "response",
            lambda answer: (
                self.failed.append(f"{answer.status} {answer.url}") if answer.status >= 400 else None
            ),
        )


@pytest.fixture
def page(front_end_chromium: Browser) -> Iterator[Page]:
    context = front_end_chromium.new_context(accept_downloads=True)
    try:
        yield context.new_page()
    finally:
        context.close()


def _organisation(stack: FrontEndStack) -> dict:
    code = f"B{uuid.uuid4().int % 10**8}"
    body = {"ods_code": code, "name": f"Browser Trust {code}", "kind": "trust"}
    return (
        httpx.post(f"{stack.gateway_url}/v1/organisations", json=body, headers=AUTH).raise_for_status().json()
    )


def _sign_in(page: Page, api_url: str, token: str) -> None:
    page.get_by_label("API address").fill(api_url)
    page.get_by_label("API key").fill(token)
    page.get_by_label("API key").press("Enter")  # the keyboard submits the form


def _answer_first_question_by_keyboard(page: Page) -> None:
    page.locator("fieldset[data-question-id] input[type=radio]").first.focus()
    page.keyboard.press("ArrowUp")  # from the first option, wraps round to the last (the highest)


def _answer_the_rest(page: Page) -> None:
    fieldsets = page.locator("fieldset[data-question-id]")
    for index in range(1, QUESTIONS):
        fieldsets.nth(index).locator("input[type=radio]").nth(2).check()


def _access_log_since(log: Path, offset: int) -> str:
    return log.read_bytes()[offset:].decode(errors="replace")


def _report_route_is_served(stack: FrontEndStack) -> bool:
    paths = httpx.get(f"{stack.gateway_url}/openapi.json").json()["paths"]
    return REPORT_ROUTE in paths


@pytest.mark.parametrize("served_from", ["gateway", "allowed origin"])
def test_the_portal_answers_previews_submits_and_links_the_report(page, front_end_stack, served_from):
    stack = front_end_stack
    organisation = _organisation(stack)
    console = Console(page)
    log_offset = stack.log.stat().st_size
    origin = f"{stack.gateway_url}/examples/portal" if served_from == "gateway" else stack.allowed_origin
    page.goto(f"{origin}/")
    if served_from == "gateway":
        expect(page.get_by_label("API address")).to_have_value(stack.gateway_url)

    _sign_in(page, stack.gateway_url, stack.token)
    page.get_by_role("button", name=f"{organisation['name']} ({organisation['ods_code']})").click()
    page.get_by_role("button", name="Start a new assessment").click()
    expect(page.locator("fieldset[data-question-id]")).to_have_count(QUESTIONS)
    overall = page.locator("#preview-body .overall")
    expect(overall).to_contain_text("Answered: 0%")
    before = overall.inner_text()

    _answer_first_question_by_keyboard(page)
    expect(overall).not_to_have_text(before)
    expect(overall).not_to_contain_text("Answered: 0%")
    _answer_the_rest(page)
    expect(page.locator("#assessment-progress")).to_have_text(
        f"{QUESTIONS} of {QUESTIONS} questions answered."
    )
    expect(overall).to_contain_text("Answered: 100%")

    page.get_by_role("button", name="Submit the assessment").click()
    expect(page.get_by_role("heading", name="Result")).to_be_focused()
    link = page.get_by_role("link", name="Download the report (HTML)")
    href = link.get_attribute("href") or ""
    match = re.fullmatch(
        rf"{re.escape(stack.gateway_url)}/v1/assessments/([0-9a-f-]{{36}})/report\?format=html", href
    )
    assert match, href
    result = httpx.get(f"{stack.gateway_url}/v1/assessments/{match[1]}/result", headers=AUTH)
    assert result.status_code == 200, "the page's submit stored a result"
    assert result.json()["completeness"] == 1.0
    if _report_route_is_served(stack):  # once the reports routes are merged
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename.endswith(".html")
    assert console.errors == [], console.failed

    preflights = re.findall(r'"OPTIONS (/v1/\S+) HTTP/1.1" (\d+)', _access_log_since(stack.log, log_offset))
    if served_from == "gateway":
        assert preflights == [], "a same-origin page needs no preflight"
    else:
        assert preflights, "the writes from another origin (PUT with If-Match) were preflighted"
        assert {status for _, status in preflights} == {"204"}


def _assessment(stack: FrontEndStack) -> str:
    organisation = _organisation(stack)
    url = f"{stack.gateway_url}/v1/organisations/{organisation['id']}/assessments"
    response = httpx.post(url, json={"framework_id": FRAMEWORK_ID}, headers=AUTH).raise_for_status()
    return str(response.json()["id"])


def test_only_an_allowed_origin_can_read_answers(page, front_end_stack):
    stack = front_end_stack
    assessment_url = f"{stack.gateway_url}/v1/assessments/{_assessment(stack)}"
    requests = {
        "preflighted": {"url": assessment_url, "token": stack.token},  # Authorization: preflight first
        "simple": {"url": f"{stack.gateway_url}/healthz", "token": None},  # no preflight at all
    }

    page.goto(f"{stack.allowed_origin}/")
    allowed = {name: page.evaluate(READ_IN_PAGE, request) for name, request in requests.items()}
    assert allowed["preflighted"]["read"]
    assert allowed["preflighted"]["status"] == 200
    assert allowed["preflighted"]["etag"] == '"1"', "ETag is exposed to an allowed origin"
    assert json.loads(allowed["preflighted"]["body"])["framework_id"] == FRAMEWORK_ID
    assert allowed["simple"]["read"]
    assert allowed["simple"]["status"] == 200

    page.goto(f"{stack.refused_origin}/")
    refused = {name: page.evaluate(READ_IN_PAGE, request) for name, request in requests.items()}
    assert refused == {name: {"read": False, "error": "TypeError"} for name in requests}


def test_the_portal_on_an_origin_that_is_not_allowed_cannot_sign_in(page, front_end_stack):
    stack = front_end_stack
    page.goto(f"{stack.refused_origin}/")
    _sign_in(page, stack.gateway_url, stack.token)
    expect(page.get_by_role("alert")).to_contain_text("Failed to fetch")
    expect(page.get_by_role("heading", name="Organisations")).to_be_hidden()


def test_the_generated_typescript_client_runs_the_whole_flow(node_flow_bundle, front_end_stack):
    stack = front_end_stack
    env = {"BASELINE_URL": stack.gateway_url, "BASELINE_TOKEN": stack.token, "PATH": "/usr/bin:/bin"}
    run = subprocess.run(
        ["node", str(node_flow_bundle)], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["answered"] == QUESTIONS
    assert summary["stale_if_match_status"] == 412, "a write with a stale If-Match is refused"
    assert summary["preview_completeness"] == 1.0
    assert summary["submit_status"] == "scored"
    assert summary["result_level"] in range(1, 6)
    report_status = 200 if _report_route_is_served(stack) else 404
    assert summary["report"]["status"] == report_status
