"""The API's interactive documentation and the pages' assets, all served by the service itself (no CDN).

Swagger UI, ReDoc, htmx and ECharts are vendored from their npm packages under app/web/static/vendor/, each with
its licence (versions in VERSIONS); nothing is fetched from another host, so the docs work offline.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
VENDOR = "/static/vendor"

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def swagger() -> HTMLResponse:
    """Swagger UI (public, like the OpenAPI document it shows)."""
    return get_swagger_ui_html(openapi_url="/openapi.json", title="chainmatch API",
                               swagger_js_url=f"{VENDOR}/swagger-ui/swagger-ui-bundle.js",
                               swagger_css_url=f"{VENDOR}/swagger-ui/swagger-ui.css",
                               swagger_favicon_url="/static/favicon.svg")


@router.get("/redoc")
def redoc() -> HTMLResponse:
    """ReDoc (public), without web fonts from Google."""
    return get_redoc_html(openapi_url="/openapi.json", title="chainmatch API",
                          redoc_js_url=f"{VENDOR}/redoc/redoc.standalone.js", redoc_favicon_url="/static/favicon.svg",
                          with_google_fonts=False)


def install(app: FastAPI) -> None:
    """Serve /static and the documentation pages; the app is built with docs_url=None and redoc_url=None."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(router)
