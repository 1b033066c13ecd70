"""The JSON Schema of a framework file, for authors' editors and for review of changes."""

from __future__ import annotations

import json
from typing import Any

from framework_model.models import Framework

__all__ = ["framework_json_schema", "render_json_schema"]


def framework_json_schema() -> dict[str, Any]:
    """``Framework.model_json_schema()``: field types and limits, not the cross-item rules."""
    return Framework.model_json_schema()


def render_json_schema() -> str:
    """The schema as committed in ``openapi/framework.schema.json``: sorted, indented, final newline."""
    return json.dumps(framework_json_schema(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
