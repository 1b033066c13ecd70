"""The one Chromium every browser test drives: Debian's, launched by path, never downloaded.

Shared by the report tests (``conftest.py``, Playwright's async API) and the front-end tests
(``front_end_fixtures.py``, its sync API), so both find, launch and skip for the same browser.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "MISSING", "chromium_available"]

CHROMIUM = Path(os.environ.get("BASELINE_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps calling out and this machine refuses it.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING = (
    f"BROWSER CHECKS DID NOT RUN: no Chromium at {CHROMIUM}. Install it with `apt-get install "
    "chromium` (Debian's package; `playwright install` cannot download a browser here) and run "
    "the tests again."
)


def chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)
