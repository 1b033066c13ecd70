"""HTTP rates measured with ``wrk`` (a C load generator, Debian's ``wrk`` package), so that the
load generator is never the bottleneck: 16 connections on one wrk thread, the figure and its
baseline taking turns in short rounds (A B A B ...) within one run, so that a slow spell of this
shared machine falls on both alike.

Every answer that is not 2xx (wrk counts "non-2xx or 3xx responses"; none of the routes measured
redirects) and every socket error is counted, and a series with any fails its figure.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.table import Row

__all__ = ["CONNECTIONS", "Load", "Rate", "alternate", "rate_row", "require_wrk"]

CONNECTIONS, ROUNDS, ROUND_SECONDS, WARM_UP_SECONDS = 16, 3, 3, 1
INSTALL_HINT = "wrk is not installed. On Debian or Ubuntu: sudo apt-get install -y wrk (https://github.com/wg/wrk elsewhere)."


@dataclass(frozen=True)
class Load:
    """What wrk sends, in turn: each request's method, path and body, with the same headers."""

    base_url: str
    requests: Sequence[tuple[str, str, bytes]]
    headers: Mapping[str, str]


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: float
    failed: int  # non-2xx answers and socket errors

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.requests + other.requests, self.seconds + other.seconds, self.failed + other.failed)


def require_wrk() -> None:
    if shutil.which("wrk") is None:
        sys.exit(INSTALL_HINT)


def alternate(a: Load, b: Load, rounds: int = ROUNDS, seconds: int = ROUND_SECONDS) -> tuple[Rate, Rate]:
    """A's and B's rates over ``rounds`` rounds of ``seconds`` each, A B A B ..., after an
    uncounted warm-up of each."""
    with tempfile.TemporaryDirectory() as folder:
        scripts = [_script(Path(folder) / name, load) for name, load in (("a.lua", a), ("b.lua", b))]
        for load, script in zip((a, b), scripts, strict=True):
            _wrk(load.base_url, script, WARM_UP_SECONDS)
        totals = [Rate(0, 0.0, 0), Rate(0, 0.0, 0)]
        for _ in range(rounds):
            for i, (load, script) in enumerate(zip((a, b), scripts, strict=True)):
                totals[i] += _wrk(load.base_url, script, seconds)
    return totals[0], totals[1]


def rate_row(figure: str, rate: Rate, baseline_name: str, baseline: Rate, at_least: float) -> Row:
    """A figure in requests per second whose goal is ``at_least`` x its baseline's; a failed
    request in either series fails it, and is named."""
    failed = rate.failed + baseline.failed
    return Row(
        f"{figure} ({CONNECTIONS} connections)" + (f" - {failed} FAILED REQUESTS" if failed else ""),
        rate.per_second,
        "req/s",
        baseline_name,
        baseline.per_second,
        f">= {at_least:g} x",
        failed == 0 and rate.per_second >= at_least * baseline.per_second,
    )


def _wrk(base_url: str, script: Path, seconds: int) -> Rate:
    command = [
        "wrk",
        "-t1",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        base_url,
    ]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    summary = json.loads(finished.stdout.strip().splitlines()[-1])
    return Rate(summary["requests"], summary["seconds"], summary["failed"])


def _script(path: Path, load: Load) -> Path:
    """A wrk script sending ``load.requests`` in turn and printing a JSON summary line."""
    requests = ",\n".join(
        f"  wrk.format({_lua(method)}, {_lua(target)}, nil, {_lua(body.decode()) if body else 'nil'})"
        for method, target, body in load.requests
    )
    headers = "\n".join(f"wrk.headers[{_lua(name)}] = {_lua(value)}" for name, value in load.headers.items())
    path.write_text(
        f"""{headers}
local requests = {{
{requests}
}}
local next_one = 0
function request()
  next_one = next_one % #requests + 1
  return requests[next_one]
end
function done(summary, latency, requests)
  local e = summary.errors
  local failed = e.status + e.connect + e.read + e.write + e.timeout
  io.write(string.format('{{"requests": %d, "seconds": %f, "failed": %d}}\\n',
    summary.requests, summary.duration / 1e6, failed))
end
"""
    )
    return path


def _lua(text: str) -> str:
    """A Lua string literal: JSON's escapes are Lua's for what our bodies and paths hold (UTF-8
    is kept as it is: Lua 5.1 has no ``\\u`` escape)."""
    return json.dumps(text, ensure_ascii=False)
