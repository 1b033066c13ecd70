"""Framework versions as the gateway knows them: the ones packaged with ``framework_model``.

Frameworks never change while a process runs, so a definition is validated once and cached.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from baseline_api.frameworks.schemas import FrameworkDefinition
from baseline_service_kit import NotFound
from framework_model import FrameworkSummary, UnknownFrameworkError, definition_document, load_framework

__all__ = ["definition", "framework_mismatches"]


@functools.cache
def _definition(framework_id: str, version: str) -> FrameworkDefinition:
    return FrameworkDefinition.model_validate(definition_document(load_framework(framework_id, version)))


def definition(framework_id: str, version: str) -> FrameworkDefinition:
    try:
        return _definition(framework_id, version)
    except UnknownFrameworkError as exc:
        raise NotFound(str(exc)) from exc


def framework_mismatches(known: Iterable[FrameworkSummary], served: Iterable[FrameworkSummary]) -> list[str]:
    """What the scoring service would score differently from what the gateway stores.

    Every version the gateway knows must be served with the same content hash: a version the
    scoring service lacks could never be scored, and one with another hash would be scored
    against other content. Versions only the scoring service has are harmless (it deploys first).
    """
    served_hashes = {(s.framework_id, s.version): s.content_hash for s in served}
    problems = []
    for summary in known:
        name = f"{summary.framework_id} {summary.version}"
        served_hash = served_hashes.get((summary.framework_id, summary.version))
        if served_hash is None:
            problems.append(f"{name}: not served by the scoring service")
        elif served_hash != summary.content_hash:
            problems.append(f"{name}: content hash {served_hash} differs from {summary.content_hash}")
    return problems
