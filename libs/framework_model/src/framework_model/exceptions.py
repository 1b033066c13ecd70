"""The library's exception tree: catch ``FrameworkError`` to handle any of them.

```
FrameworkError
├── UnknownFrameworkError      no such framework, version or published version
├── NoCrosswalkError           a version has no crosswalk from the version asked for
├── FrameworkFileError         a packaged framework file does not read or validate
├── CatalogueError             files are valid alone but disagree with each other
└── LockError                  the published-versions lock file is unreadable or would change
```

Invalid framework *content* is reported by pydantic as a ``ValidationError`` (see
``framework_model.problems``), so HTTP layers can turn it into field errors as usual.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "CatalogueError",
    "FrameworkError",
    "FrameworkFileError",
    "LockError",
    "NoCrosswalkError",
    "UnknownFrameworkError",
]


class FrameworkError(Exception):
    """Base class of every error this library raises on purpose."""


class UnknownFrameworkError(FrameworkError, LookupError):
    """The framework, or the version of it, is not in the catalogue."""

    def __init__(self, framework_id: str, version: str | None = None, *, reason: str = "") -> None:
        self.framework_id = framework_id
        self.version = version
        name = framework_id if version is None else f"{framework_id} {version}"
        super().__init__(reason or f"unknown framework {name!r}")


class NoCrosswalkError(FrameworkError, LookupError):
    """Answers to ``from_version`` cannot be carried to this version: it has no crosswalk."""

    def __init__(self, framework_id: str, version: str, from_version: str) -> None:
        self.framework_id = framework_id
        self.version = version
        self.from_version = from_version
        super().__init__(f"{framework_id} {version} has no crosswalk from version {from_version!r}")


class _ProblemsError(FrameworkError):
    """An error that carries a list of human-readable problems, one line each."""

    def __init__(self, summary: str, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n  ".join([summary, *self.problems]))


class FrameworkFileError(_ProblemsError):
    """A framework file is not YAML, is misplaced, or fails validation.

    ``source`` is the file's path relative to the frameworks folder; ``problems`` are
    lines of the form ``path.in.file: what is wrong``.
    """

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        super().__init__(f"{source}: invalid framework file", problems)


class CatalogueError(_ProblemsError):
    """Framework files disagree with each other, for example a crosswalk names a missing version."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("the framework catalogue is inconsistent", problems)


class LockError(_ProblemsError):
    """The lock of published versions is unreadable, or an update would change a locked hash."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("published versions lock", problems)
