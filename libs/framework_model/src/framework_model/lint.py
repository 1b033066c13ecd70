"""The content linter: what a machine can check of a framework's writing, beyond its validity.

Validation (``framework_model.validation``) refuses a framework that cannot be scored. The
linter holds a framework to the bars its authors set for readers (``shared/design/framework-2.md``):
a ladder of five cumulative rungs, a budget of questions and minutes, every acronym explained,
steps that start with a verb and say when they are done, impact that really ranks.

Each rule applies from the version that introduced it, so an older version is held only to
what it was published with: ``lint_framework(load_framework(id, "1.0.0"))`` checks 1.0.0 for
the rules of 1.x alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from framework_model.index import framework_index
from framework_model.models import Framework, OptionCrosswalk, Question
from framework_model.problems import FrameworkProblem
from framework_model.registry import Catalogue
from framework_model.validation import find_cycles
from framework_model.versions import version_key

__all__ = [
    "IMPERATIVE_VERBS",
    "LADDER_SCORES",
    "MAX_CRITICAL",
    "MAX_MINUTES",
    "MAX_QUESTIONS",
    "MAX_QUESTIONS_PER_CAPABILITY",
    "OPTION_CROSSWALK_SINCE",
    "RULES",
    "LintRule",
    "acronyms_in",
    "lint_catalogue",
    "lint_framework",
]

MAX_QUESTIONS = 32
MAX_QUESTIONS_PER_CAPABILITY = 2
MAX_MINUTES = 45.0
MAX_CRITICAL = 5
LADDER_SCORES = (0.0, 0.25, 0.5, 0.75, 1.0)
#: The version from which a framework carries every earlier version's answers option by option.
OPTION_CROSSWALK_SINCE = "2.0.0"
#: Rungs from the third up build on the one below, and say so.
CUMULATIVE_PREFIX = "As above"

#: The verbs an action may start with. A new verb is added here on purpose, after a reader has
#: checked that the action really tells a team what to do.
_VERBS = """
    Adopt Agree Appoint Assess Audit Automate Book Brief Build Bring Buy Catalogue Change Check
    Choose Close Commission Compare Create Define Delegate Deliver Design Document Draft Embed
    Establish Estimate Extend Fund Give Hold Identify Include Introduce Invite Keep Launch Link List
    Log Make Map Measure Meet Migrate Move Name Negotiate Open Pair Pilot Plan Practise Prepare
    Present Prioritise Protect Publish Put Raise Rebalance Record Reduce Register Rehearse Release
    Remove Renegotiate Replace Report Request Require Restore Retire Review Rewrite Run Schedule
    Score Secure Separate Set Share Show Sign Simplify Split Standardise Start Stop Survey Swap
    Switch Take Teach Test Track Train Trial Turn Update Use Write
