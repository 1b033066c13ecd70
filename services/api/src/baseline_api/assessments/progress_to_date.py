"""Progress to date, as OWASP SAMM defines it: how far each pillar has come from the baseline
towards its target.

``100 x (latest - baseline) / (target_score - baseline)``, where ``target_score`` is the band
minimum of the target level: 100 once the latest reaches the target, null when the baseline had
already met it (there was no distance to cover), clamped to [-100, 100] (a fall further than the
distance is still -100), to one decimal place. Null too when either score is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["pillar_progress_to_date", "progress_to_date"]

_TENTH = Decimal("0.1")
_HUNDRED = Decimal(100)


def pillar_progress_to_date(
    baseline: float | None, latest: float | None, target_score: float | None
) -> float | None:
    if baseline is None or latest is None or target_score is None:
        return None
    start, now, goal = Decimal(str(baseline)), Decimal(str(latest)), Decimal(str(target_score))
    if start >= goal:
        return None
    if now >= goal:
        return 100.0
    share = _HUNDRED * (now - start) / (goal - start)
    return float(max(-_HUNDRED, min(_HUNDRED, share)).quantize(_TENTH, rounding=ROUND_HALF_UP))


def progress_to_date(
    baseline: Mapping[str, float | None],
    latest: Mapping[str, float | None],
    targets: Mapping[str, int],
    band_minimum: Mapping[int, float],
) -> dict[str, float | None]:
    """Per pillar of the latest result: its progress to date towards ``targets`` (pillar id ->
    level), each level's ``band_minimum`` the score it needs."""
    return {
        pillar_id: pillar_progress_to_date(
            baseline.get(pillar_id), score, band_minimum.get(targets.get(pillar_id, 0))
        )
        for pillar_id, score in latest.items()
    }
