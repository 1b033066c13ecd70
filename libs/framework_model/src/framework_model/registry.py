"""The catalogue of framework versions, and the one shipped in this package.

Framework files never change while a process runs, so the packaged catalogue is read and
validated once (``default_catalogue`` is cached) and every lookup after that is a dict hit.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from importlib.resources.abc import Traversable

from pydantic import BaseModel, ConfigDict

from framework_model.exceptions import CatalogueError, UnknownFrameworkError
from framework_model.hashing import content_hash
from framework_model.index import framework_index
from framework_model.loading import framework_files, packaged_frameworks, read_framework
from framework_model.models import Framework, FrameworkStatus, OptionCrosswalk
from framework_model.versions import version_key

__all__ = [
    "Catalogue",
    "FrameworkSummary",
    "default_catalogue",
    "latest_published",
    "list_frameworks",
    "load_framework",
]

FrameworkKey = tuple[str, str]


class FrameworkSummary(BaseModel):
    """One framework version as listed by ``GET /v1/frameworks``."""

    model_config = ConfigDict(frozen=True)

    framework_id: str
    version: str
    title: str
    content_hash: str
    status: FrameworkStatus

    @classmethod
    def of(cls, framework: Framework) -> FrameworkSummary:
        """Summarise one framework version."""
        return cls(
            framework_id=framework.framework_id,
            version=framework.version,
            title=framework.title,
            content_hash=content_hash(framework),
            status=framework.status,
        )


class Catalogue:
    """A fixed set of framework versions, checked against each other when built.

    Iterates in order of ``framework_id``, then version as numbers (``1.9.0`` < ``1.10.0``).
    """

    def __init__(self, frameworks: Iterable[Framework]) -> None:
        by_key: dict[FrameworkKey, Framework] = {}
        problems: list[str] = []
        for framework in sorted(frameworks, key=_order):
            key = (framework.framework_id, framework.version)
            if key in by_key:
                problems.append(f"{_source(framework)}: {key[0]} {key[1]} is defined twice")
            by_key[key] = framework
        problems.extend(crosswalk_problems(by_key))
        if problems:
            raise CatalogueError(problems)
        self._frameworks: Mapping[FrameworkKey, Framework] = by_key

    @classmethod
    def from_directory(cls, root: Traversable) -> Catalogue:
        """Read every ``<framework_id>/<version>.yaml`` under ``root``."""
        return cls(read_framework(source, file) for source, file in framework_files(root))

    def __iter__(self) -> Iterator[Framework]:
        return iter(self._frameworks.values())

    def __len__(self) -> int:
        return len(self._frameworks)

    def get(self, framework_id: str, version: str) -> Framework:
        """One version; ``UnknownFrameworkError`` if the framework or the version is not here."""
        framework = self._frameworks.get((framework_id, version))
        if framework is None:
            known = ", ".join(f.version for f in self.versions(framework_id))
            reason = f"framework {framework_id!r} has no version {version!r} (known: {known})"
            raise UnknownFrameworkError(framework_id, version, reason=reason)
        return framework

    def versions(self, framework_id: str) -> list[Framework]:
        """Every version of a framework, oldest first; ``UnknownFrameworkError`` if there is none."""
        found = [framework for framework in self if framework.framework_id == framework_id]
        if not found:
            raise UnknownFrameworkError(framework_id)
        return found

    def latest_published(self, framework_id: str) -> Framework:
        """The highest version whose status is ``published``."""
        published = [f for f in self.versions(framework_id) if f.status == "published"]
        if not published:
            reason = f"framework {framework_id!r} has no published version"
            raise UnknownFrameworkError(framework_id, reason=reason)
        return published[-1]

    def summaries(self) -> list[FrameworkSummary]:
        """A summary of every version, in catalogue order."""
        return [FrameworkSummary.of(framework) for framework in self]


def crosswalk_problems(frameworks: Mapping[FrameworkKey, Framework]) -> Iterator[str]:
    """Crosswalk entries that name a missing version, or a question or option that version lacks;
    an option-level entry must also account for every question and option of that version."""
    for framework in frameworks.values():
        for from_version, entry in framework.crosswalk.items():
            where = f"{_source(framework)}: crosswalk[{from_version!r}]"
            earlier = frameworks.get((framework.framework_id, from_version))
            if earlier is None:
                yield f"{where}: unknown version {from_version!r} of {framework.framework_id!r}"
            elif isinstance(entry, OptionCrosswalk):
                yield from _option_entry_problems(where, entry, earlier)
            else:
                yield from _question_entry_problems(where, entry, earlier)


def _question_entry_problems(where: str, mapping: Mapping[str, str], earlier: Framework) -> Iterator[str]:
    old_questions = framework_index(earlier).questions
    for old_id in mapping:
        if old_id not in old_questions:
            yield f"{where}[{old_id!r}]: {old_id!r} is not a question of version {earlier.version}"


def _option_entry_problems(where: str, crosswalk: OptionCrosswalk, earlier: Framework) -> Iterator[str]:
    old_questions = framework_index(earlier).questions
    for i, mapping in enumerate(crosswalk.map):
        ref = old_questions.get(mapping.from_question)
        if ref is None:
            yield f"{where}.map[{i}].from: {mapping.from_question!r} is not a question of version {earlier.version}"
            continue
        old_options = [option.option_id for option in ref.question.options]
        for missing in [option for option in old_options if option not in mapping.options]:
            yield f"{where}.map[{i}].options: option {missing!r} of {mapping.from_question!r} is not mapped"
        for unknown in [option for option in mapping.options if option not in old_options]:
            yield f"{where}.map[{i}].options[{unknown!r}]: not an option of {mapping.from_question!r}"
    for i, dropped in enumerate(crosswalk.dropped):
        if dropped.question_id not in old_questions:
            message = f"{dropped.question_id!r} is not a question of version {earlier.version}"
            yield f"{where}.dropped[{i}].question_id: {message}"
    accounted = {m.from_question for m in crosswalk.map} | {d.question_id for d in crosswalk.dropped}
    for question_id in old_questions:
        if question_id not in accounted:
            yield f"{where}: question {question_id!r} of version {earlier.version} is neither mapped nor dropped"


def _order(framework: Framework) -> tuple[str, tuple[int, int, int]]:
    return framework.framework_id, version_key(framework.version)


def _source(framework: Framework) -> str:
    return f"{framework.framework_id}/{framework.version}.yaml"


@functools.cache
def default_catalogue() -> Catalogue:
    """The frameworks shipped in this package, read and validated on first use."""
    return Catalogue.from_directory(packaged_frameworks())


def load_framework(framework_id: str, version: str) -> Framework:
    """A packaged framework version; ``UnknownFrameworkError`` if there is no such version."""
    return default_catalogue().get(framework_id, version)


def list_frameworks() -> list[FrameworkSummary]:
    """Every packaged framework version, by ``framework_id`` then version."""
    return default_catalogue().summaries()


def latest_published(framework_id: str) -> Framework:
    """The newest published version of a packaged framework."""
    return default_catalogue().latest_published(framework_id)
