"""Renderers: a report's HTML (Jinja2), its charts' SVG (vl-convert) and its PDF (WeasyPrint).

SVG and PDF sit behind one small interface, :class:`Renderer`: a media type, a version (part of
every cache key, so a new engine never serves an old rendering) and a blocking ``render``, which
callers run in a worker thread, never on the event loop. WeasyPrint needs Pango from the system:
it is imported on first use, so a machine without Pango still serves HTML, charts and exports,
and a PDF request there is a 503 naming what is missing.
"""

from __future__ import annotations

import base64
import importlib
from datetime import date, datetime
from importlib.metadata import version
from typing import Any, Protocol

import vl_convert
from jinja2 import Environment, PackageLoader, StrictUndefined

from baseline_service_kit import ServiceUnavailable

from .content import Report

__all__ = [
    "PDF",
    "SVG",
    "PdfEngineUnavailable",
    "PdfRenderer",
    "Renderer",
    "SvgRenderer",
    "render_html",
    "svg_image",
]

VEGA_LITE_VERSION = "5.21"


class Renderer(Protocol):
    media_type: str
    version: str

    def render(self, source: Any) -> bytes:
        """Blocking: call it in a worker thread."""
        ...


class SvgRenderer:
    """A Vega-Lite specification (a dict) -> SVG."""

    media_type = "image/svg+xml"
    version = f"vl-convert {version('vl-convert-python')}, Vega-Lite {VEGA_LITE_VERSION}"

    def render(self, source: Any) -> bytes:
        return str(vl_convert.vegalite_to_svg(source, vl_version=VEGA_LITE_VERSION)).encode()


class PdfEngineUnavailable(ServiceUnavailable):
    """The PDF engine cannot load here; everything else still works."""


class PdfRenderer:
    """The report's HTML (a str) -> PDF, laid out by its print CSS (A4, page numbers, header)."""

    media_type = "application/pdf"
    version = f"WeasyPrint {version('weasyprint')}"

    def render(self, source: Any) -> bytes:
        pdf = self.engine().HTML(string=source).write_pdf()
        assert isinstance(pdf, bytes)
        return pdf

    @staticmethod
    def engine() -> Any:
        """The ``weasyprint`` module; a 503 naming what is missing when it cannot load (no Pango)."""
        try:
            return importlib.import_module("weasyprint")
        except (ImportError, OSError) as exc:
            raise PdfEngineUnavailable(
                f"PDF reports are unavailable on this server: the PDF engine (WeasyPrint) cannot load "
                f"({exc}). It needs the Pango libraries (Debian: libpango-1.0-0 libpangoft2-1.0-0). "
                "The HTML report, charts and exports still work."
            ) from exc


SVG = SvgRenderer()
PDF = PdfRenderer()


def svg_image(svg: bytes) -> str:
    """An SVG as a ``data:`` URL for ``<img>``: the report stays one self-contained file, and an
    image (unlike inline SVG) carries its alt text plainly for screen readers."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _number(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _date(value: date | datetime | None) -> str:
    return "" if value is None else f"{value:%-d %B %Y}"


_environment = Environment(
    loader=PackageLoader("baseline_api.reports", "templates"),
    autoescape=True,  # every value is text: an organisation named <script> is shown, never run
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.filters.update(number=_number, date=_date)


def render_html(report: Report, charts: dict[str, str]) -> str:
    """The report as one HTML document; ``charts``: each chart's image URL (``svg_image``)."""
    return _environment.get_template("report.html.j2").render(report=report, charts=charts)
