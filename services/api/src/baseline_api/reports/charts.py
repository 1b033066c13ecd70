"""Vega-Lite v5 specifications of a report's three charts, built from its inputs by pure
functions. The same specification serves a front end (rendered natively, data inline) and the
report (rendered to SVG on the server).

Colour is never the only signal: each series also has its own mark shape or line dash, and a
legend names it; every chart has a table of the same figures beside it in the report.
"""

from __future__ import annotations

from typing import Any

from .inputs import ReportInputs, TrendPoint

__all__ = ["CHARTS", "VEGA_LITE_SCHEMA", "chart_spec", "previous_point", "trend_label"]

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
CHARTS = ("pillars", "capabilities", "trend")

Spec = dict[str, Any]

# NHS identity colours, each at least 3:1 against white (WCAG 1.4.11, graphical objects).
_BLUE, _RED, _PURPLE, _GREEN, _GREY = "#005eb8", "#d5281b", "#330072", "#007f3b", "#4c6272"
_CONFIG = {
    "font": "Liberation Sans, Arial, sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 360},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
    "title": {"fontSize": 14, "anchor": "start"},
    "view": {"stroke": None},
}
_SCORE_AXIS = {"title": "Score (0-100)", "scale": {"domain": [0, 100]}}
_TARGET, _PREVIOUS = "Target", "Previous assessment"
_STATUSES = ("Below target", "Held by a critical answer", "At or above target")


def _spec(title: str, description: str, body: Spec) -> Spec:
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": title,
        "description": description,
        "config": _CONFIG,
        **body,
    }


def _rows(width: int, step: int, datasets: dict[str, list[Spec]], layers: list[Spec]) -> Spec:
    """One row per item: the first dataset feeds every layer that names no data of its own."""
    first = next(iter(datasets))
    return {
        "width": width,
        "height": {"step": step},
        "datasets": datasets,
        "data": {"name": first},
        "layer": layers,
    }


def _series(
    field: str, domain: list[str] | tuple[str, ...], channel_range: list[str], title: str | None
) -> Spec:
    """A nominal encoding with a fixed domain, so colours and shapes never depend on the data."""
    scale = {"domain": list(domain), "range": channel_range}
    return {"field": field, "type": "nominal", "title": title, "scale": scale}


def previous_point(inputs: ReportInputs) -> TrendPoint | None:
    """The organisation's scored assessment before this one (for a preview: its latest)."""
    earlier: list[TrendPoint] = []
    for point in inputs.trend:
        if point.assessment_id == inputs.assessment.id:
            break
        earlier.append(point)
    return earlier[-1] if earlier else None


def _band_minimum(inputs: ReportInputs, level: int) -> float:
    return next(band.min_score for band in inputs.framework.levels if band.level == level)


def _pillar_markers(inputs: ReportInputs, pillar: Spec) -> list[Spec]:
    level = pillar["target_level"]
    target = {"kind": _TARGET, "marker": f"Target level {level}", "value": _band_minimum(inputs, level)}
    previous = previous_point(inputs)
    earlier = None if previous is None else previous.pillars.get(pillar["pillar_id"])
    shown = [target] + (
        [] if earlier is None else [{"kind": _PREVIOUS, "marker": _PREVIOUS, "value": earlier}]
    )
    return [{"pillar": pillar["title"], **marker} for marker in shown]


def _pillars(inputs: ReportInputs) -> Spec:
    pillars = inputs.result["pillars"]
    bars = [{"pillar": p["title"], "score": p["score"], "level": p["level"]} for p in pillars]
    markers = [marker for pillar in pillars for marker in _pillar_markers(inputs, pillar)]
    y = {"field": "pillar", "type": "nominal", "sort": None, "title": None}
    score = {"field": "score", "type": "quantitative"}
    layers: list[Spec] = [
        {
            "mark": {"type": "bar", "color": _BLUE, "height": 22},
            "encoding": {"y": y, "x": {**score, **_SCORE_AXIS}},
        },
        {
            "mark": {"type": "text", "align": "left", "dx": 6, "dy": -16, "color": "#212b32"},
            "encoding": {"y": y, "x": score, "text": {**score, "format": ".1f"}},
        },
        {
            "data": {"name": "markers"},
            "mark": {"type": "point", "filled": True, "size": 160, "opacity": 1},
            "encoding": {
                "y": y,
                "x": {"field": "value", "type": "quantitative"},
                "shape": _series("kind", [_TARGET, _PREVIOUS], ["diamond", "triangle-down"], None),
                "color": _series("kind", [_TARGET, _PREVIOUS], [_RED, _PURPLE], None),
                "tooltip": [{"field": "marker"}, {"field": "value", "format": ".1f"}],
            },
        },
    ]
    return _spec(
        "Pillar scores against targets",
        "Horizontal bars of each pillar's score from 0 to 100, a diamond at the score where its "
        "target level starts and, when there is one, a triangle at the previous assessment's score.",
        _rows(460, 44, {"scores": bars, "markers": markers}, layers),
    )


