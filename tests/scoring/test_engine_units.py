"""The engine's small building blocks: rounding, bands, percent-to-target and ranking."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from baseline_scoring.engine.levels import (
    band_min,
    band_name,
    capped,
    decimal_round_half_up,
    level_for,
    round_half_up,
)
from baseline_scoring.engine.ranking import RankKey, every_prerequisite, prerequisites, rank
from baseline_scoring.engine.targets import gap, percent_to_target
from tests.scoring.engine_support import ENGINE_PROFILE, small_framework

BANDS = tuple(small_framework().levels)  # 1 >= 0 | 2 >= 20 | 3 >= 40 | 4 >= 60 | 5 >= 80


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (58.25, 1, 58.3),  # banker's rounding would give 58.2
        (58.35, 1, 58.4),
        (41.666666666666664, 1, 41.7),
        (0.125, 2, 0.13),
        (1.45, 1, 1.5),  # stored a hair below 1.45, read as written
        (2 / 3, 4, 0.6667),
        (0.0, 1, 0.0),
        (100.0, 1, 100.0),
    ],
)
def test_rounding_is_half_away_from_zero(value: float, places: int, expected: float) -> None:
    assert round_half_up(value, places) == expected


@ENGINE_PROFILE
@given(
    value=st.one_of(
        st.floats(min_value=-1e12, max_value=1e12),
        st.floats(min_value=-1e6, max_value=1e6),
        # Halfway cases and their neighbours: n + 1/2 at the last place, and a hair either side.
        st.builds(
            lambda n, places, nudge: (n + 0.5) / 10**places + nudge,
            st.integers(-(10**6), 10**6),
            st.integers(0, 4),
            st.sampled_from([0.0, 1e-12, -1e-12, 5e-8, -5e-8]),
        ),
    ),
    places=st.integers(0, 6),
)
@example(value=58.25, places=1)
@example(value=1.45, places=1)
@example(value=0.0005, places=3)
@example(value=-0.05, places=1)
def test_the_fast_rounding_is_the_decimal_rounding(value: float, places: int) -> None:
    expected = decimal_round_half_up(value, places)
    found = round_half_up(value, places)
    assert repr(found) == repr(expected)  # repr: -0.0 differs from 0.0


@pytest.mark.parametrize(
    ("score", "level"),
    [(0.0, 1), (19.9, 1), (20.0, 2), (39.9, 2), (40.0, 3), (79.9, 4), (80.0, 5), (100.0, 5)],
)
def test_a_level_is_the_highest_band_the_score_reaches(score: float, level: int) -> None:
    assert level_for(BANDS, score) == level


def test_bands_give_minimums_and_names() -> None:
    assert [band_min(BANDS, level) for level in range(1, 6)] == [0, 20, 40, 60, 80]
    assert band_name(BANDS, 3) == "Established"


def test_a_cap_only_lowers_a_level() -> None:
    assert capped(4, True, 2) == 2
    assert capped(1, True, 2) == 1
    assert capped(4, False, 2) == 4
    assert capped(None, True, 2) is None


def test_gap_counts_levels_still_to_climb() -> None:
    assert (gap(3, 1), gap(3, 3), gap(3, 5), gap(3, None)) == (2, 0, 0, 0)


def test_percent_to_target_follows_samm() -> None:
    # 100 x (1 - (40-30)/40) = 75; two pillars: 100 x (1 - (10 + 0)/(40 + 60)) = 90
    assert percent_to_target([(30.0, 40.0)]) == 75.0
    assert percent_to_target([(30.0, 40.0), (70.0, 60.0)]) == 90.0
    assert percent_to_target([(0.0, 0.0)]) == 100.0  # a target of the lowest band is always met
    assert percent_to_target([]) is None


def test_a_target_met_by_the_reported_score_reads_100() -> None:
    # 39.96 is reported as 40.0, which reaches level 3 (>= 40): met, not 99.9.
    assert percent_to_target([(39.96, 40.0)]) == 100.0
    assert percent_to_target([(39.94, 40.0)]) == 99.9  # 100 x (1 - 0.06/40) = 99.85 -> 99.9


def key(priority: float, name: str, capped: bool = False) -> RankKey:
    return (not capped, -priority, name)


def test_prerequisites_are_transitive_through_items_not_recommended() -> None:
    depends_on = {"a": ("b",), "b": ("c",), "c": (), "d": ("a",)}

    assert prerequisites(["a", "c", "d"], every_prerequisite(depends_on)) == {
        "a": frozenset({"c"}),
        "c": frozenset(),
        "d": frozenset({"a", "c"}),
    }


def test_an_item_in_a_cycle_is_never_its_own_prerequisite() -> None:
    assert every_prerequisite({"a": ("b",), "b": ("a",), "c": ("a",)}) == {
        "a": frozenset({"b"}),
        "b": frozenset({"a"}),
        "c": frozenset({"a", "b"}),
    }


def test_rank_orders_by_key_and_lifts_prerequisites_just_ahead_of_their_dependant() -> None:
    keys = {
        "top": key(5, "top"),
        "mid": key(3, "mid"),
        "low": key(1, "low"),
        "capped": key(0.1, "capped", True),
    }
    # "low" is a prerequisite of "top": it takes top's key and goes right before it.
    before = {"top": frozenset({"low"}), "mid": frozenset(), "low": frozenset(), "capped": frozenset()}

    assert rank(keys, before) == ["capped", "low", "top", "mid"]


def test_rank_breaks_ties_by_id_and_survives_a_cycle() -> None:
    keys = {"b": key(1, "b"), "a": key(1, "a")}

    assert rank(keys, {"a": frozenset(), "b": frozenset()}) == ["a", "b"]
    assert rank(keys, {"a": frozenset({"b"}), "b": frozenset({"a"})}) == ["a", "b"]
