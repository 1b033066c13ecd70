"""Start, watch and stop service processes: shared by the launcher and the tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from typing import IO

import httpx

__all__ = ["Process", "free_port", "spawn_module", "stop_process", "wait_until_ready"]

Process = subprocess.Popen[bytes]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def spawn_module(module: str, env: Mapping[str, str], log: IO[bytes] | None = None) -> Process:
    """``python -m module`` with this interpreter, the current environment plus ``env``."""
    command = [sys.executable, "-m", module]
    return subprocess.Popen(command, env={**os.environ, **env}, stdout=log, stderr=log)  # noqa: S603


def stop_process(process: Process, grace_seconds: float = 15.0) -> None:
    """SIGTERM (uvicorn finishes requests in flight), then SIGKILL after the grace period."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_ready(url: str, processes: Iterable[Process] = (), timeout: float = 60.0) -> None:
    """Poll ``url`` until it answers 200; fail fast when a watched process dies."""
    watched = list(processes)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in watched):
            raise RuntimeError(f"a process exited while waiting for {url}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer 200 within {timeout:.0f} s")
