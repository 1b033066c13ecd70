"""``python -m baseline_api``: serve the gateway, configured by environment variables."""

from __future__ import annotations

import uvicorn

from .app import create_app
from .core.settings import Settings


def main() -> None:
    settings = Settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")


if __name__ == "__main__":
    main()
