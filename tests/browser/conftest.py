"""A real browser for tests: Debian's Chromium (``chromium.py``), headless, driven by
Playwright's async API, with axe-core.

No browser is ever downloaded (``playwright install`` is never run): the system Chromium is
launched by path. Where it is missing, every browser test is skipped and the run's summary says
so plainly, in red, with how to install it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, async_playwright

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, MISSING, chromium_available


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not chromium_available():
        pytest.skip(MISSING)
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


class WatchedPage:
    """A page and every console error and uncaught exception it raised."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on(
            "console", lambda message: self.errors.append(message.text) if message.type == "error" else None
        )
        page.on("pageerror", lambda error: self.errors.append(str(error)))


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[WatchedPage]:
    context = await browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")
    try:
        yield WatchedPage(await context.new_page())
    finally:
        await context.close()


async def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of impact serious or critical on the page as it is."""
    results = await Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    # Asked here, in the process that writes the summary: under pytest-xdist the tests are
    # collected and skipped in worker processes, so nothing collected can be counted here.
    if not chromium_available():
        terminalreporter.write_sep("!", MISSING, red=True, bold=True)
