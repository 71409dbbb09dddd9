"""HTML pages over the library and the store: a thin layer, no logic of its own.

``mount(app, store=...)`` adds the pages under ``/web`` plus ``/web/static``
to any FastAPI app (the HTTP API's ``create_app`` calls it). Every page is
rendered server-side by Jinja2 with autoescaping, so article text can never
become markup, and every page carries a strict Content-Security-Policy: only
our own static script and stylesheet may run or apply.
"""

from __future__ import annotations

import hashlib
import itertools
import secrets
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.datastructures import MutableHeaders, QueryParams

from .. import ingest
from ..analyze import analyze, annotate_within
from ..deadline import Budget
from ..errors import InputError, SourcetraceError
from ..model import Article, Certainty, SourceType
from ..link import provenance
from ..store import Sort, outlets_for, search, search_with_facets
from ..store.bounds import MAX_NAME, BoundedSearchQuery, id_in_range
from . import graph, view
from .trace_pages import add_trace_routes

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
    "Referrer-Policy": "same-origin",  # no-referrer would make browsers send Origin: null
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
    }


def _run_analysis(text: str, url: str, fmt: str, meta: dict, allow_private: bool, budget: Budget) -> Article:
    meta = {k: v for k, v in meta.items() if v}
    html = None if fmt == "auto" else fmt == "html"
    url = url.strip()
    if url:
        if not ingest.is_url(url):  # never let the form name a file on the server
            raise InputError(f"{url!r} is not a web address: give an http(s) URL, or paste the text.")
        return annotate_within(ingest.load(url, allow_private=allow_private, html=html, **meta), budget)
    return analyze(text, html=html, budget=budget, **meta)


def _same_origin(request: Request) -> bool:
    """Refuse cross-site form posts (CSRF): a browser always sends Origin on POST."""
    origin = request.headers.get("origin")
    return origin is None or origin == f"{request.url.scheme}://{request.url.netloc}"


def _search_query(params: QueryParams) -> BoundedSearchQuery:
    """The search form's fields as the store's SearchQuery (blank fields are no filter)."""
    fields = {k: v.strip() for k, v in params.items() if k != "certainty" and v.strip()}
    for flag in ("anonymous", "own_voice"):
        if flag in fields:
            fields[flag] = fields[flag] == "yes"
    certainty = [c for c in params.getlist("certainty") if c]
    return BoundedSearchQuery(**fields, certainty=certainty or None)


def _validation_message(e: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, err['loc'])) or 'query'}: {err['msg']}" for err in e.errors())


def build_router(
    store=None, *, token: str | None = None, allow_private_fetch: bool = False, request_timeout: float | None = None
) -> APIRouter:
    router = APIRouter(prefix=PREFIX, include_in_schema=False, default_response_class=HTMLResponse)

    def page(request: Request, template: str, status_code: int = 200, **ctx):
        # ``template``, not ``name``: pages pass ``name=`` in their context (the sources page did, and got a 500)
        ctx.setdefault("has_store", store is not None)
        ctx.setdefault("needs_token", bool(token))
        return templates.TemplateResponse(request, template, ctx, status_code=status_code)

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
        write_token: str = Form("", alias="token"),
    ):
        if not _same_origin(request):
            return page(request, "analyze.html", status_code=403, form={"fmt": "auto"},
                        error="This form was posted from another site; open sourcetrace's own page to analyze.")
        form = {"text": text, "url": url, "fmt": fmt if fmt in FORMATS else "auto", "title": title, "outlet": outlet}
        try:
            article = _run_analysis(text, url, form["fmt"], {"title": title, "outlet": outlet}, allow_private_fetch,
                                    Budget(request_timeout))
            if action == "store":
                if store is None:
                    raise SourcetraceError("This server has no store: start it with a database to keep articles.")
                if token and not secrets.compare_digest(write_token.encode(), token.encode()):
                    return page(request, "analyze.html", status_code=401, form=form,
                                error="Storing needs this server's write token: enter it and try again.")
                saved = store.save(article, origin=url.strip() or None)
                return RedirectResponse(request.url_for("web-article", article_id=saved.id), status_code=303)
        except SourcetraceError as e:
            return page(request, "analyze.html", status_code=e.status, form=form, error=str(e))
        return page(request, "article.html", form=form, stored=False, **article_context(article))

    if store is not None:
        _corpus_routes(router, store, page)
    return router


