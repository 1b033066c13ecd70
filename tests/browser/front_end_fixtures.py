"""Fixtures for the browser front-end tests: Debian's Chromium driven by Playwright, two local
origins serving the example portal (one allowed by CORS_ALLOWED_ORIGINS, one not), and a real
gateway process in development mode.

The browser is the one ``chromium.py`` names, as for the report tests (``conftest.py``); these
tests drive it with Playwright's sync API.
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

from baseline_devstack.processes import wait_until_ready
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, MISSING, chromium_available
from tests.conftest import REPO_ROOT
from tests.processes import AUTH, fresh_database, gateway

__all__ = ["FrontEndStack", "front_end_chromium", "front_end_stack", "node_flow_bundle"]

PORTAL_BUILD = REPO_ROOT / "examples" / "portal" / "build"
FLOW_BUNDLE = REPO_ROOT / "clients" / "typescript" / "build" / "run-flow.mjs"
NOT_BUILT = (
    "is not built: run `make typescript` (needs Node.js 20 or later and npm: apt-get install nodejs npm)"
)


@pytest.fixture(scope="module")
def front_end_chromium() -> Iterator[Browser]:
    if not chromium_available():
        pytest.skip(MISSING)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def node_flow_bundle() -> Path:
    if shutil.which("node") is None or not FLOW_BUNDLE.exists():
        pytest.skip(f"the TypeScript flow program {NOT_BUILT}")
    return FLOW_BUNDLE


@contextmanager
def static_origin(directory: Path) -> Iterator[str]:
    """An HTTP server on loopback serving ``directory``: a web origin of its own (its own port)."""
    handler = functools.partial(_QuietFiles, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass(frozen=True)
class FrontEndStack:
    gateway_url: str
    allowed_origin: str  # in CORS_ALLOWED_ORIGINS
    refused_origin: str  # not
    log: Path  # the gateway's output, access log included
    token: str  # an API key with the read and write scopes, as a portal user would paste


@pytest.fixture(scope="module")
def front_end_stack(
    pg_server_url: str, scoring_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FrontEndStack]:
    if not (PORTAL_BUILD / "portal.js").exists():
        pytest.skip(f"the example portal {NOT_BUILT}")
    database_url = fresh_database(pg_server_url, "baseline_front_ends_test")
    log = tmp_path_factory.mktemp("front-ends") / "gateway.log"
    with (
        static_origin(PORTAL_BUILD) as allowed,
        static_origin(PORTAL_BUILD) as refused,
        gateway(database_url, scoring_url, log, BASELINE_ENV="development", CORS_ALLOWED_ORIGINS=allowed) as (
            url,
            process,
        ),
    ):
        wait_until_ready(f"{url}/readyz", [process], timeout=60)
        yield FrontEndStack(url, allowed, refused, log, _read_write_key(url))


def _read_write_key(gateway_url: str) -> str:
    body = {"name": "browser tests", "scopes": ["read", "write"]}
    response = httpx.post(f"{gateway_url}/v1/api-keys", json=body, headers=AUTH, timeout=30)
    return str(response.raise_for_status().json()["token"])
