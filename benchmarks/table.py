"""One row per figure: what was measured, its baseline, the ratio and the goal (if it has one: a
row without one is there to explain another)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Row", "render"]


@dataclass(frozen=True)
class Row:
    figure: str
    value: float
    unit: str
    baseline_name: str
    baseline: float
    goal: str = "(context, no goal)"
    met: bool | None = None

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("nan")


def render(rows: list[Row]) -> str:
    header = ("figure", "value", "baseline (same run)", "ratio", "goal", "met")
    lines = [
        (
            r.figure,
            f"{r.value:,.3f} {r.unit}",
            f"{r.baseline_name}: {r.baseline:,.3f} {r.unit}",
            f"{r.ratio:.2f}",
            r.goal,
            "-" if r.met is None else "yes" if r.met else "NO",
        )
        for r in rows
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=False)]
    out = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in [header, *lines]]
    out.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(out)
