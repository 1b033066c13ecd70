"""The pure parts of reports: content negotiation, the roadmap's phases, spreadsheet safety, ETags."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baseline_api.reports.cache import matches
from baseline_api.reports.negotiation import preferred
from baseline_api.reports.roadmap import Step, phases
from baseline_api.reports.spreadsheets import safe_text

OFFERS = ["text/html", "application/pdf"]


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "text/html"),
        ("", "text/html"),
        ("*/*", "text/html"),
        ("application/pdf", "application/pdf"),
        ("text/html;q=0.5, application/pdf", "application/pdf"),
        ("application/*", "application/pdf"),
        ("text/*;q=0.2, */*;q=0.1", "text/html"),
        ("application/pdf;q=0, */*", "text/html"),
        ("application/json", None),
        ("text/html;q=0", None),
        ("image/png, text/csv", None),
        ("text/html;q=nonsense", None),
    ],
)
def test_preferred(accept, chosen):
    assert preferred(accept, OFFERS) == chosen


def _step(rec_id: str, depends_on: tuple[str, ...] | list[str] = ()) -> Step:
    return Step(rec={"recommendation_id": rec_id, "depends_on": list(depends_on)})


def test_phases_respect_the_size_and_prerequisites():
    backlog = [
        _step("a", ["c"]),
        _step("b"),
        _step("c"),
        _step("d", ["a"]),
        _step("e", ["done"]),
        _step("f", ["x"]),
    ]
    planned = phases(backlog, [_step("done")], 2)
    assert [[s.id for s in phase] for phase in planned] == [["b", "c"], ["a", "e"], ["d", "f"]]


@given(st.lists(st.integers(0, 9), max_size=12, unique=True), st.integers(1, 4), st.randoms())
def test_every_step_comes_once_after_its_prerequisites(ids, size, random):
    steps = [_step(str(i), [str(d) for d in ids[:k] if random.random() < 0.3]) for k, i in enumerate(ids)]
    planned = phases(steps, [], size)
    assert sorted(s.id for phase in planned for s in phase) == sorted(s.id for s in steps)
    position = {s.id: n for n, phase in enumerate(planned) for s in phase}
    assert all(len(phase) <= size for phase in planned)
    assert all(position[d] < position[s.id] for s in steps for d in s.rec["depends_on"])


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44", "'+44"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_safe_text(text, written):
    assert safe_text(text) == written


@pytest.mark.parametrize(
    ("header", "matched"),
    [
        (None, False),
        ('"abc"', True),
        ('W/"abc"', True),
        ('"x", "abc"', True),
        ("*", True),
        ('"abcd"', False),
        ("abc", False),
    ],
)
def test_if_none_match(header, matched):
    assert matches(header, '"abc"') is matched
