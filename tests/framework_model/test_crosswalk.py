"""Crosswalks between versions: checked across the catalogue, used to carry answers forward."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from framework_model import Catalogue, CatalogueError, NoCrosswalkError, crosswalk_question_ids

from .conftest import FIXTURES


def _catalogue_with_crosswalk(tmp_path: Path, crosswalk: str) -> Catalogue:
    root = tmp_path / "frameworks"
    shutil.copytree(FIXTURES, root)
    path = root / "demo-readiness" / "1.1.0.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("crosswalk:")] + crosswalk, encoding="utf-8")
    return Catalogue.from_directory(root)


def test_the_fixture_crosswalk_is_accepted(demo_catalogue: Catalogue) -> None:
    assert demo_catalogue.get("demo-readiness", "1.1.0").crosswalk["1.0.0"]


def test_a_crosswalk_from_an_unknown_version_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as caught:
        _catalogue_with_crosswalk(tmp_path, 'crosswalk:\n  "0.9.0": {}\n')
    assert caught.value.problems == (
        "demo-readiness/1.1.0.yaml: crosswalk['0.9.0']: unknown version '0.9.0' of 'demo-readiness'",
    )


def test_a_crosswalk_key_must_be_a_question_of_the_earlier_version(tmp_path: Path) -> None:
    crosswalk = 'crosswalk:\n  "1.0.0":\n    culture-learnin: culture-retrospectives\n'
    with pytest.raises(CatalogueError) as caught:
        _catalogue_with_crosswalk(tmp_path, crosswalk)
    assert caught.value.problems == (
        "demo-readiness/1.1.0.yaml: crosswalk['1.0.0']['culture-learnin']:"
        " 'culture-learnin' is not a question of version 1.0.0",
    )


def test_renamed_questions_map_and_the_rest_carry_over(demo_catalogue: Catalogue) -> None:
    old = demo_catalogue.get("demo-readiness", "1.0.0")
    new = demo_catalogue.get("demo-readiness", "1.1.0")
    assert crosswalk_question_ids(new, "1.0.0", from_framework=old) == {
        "culture-blameless": "culture-blameless",
        "culture-learning": "culture-retrospectives",
        "safety-officer": "safety-officer",
        "exit-plan": "exit-plan",
    }


def test_without_the_earlier_version_every_current_id_maps_to_itself(demo_catalogue: Catalogue) -> None:
    new = demo_catalogue.get("demo-readiness", "1.1.0")
    mapping = crosswalk_question_ids(new, "1.0.0")
    assert mapping["culture-learning"] == "culture-retrospectives"
    assert mapping["culture-retrospectives"] == "culture-retrospectives"
    assert len(mapping) == 5


def test_the_same_version_maps_to_itself(demo_catalogue: Catalogue) -> None:
    new = demo_catalogue.get("demo-readiness", "1.1.0")
    assert crosswalk_question_ids(new, "1.1.0") == {
        q: q for q in ["culture-blameless", "culture-retrospectives", "safety-officer", "exit-plan"]
    }


def test_no_crosswalk_is_an_error(demo_catalogue: Catalogue) -> None:
    old = demo_catalogue.get("demo-readiness", "1.0.0")
    with pytest.raises(
        NoCrosswalkError, match=r"demo-readiness 1\.0\.0 has no crosswalk from version '0\.1\.0'"
    ):
        crosswalk_question_ids(old, "0.1.0")


def test_the_earlier_framework_must_be_the_version_named(demo_catalogue: Catalogue) -> None:
    new = demo_catalogue.get("demo-readiness", "1.1.0")
    with pytest.raises(ValueError, match=r"from_framework is version 1\.1\.0, not 1\.0\.0"):
        crosswalk_question_ids(new, "1.0.0", from_framework=new)
