"""Published versions are immutable: the lock file, its check, and the CLI around them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from framework_model import (
    Framework,
    LockError,
    content_hash,
    default_catalogue,
    packaged_frameworks,
)
from framework_model.cli import main
from framework_model.lock import LOCK_FILE_NAME, extend_lock, lock_problems, parse_lock, render_lock

from .conftest import FIXTURES
from .support import put


def _framework(data: dict[str, Any], version: str, status: str) -> Framework:
    return Framework.model_validate({**data, "version": version, "status": status})


def test_every_packaged_published_version_matches_the_lock() -> None:
    lock = parse_lock((packaged_frameworks() / LOCK_FILE_NAME).read_text(encoding="utf-8"))
    assert lock_problems(lock, default_catalogue()) == []


def test_the_packaged_lock_is_rendered_canonically() -> None:
    text = (packaged_frameworks() / LOCK_FILE_NAME).read_text(encoding="utf-8")
    assert text == render_lock(parse_lock(text))


def test_extend_adds_published_versions_only(demo_data: dict[str, Any]) -> None:
    published = _framework(demo_data, "1.0.0", "published")
    draft = _framework(demo_data, "2.0.0", "draft")
    assert extend_lock({"other@1.0.0": "sha256:x"}, [published, draft]) == {
        "other@1.0.0": "sha256:x",
        "demo-readiness@1.0.0": content_hash(published),
    }


def test_extend_never_changes_a_locked_hash(demo_data: dict[str, Any]) -> None:
    published = _framework(demo_data, "1.0.0", "published")
    with pytest.raises(LockError, match=r"demo-readiness@1\.0\.0: content changed after publication"):
        extend_lock({"demo-readiness@1.0.0": "sha256:old"}, [published])


def test_problems_name_unlocked_changed_and_missing_versions(demo_data: dict[str, Any]) -> None:
    unlocked = _framework(demo_data, "1.0.0", "published")
    changed = _framework(demo_data, "1.1.0", "published")
    lock = {"demo-readiness@1.1.0": "sha256:old", "demo-readiness@0.9.0": "sha256:gone"}
    assert lock_problems(lock, [unlocked, changed]) == [
        "demo-readiness@0.9.0: locked but its file is gone",
        "demo-readiness@1.0.0: published but not locked; run `python -m framework_model lock`",
        "demo-readiness@1.1.0: content changed after publication"
        f" (locked sha256:old, now {content_hash(changed)}); publish a new version",
    ]


def test_a_retired_version_is_not_compared_but_a_draft_one_is(demo_data: dict[str, Any]) -> None:
    retired = _framework(demo_data, "1.0.0", "retired")
    unpublished = _framework(demo_data, "1.1.0", "draft")
    lock = {"demo-readiness@1.0.0": "sha256:a", "demo-readiness@1.1.0": "sha256:b"}
    [problem] = lock_problems(lock, [retired, unpublished])
    assert problem.startswith("demo-readiness@1.1.0: content changed after publication")


@pytest.mark.parametrize("text", ["not json", "[]", '{"a@1.0.0": 1}'])
def test_a_malformed_lock_is_refused(text: str) -> None:
    with pytest.raises(LockError):
        parse_lock(text)


def test_render_sorts_keys_and_ends_with_a_newline() -> None:
    assert render_lock({"b@1.0.0": "y", "a@1.0.0": "x"}) == '{\n  "a@1.0.0": "x",\n  "b@1.0.0": "y"\n}\n'


@pytest.fixture
def frameworks(tmp_path: Path) -> Path:
    root = tmp_path / "frameworks"
    shutil.copytree(FIXTURES, root)
    return root


def _relabel(root: Path) -> None:
    path = root / "demo-readiness" / "1.0.0.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("label: Sometimes", "label: Now and then"), encoding="utf-8"
    )


def test_cli_lock_then_check(frameworks: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lock", "--frameworks", str(frameworks)]) == 0
    lock = json.loads((frameworks / LOCK_FILE_NAME).read_text(encoding="utf-8"))
    assert sorted(lock) == ["demo-readiness@1.0.0", "demo-readiness@1.1.0"]  # not the 1.2.0 draft
    assert "locked demo-readiness@1.0.0, demo-readiness@1.1.0" in capsys.readouterr().out
    assert main(["check", "--frameworks", str(frameworks)]) == 0
    assert capsys.readouterr().out.startswith("ok: 3 framework versions valid, 2 published versions locked")


def test_cli_check_fails_when_a_published_file_changes(
    frameworks: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lock", "--frameworks", str(frameworks)]) == 0
    _relabel(frameworks)
    assert main(["check", "--frameworks", str(frameworks)]) == 1
    assert "error: demo-readiness@1.0.0: content changed after publication" in capsys.readouterr().err


def test_cli_lock_refuses_to_change_a_locked_hash(
    frameworks: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lock", "--frameworks", str(frameworks)]) == 0
    before = (frameworks / LOCK_FILE_NAME).read_text(encoding="utf-8")
    _relabel(frameworks)
    assert main(["lock", "--frameworks", str(frameworks)]) == 1
    assert "content changed after publication" in capsys.readouterr().err
    assert (frameworks / LOCK_FILE_NAME).read_text(encoding="utf-8") == before


def test_cli_check_fails_on_an_unlocked_published_version(frameworks: Path, tmp_path: Path) -> None:
    lock = tmp_path / "elsewhere.lock.json"
    lock.write_text("{}\n", encoding="utf-8")
    assert main(["check", "--frameworks", str(frameworks), "--lock", str(lock)]) == 1


def test_cli_check_reports_an_invalid_framework_file(
    frameworks: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = frameworks / "demo-readiness" / "1.2.0.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("impact: 5", "impact: 9"), encoding="utf-8")
    assert main(["check", "--frameworks", str(frameworks)]) == 1
    assert "recommendations[2].impact: Input should be less than or equal to 5" in capsys.readouterr().err


def test_put_changes_a_framework(demo_data: dict[str, Any]) -> None:
    put("title", "Other")(demo_data)
    assert Framework.model_validate(demo_data).title == "Other"
