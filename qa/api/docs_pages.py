"""The API docs pages, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), with nothing fetched from the
network: the bundles come from the ``fastapi-offline`` package (under ``/static-docs``), and

- ReDoc's bundle draws its "API docs by Redocly" logo from ``cdn.redoc.ly``: it is served here
  with that image replaced by an empty inline one (the link text stays);
- Swagger UI asks ``validator.swagger.io`` for a badge when the page is not on localhost: the
  validator is turned off;
- both pages (and the web page) carry a Content-Security-Policy allowing only this server, inline
  code and data/blob URLs, so whatever a future bundle names, the browser fetches nothing else.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, Response

BUNDLES = Path(fastapi_offline.__file__).resolve().parent / "static"
# 'self' is the only host; inline scripts and styles (the pages' own), eval (the bundles' schema
# validators) and data:/blob: URLs (inline images, ReDoc's search worker) stay allowed
SELF_ONLY = "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:"
OFFLINE_HEADERS = {"Content-Security-Policy": SELF_ONLY}
_REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
_EMPTY_IMAGE = b"data:image/gif;base64,R0lGODlhAQABAAAAACw="
REDOC_JS = "/docs-assets/redoc.standalone.js"


@lru_cache(maxsize=1)
def _redoc_bundle() -> bytes:
    return (BUNDLES / "redoc.standalone.js").read_bytes().replace(_REDOC_LOGO, _EMPTY_IMAGE)


def install_docs_pages(app: FastAPI, static_url: str) -> None:
    """Add ``/docs``, its OAuth2 redirect, ``/redoc`` and the rewritten ReDoc bundle to ``app``
    (built with ``FastAPIOffline(docs_url=None, redoc_url=None, static_url=static_url)``)."""
    openapi_url = app.openapi_url or "/openapi.json"
    redirect_url = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    def swagger_page(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}", title=f"{app.title} - Swagger UI", oauth2_redirect_url=redirect_url,
            swagger_js_url=f"{root}{static_url}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{static_url}/swagger-ui.css", swagger_favicon_url=f"{root}{static_url}/favicon.png",
            swagger_ui_parameters={"validatorUrl": None})
        page.headers.update(OFFLINE_HEADERS)
        return page

    @app.get(redirect_url, include_in_schema=False)
    def swagger_redirect() -> HTMLResponse:
        page = get_swagger_ui_oauth2_redirect_html()
        page.headers.update(OFFLINE_HEADERS)
        return page

    @app.get("/redoc", include_in_schema=False)
    def redoc_page(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_redoc_html(openapi_url=f"{root}{openapi_url}", title=f"{app.title} - ReDoc",
                              redoc_js_url=f"{root}{REDOC_JS}", with_google_fonts=False,
                              redoc_favicon_url=f"{root}{static_url}/favicon.png")
        page.headers.update(OFFLINE_HEADERS)
        return page

    @app.get(REDOC_JS, include_in_schema=False)
    def redoc_bundle() -> Response:
        return Response(_redoc_bundle(), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})