def _corpus_routes(router: APIRouter, store, page) -> None:
    """Pages over the store: article list, stored article, source page, search."""

    @router.get("/articles", name="web-articles")
    def articles(request: Request, outlet: str = "", page_no: int = Query(1, alias="page", ge=1, le=100_000)):
        listing = store.list_articles(outlet=outlet.strip() or None, page=page_no, per_page=25)
        return page(request, "articles.html", listing=listing, outlet=outlet)

    rendered = PageCache()

    @router.get("/articles/{article_id}", name="web-article")
    def article(request: Request, article_id: int):
        raw = store.get_article_json(article_id) if id_in_range(article_id) else None
        if raw is None:
            return page(request, "message.html", status_code=404, heading="No such article",
                        error=f"There is no stored article {article_id}; see the article list.")
        claim_refs = provenance.claims_of_article(store, article_id)  # changes as new articles are linked
        digest = hashlib.blake2b(raw.encode() + repr(claim_refs).encode(), digest_size=16).digest()
        key = (article_id, digest, str(request.base_url))
        if (body := rendered.get(key)) is not None:
            return HTMLResponse(body)
        found = Article.model_validate_json(raw)
        response = page(request, "article.html", stored=True, article_id=article_id, claim_refs=claim_refs,
                        **article_context(found))
        rendered.put(key, response.body)
        return response

    @router.get("/sources", name="web-source-lookup")
    def source_lookup(request: Request, name: str = ""):
        if len(name) > MAX_NAME:
            return page(request, "sources.html", status_code=422, name=name[:MAX_NAME], found=None,
                        error=f"A source name is at most {MAX_NAME} characters: shorten it.")
        found = store.list_entities(name=name.strip(), per_page=50) if name.strip() else None
        if found is not None and found.total == 1:
            return RedirectResponse(request.url_for("web-source", entity_id=found.items[0].id), status_code=303)
        return page(request, "sources.html", name=name, found=found)

    @router.get("/sources/{entity_id}", name="web-source")
    def source(request: Request, entity_id: int, page_no: int = Query(1, alias="page", ge=1, le=100_000)):
        entity = store.get_entity(entity_id) if id_in_range(entity_id) else None
        if entity is None:
            return page(request, "message.html", status_code=404, heading="No such source",
                        error=f"There is no source {entity_id} in the store; search for it by name.")
        hits = search(store, BoundedSearchQuery(entity_id=entity_id, sort=Sort.oldest, page=page_no, per_page=50))
        days = [(day, list(group)) for day, group in itertools.groupby(hits.items, key=lambda h: h.published)]
        return page(request, "source.html", entity=entity, hits=hits, days=days,
                    outlets=outlets_for(store, entity_id=entity_id))

    @router.get("/search", name="web-search")
    def search_page(request: Request):
        params = request.query_params
        ctx = {"params": params, "certainties": params.getlist("certainty"), "hits": None, "facets": None}
        if any(v.strip() for k, v in params.items() if k not in ("sort", "page")):
            try:
                query = _search_query(params)
                if query.q:  # counts beside the results (and an exact total), for queries with words
                    ctx["hits"], ctx["facets"] = search_with_facets(store, query, limit=10)
                else:
                    ctx["hits"] = search(store, query)
            except ValidationError as e:
                return page(request, "search.html", status_code=422, error=_validation_message(e), **ctx)
            except SourcetraceError as e:
                return page(request, "search.html", status_code=e.status, error=str(e), **ctx)
        return page(request, "search.html", **ctx)

    add_trace_routes(router, store, page)


class PageCache:
    """Rendered article pages, up to ``max_bytes``, most recently used kept, keyed by the stored JSON's digest.

    A stored article's page is the same until the article changes, and drawing
    it (view model, chain graph, template) is most of a request's cost; the
    key holds a digest of the stored JSON, so a changed article is drawn anew.
    """

    def __init__(self, max_bytes: int = 32 * 2**20):
        # a page is 20-140 KB: 32 MiB keeps a few hundred. At 128 pages, 300 articles drawn at
        # random missed half the time, and drawing a page costs ~15 ms against ~1 ms for a kept one.
        self.max_bytes = max_bytes
        self.size = 0
        self._pages: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()  # pages render in the threadpool

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            body = self._pages.get(key)
            if body is not None:
                self._pages.move_to_end(key)
            return body

    def put(self, key: tuple, body: bytes) -> None:
        with self._lock:
            if key in self._pages:
                self.size -= len(self._pages.pop(key))
            self._pages[key] = body
            self.size += len(body)
            while self.size > self.max_bytes:
                self.size -= len(self._pages.popitem(last=False)[1])


class SecurityHeaders:
    """Pure ASGI middleware: :data:`SECURITY_HEADERS` on every answer under ``/web``.

    Starlette's ``@app.middleware("http")`` runs each request through a task
    group and memory streams, which cost more than a cached page itself.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == PREFIX or path.startswith(PREFIX + "/")):
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for k, v in SECURITY_HEADERS.items():
                    headers.setdefault(k, v)
            await send(message)

        await self.app(scope, receive, send_with_headers)


HEADINGS = {404: "Not found", 405: "Not allowed", 413: "Too large", 422: "Not understood", 500: "Server error"}


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """The HTML twin of the API's error shape, for failures under ``/web/``."""
    ctx = {"heading": HEADINGS.get(status, "Error"), "error": message, "has_store": False, "needs_token": False}
    return templates.TemplateResponse(request, "message.html", ctx, status_code=status)


def mount(app: FastAPI, *, store=None, token: str | None = None, allow_private_fetch: bool = False) -> FastAPI:
    """Add the web pages to ``app``.

    ``store`` (a :class:`sourcetrace.store.Store`) enables the corpus pages and the
    Store button; ``token``, when set, must be typed in to store an article.
    Each defaults to what the API app keeps in ``app.state`` (``store``, ``token``,
    ``allow_private_fetch``), so ``mount(create_app(...))`` needs no arguments.
    """
    state = app.state
    store = store if store is not None else getattr(state, "store", None)
    token = token if token is not None else getattr(state, "token", None)
    allow_private_fetch = allow_private_fetch or getattr(state, "allow_private_fetch", False)
    timeout = getattr(state, "request_timeout", None)  # the API's per-analysis time limit, when mounted on it
    app.include_router(build_router(store, token=token, allow_private_fetch=allow_private_fetch, request_timeout=timeout))
    app.state.error_page = error_page
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="web-static")
    app.add_middleware(SecurityHeaders)
    if not any(getattr(r, "path", None) == "/" for r in app.routes):
        app.add_api_route("/", lambda: RedirectResponse(f"{PREFIX}/"), include_in_schema=False)
    return app


def create_web_app(store=None) -> FastAPI:
    """The pages alone, without the JSON API (used when the API is not wanted)."""
    return mount(FastAPI(title="sourcetrace", docs_url=None, redoc_url=None), store=store)


# Values the templates compare against.
templates.env.globals.update(Certainty=Certainty, SourceType=SourceType, PREFIX=PREFIX)
