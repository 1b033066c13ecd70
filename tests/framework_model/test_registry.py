"""The catalogue: listing, loading, the latest published version, and errors."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from framework_model import (
    Catalogue,
    CatalogueError,
    Framework,
    FrameworkError,
    FrameworkFileError,
    FrameworkSummary,
    UnknownFrameworkError,
    content_hash,
    default_catalogue,
    load_framework,
    version_key,
)

from .conftest import DEMO_1_0, FIXTURES
from .support import put


def _version(data: dict[str, Any], version: str, status: str = "published") -> Framework:
    put("version", version)(data)
    put("status", status)(data)
    return Framework.model_validate(data)


def test_summaries_list_every_version_in_order(demo_catalogue: Catalogue) -> None:
    summaries = demo_catalogue.summaries()
    assert [(s.framework_id, s.version, s.status) for s in summaries] == [
        ("demo-readiness", "1.0.0", "published"),
        ("demo-readiness", "1.1.0", "published"),
        ("demo-readiness", "1.2.0", "draft"),
    ]
    first = demo_catalogue.get("demo-readiness", "1.0.0")
    assert summaries[0] == FrameworkSummary(
        framework_id="demo-readiness",
        version="1.0.0",
        title="Demo readiness",
        content_hash=content_hash(first),
        status="published",
    )


def test_versions_sort_as_numbers(demo_data: dict[str, Any]) -> None:
    catalogue = Catalogue([_version(demo_data, v) for v in ["1.10.0", "1.9.0", "1.2.0", "10.0.0"]])
    assert [f.version for f in catalogue] == ["1.2.0", "1.9.0", "1.10.0", "10.0.0"]
    assert catalogue.latest_published("demo-readiness").version == "10.0.0"
    assert version_key("1.10.0") == (1, 10, 0)


def test_frameworks_sort_by_id_first(demo_data: dict[str, Any]) -> None:
    other = {**demo_data, "framework_id": "another", "version": "9.0.0"}
    catalogue = Catalogue([_version(demo_data, "1.0.0"), Framework.model_validate(other)])
    assert [f.framework_id for f in catalogue] == ["another", "demo-readiness"]


def test_load_a_version(demo_catalogue: Catalogue) -> None:
    framework = demo_catalogue.get("demo-readiness", "1.1.0")
    assert framework.version == "1.1.0"
    assert framework.crosswalk == {"1.0.0": {"culture-learning": "culture-retrospectives"}}


def test_latest_published_skips_drafts(demo_catalogue: Catalogue) -> None:
    assert demo_catalogue.latest_published("demo-readiness").version == "1.1.0"


def test_a_framework_with_only_drafts_has_no_latest_published(demo_data: dict[str, Any]) -> None:
    catalogue = Catalogue([_version(demo_data, "1.0.0", "draft")])
    with pytest.raises(UnknownFrameworkError, match="has no published version"):
        catalogue.latest_published("demo-readiness")


def test_an_unknown_version_names_the_known_ones(demo_catalogue: Catalogue) -> None:
    with pytest.raises(
        UnknownFrameworkError, match=r"no version '9\.9\.9' \(known: 1\.0\.0, 1\.1\.0, 1\.2\.0\)"
    ):
        demo_catalogue.get("demo-readiness", "9.9.9")


def test_an_unknown_framework_is_a_framework_error_and_a_lookup_error(demo_catalogue: Catalogue) -> None:
    with pytest.raises(UnknownFrameworkError) as caught:
        demo_catalogue.latest_published("nope")
    assert isinstance(caught.value, FrameworkError)
    assert isinstance(caught.value, LookupError)
    assert (caught.value.framework_id, caught.value.version) == ("nope", None)


def test_the_same_version_twice_is_refused(demo_data: dict[str, Any]) -> None:
    with pytest.raises(
        CatalogueError, match=r"demo-readiness/1\.0\.0\.yaml: demo-readiness 1\.0\.0 is defined twice"
    ):
        Catalogue([_version(demo_data, "1.0.0"), _version(demo_data, "1.0.0")])


def _copy_fixtures(tmp_path: Path) -> Path:
    root = tmp_path / "frameworks"
    shutil.copytree(FIXTURES, root)
    return root


def test_a_file_must_sit_where_its_id_and_version_say(tmp_path: Path) -> None:
    root = _copy_fixtures(tmp_path)
    shutil.copy(DEMO_1_0, root / "demo-readiness" / "2.0.0.yaml")
    with pytest.raises(FrameworkFileError, match=r"belongs at demo-readiness/1\.0\.0\.yaml") as caught:
        Catalogue.from_directory(root)
    assert caught.value.source == "demo-readiness/2.0.0.yaml"


def test_an_invalid_file_is_named_with_the_path_inside_it(tmp_path: Path) -> None:
    root = _copy_fixtures(tmp_path)
    path = root / "demo-readiness" / "1.0.0.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "label: Sometimes, score: 0.5", "label: Sometimes, score: 5"
        ),
        encoding="utf-8",
    )
    with pytest.raises(FrameworkFileError) as caught:
        Catalogue.from_directory(root)
    assert caught.value.source == "demo-readiness/1.0.0.yaml"
    assert caught.value.problems == (
        "pillars[0].capabilities[0].questions[0].options[1].score: Input should be less than or equal to 1",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("framework_id: [unclosed", "not valid YAML"),
        ("- a list\n", "expected a mapping at the top level"),
        ("title: a\ntitle: b\n", "line 2: duplicate key 'title'"),
    ],
)
def test_unreadable_files_are_reported(tmp_path: Path, text: str, expected: str) -> None:
    root = _copy_fixtures(tmp_path)
    (root / "demo-readiness" / "1.0.0.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkFileError, match=expected):
        Catalogue.from_directory(root)


def test_a_duplicate_key_deep_in_a_file_is_reported(tmp_path: Path) -> None:
    root = _copy_fixtures(tmp_path)
    path = root / "demo-readiness" / "1.0.0.yaml"
    text = path.read_text(encoding="utf-8").replace("\n    weight: 2\n", "\n    weight: 2\n    weight: 1\n")
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    weight: 1") + 1
    with pytest.raises(FrameworkFileError, match=rf"line {line}: duplicate key 'weight'"):
        Catalogue.from_directory(root)


def test_other_files_are_ignored(tmp_path: Path) -> None:
    root = _copy_fixtures(tmp_path)
    (root / "published.lock.json").write_text("{}\n", encoding="utf-8")
    (root / "demo-readiness" / "README.md").write_text("notes\n", encoding="utf-8")
    assert len(Catalogue.from_directory(root)) == 3


def test_the_packaged_catalogue_is_read_once() -> None:
    assert default_catalogue() is default_catalogue()


def test_an_unknown_packaged_framework_is_an_error() -> None:
    with pytest.raises(UnknownFrameworkError):
        load_framework("no-such-framework", "1.0.0")
