"""``python -m framework_model``: tools for framework authors and CI.

- ``schema [--output PATH]`` writes the JSON Schema of a framework file.
- ``lock`` adds newly published versions to the lock; it never changes a locked hash.
- ``check`` validates every framework file and compares published ones with the lock.
- ``lint`` holds every version to the content bars of its version (``framework_model.lint``).

``--frameworks DIR`` points ``lock`` and ``check`` at another folder (tests use fixtures);
the lock defaults to ``DIR/published.lock.json``. Exit status 1 means a problem was printed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.resources.abc import Traversable
from pathlib import Path

from framework_model.exceptions import FrameworkError
from framework_model.lint import lint_catalogue
from framework_model.loading import packaged_frameworks
from framework_model.lock import LOCK_FILE_NAME, extend_lock, lock_problems, parse_lock, render_lock
from framework_model.registry import Catalogue
from framework_model.schema import render_json_schema

__all__ = ["main"]

_DESCRIPTION = "Tools for framework authors and CI: JSON Schema, lock of published versions, checks."

Command = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    args = _parser().parse_args(argv)
    command: Command = args.command
    try:
        return command(args)
    except FrameworkError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m framework_model", description=_DESCRIPTION)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    schema = commands.add_parser("schema", help="write the JSON Schema of a framework file")
    schema.add_argument("--output", type=Path, help="file to write (default: standard output)")
    schema.set_defaults(command=_schema)
    for name, command, help_text in [
        ("lock", _lock, "lock the content hash of newly published versions"),
        ("check", _check, "validate the frameworks and compare published ones with the lock"),
        ("lint", _lint, "hold every version to the content bars of its version"),
    ]:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--frameworks", type=Path, help="frameworks folder (default: the packaged one)")
        sub.add_argument("--lock", type=Path, help=f"lock file (default: FRAMEWORKS/{LOCK_FILE_NAME})")
        sub.set_defaults(command=command)
    return parser


def _schema(args: argparse.Namespace) -> int:
    text = render_json_schema()
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


def _lock(args: argparse.Namespace) -> int:
    catalogue, lock_file = _catalogue(args), _lock_path(args)
    current = _read_lock(lock_file)
    updated = extend_lock(current, catalogue)
    lock_file.write_text(render_lock(updated), encoding="utf-8")
    added = sorted(set(updated) - set(current))
    print(f"locked {', '.join(added)}" if added else "nothing new to lock")
    return 0


def _check(args: argparse.Namespace) -> int:
    catalogue, lock_file = _catalogue(args), _lock_path(args)
    lock = _read_lock(lock_file)
    problems = lock_problems(lock, catalogue)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if not problems:
        print(f"ok: {len(catalogue)} framework versions valid, {len(lock)} published versions locked")
    return 1 if problems else 0


def _lint(args: argparse.Namespace) -> int:
    catalogue = _catalogue(args)
    problems = lint_catalogue(catalogue)
    for problem in problems:
        print(f"lint: {problem}", file=sys.stderr)
    if not problems:
        print(f"ok: {len(catalogue)} framework versions meet the content bars of their version")
    return 1 if problems else 0


def _frameworks_root(args: argparse.Namespace) -> Traversable:
    root: Traversable = args.frameworks or packaged_frameworks()
    return root


def _catalogue(args: argparse.Namespace) -> Catalogue:
    return Catalogue.from_directory(_frameworks_root(args))


def _read_lock(lock_file: Path) -> dict[str, str]:
    return parse_lock(lock_file.read_text(encoding="utf-8")) if lock_file.is_file() else {}


def _lock_path(args: argparse.Namespace) -> Path:
    # Writing goes to the real file, so the packaged folder must be a source checkout, not a zip.
    lock: Path = args.lock or Path(str(_frameworks_root(args) / LOCK_FILE_NAME))
    return lock
