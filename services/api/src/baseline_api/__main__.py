"""``python -m baseline_api``: serve the gateway, configured by environment variables."""

from __future__ import annotations

import uvicorn

from baseline_service_kit import configure_logging

from .app import create_app
from .core.settings import Settings


def main() -> None:
    settings = Settings()
    configure_logging(settings.log_format)
    # On SIGTERM uvicorn stops accepting, lets requests in flight finish (for at most the grace
    # period), then runs the lifespan's shutdown, which stops the background workers: a step
    # still running is cancelled and its transaction rolls back, releasing what it claimed.
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        # Our own request line (baseline.access) replaces uvicorn's, which would log raw paths.
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )


if __name__ == "__main__":
    main()
