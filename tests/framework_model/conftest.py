"""Fixtures for the framework library: a small demo framework in three versions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from framework_model import Catalogue, Framework

FIXTURES = Path(__file__).parent / "fixtures" / "frameworks"
DEMO_1_0 = FIXTURES / "demo-readiness" / "1.0.0.yaml"


@pytest.fixture
def demo_data() -> dict[str, Any]:
    """The demo framework 1.0.0 as plain data, fresh for each test to break as it likes."""
    data: dict[str, Any] = yaml.safe_load(DEMO_1_0.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def demo(demo_data: dict[str, Any]) -> Framework:
    return Framework.model_validate(demo_data)


@pytest.fixture
def demo_catalogue() -> Catalogue:
    return Catalogue.from_directory(FIXTURES)
