"""`make openapi`: write both apps' OpenAPI documents and the framework JSON Schema to openapi/,
exactly as the drift tests expect them."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from baseline_api.app import create_app as create_api_app
from baseline_devstack.migrate import REPO_ROOT
from baseline_scoring.app import create_app as create_scoring_app
from baseline_service_kit import export_openapi
from framework_model.schema import render_json_schema

__all__ = ["OPENAPI_DIR", "documents", "main"]

OPENAPI_DIR = REPO_ROOT / "openapi"


def documents() -> dict[Path, FastAPI]:
    return {OPENAPI_DIR / "api.json": create_api_app(), OPENAPI_DIR / "scoring.json": create_scoring_app()}


def main() -> None:
    for path, app in documents().items():
        path.write_text(export_openapi(app), encoding="utf-8")
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    schema_path = OPENAPI_DIR / "framework.schema.json"
    schema_path.write_text(render_json_schema(), encoding="utf-8")
    print(f"wrote {schema_path.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
