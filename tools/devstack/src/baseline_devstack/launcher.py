"""`make run`: the whole system on one machine, stopped cleanly by Ctrl-C or SIGTERM.

Order matters: database, migrations, scoring, API. On the way down the services stop first
and the embedded database last, in a ``finally``, so that nothing is left running even when
uvicorn re-raises the signal that stopped it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from baseline_devstack.migrate import REPO_ROOT, upgrade
from baseline_devstack.postgres import create_database, embedded_postgres
from baseline_devstack.processes import Process, spawn_module, stop_process, wait_until_ready

__all__ = ["LaunchConfig", "api_environment", "launch_environment", "main"]


@dataclass(frozen=True)
class LaunchConfig:
    data_dir: Path
    host: str
    api_port: int
    scoring_port: int
    admin_token: str
    database_url: str | None
    # Passed through to the API as they are; the API's settings check them.
    cors_allowed_origins: str = ""
    environment: str = "development"

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> LaunchConfig:
        return cls(
            data_dir=Path(env.get("BASELINE_DATA_DIR", REPO_ROOT / ".data")).resolve(),
            host=env.get("HOST", "127.0.0.1"),
            api_port=int(env.get("API_PORT", "8000")),
            scoring_port=int(env.get("SCORING_PORT", "8001")),
            admin_token=env.get("BASELINE_ADMIN_TOKEN") or secrets.token_urlsafe(32),
            database_url=env.get("DATABASE_URL") or None,
            cors_allowed_origins=env.get("CORS_ALLOWED_ORIGINS", ""),
            environment=env.get("BASELINE_ENV", "development"),
        )

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.api_port}"


def api_environment(config: LaunchConfig, database_url: str) -> dict[str, str]:
    return {
        "HOST": config.host,
        "PORT": str(config.api_port),
        "DATABASE_URL": database_url,
        "SCORING_URL": f"http://{config.host}:{config.scoring_port}",
        "BASELINE_ADMIN_TOKEN": config.admin_token,
        "BASELINE_ENV": config.environment,
        "CORS_ALLOWED_ORIGINS": config.cors_allowed_origins,
    }


def launch_environment(data_dir: Path, api_port: int, scoring_port: int, admin_token: str) -> dict[str, str]:
    """The environment that runs the launcher on its own embedded database, as tests and
    benchmarks do: this process's environment without DATABASE_URL, plus where to put things."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return env | {
        "BASELINE_DATA_DIR": str(data_dir),
        "API_PORT": str(api_port),
        "SCORING_PORT": str(scoring_port),
        "BASELINE_ADMIN_TOKEN": admin_token,
    }


@contextlib.contextmanager
def database(config: LaunchConfig) -> Iterator[str]:
    if config.database_url:
        yield config.database_url
        return
    with embedded_postgres(config.data_dir / "pg") as maintenance_url:
        yield create_database(maintenance_url, "baseline")


def _banner(config: LaunchConfig) -> str:
    api = config.api_url
    lines = [
        "\nBaseline is running.",
        f"  API docs:        {api}/docs  (ReDoc: {api}/redoc)",
        f"  Scoring docs:    http://{config.host}:{config.scoring_port}/docs",
    ]
    if config.environment == "development":
        lines.append(f"  Example portal:  {api}/examples/portal/")
    if config.cors_allowed_origins:
        lines.append(f"  Browsers from:   {config.cors_allowed_origins}")
    lines += [f"  Admin token:     {config.admin_token}", "  Stop with Ctrl-C.\n"]
    return "\n".join(lines)


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(config: LaunchConfig) -> None:
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    processes: list[Process] = []
    with database(config) as database_url:
        try:
            upgrade(database_url)
            processes.append(
                spawn_module("baseline_scoring", {"HOST": config.host, "PORT": str(config.scoring_port)})
            )
            processes.append(spawn_module("baseline_api", api_environment(config, database_url)))
            wait_until_ready(f"{config.api_url}/readyz", processes, timeout=60.0)
            print(_banner(config), flush=True)
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
            print("a service stopped unexpectedly; shutting down", file=sys.stderr)
        except (KeyboardInterrupt, RuntimeError, TimeoutError) as exc:
            if not isinstance(exc, KeyboardInterrupt):
                print(f"start-up failed: {exc}", file=sys.stderr)
            print("\nstopping...", file=sys.stderr)
        finally:
            for process in reversed(processes):
                stop_process(process)


def main() -> None:
    run(LaunchConfig.from_environment(os.environ))
    print("stopped.", file=sys.stderr)


if __name__ == "__main__":
    main()
