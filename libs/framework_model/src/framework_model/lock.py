"""The lock that keeps published framework versions immutable.

``frameworks/published.lock.json`` maps ``"<framework_id>@<version>"`` to the content hash of
every version ever published. Results are reproduced from a pinned version and its hash, so
once a version is in the lock its hash may never change: publish a new version instead.

These functions are pure; ``python -m framework_model lock`` and ``check`` do the file work.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from framework_model.exceptions import LockError
from framework_model.hashing import content_hash
from framework_model.models import Framework

__all__ = ["LOCK_FILE_NAME", "extend_lock", "lock_key", "lock_problems", "parse_lock", "render_lock"]

#: The lock's file name, beside the framework folders.
LOCK_FILE_NAME = "published.lock.json"


def lock_key(framework: Framework) -> str:
    """``"<framework_id>@<version>"``."""
    return f"{framework.framework_id}@{framework.version}"


def parse_lock(text: str) -> dict[str, str]:
    """Read a lock file's text; ``LockError`` unless it is a JSON object of strings."""
    try:
        entries = json.loads(text)
    except json.JSONDecodeError as error:
        raise LockError([f"not valid JSON: {error}"]) from error
    if not isinstance(entries, dict) or not all(isinstance(v, str) for v in entries.values()):
        raise LockError(['expected an object of "framework_id@version": "sha256:..." entries'])
    return entries


def render_lock(entries: Mapping[str, str]) -> str:
    """The lock file's text: sorted keys, two-space indent, a final newline (diff-friendly)."""
    return json.dumps(dict(entries), sort_keys=True, indent=2) + "\n"


def extend_lock(lock: Mapping[str, str], frameworks: Iterable[Framework]) -> dict[str, str]:
    """The lock plus entries for published versions not in it yet.

    ``LockError`` if a locked version's hash differs: the lock never changes an entry.
    """
    extended = dict(lock)
    changed: list[str] = []
    for framework in _published(frameworks):
        key, digest = lock_key(framework), content_hash(framework)
        if extended.setdefault(key, digest) != digest:
            changed.append(_changed(key, extended[key], digest))
    if changed:
        raise LockError(changed)
    return extended


def lock_problems(lock: Mapping[str, str], frameworks: Iterable[Framework]) -> list[str]:
    """Why the frameworks disagree with the lock; empty if they agree.

    Every published version must be locked with its current hash, and every locked version
    must still exist with that hash. A locked version since retired is not compared: its
    status, which the hash covers, changed on purpose.
    """
    present = {lock_key(framework): framework for framework in frameworks}
    problems = [f"{key}: locked but its file is gone" for key in lock if key not in present]
    for key, framework in present.items():
        if framework.status != "retired" and (key in lock or framework.status == "published"):
            problems.extend(_entry_problems(key, lock.get(key), content_hash(framework)))
    return problems


def _entry_problems(key: str, locked: str | None, digest: str) -> list[str]:
    if locked is None:
        return [f"{key}: published but not locked; run `python -m framework_model lock`"]
    if locked != digest:
        return [_changed(key, locked, digest)]
    return []


def _changed(key: str, locked: str, digest: str) -> str:
    return f"{key}: content changed after publication (locked {locked}, now {digest}); publish a new version"


def _published(frameworks: Iterable[Framework]) -> list[Framework]:
    return [framework for framework in frameworks if framework.status == "published"]
