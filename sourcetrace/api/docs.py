"""Swagger UI at ``/docs``, served from the pinned ``swagger-ui-bundle`` package, under a CSP.

FastAPI's default page loads Swagger UI from a CDN (a blank page offline) and
starts it with an inline script, which a Content-Security-Policy that allows
only our own scripts would block. Here the assets come from the package and
the start-up script is a static file of ours, so the page works offline and
runs nothing but those files.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

HERE = Path(__file__).parent / "static"
# Swagger UI sets inline style attributes as it renders, hence 'unsafe-inline' for styles (never for scripts).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/start.js"></script>
</body>
</html>
"""


def assets_dir() -> Path:
    """The Swagger UI files of the installed ``swagger-ui-bundle``."""
    import swagger_ui_bundle

    return Path(swagger_ui_bundle.swagger_ui_path)


def add_docs(app: FastAPI) -> None:
    """``/docs`` (the page), ``/docs/start.js`` and ``/docs/assets/*``; build ``app`` with ``docs_url=None``."""
    page = PAGE.format(title=app.title, openapi_url="/docs/openapi.json")
    headers = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"}

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(page, headers=headers)

    @app.get("/docs/openapi.json", include_in_schema=False)
    def schema_for_swagger_ui() -> dict:
        # The pinned Swagger UI (4.x) refuses "openapi: 3.1.0" outright, though it reads FastAPI's schema
        # well; the page gets the same schema labelled 3.0.3. /openapi.json stays exact for clients.
        return {**app.openapi(), "openapi": "3.0.3"}

    @app.get("/docs/start.js", include_in_schema=False)
    def start() -> FileResponse:
        return FileResponse(HERE / "docs-start.js", media_type="text/javascript", headers=headers)

    app.mount("/docs/assets", StaticFiles(directory=assets_dir()), name="docs-assets")
