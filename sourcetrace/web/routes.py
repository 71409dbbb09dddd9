"""HTML pages over the library and the store: a thin layer, no logic of its own.

``mount(app, store=...)`` adds the pages under ``/web`` plus ``/web/static``
to any FastAPI app (the HTTP API's ``create_app`` calls it). Every page is
rendered server-side by Jinja2 with autoescaping, so article text can never
become markup, and every page carries a strict Content-Security-Policy: only
our own static script and stylesheet may run or apply.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ..analyze import analyze, annotate
from ..errors import SourcetraceError
from ..model import Article, Certainty, SourceType
from . import graph, view

PREFIX = "/web"
HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
FORMATS = ("auto", "text", "html")


def article_context(article: Article) -> dict[str, Any]:
    """Everything the article view draws (shared by analyze and stored articles)."""
    return {
        "article": article,
        "outlet": view.outlet_name(article),
        "paragraphs": view.paragraphs(article),
        "groups": view.source_groups(article),
        "figures": view.figures(article),
        "graph": graph.chain_graph(article),
        "hedges": view.hedge_count(article),
    }


def _run_analysis(text: str, url: str, fmt: str, meta: dict, allow_private: bool) -> Article:
    meta = {k: v for k, v in meta.items() if v}
    if url.strip():
        from .. import ingest

        if not hasattr(ingest, "load"):
            raise SourcetraceError("Fetching URLs is not available in this build: paste the text instead.")
        article = ingest.load(url.strip(), allow_private=allow_private, **meta)
        return annotate(article)
    if fmt != "auto":
        meta["html"] = fmt == "html"
    return analyze(text, **meta)


def build_router(store=None, *, allow_private_fetch: bool = False) -> APIRouter:
    router = APIRouter(prefix=PREFIX, include_in_schema=False, default_response_class=HTMLResponse)

    def page(request: Request, name: str, status_code: int = 200, **ctx):
        ctx.setdefault("has_store", store is not None)
        return templates.TemplateResponse(request, name, ctx, status_code=status_code)

    @router.get("/", name="web-home")
    def home(request: Request):
        return page(request, "analyze.html", form={"fmt": "auto"})

    @router.post("/analyze", name="web-analyze")
    def analyze_page(
        request: Request,
        text: str = Form(""),
        url: str = Form(""),
        fmt: str = Form("auto"),
        title: str = Form(""),
        outlet: str = Form(""),
        action: str = Form("view"),
    ):
        form = {"text": text, "url": url, "fmt": fmt if fmt in FORMATS else "auto", "title": title, "outlet": outlet}
        try:
            article = _run_analysis(text, url, form["fmt"], {"title": title, "outlet": outlet}, allow_private_fetch)
            if action == "store":
                if store is None:
                    raise SourcetraceError("This server has no store: start it with a database to keep articles.")
                article_id = store.save(article)
                return RedirectResponse(request.url_for("web-article", article_id=article_id), status_code=303)
        except SourcetraceError as e:
            return page(request, "analyze.html", status_code=e.status, form=form, error=str(e))
        return page(request, "article.html", form=form, stored=False, **article_context(article))

    return router


def _security_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def add_headers(request: Request, call_next):
        response = await call_next(request)
        if request.url.path == PREFIX or request.url.path.startswith(PREFIX + "/"):
            for k, v in SECURITY_HEADERS.items():
                response.headers.setdefault(k, v)
        return response


def mount(app: FastAPI, *, store=None, allow_private_fetch: bool = False) -> FastAPI:
    """Add the web pages to ``app``; ``store`` enables the corpus pages and the Store button."""
    app.include_router(build_router(store, allow_private_fetch=allow_private_fetch))
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="web-static")
    _security_headers(app)
    if not any(getattr(r, "path", None) == "/" for r in app.routes):
        app.add_api_route("/", lambda: RedirectResponse(f"{PREFIX}/"), include_in_schema=False)
    return app


def create_web_app(store=None) -> FastAPI:
    """The pages alone, without the JSON API (used when the API is not wanted)."""
    return mount(FastAPI(title="sourcetrace", docs_url=None, redoc_url=None), store=store)


# Values the templates compare against.
templates.env.globals.update(Certainty=Certainty, SourceType=SourceType, PREFIX=PREFIX)
