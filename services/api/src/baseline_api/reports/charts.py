"""Vega-Lite v5 specifications of a report's three charts, built from its inputs by pure
functions. The same specification serves a front end (rendered natively, data inline) and the
report (rendered to SVG on the server).

Colour is never the only signal: each series also has its own mark shape or line dash, and a
legend names it; every chart has a table of the same figures beside it in the report.
"""

from __future__ import annotations

from typing import Any

from .inputs import ReportInputs, TrendPoint

__all__ = ["CHARTS", "VEGA_LITE_SCHEMA", "chart_spec", "previous_point"]

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
CHARTS = ("pillars", "capabilities", "trend")

Spec = dict[str, Any]

# NHS identity colours, each at least 3:1 against white (WCAG 1.4.11, graphical objects).
_BLUE, _RED, _PURPLE, _GREEN, _GREY = (
    "#005eb8",
    "#d5281b",
    "#330072",
    "#007f3b",
    "#4c6272",
)
_CONFIG = {
    "font": "Liberation Sans, Arial, sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 360},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
    "title": {"fontSize": 14, "anchor": "start"},
    "view": {"stroke": None},
}
_SCORE_AXIS = {"title": "Score (0-100)", "scale": {"domain": [0, 100]}}


def _spec(title: str, description: str, body: Spec) -> Spec:
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": title,
        "description": description,
        "config": _CONFIG,
        **body,
    }


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


def _pillars(inputs: ReportInputs) -> Spec:
    previous = previous_point(inputs)
    bars, markers = [], []
    for pillar in inputs.result["pillars"]:
        title = pillar["title"]
        bars.append({"pillar": title, "score": pillar["score"], "level": pillar["level"]})
        target = _band_minimum(inputs, pillar["target_level"])
        markers.append({"pillar": title, "marker": f"Target level {pillar['target_level']}", "value": target})
        if previous is not None and previous.pillars.get(pillar["pillar_id"]) is not None:
            markers.append(
                {
                    "pillar": title,
                    "marker": "Previous assessment",
                    "value": previous.pillars[pillar["pillar_id"]],
                }
            )
    for marker in markers:
        marker["kind"] = "Previous assessment" if marker["marker"] == "Previous assessment" else "Target"
    y = {"field": "pillar", "type": "nominal", "sort": None, "title": None}
    return _spec(
        "Pillar scores against targets",
        "Horizontal bars of each pillar's score from 0 to 100, a diamond at the score where its "
        "target level starts and, when there is one, a triangle at the previous assessment's score.",
        {
            "width": 460,
            "height": {"step": 44},
            "datasets": {"scores": bars, "markers": markers},
            "data": {"name": "scores"},
            "layer": [
                {
                    "mark": {"type": "bar", "color": _BLUE, "height": 22},
                    "encoding": {"y": y, "x": {"field": "score", "type": "quantitative", **_SCORE_AXIS}},
                },
                {
                    "mark": {"type": "text", "align": "left", "dx": 6, "dy": -16, "color": "#212b32"},
                    "encoding": {
                        "y": y,
                        "x": {"field": "score", "type": "quantitative"},
                        "text": {"field": "score", "type": "quantitative", "format": ".1f"},
                    },
                },
                {
                    "data": {"name": "markers"},
                    "mark": {"type": "point", "filled": True, "size": 160, "opacity": 1},
                    "encoding": {
                        "y": y,
                        "x": {"field": "value", "type": "quantitative"},
                        "shape": {
                            "field": "kind",
                            "type": "nominal",
                            "title": None,
                            "scale": {
                                "domain": ["Target", "Previous assessment"],
                                "range": ["diamond", "triangle-down"],
                            },
                        },
                        "color": {
                            "field": "kind",
                            "type": "nominal",
                            "title": None,
                            "scale": {"domain": ["Target", "Previous assessment"], "range": [_RED, _PURPLE]},
                        },
                        "tooltip": [{"field": "marker"}, {"field": "value", "format": ".1f"}],
                    },
                },
            ],
        },
    )


def _status(capability: dict[str, Any]) -> str:
    if capability["level"] >= capability["target_level"]:
        return "At or above target"
    return "Held by a critical answer" if capability.get("critical_capped") else "Below target"


