"""The README's configuration table names every variable the services read."""

from __future__ import annotations

import re

import pytest
from pydantic_settings import BaseSettings

from baseline_api.core.settings import Settings as ApiSettings
from baseline_scoring.settings import Settings as ScoringSettings
from tests.conftest import REPO_ROOT


def _configuration_table() -> str:
    readme = (REPO_ROOT / "README.md").read_text()
    return readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("settings", [ApiSettings, ScoringSettings], ids=lambda s: s.__module__)
def test_every_setting_is_documented(settings: type[BaseSettings]):
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", _configuration_table()))
    assert {name.upper() for name in settings.model_fields} - documented == set()
