"""Swagger UI and ReDoc served from assets installed with the package.

NHS networks commonly block public CDNs, so the docs pages must not fetch anything from one.
Swagger UI comes from ``swagger-ui-bundle-v2`` (a 5.x build that renders OpenAPI 3.1) and the
ReDoc bundle from ``fastapi-offline``'s static folder.
"""

from __future__ import annotations

from importlib.resources import files

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["install_docs"]

SWAGGER_ASSETS = "/docs-assets/swagger"
REDOC_ASSETS = "/docs-assets/redoc"


def install_docs(app: FastAPI) -> None:
    app.mount(SWAGGER_ASSETS, StaticFiles(directory=str(swagger_ui_bundle.swagger_ui_path)), name="swagger")
    app.mount(REDOC_ASSETS, StaticFiles(directory=str(files("fastapi_offline") / "static")), name="redoc")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{SWAGGER_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_ASSETS}/favicon-32x32.png",
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{REDOC_ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{SWAGGER_ASSETS}/favicon-32x32.png",
            with_google_fonts=False,
        )
