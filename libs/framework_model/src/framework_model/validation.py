"""The rules a framework must follow beyond the types of its fields.

Each rule is a generator of ``FrameworkProblem``s, so one pass reports everything an author
needs to fix rather than the first mistake only. Field-level limits (kebab-case ids,
weights > 0, option scores in [0, 1], levels 1-5) are declared on the models themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from framework_model.problems import FrameworkProblem
from framework_model.versions import is_version, version_key

if TYPE_CHECKING:
    from framework_model.models import Capability, Framework, OptionCrosswalk, Question, Recommendation

__all__ = ["framework_problems"]

Problems = Iterator[FrameworkProblem]
K = TypeVar("K", bound=Hashable)


def framework_problems(framework: Framework) -> list[FrameworkProblem]:
    """Every rule that ``framework`` breaks; empty when it is valid."""
    return [problem for rule in _RULES for problem in rule(framework)]


# Walking the tree, with the path of each item.


def _capabilities(framework: Framework) -> Iterator[tuple[str, Capability]]:
    for i, pillar in enumerate(framework.pillars):
        for j, capability in enumerate(pillar.capabilities):
            yield f"pillars[{i}].capabilities[{j}]", capability


def _questions(framework: Framework) -> Iterator[tuple[str, Capability, Question]]:
    for path, capability in _capabilities(framework):
        for k, question in enumerate(capability.questions):
            yield f"{path}.questions[{k}]", capability, question


def _recommendations(framework: Framework) -> Iterator[tuple[str, Recommendation]]:
    for i, recommendation in enumerate(framework.recommendations):
        yield f"recommendations[{i}]", recommendation


def _key(path: str, key: str) -> str:
    return f"{path}[{key!r}]"


# Unique ids.


def _repeats(items: Iterable[tuple[str, K]]) -> Iterator[tuple[str, K, str]]:
    """Yield (path, key, path of first occurrence) for every key seen before."""
    first: dict[K, str] = {}
    for path, key in items:
        if key in first:
            yield path, key, first[key]
        else:
            first[key] = path


def _duplicates(ids: Iterable[tuple[str, str]]) -> Problems:
    for path, ident, first in _repeats(ids):
        yield FrameworkProblem(path, f"duplicate id {ident!r} (first at {first})")


def _unique_pillar_ids(framework: Framework) -> Problems:
    return _duplicates((f"pillars[{i}].pillar_id", p.pillar_id) for i, p in enumerate(framework.pillars))


def _unique_capability_ids(framework: Framework) -> Problems:
    return _duplicates((f"{path}.capability_id", c.capability_id) for path, c in _capabilities(framework))


def _unique_question_ids(framework: Framework) -> Problems:
    return _duplicates((f"{path}.question_id", q.question_id) for path, _, q in _questions(framework))


def _unique_option_ids(framework: Framework) -> Problems:
    for path, _, question in _questions(framework):
        options = enumerate(question.options)
        yield from _duplicates((f"{path}.options[{i}].option_id", o.option_id) for i, o in options)


def _unique_recommendation_ids(framework: Framework) -> Problems:
    recommendations = _recommendations(framework)
    return _duplicates((f"{path}.recommendation_id", r.recommendation_id) for path, r in recommendations)


# Levels, targets and the critical rule.


def _level_numbers(framework: Framework) -> Problems:
    for i, level in enumerate(framework.levels):
        if level.level != i + 1:
            message = f"expected level {i + 1}, got {level.level}: levels are numbered 1..n in order"
            yield FrameworkProblem(f"levels[{i}].level", message)


def _level_min_scores(framework: Framework) -> Problems:
    first = framework.levels[0].min_score
    if first != 0:
        yield FrameworkProblem("levels[0].min_score", f"the first level must start at 0, got {first}")
    for i, (lower, level) in enumerate(zip(framework.levels, framework.levels[1:], strict=False), start=1):
        if level.min_score <= lower.min_score:
            message = f"{level.min_score} must be above the previous level's min_score {lower.min_score}"
            yield FrameworkProblem(f"levels[{i}].min_score", message)


def _within_levels(framework: Framework, path: str, level: int) -> Problems:
    top = len(framework.levels)
    if level > top:
        yield FrameworkProblem(path, f"level {level} is above the highest level, {top}")


def _default_targets(framework: Framework) -> Problems:
    pillar_ids = [pillar.pillar_id for pillar in framework.pillars]
    for pillar_id in pillar_ids:
        if pillar_id not in framework.default_targets:
            yield FrameworkProblem("default_targets", f"no target for pillar {pillar_id!r}")
    for pillar_id, level in framework.default_targets.items():
        path = _key("default_targets", pillar_id)
        if pillar_id not in pillar_ids:
            yield FrameworkProblem(path, f"unknown pillar {pillar_id!r}")
        yield from _within_levels(framework, path, level)


def _critical_rule(framework: Framework) -> Problems:
    return _within_levels(framework, "critical_rule.cap_level", framework.critical_rule.cap_level)


# Recommendations.


def _recommendation_capabilities(framework: Framework) -> Problems:
    capability_ids = {capability.capability_id for _, capability in _capabilities(framework)}
    for path, rec in _recommendations(framework):
        if rec.capability_id not in capability_ids:
            yield FrameworkProblem(f"{path}.capability_id", f"unknown capability {rec.capability_id!r}")


def _recommendation_dependencies(framework: Framework) -> Problems:
    recommendation_ids = {rec.recommendation_id for rec in framework.recommendations}
    for path, rec in _recommendations(framework):
        for k, dependency in enumerate(rec.depends_on):
            if dependency not in recommendation_ids:
                yield FrameworkProblem(f"{path}.depends_on[{k}]", f"unknown recommendation {dependency!r}")


def _recommendation_triggers(framework: Framework) -> Problems:
    owners = {
        question.question_id: capability.capability_id for _, capability, question in _questions(framework)
    }
    for path, rec in _recommendations(framework):
        for k, question_id in enumerate(rec.triggers):
            owner = owners.get(question_id)
            if owner != rec.capability_id:
                message = _trigger_message(question_id, owner, rec.capability_id)
                yield FrameworkProblem(f"{path}.triggers[{k}]", message)


def _trigger_message(question_id: str, owner: str | None, capability_id: str) -> str:
    if owner is None:
        return f"unknown question {question_id!r}"
    return f"question {question_id!r} belongs to capability {owner!r}, not {capability_id!r}"


def _recommendation_steps(framework: Framework) -> Problems:
    for path, rec in _recommendations(framework):
        if rec.to_level != rec.from_level + 1:
            message = f"expected {rec.from_level + 1} (from_level + 1): a recommendation lifts one level"
            yield FrameworkProblem(f"{path}.to_level", f"{message}, got {rec.to_level}")
        yield from _within_levels(framework, f"{path}.to_level", rec.to_level)


def _one_recommendation_per_step(framework: Framework) -> Problems:
    steps = (
        (f"{path}.from_level", (r.capability_id, r.from_level)) for path, r in _recommendations(framework)
    )
    for path, (capability_id, from_level), first in _repeats(steps):
        message = (
            f"capability {capability_id!r} already has a recommendation from level {from_level} (at {first})"
        )
        yield FrameworkProblem(path, message)


def _dependency_cycles(framework: Framework) -> Problems:
    graph = {rec.recommendation_id: rec.depends_on for rec in framework.recommendations}
    positions = {rec.recommendation_id: i for i, rec in reversed(list(enumerate(framework.recommendations)))}
    for cycle in find_cycles(graph):
        path = f"recommendations[{positions[cycle[0]]}].depends_on"
        yield FrameworkProblem(path, "dependency cycle " + " -> ".join([*cycle, cycle[0]]))


def find_cycles(graph: Mapping[str, Sequence[str]]) -> list[tuple[str, ...]]:
    """At least one cycle through each tangle of ``graph`` (node -> successors), if any.

    Each cycle starts at its node that comes first in ``graph``'s order, so the report is
    stable. Successors that are not nodes are ignored (they are reported elsewhere).
    """
    finder = _CycleFinder(graph)
    for node in graph:
        finder.visit(node)
    return list(finder.cycles)


class _CycleFinder:
    """Depth-first search that records a cycle whenever it meets a node on its own path."""

    def __init__(self, graph: Mapping[str, Sequence[str]]) -> None:
        self.graph = graph
        self.order = {node: i for i, node in enumerate(graph)}
        self.path: list[str] = []
        self.finished: set[str] = set()
        self.cycles: dict[tuple[str, ...], None] = {}  # an ordered set

    def visit(self, node: str) -> None:
        if node in self.path:
            self._record(self.path[self.path.index(node) :])
        elif node in self.graph and node not in self.finished:
            self.path.append(node)
            for successor in self.graph[node]:
                self.visit(successor)
            self.path.pop()
            self.finished.add(node)

    def _record(self, cycle: list[str]) -> None:
        start = min(range(len(cycle)), key=lambda i: self.order[cycle[i]])
        self.cycles[tuple(cycle[start:] + cycle[:start])] = None


# Lead questions: the quick profile.


def _lead_questions(framework: Framework) -> Problems:
    """Lead questions are all or nothing: once any question leads, every capability has exactly
    one lead and every critical question leads, so a quick assessment never loses a cap."""
    if not any(question.lead for _, _, question in _questions(framework)):
        return
    for path, capability in _capabilities(framework):
        leads = [question.question_id for question in capability.questions if question.lead]
        if len(leads) != 1:
            found = ", ".join(leads) or "none"
            yield FrameworkProblem(f"{path}.questions", f"expected exactly one lead question, found {found}")
    for path, _, question in _questions(framework):
        if question.critical and not question.lead:
            yield FrameworkProblem(f"{path}.lead", "a critical question must be a lead question")


# Crosswalk (within one version; the catalogue checks it against the earlier version).


def _crosswalk(framework: Framework) -> Problems:
    for from_version, entry in framework.crosswalk.items():
        path = _key("crosswalk", from_version)
        yield from _crosswalk_version(framework.version, from_version, path)
        if isinstance(entry, dict):
            yield from _question_crosswalk(framework, entry, path)
        else:
            yield from _option_crosswalk(framework, entry, path)


def _question_crosswalk(framework: Framework, mapping: Mapping[str, str], path: str) -> Problems:
    question_ids = {question.question_id for _, _, question in _questions(framework)}
    for old_id, new_id in mapping.items():
        if new_id not in question_ids:
            yield FrameworkProblem(_key(path, old_id), f"{new_id!r} is not a question of this version")


def _option_crosswalk(framework: Framework, crosswalk: OptionCrosswalk, path: str) -> Problems:
    options = {q.question_id: {o.option_id for o in q.options} for _, _, q in _questions(framework)}
    for i, mapping in enumerate(crosswalk.map):
        where = f"{path}.map[{i}]"
        target = options.get(mapping.to_question)
        if target is None:
            yield FrameworkProblem(
                f"{where}.to", f"{mapping.to_question!r} is not a question of this version"
            )
            continue
        for old_option, new_option in mapping.options.items():
            if new_option is not None and new_option not in target:
                message = f"{new_option!r} is not an option of {mapping.to_question!r}"
                yield FrameworkProblem(_key(f"{where}.options", old_option), message)
    mapped = {mapping.from_question for mapping in crosswalk.map}
    for i, dropped in enumerate(crosswalk.dropped):
        if dropped.question_id in mapped:
            message = f"{dropped.question_id!r} is both mapped and dropped"
            yield FrameworkProblem(f"{path}.dropped[{i}].question_id", message)


def _crosswalk_version(version: str, from_version: str, path: str) -> Problems:
    if not is_version(from_version):
        yield FrameworkProblem(path, f"{from_version!r} is not a MAJOR.MINOR.PATCH version")
    elif version_key(from_version) >= version_key(version):
        yield FrameworkProblem(path, f"a crosswalk maps from an earlier version than {version}")


_RULES: tuple[Callable[[Framework], Problems], ...] = (
    _unique_pillar_ids,
    _unique_capability_ids,
    _unique_question_ids,
    _unique_option_ids,
    _level_numbers,
    _level_min_scores,
    _default_targets,
    _critical_rule,
    _unique_recommendation_ids,
    _recommendation_capabilities,
    _recommendation_dependencies,
    _recommendation_triggers,
    _recommendation_steps,
    _one_recommendation_per_step,
    _dependency_cycles,
    _lead_questions,
    _crosswalk,
)
