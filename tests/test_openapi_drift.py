"""The committed OpenAPI documents are exactly what the apps serve: regenerate with `make openapi`."""

from __future__ import annotations

import pytest

from baseline_devstack.export_openapi import documents
from baseline_service_kit import export_openapi


@pytest.mark.parametrize("path", sorted(documents()), ids=lambda p: p.name)
def test_committed_openapi_matches_the_app(path):
    app = documents()[path]
    assert path.exists(), f"{path.name} is missing: run `make openapi`"
    assert path.read_text(encoding="utf-8") == export_openapi(app), f"{path.name} drifted: run `make openapi`"


def test_operation_ids_are_unique_and_named_after_endpoints():
    for app in documents().values():
        ids = [op["operationId"] for item in app.openapi()["paths"].values() for op in item.values()]
        assert len(ids) == len(set(ids))
        assert all(op_id.isidentifier() for op_id in ids)