def _capabilities(inputs: ReportInputs) -> Spec:
    dots, targets = [], []
    for pillar in inputs.result["pillars"]:
        for capability in pillar["capabilities"]:
            if capability["level"] is None:
                continue  # every question not applicable: no level (the table says so)
            label = f"{pillar['title']}: {capability['title']}"
            dots.append({"capability": label, "level": capability["level"], "status": _status(capability)})
            targets.append({"capability": label, "target": capability["target_level"]})
    y = {"field": "capability", "type": "nominal", "sort": None, "title": None}
    statuses = ["Below target", "Held by a critical answer", "At or above target"]
    x = {"type": "quantitative", "title": "Level (1-5)", "scale": {"domain": [0.5, 5.5]}}
    return _spec(
        "Capability levels against their pillar's target",
        "A dot plot: one row per capability, a mark at its level from 1 to 5 (a triangle below "
        "target, a square when held down by a critical answer, a circle at or above target) and a "
        "vertical tick at its pillar's target level.",
        {
            "width": 360,
            "height": {"step": 24},
            "datasets": {"levels": dots, "targets": targets},
            "data": {"name": "levels"},
            "layer": [
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
                        "shape": {
                            "field": "status",
                            "type": "nominal",
                            "title": None,
                            "scale": {"domain": statuses, "range": ["triangle-down", "square", "circle"]},
                        },
                        "color": {
                            "field": "status",
                            "type": "nominal",
                            "title": None,
                            "scale": {"domain": statuses, "range": [_RED, _PURPLE, _GREEN]},
                        },
                        "tooltip": [{"field": "capability"}, {"field": "level"}, {"field": "status"}],
                    },
                },
            ],
        },
    )


def trend_label(point: TrendPoint) -> str:
    suffix = ", indicative" if point.indicative else ""
    return f"{point.scored_at:%Y-%m-%d} (v{point.framework_version}{suffix})"


def _trend(inputs: ReportInputs) -> Spec:
    titles = {pillar["pillar_id"]: pillar["title"] for pillar in inputs.result["pillars"]}
    values = [
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
    names = list(titles.values())
    series = {"field": "pillar", "type": "nominal", "title": "Pillar", "scale": {"domain": names}}
    x = {
        "field": "assessment",
        "type": "ordinal",
        "sort": None,
        "title": "Scored assessment",
        "axis": {"labelAngle": 0},
    }
    y = {"field": "score", "type": "quantitative", **_SCORE_AXIS}
    return _spec(
        "Pillar scores over time",
        "Lines of each pillar's score across the organisation's scored assessments of this "
        "framework, oldest first, across framework versions; each pillar has its own line dash "
        "and point shape, and indicative (quick) results have hollow points.",
        {
            "width": 460,
            "height": 240,
            "data": {"values": values},
            "encoding": {"x": x, "y": y},
            "layer": [
                {
                    "mark": {"type": "line", "strokeWidth": 2},
                    "encoding": {
                        "color": {**series, "scale": {"domain": names, "range": [_BLUE, _RED, _GREEN]}},
                        "strokeDash": series,
                    },
                },
                {
                    "mark": {"type": "point", "size": 90, "filled": True, "opacity": 1},
                    "encoding": {
                        "color": {**series, "scale": {"domain": names, "range": [_BLUE, _RED, _GREEN]}},
                        "shape": series,
                        "tooltip": [
                            {"field": "assessment"},
                            {"field": "pillar"},
                            {"field": "score", "format": ".1f"},
                        ],
                    },
                },
                {
                    # Indicative (quick) results: the same points drawn hollow on top.
                    "transform": [{"filter": "datum.indicative"}],
                    "mark": {"type": "point", "size": 40, "filled": True, "color": "white", "opacity": 1},
                    "encoding": {"shape": series},
                },
            ],
        },
    )


_BUILDERS = {"pillars": _pillars, "capabilities": _capabilities, "trend": _trend}


def chart_spec(name: str, inputs: ReportInputs) -> Spec:
    """The Vega-Lite specification of chart ``name`` (one of ``CHARTS``)."""
    return _BUILDERS[name](inputs)
