"""An ASGI app served by uvicorn on 127.0.0.1 inside the test's event loop: for a peer the code
under test must reach over a real socket (an identity provider, a traced scoring service)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from baseline_devstack.processes import free_port

__all__ = ["served"]


@asynccontextmanager
async def served(app: ASGIApp, **config: Any) -> AsyncIterator[str]:
    """Serve ``app`` (``config``: more uvicorn settings) and yield its base URL."""
    port = free_port()
    settings = {"host": "127.0.0.1", "port": port, "ws": "none", "log_level": "error", **config}
    server = uvicorn.Server(uvicorn.Config(app, **settings))
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn has no event to wait on
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving
