"""Serve the example portal's build (``examples/portal/build/``, made by `make typescript`).

The build is not committed: it is made from the lock file like the client it bundles, so it can
never lag behind ``openapi/api.json``. Until it exists the page says how to make it.
"""

from __future__ import annotations

from pathlib import Path

import anyio
from fastapi import FastAPI
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

__all__ = ["PORTAL_BUILD", "PORTAL_PATH", "PortalFiles", "install_example_portal"]

PORTAL_PATH = "/examples/portal"
# services/api/src/baseline_api/example_portal/files.py -> the repository root.
PORTAL_BUILD = Path(__file__).resolve().parents[5] / "examples" / "portal" / "build"
BUNDLE = "portal.js"

# The page calls only the origin that serves it; nothing may frame it.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}

NOT_BUILT = """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Example portal not built</title></head>
<body><main><h1>The example portal is not built yet</h1>
<p>Run <code>make typescript</code> (or <code>make run</code>) in the repository. It needs Node.js 20
or later and npm (Debian and Ubuntu: <code>apt-get install nodejs npm</code>). Then reload this page.</p>
</main></body></html>
"""


class PortalFiles(StaticFiles):
    """The build folder, with the page's security headers; a page saying how to build it when the
    bundle is missing."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory=directory, html=True, check_dir=False)
        self.bundle = anyio.Path(directory / BUNDLE)

    async def check_config(self) -> None:
        # A missing build folder is the "not built" page below, not a server error.
        if await self.bundle.exists():
            await super().check_config()

    async def get_response(self, path: str, scope: Scope) -> Response:
        if not await self.bundle.exists():
            return HTMLResponse(NOT_BUILT, status_code=503, headers=SECURITY_HEADERS)
        response = await super().get_response(path, scope)
        response.headers.update(SECURITY_HEADERS)
        return response


def install_example_portal(app: FastAPI, directory: Path = PORTAL_BUILD) -> None:
    app.mount(PORTAL_PATH, PortalFiles(directory), name="example-portal")
