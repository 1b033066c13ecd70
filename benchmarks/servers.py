"""Serve a module under test as its own process, the way production runs it; or the whole
system, the way `make run` starts it."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from baseline_devstack.launcher import launch_environment
from baseline_devstack.processes import free_port, spawn_module, stop_process, wait_until_ready

__all__ = ["TOKEN", "System", "served", "system"]

TOKEN = "bench-admin-token-0123456789-0123456789-abcdef"


class System(NamedTuple):
    api: str
    scoring: str
    database_url: str  # libpq URL of the system's database, for baselines written straight to it


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


@contextmanager
def system() -> Iterator[System]:
    """The launcher `make run` uses, on a throwaway data folder."""
    api_port, scoring_port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as data, open(os.devnull, "wb") as quiet:
        env = launch_environment(Path(data), api_port, scoring_port, TOKEN)
        command = [sys.executable, "-m", "baseline_devstack"]
        launcher = subprocess.Popen(command, env=env, stdout=quiet, stderr=quiet)
        try:
            wait_until_ready(f"http://127.0.0.1:{api_port}/readyz", [launcher], timeout=120)
            api, scoring = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{scoring_port}"
            yield System(api, scoring, _database_url(Path(data) / "pg"))
        finally:
            stop_process(launcher, grace_seconds=30)


def _database_url(pgdata: Path) -> str:
    """The launcher's database on its embedded server, found through the server's postmaster.pid
    (whose fifth line is the folder of its Unix socket)."""
    socket_dir = (pgdata / "postmaster.pid").read_text().splitlines()[4]
    return f"postgresql://postgres@/baseline?host={socket_dir}"
