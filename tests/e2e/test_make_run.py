"""`make run` as a newcomer sees it: real processes, an embedded PostgreSQL, a clean stop.

Runs the launcher that `make run` runs (``python -m baseline_devstack``) twice on one data
folder: the second start proves the first stop left nothing behind (no server holding the data
folder, no port still bound).
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from baseline_devstack.launcher import LaunchConfig, _banner, api_environment, launch_environment
from baseline_devstack.processes import free_port, wait_until_ready

pytestmark = pytest.mark.e2e

TOKEN = "e2e-admin-token-0123456789-0123456789-abcdef"


def _start(data_dir: Path, api_port: int, scoring_port: int, log: Path) -> subprocess.Popen[bytes]:
    env = launch_environment(data_dir, api_port, scoring_port, TOKEN)
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "baseline_devstack"], env=env, stdout=out, stderr=out)


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _processes_using(data_dir: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline", "status"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if str(data_dir) in cmdline and process.info["status"] != psutil.STATUS_ZOMBIE:
            found.append(process)
    return found


def _run_once(data_dir: Path, log: Path) -> None:
    api_port, scoring_port = free_port(), free_port()
    launcher = _start(data_dir, api_port, scoring_port, log)
    try:
        wait_until_ready(f"http://127.0.0.1:{api_port}/readyz", [launcher], timeout=120)
        ready = httpx.get(f"http://127.0.0.1:{api_port}/readyz").json()
        assert ready["checks"] == {"database": "ok", "scoring": "ok", "frameworks": "ok"}
        assert httpx.get(f"http://127.0.0.1:{scoring_port}/healthz").status_code == 200
        deadline = time.monotonic() + 10
        while f"{api_port}/docs" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert TOKEN in log.read_text(), "the admin token is printed"
    finally:
        launcher.send_signal(signal.SIGTERM)
        assert launcher.wait(60) == 0, log.read_text()[-3000:]
    assert _port_is_free(api_port)
    assert _port_is_free(scoring_port)
    assert _processes_using(data_dir) == [], "a process still holds the data folder"
    assert not (data_dir / "pg" / "postmaster.pid").exists(), "PostgreSQL is still running"


def test_make_run_serves_and_stops_cleanly_twice(tmp_path):
    data_dir, log = tmp_path / "data", tmp_path / "run.log"
    _run_once(data_dir, log)
    _run_once(data_dir, log)
    assert log.read_text().count("Baseline is running.") == 2


def test_make_run_passes_the_browser_settings_to_the_api():
    origins = "http://127.0.0.1:5173,https://portal.example.nhs.uk"
    config = LaunchConfig.from_environment({"CORS_ALLOWED_ORIGINS": origins, "API_PORT": "8100"})
    env = api_environment(config, "postgresql://db/baseline")
    assert env["CORS_ALLOWED_ORIGINS"] == origins
    assert env["BASELINE_ENV"] == "development"
    assert "http://127.0.0.1:8100/examples/portal/" in _banner(config)
    production = LaunchConfig.from_environment({"BASELINE_ENV": "production"})
    assert api_environment(production, "postgresql://db/baseline")["BASELINE_ENV"] == "production"
    assert "examples/portal" not in _banner(production)