"""
IMPERATIVE_VERBS = frozenset(_VERBS.split())

_ACRONYM = re.compile(r"(?<![\w+])(?:[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*|[a-z]+\+[a-z]+)(?:s)?(?![\w+])")


@dataclass(frozen=True)
class LintRule:
    """One bar: ``check`` yields problems; it applies to versions from ``since`` on."""

    name: str
    since: str
    check: Callable[[Framework], Iterator[FrameworkProblem]]

    def applies_to(self, framework: Framework) -> bool:
        return version_key(framework.version) >= version_key(self.since)


def lint_framework(framework: Framework) -> list[FrameworkProblem]:
    """Every bar ``framework`` misses among the rules that apply to its version, rule by rule."""
    return [
        FrameworkProblem(problem.path, f"[{rule.name}] {problem.message}")
        for rule in RULES
        if rule.applies_to(framework)
        for problem in rule.check(framework)
    ]


def lint_catalogue(catalogue: Catalogue) -> list[str]:
    """Every version's problems, as ``<framework_id>/<version>.yaml: path: message`` lines, and
    from 2.0.0 on a crosswalk, option by option, from every earlier version of the framework
    (the catalogue itself has checked that each one accounts for every question and option)."""
    lines: list[str] = []
    for framework in catalogue:
        source = f"{framework.framework_id}/{framework.version}.yaml"
        problems = [*lint_framework(framework), *_crosswalk_coverage(catalogue, framework)]
        lines.extend(f"{source}: {problem}" for problem in problems)
    return lines


def _crosswalk_coverage(catalogue: Catalogue, framework: Framework) -> Iterator[FrameworkProblem]:
    if version_key(framework.version) < version_key(OPTION_CROSSWALK_SINCE):
        return
    for earlier in catalogue.versions(framework.framework_id):
        if version_key(earlier.version) >= version_key(framework.version):
            continue
        entry = framework.crosswalk.get(earlier.version)
        if not isinstance(entry, OptionCrosswalk):
            message = f"no option-level crosswalk from {earlier.version}: its answers could not be carried"
            yield FrameworkProblem(f"crosswalk[{earlier.version!r}]", f"[crosswalk-complete] {message}")


def acronyms_in(text: str) -> set[str]:
    """Acronyms in ``text``: words of two or more capitals (``EPR``, ``DCB0129``, plural ``ICBs``
    read as ``ICB``), and lower-case ones joined by a plus (``dm+d``)."""
    found = set()
    for match in _ACRONYM.finditer(text):
        word = match.group()
        found.add(word[:-1] if word.endswith("s") and word[:-1].isupper() else word)
    return found


# Walking the texts and items, each with its path.


def _questions(framework: Framework) -> Iterator[tuple[str, Question]]:
    for i, pillar in enumerate(framework.pillars):
        for j, capability in enumerate(pillar.capabilities):
            for k, question in enumerate(capability.questions):
                yield f"pillars[{i}].capabilities[{j}].questions[{k}]", question


def _texts(framework: Framework) -> Iterator[tuple[str, str]]:
    yield "title", framework.title
    yield "description", framework.description
    for i, pillar in enumerate(framework.pillars):
        yield f"pillars[{i}].title", pillar.title
        yield f"pillars[{i}].description", pillar.description
        for j, capability in enumerate(pillar.capabilities):
            yield f"pillars[{i}].capabilities[{j}].title", capability.title
            yield f"pillars[{i}].capabilities[{j}].description", capability.description
    for path, question in _questions(framework):
        yield f"{path}.text", question.text
        yield f"{path}.guidance", question.guidance
        for n, option in enumerate(question.options):
            yield f"{path}.options[{n}].label", option.label
    for i, rec in enumerate(framework.recommendations):
        for name in ("title", "action", "done_when"):
            yield f"recommendations[{i}].{name}", getattr(rec, name) or ""


# Rules of every version.


def _unique_labels(framework: Framework) -> Iterator[FrameworkProblem]:
    for path, question in _questions(framework):
        seen: set[str] = set()
        for n, option in enumerate(question.options):
            if option.label.strip().lower() in seen:
                yield FrameworkProblem(f"{path}.options[{n}].label", "the same label as an option above")
            seen.add(option.label.strip().lower())


def _acyclic_prerequisites(framework: Framework) -> Iterator[FrameworkProblem]:
    graph = {rec.recommendation_id: rec.depends_on for rec in framework.recommendations}
    for cycle in find_cycles(graph):
        yield FrameworkProblem("recommendations", "prerequisite cycle " + " -> ".join([*cycle, cycle[0]]))


# Rules of 2.0.0 on: burden.


def _question_budget(framework: Framework) -> Iterator[FrameworkProblem]:
    questions = list(_questions(framework))
    if len(questions) > MAX_QUESTIONS:
        yield FrameworkProblem("pillars", f"{len(questions)} questions; at most {MAX_QUESTIONS}")
    for i, pillar in enumerate(framework.pillars):
        for j, capability in enumerate(pillar.capabilities):
            if len(capability.questions) > MAX_QUESTIONS_PER_CAPABILITY:
                message = f"{len(capability.questions)} questions; at most {MAX_QUESTIONS_PER_CAPABILITY}"
                yield FrameworkProblem(f"pillars[{i}].capabilities[{j}].questions", message)
    if not any(question.lead for _, question in questions):
        yield FrameworkProblem("pillars", "no lead questions: every capability needs one (the quick profile)")


def _minutes_budget(framework: Framework) -> Iterator[FrameworkProblem]:
    total = 0.0
    for path, question in _questions(framework):
        if question.minutes is None:
            yield FrameworkProblem(f"{path}.minutes", "every question says how many team minutes it takes")
        total += question.minutes or 0.0
    if total > MAX_MINUTES:
        yield FrameworkProblem("pillars", f"the questions take {total:g} minutes; at most {MAX_MINUTES:g}")


def _critical_items(framework: Framework) -> Iterator[FrameworkProblem]:
    critical = [path for path, question in _questions(framework) if question.critical]
    if len(critical) > MAX_CRITICAL:
        yield FrameworkProblem("pillars", f"{len(critical)} critical questions; at most {MAX_CRITICAL}")


# Rules of 2.0.0 on: the ladder.


def _ladder(framework: Framework) -> Iterator[FrameworkProblem]:
    for path, question in _questions(framework):
        scores = tuple(option.score for option in question.options)
        if scores != LADDER_SCORES:
            expected = ", ".join(f"{score:g}" for score in LADDER_SCORES)
            yield FrameworkProblem(f"{path}.options", f"scores must be exactly {expected} in that order")
        for n, option in enumerate(question.options[2:], start=2):
            if not option.label.startswith(CUMULATIVE_PREFIX):
                message = f"a rung builds on the one below: start with {CUMULATIVE_PREFIX!r}"
                yield FrameworkProblem(f"{path}.options[{n}].label", message)


# Rules of 2.0.0 on: plain English.


def _glossary(framework: Framework) -> Iterator[FrameworkProblem]:
    terms = Counter(entry.term for entry in framework.glossary)
    for term in sorted(term for term, count in terms.items() if count > 1):
        yield FrameworkProblem("glossary", f"{term!r} is defined more than once")
    for path, text in _texts(framework):
        for acronym in sorted(acronyms_in(text) - set(terms)):
            yield FrameworkProblem(path, f"{acronym!r} is not in the glossary")


# Rules of 2.0.0 on: the steps.


def _steps(framework: Framework) -> Iterator[FrameworkProblem]:
    for i, rec in enumerate(framework.recommendations):
        path = f"recommendations[{i}]"
        first_word = rec.action.split(maxsplit=1)[0].strip(",.:;") if rec.action.strip() else ""
        if first_word not in IMPERATIVE_VERBS:
            message = f"starts with {first_word!r}: start with an imperative verb (see lint.IMPERATIVE_VERBS)"
            yield FrameworkProblem(f"{path}.action", message)
        if rec.done_when is None:
            yield FrameworkProblem(f"{path}.done_when", "say what evidence shows the step is done")
        if rec.duration_days is None:
            yield FrameworkProblem(f"{path}.duration_days", "say how many days the step takes (at most 90)")


def _one_step_per_level(framework: Framework) -> Iterator[FrameworkProblem]:
    steps = {(rec.capability_id, rec.from_level) for rec in framework.recommendations}
    for capability_id in framework_index(framework).capabilities:
        for level in range(1, len(framework.levels)):
            if (capability_id, level) not in steps:
                message = f"capability {capability_id!r} has no step from level {level}"
                yield FrameworkProblem("recommendations", message)


def _impact_spread(framework: Framework) -> Iterator[FrameworkProblem]:
    impacts = Counter(rec.impact for rec in framework.recommendations)
    unused = [impact for impact in range(1, 6) if impact not in impacts]
    if framework.recommendations and unused:
        yield FrameworkProblem("recommendations", f"impact {unused} never used: use the whole 1-5 range")
    half = len(framework.recommendations) / 2
    for impact, count in sorted(impacts.items()):
        if count > half:
            message = f"impact {impact} on {count} of {len(framework.recommendations)} steps: at most half"
            yield FrameworkProblem("recommendations", message)


def _safety_steps_stand_alone(framework: Framework) -> Iterator[FrameworkProblem]:
    """A step that protects patients or the organisation (its capability holds a critical
    question) waits on nothing outside its own capability."""
    index = framework_index(framework)
    guarded = {
        capability_id
        for capability_id, ref in index.capabilities.items()
        if any(question.critical for question in ref.capability.questions)
    }
    for i, rec in enumerate(framework.recommendations):
        if rec.capability_id not in guarded:
            continue
        for k, dependency in enumerate(rec.depends_on):
            other = index.recommendations.get(dependency)
            if other is not None and other.capability_id != rec.capability_id:
                message = f"a safety step waits on {dependency!r} of {other.capability_id!r}"
                yield FrameworkProblem(f"recommendations[{i}].depends_on[{k}]", message)


def _names(items: Iterable[LintRule]) -> tuple[LintRule, ...]:
    rules = tuple(items)
    assert len({rule.name for rule in rules}) == len(rules), "lint rule names are unique"
    return rules


RULES: tuple[LintRule, ...] = _names(
    [
        LintRule("unique-labels", "1.0.0", _unique_labels),
        LintRule("acyclic-prerequisites", "1.0.0", _acyclic_prerequisites),
        LintRule("question-budget", "2.0.0", _question_budget),
        LintRule("minutes-budget", "2.0.0", _minutes_budget),
        LintRule("critical-items", "2.0.0", _critical_items),
        LintRule("ladder", "2.0.0", _ladder),
        LintRule("glossary", "2.0.0", _glossary),
        LintRule("steps", "2.0.0", _steps),
        LintRule("one-step-per-level", "2.0.0", _one_step_per_level),
        LintRule("impact-spread", "2.0.0", _impact_spread),
        LintRule("safety-steps-stand-alone", "2.0.0", _safety_steps_stand_alone),
    ]
)
