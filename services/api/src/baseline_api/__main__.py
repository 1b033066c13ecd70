"""``python -m baseline_api``: serve the gateway, configured by environment variables."""

from __future__ import annotations

import gc

import uvicorn

from baseline_service_kit import configure_logging

from .app import create_app
from .core.settings import Settings


def main() -> None:
    settings = Settings()
    configure_logging(settings.log_format)
    app = create_app(settings)
    # What is built by now (modules, routes, schemas, validators) lives as long as the process.
    # Moved out of the collector's reach, it is no longer walked by every full collection, which
    # a large request triggers as its objects pile up: bulk ingestion spent a fifth of its time
    # there, walking the same startup objects again and again.
    gc.freeze()
    # On SIGTERM uvicorn stops accepting, lets requests in flight finish (for at most the grace
    # period), then runs the lifespan's shutdown, which stops the background workers: a step
    # still running is cancelled and its transaction rolls back, releasing what it claimed.
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        # Our own request line (baseline.access) replaces uvicorn's, which would log raw paths.
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )


if __name__ == "__main__":
    main()
