"""Frameworks on the gateway: the packaged versions, the same as the scoring service serves."""

from __future__ import annotations

import httpx
import pytest

from baseline_api.frameworks.service import framework_mismatches
from framework_model import FrameworkSummary, definition_document, list_frameworks, load_framework

FRAMEWORK = "nhs-digital-readiness"


@pytest.fixture
async def reader(make_headers) -> dict[str, str]:
    return await make_headers("read")


async def test_lists_every_packaged_version(api, reader):
    response = await api.get("/v1/frameworks", headers=reader)
    assert response.status_code == 200
    items = response.json()["items"]
    assert items == [summary.model_dump(mode="json") for summary in list_frameworks()]
    versions = {(item["framework_id"], item["version"]): item for item in items}
    assert {(FRAMEWORK, "1.0.0"), (FRAMEWORK, "1.1.0")} <= set(versions)
    first = versions[FRAMEWORK, "1.0.0"]
    assert first["status"] == "published"
    assert first["content_hash"].startswith("sha256:")
    assert set(first) == {"framework_id", "version", "title", "content_hash", "status"}


async def test_serves_the_whole_definition_with_its_hash(api, reader):
    response = await api.get(f"/v1/frameworks/{FRAMEWORK}/versions/1.1.0", headers=reader)
    assert response.status_code == 200
    body = response.json()
    assert body == definition_document(load_framework(FRAMEWORK, "1.1.0"))
    assert [p["pillar_id"] for p in body["pillars"]] == [
        "ways-of-working",
        "operating-model",
        "supplier-ecosystem",
    ]
    assert "1.0.0" in body["crosswalk"]


async def test_the_gateway_and_the_scoring_service_agree(api, reader, scoring_url):
    async with httpx.AsyncClient(base_url=scoring_url) as scoring:
        served = (await scoring.get("/v1/frameworks")).json()
        definition = (await scoring.get(f"/v1/frameworks/{FRAMEWORK}/versions/1.0.0")).json()
    assert (await api.get("/v1/frameworks", headers=reader)).json() == served
    assert (await api.get(f"/v1/frameworks/{FRAMEWORK}/versions/1.0.0", headers=reader)).json() == definition


@pytest.mark.parametrize("path", [f"{FRAMEWORK}/versions/9.9.9", "no-such-framework/versions/1.0.0"])
async def test_unknown_framework_or_version_is_404(api, reader, path):
    response = await api.get(f"/v1/frameworks/{path}", headers=reader)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_overlong_path_parameters_are_422(api, reader):
    response = await api.get(f"/v1/frameworks/{'x' * 65}/versions/1.0.0", headers=reader)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.framework_id"


async def test_frameworks_need_the_read_scope(api, make_headers):
    ingest_only = await make_headers("ingest")
    assert (await api.get("/v1/frameworks", headers=ingest_only)).status_code == 403
    url = f"/v1/frameworks/{FRAMEWORK}/versions/1.0.0"
    assert (await api.get(url, headers=ingest_only)).status_code == 403


def _summary(version: str, content_hash: str) -> FrameworkSummary:
    return FrameworkSummary(
        framework_id=FRAMEWORK, version=version, title="t", content_hash=content_hash, status="published"
    )


def test_no_mismatch_when_the_scoring_service_serves_the_same_content():
    known = [_summary("1.0.0", "sha256:a"), _summary("1.1.0", "sha256:b")]
    assert framework_mismatches(known, list(reversed(known))) == []


def test_a_different_content_hash_is_a_mismatch():
    known = [_summary("1.0.0", "sha256:a"), _summary("1.1.0", "sha256:b")]
    served = [_summary("1.0.0", "sha256:a"), _summary("1.1.0", "sha256:other")]
    (problem,) = framework_mismatches(known, served)
    assert "1.1.0" in problem
    assert "sha256:other" in problem


def test_a_version_the_scoring_service_lacks_is_a_mismatch():
    known = [_summary("1.0.0", "sha256:a"), _summary("1.1.0", "sha256:b")]
    (problem,) = framework_mismatches(known, [_summary("1.0.0", "sha256:a")])
    assert "1.1.0" in problem


def test_versions_only_the_scoring_service_has_are_fine():
    known = [_summary("1.0.0", "sha256:a")]
    assert framework_mismatches(known, [_summary("1.0.0", "sha256:a"), _summary("2.0.0", "sha256:c")]) == []


def test_the_packaged_frameworks_match_themselves():
    assert framework_mismatches(list_frameworks(), list_frameworks()) == []
