"""Reports a board can read: the HTML and PDF report of an assessment, its Vega-Lite charts, and
exports for spreadsheets (CSV, XLSX) and commissioners (the streamed results export).

Rendering is a layer of its own: ``content`` and ``charts`` build what a report shows from an
assessment's inputs by pure functions; ``rendering`` turns that into HTML (Jinja2), SVG
(vl-convert) and PDF (WeasyPrint); ``cache`` keeps what was rendered in PostgreSQL, keyed by a
hash of everything it shows.
"""
