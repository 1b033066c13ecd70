"""Reading framework files: ``<framework_id>/<version>.yaml`` under a frameworks folder.

The only I/O in the library is reading these files, through ``importlib.resources``
``Traversable``s so that it works from a wheel, a zip or a source checkout alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

import yaml
from pydantic import ValidationError

from framework_model.exceptions import FrameworkFileError
from framework_model.models import Framework
from framework_model.problems import problems_from_error

__all__ = ["framework_files", "packaged_frameworks", "parse_framework", "read_framework"]


def packaged_frameworks() -> Traversable:
    """The ``frameworks`` folder shipped inside this package."""
    return files("framework_model") / "frameworks"


def framework_files(root: Traversable) -> Iterator[tuple[str, Traversable]]:
    """``(relative path, file)`` of every ``<framework_id>/<version>.yaml`` under ``root``, sorted."""
    for folder in sorted(root.iterdir(), key=lambda item: item.name):
        if folder.is_dir():
            for file in sorted(folder.iterdir(), key=lambda item: item.name):
                if file.is_file() and file.name.endswith(".yaml"):
                    yield f"{folder.name}/{file.name}", file


def read_framework(source: str, file: Traversable) -> Framework:
    """Read, validate and check the placement of one framework file."""
    framework = parse_framework(file.read_text(encoding="utf-8"), source)
    expected = f"{framework.framework_id}/{framework.version}.yaml"
    if source != expected:
        # The registry finds versions by path, so a file elsewhere would be served under a wrong name.
        raise FrameworkFileError(source, [f"framework_id and version say this file belongs at {expected}"])
    return framework


def parse_framework(text: str, source: str = "<string>") -> Framework:
    """Validate YAML text as a ``Framework``; ``FrameworkFileError`` lists every problem."""
    data = _load_yaml(text, source)
    if not isinstance(data, dict):
        raise FrameworkFileError(source, ["expected a mapping at the top level"])
    try:
        return Framework.model_validate(data)
    except ValidationError as error:
        raise FrameworkFileError(source, [str(p) for p in problems_from_error(error)]) from error


def _load_yaml(text: str, source: str) -> Any:
    try:
        duplicates = _duplicate_keys(yaml.compose(text, Loader=yaml.SafeLoader))
        if duplicates:
            raise FrameworkFileError(source, duplicates)
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise FrameworkFileError(source, [f"not valid YAML: {error}"]) from error


def _duplicate_keys(node: yaml.Node | None) -> list[str]:
    """PyYAML silently keeps the last of two equal keys; in a hand-written file that is a mistake."""
    if isinstance(node, yaml.MappingNode):
        return _repeated_keys(node) + _nested_duplicates(value for _, value in node.value)
    if isinstance(node, yaml.SequenceNode):
        return _nested_duplicates(node.value)
    return []


def _nested_duplicates(nodes: Iterable[yaml.Node]) -> list[str]:
    return [problem for node in nodes for problem in _duplicate_keys(node)]


def _repeated_keys(node: yaml.MappingNode) -> list[str]:
    seen: set[str] = set()
    problems: list[str] = []
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        if key.value in seen:
            problems.append(f"line {key.start_mark.line + 1}: duplicate key {key.value!r}")
        seen.add(key.value)
    return problems
