"""``python -m baseline_api``: what the entry point does before serving."""

from __future__ import annotations

import gc
from types import SimpleNamespace

import pytest
import uvicorn

from baseline_api import __main__ as entry


def test_the_app_is_served_with_its_startup_objects_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    served: dict[str, object] = {}
    settings = SimpleNamespace(log_format="text", host="127.0.0.1", port=0, shutdown_grace_seconds=1)
    monkeypatch.setattr(entry, "Settings", lambda: settings)
    monkeypatch.setattr(entry, "configure_logging", lambda _format: None)
    monkeypatch.setattr(entry, "create_app", lambda _settings: [object() for _ in range(100)])

    def run(app: object, **_options: object) -> None:
        served["app"] = app
        # Frozen objects are in no generation: no collection walks them.
        served["collected"] = any(obj is app for obj in gc.get_objects())

    monkeypatch.setattr(uvicorn, "run", run)
    gc.unfreeze()
    try:
        entry.main()
    finally:
        gc.unfreeze()
    assert isinstance(served["app"], list)
    assert served["collected"] is False
