"""``python -m baseline_scoring``: serve the scoring service, configured by environment variables."""

from __future__ import annotations

import uvicorn

from baseline_service_kit import configure_logging

from .app import create_app
from .settings import Settings


def main() -> None:
    settings = Settings()
    configure_logging(settings.log_format)
    # Our own request line (baseline.access) replaces uvicorn's, which would log raw paths.
    app = create_app(settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