def _status(capability: Spec) -> str:
    if capability["level"] >= capability["target_level"]:
        return _STATUSES[2]
    return _STATUSES[1] if capability.get("critical_capped") else _STATUSES[0]


def _capabilities(inputs: ReportInputs) -> Spec:
    # A capability whose every question is not applicable has no level: only its table row shows it.
    scored = [
        (f"{p['title']}: {c['title']}", c)
        for p in inputs.result["pillars"]
        for c in p["capabilities"]
        if c["level"] is not None
    ]
    dots = [{"capability": label, "level": c["level"], "status": _status(c)} for label, c in scored]
    targets = [{"capability": label, "target": c["target_level"]} for label, c in scored]
    y = {"field": "capability", "type": "nominal", "sort": None, "title": None}
    x = {"type": "quantitative", "title": "Level (1-5)", "scale": {"domain": [0.5, 5.5]}}
    layers: list[Spec] = [
        {
            "data": {"name": "targets"},
            "mark": {"type": "tick", "color": _GREY, "thickness": 3, "size": 18},
            "encoding": {
                "y": y,
                "x": {"field": "target", **x, "axis": {"values": [1, 2, 3, 4, 5], "format": "d"}},
            },
        },
        {
            "mark": {"type": "point", "filled": True, "size": 110, "opacity": 1},
            "encoding": {
                "y": y,
                "x": {"field": "level", **x},
                "shape": _series("status", _STATUSES, ["triangle-down", "square", "circle"], None),
                "color": _series("status", _STATUSES, [_RED, _PURPLE, _GREEN], None),
                "tooltip": [{"field": "capability"}, {"field": "level"}, {"field": "status"}],
            },
        },
    ]
    return _spec(
        "Capability levels against their pillar's target",
        "A dot plot: one row per capability, a mark at its level from 1 to 5 (a triangle below "
        "target, a square when held down by a critical answer, a circle at or above target) and a "
        "vertical tick at its pillar's target level.",
        _rows(360, 24, {"levels": dots, "targets": targets}, layers),
    )


def trend_label(point: TrendPoint) -> str:
    suffix = ", indicative" if point.indicative else ""
    return f"{point.scored_at:%Y-%m-%d} (v{point.framework_version}{suffix})"


def _trend_values(inputs: ReportInputs, titles: dict[str, str]) -> list[Spec]:
    return [
        {
            "assessment": trend_label(point),
            "pillar": titles[pillar_id],
            "score": score,
            "indicative": point.indicative,
        }
        for point in inputs.trend
        for pillar_id, score in point.pillars.items()
        if pillar_id in titles and score is not None
    ]


def _trend(inputs: ReportInputs) -> Spec:
    titles = {pillar["pillar_id"]: pillar["title"] for pillar in inputs.result["pillars"]}
    names = list(titles.values())
    pillar = {"field": "pillar", "type": "nominal", "title": "Pillar", "scale": {"domain": names}}
    colour = _series("pillar", names, [_BLUE, _RED, _GREEN], "Pillar")
    x = {
        "field": "assessment",
        "type": "ordinal",
        "sort": None,
        "title": "Scored assessment",
        "axis": {"labelAngle": 0},
    }
    tooltip = [{"field": "assessment"}, {"field": "pillar"}, {"field": "score", "format": ".1f"}]
    layers: list[Spec] = [
        {"mark": {"type": "line", "strokeWidth": 2}, "encoding": {"color": colour, "strokeDash": pillar}},
        {
            "mark": {"type": "point", "size": 90, "filled": True, "opacity": 1},
            "encoding": {"color": colour, "shape": pillar, "tooltip": tooltip},
        },
        {
            # Indicative (quick) results: the same points drawn hollow on top.
            "transform": [{"filter": "datum.indicative"}],
            "mark": {"type": "point", "size": 40, "filled": True, "color": "white", "opacity": 1},
            "encoding": {"shape": pillar},
        },
    ]
    return _spec(
        "Pillar scores over time",
        "Lines of each pillar's score across the organisation's scored assessments of this "
        "framework, oldest first, across framework versions; each pillar has its own line dash "
        "and point shape, and indicative (quick) results have hollow points.",
        {
            "width": 460,
            "height": 240,
            "data": {"values": _trend_values(inputs, titles)},
            "encoding": {"x": x, "y": {"field": "score", "type": "quantitative", **_SCORE_AXIS}},
            "layer": layers,
        },
    )


_BUILDERS = {"pillars": _pillars, "capabilities": _capabilities, "trend": _trend}


def chart_spec(name: str, inputs: ReportInputs) -> Spec:
    """The Vega-Lite specification of chart ``name`` (one of ``CHARTS``)."""
    return _BUILDERS[name](inputs)
