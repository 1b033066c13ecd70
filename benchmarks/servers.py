"""Serve a module under test as its own process, the way production runs it."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from baseline_devstack.processes import spawn_module, stop_process, wait_until_ready

__all__ = ["served"]


@contextmanager
def served(module: str, port: int, ready_path: str, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """``python -m module`` with HOST/PORT set; yields its base URL once ``ready_path`` answers."""
    # Access logs go nowhere: the table is the output, and every server pays the same for logging.
    with open(os.devnull, "wb") as quiet:
        process = spawn_module(module, {"HOST": "127.0.0.1", "PORT": str(port), **(env or {})}, log=quiet)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_ready(url + ready_path, [process], timeout=60)
            yield url
        finally:
            stop_process(process)
