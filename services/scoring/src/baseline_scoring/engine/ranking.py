"""Order recommendations best-first while keeping every prerequisite before its dependants.

A prerequisite inherits the best key of any recommended item that (transitively) depends on
it, then a stable topological sort (Kahn's) repeatedly takes the best item whose recommended
prerequisites are all placed. A cycle, which framework validation should have refused, is
broken at its best item rather than looping.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

__all__ = ["RankKey", "every_prerequisite", "prerequisites", "rank"]

#: Smaller is better: (not critical-capped, -priority, recommendation id).
RankKey = tuple[bool, float, str]


def every_prerequisite(depends_on: Mapping[str, Sequence[str]]) -> dict[str, frozenset[str]]:
    """For each id, every id it depends on, directly or through others (never itself, even in a
    cycle): what ``prerequisites`` narrows to the recommended, worked out once per framework."""
    return {item: _reachable(item, depends_on) - {item} for item in depends_on}


def prerequisites(
    recommended: Collection[str], every: Mapping[str, frozenset[str]]
) -> dict[str, frozenset[str]]:
    """For each recommended id, the recommended ids it depends on, directly or through others;
    ``every`` is ``every_prerequisite`` of the rules' dependencies."""
    wanted = frozenset(recommended)
    return {item: every[item] & wanted for item in recommended}


def rank(keys: Mapping[str, RankKey], before: Mapping[str, frozenset[str]]) -> list[str]:
    """Ids best key first, each after everything in ``before[id]``; keys must be distinct."""
    if not any(before.values()):
        return sorted(keys, key=keys.__getitem__)  # nothing waits for anything: the usual case
    effective = _inherited_keys(keys, before)
    remaining = sorted(keys, key=lambda item: (effective[item], keys[item]))
    placed: set[str] = set()
    order: list[str] = []
    while remaining:
        ready = remaining.pop(_first_ready(remaining, before, placed))
        placed.add(ready)
        order.append(ready)
    return order


def _first_ready(remaining: Sequence[str], before: Mapping[str, frozenset[str]], placed: set[str]) -> int:
    """Where the best item whose prerequisites are all placed is; in a cycle, the best item."""
    for position, item in enumerate(remaining):
        if before[item] <= placed:
            return position
    return 0


def _inherited_keys(keys: Mapping[str, RankKey], before: Mapping[str, frozenset[str]]) -> dict[str, RankKey]:
    best = dict(keys)
    for dependant, prerequisite_ids in before.items():
        for prerequisite in prerequisite_ids:
            best[prerequisite] = min(best[prerequisite], keys[dependant])
    return best


def _reachable(start: str, depends_on: Mapping[str, Sequence[str]]) -> frozenset[str]:
    seen: set[str] = set()
    stack = list(depends_on.get(start, ()))
    while stack:
        item = stack.pop()
        if item not in seen:
            seen.add(item)
            stack.extend(depends_on.get(item, ()))
    return frozenset(seen)
