"""The JSON Schema for framework authors, committed in openapi/ and checked for drift."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framework_model.cli import main
from framework_model.schema import framework_json_schema, render_json_schema

COMMITTED = Path(__file__).parents[2] / "openapi" / "framework.schema.json"


def test_the_committed_schema_is_up_to_date() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render_json_schema(), (
        "regenerate: python -m framework_model schema --output openapi/framework.schema.json"
    )


def test_the_schema_describes_a_framework_file() -> None:
    schema = framework_json_schema()
    assert schema["title"] == "Framework"
    assert {"framework_id", "version", "levels", "pillars", "recommendations", "crosswalk"} <= set(
        schema["properties"]
    )
    assert schema["additionalProperties"] is False
    assert "_content_hash" not in schema["properties"]


def test_cli_writes_the_schema_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    out = capsys.readouterr().out
    assert out == render_json_schema()
    assert json.loads(out) == framework_json_schema()


def test_cli_writes_the_schema_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "framework.schema.json"
    assert main(["schema", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render_json_schema()
