"""The HTTP API over one store: analyse, ingest, read articles/attributions/sources, search.

``create_app`` holds no global state: everything lives on ``app.state`` (the
store, the token, the fetch policy), so tests and embedders can build as many
apps as they like. Write endpoints need ``Authorization: Bearer <token>`` when
the app has a token. URLs are fetched only if they resolve to public
addresses unless ``allow_private_fetch``. The web pages add themselves with
``sourcetrace.web.mount(app)`` when that module provides it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import os
from typing import Annotated

import anyio

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import Response
from pydantic import AfterValidator, BaseModel, Field, model_validator

from .. import __version__, deadline
from .. import ingest as _ingest
from ..analyze import annotate_within
from ..deadline import Budget
from ..errors import AnalysisStopped, InputError
from ..ingest.text import check_unicode
from ..model import Article, Attribution
from ..nlp.extractor import check_extractor
from ..store import ArticleSummary, EntitySummary, Facets, Hit, OutletCount, Page, SearchPage, SearchQuery, Store, facets, outlets_for, search
from ..store.bounds import MAX_ID, BoundedSearchQuery
from ..ingest.inputs import Item, load_url
from ..store.runner import ingest as run_ingest
from ..link.tracemodel import ClaimTrace, StoryTrace
from . import errors as _errors
from .cache import DEFAULT_CACHE_BYTES, ResponseCache, StoreGeneration
from .docs import add_docs
from .limits import BodySizeLimit

DEFAULT_MAX_BODY = 2_000_000
DEFAULT_REQUEST_TIMEOUT = 120.0  # seconds of analysis per POST /analyze
MAX_INGEST_ITEMS = 100
IntId = Annotated[int, Path(ge=1, le=MAX_ID)]
# JSON can carry lone surrogates ("\\ud800"): refused with 422 here, before they reach the store or a response.
Str = Annotated[str, AfterValidator(lambda value: _valid_unicode(value))]


def _valid_unicode(value: str) -> str:
    try:
        return check_unicode(value, "value")
    except InputError as exc:
        raise ValueError(str(exc)) from None


class AnalyzeRequest(BaseModel):
    """One article: its ``text``, or its ``html``, or only a ``url`` for the server to fetch."""

    text: Str | None = Field(None, description="Plain text of the article.")
    html: Str | None = Field(None, description="The article's HTML page; the main text is extracted.")
    url: Str | None = Field(None, max_length=2000, description="Where it was published; fetched if no text or html is given.")
    title: Str | None = Field(None, max_length=1000)
    outlet: Str | None = Field(None, max_length=300)
    published: dt.date | None = None
    authors: list[Str] = Field(default_factory=list, max_length=50)
    language: Str | None = Field(None, max_length=20)
    extractor: str = Field("default", pattern=r"^[a-z0-9_-]{1,30}$")
    store: bool = Field(False, description="Also store the analysed article (needs the token).")

    @model_validator(mode="after")
    def _something_to_analyse(self):
        if self.text is not None and self.html is not None:
            raise ValueError("give either text or html, not both")
        if self.text is None and self.html is None and not self.url:
            raise ValueError("give the article's text, its html, or a url to fetch")
        return self

    def meta(self) -> dict:
        return {k: v for k, v in self.model_dump(include={"title", "outlet", "url", "published", "authors", "language"}).items() if v}


class IngestRequest(BaseModel):
    articles: list[AnalyzeRequest] = Field(default_factory=list, max_length=MAX_INGEST_ITEMS)
    urls: list[Str] = Field(default_factory=list, max_length=MAX_INGEST_ITEMS)
    extractor: str = Field("default", pattern=r"^[a-z0-9_-]{1,30}$")


class IngestResult(BaseModel):
    ref: str
    outcome: str  # stored, skipped (already stored), failed
    id: int | None = None
    error: str | None = None


class IngestResponse(BaseModel):
    stored: int
    skipped: int
    failed: int
    results: list[IngestResult]


def as_json(model: BaseModel) -> Response:
    """``model`` as its JSON, skipping FastAPI's second validation of an object that is already the response model."""
    return Response(model.model_dump_json(), media_type="application/json")


def get_store(request: Request) -> Store:
    return request.app.state.store

def require_token(request: Request) -> None:
    expected = request.app.state.token
    if not expected:
        return
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise HTTPException(401, "This endpoint needs `Authorization: Bearer <token>`.", headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise HTTPException(403, "The token is wrong.")

StoreDep = Annotated[Store, Depends(get_store)]


READ_THREADS = 12  # within the store's 15 pooled connections, so no request waits for one
ANALYSIS_THREADS = max(2, os.cpu_count() or 2)


@contextlib.asynccontextmanager
async def _threads(app: FastAPI):
    """Few threads for the sync handlers, and analyses in their own few (they take seconds, reads take ms).

    Under 100 clients the default 40 threads fought over the GIL and the connection pool, and long
    analyses could hold every thread while quick reads waited.
    """
    anyio.to_thread.current_default_thread_limiter().total_tokens = READ_THREADS
    app.state.analysis_threads = anyio.CapacityLimiter(ANALYSIS_THREADS)
    yield
    app.state.generation.close()


async def _cancel_on_disconnect(request: Request, budget: Budget) -> None:
    """Cancel ``budget`` when the client disconnects (the body is read: the next message is the disconnect)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            budget.cancel()
            return


async def _bounded(request: Request, work, *args):
    """``work(*args, budget)`` in an analysis thread under the server's time limit, cancelled when the client
    goes away: ``/analyze`` and ``/ingest`` both (issue #11). A spent budget raises AnalysisStopped (503)."""
    app = request.app
    budget = Budget(app.state.request_timeout)
    outcome: list = []
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(_cancel_on_disconnect, request, budget)
        try:
            limiter = getattr(app.state, "analysis_threads", None)  # set at startup
            outcome.append(await anyio.to_thread.run_sync(_within, budget, work, *args, limiter=limiter))
        except Exception as exc:  # raised outside the group, which would wrap it in an ExceptionGroup
            outcome.append(exc)
        tasks.cancel_scope.cancel()
    if isinstance(outcome[0], Exception):
        raise outcome[0]
    return outcome[0]


def _within(budget: Budget, work, *args):
    with deadline.within(budget):
        return work(*args, budget)


def create_app(
    db_url: str | None = None,
    token: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY,
    allow_private_fetch: bool = False,
    *,
    store: Store | None = None,
    request_timeout: float | None = DEFAULT_REQUEST_TIMEOUT,
    cache_bytes: int = DEFAULT_CACHE_BYTES,
) -> FastAPI:
    """The API app over the store at ``db_url`` (or an open ``store``).

    ``request_timeout``: seconds one ``POST /analyze`` or ``/ingest`` may work before it answers 503 (None: no limit).
    ``cache_bytes``: memory for answers to read requests, kept until the store changes (``api/cache.py``; 0: none).
    """
    app = FastAPI(
        lifespan=_threads,
        title="sourcetrace",
        version=__version__,
        description="Who says so, through whom, and how firmly: attribution analysis for news articles.",
        docs_url=None,  # our own /docs: Swagger UI from the pinned package, under a CSP (api/docs.py)
        redoc_url=None,
    )
    add_docs(app)
    app.state.store = store or Store.open(db_url)
    app.state.token = token
    app.state.allow_private_fetch = allow_private_fetch
    app.state.request_timeout = request_timeout
    app.add_middleware(BodySizeLimit, max_body_bytes=max_body_bytes)
    _errors.install(app)

    def to_article(req: AnalyzeRequest, allow_private: bool) -> Article:
        meta = req.meta()
        if req.text is not None:
            return _ingest.from_text(req.text, **meta)
        if req.html is not None:
            return _ingest.from_html(req.html, **meta)
        return load_url(meta.pop("url"), allow_private=allow_private, **meta)

    @app.get("/health", tags=["meta"])
    def health(store: StoreDep) -> dict:
        return {"status": "ok", "version": __version__, "database": store.dialect}

    def analyze_now(req: AnalyzeRequest, store: Store, budget: Budget) -> Article:
        article = annotate_within(to_article(req, app.state.allow_private_fetch), budget, extractor=req.extractor)
        if req.store:
            saved = store.save(article, origin=req.url)
            return store.get_article(saved.id)
        return article

    @app.post("/analyze", response_model=Article, tags=["analyse"])
    async def analyze(req: AnalyzeRequest, request: Request, store: StoreDep) -> Article:
        """Analyse one article and return it; stored only with ``"store": true`` (and the token).

        The analysis stops (503) past the server's time limit, and as soon as the client goes away.
        """
        check_extractor(req.extractor)
        if req.store:
            require_token(request)
        return await _bounded(request, analyze_now, req, store)

    def ingest_now(req: IngestRequest, allow: bool, store: Store, budget: Budget) -> IngestResponse:
        items = [
            Item(f"articles[{i}]", lambda a=a: to_article(a, allow)) for i, a in enumerate(req.articles)
        ] + [Item(u, lambda u=u: load_url(u, allow_private=allow), url=u) for u in req.urls]
        results: dict[str, IngestResult] = {}

        def record(item: Item, outcome: str, article_id: int | None, error: str | None) -> None:
            results[item.ref] = IngestResult(ref=item.ref, outcome=outcome, id=article_id, error=error)

        try:
            report = run_ingest(store, items, extractor=req.extractor, on_item=record)
        except AnalysisStopped as exc:
            if budget.cancelled:
                raise
            stored = sum(r.outcome == "stored" for r in results.values())
            raise AnalysisStopped(
                f"The ingest took longer than this server's limit of {budget.seconds:g} s and stopped after "
                f"{len(results)} of {len(items)} items ({stored} stored, and kept): send the others again "
                "(stored articles are skipped), or fewer per request."
            ) from exc
        ordered = [results[item.ref] for item in items if item.ref in results]
        return IngestResponse(stored=report.stored, skipped=report.skipped, failed=report.failed, results=ordered)

    @app.post("/ingest", response_model=IngestResponse, tags=["analyse"], dependencies=[Depends(require_token)])
    async def ingest(req: IngestRequest, request: Request, store: StoreDep) -> IngestResponse:
        """Analyse and store a batch; the same article twice is stored once, a bad one fails alone.

        Like ``/analyze``, the batch stops (503) past the server's time limit, and as soon as the client
        goes away; the articles stored before that stay stored.
        """
        if not req.articles and not req.urls:
            raise InputError("Nothing to ingest: give 'articles' and/or 'urls'.")
        check_extractor(req.extractor)
        return await _bounded(request, ingest_now, req, request.app.state.allow_private_fetch, store)

    @app.get("/articles", response_model=Page[ArticleSummary], tags=["read"])
    def list_articles(
        store: StoreDep,
        outlet: Annotated[str | None, Query(max_length=300)] = None,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Query(ge=1, le=200)] = 20,
    ):
        return store.list_articles(outlet=outlet, page=page, per_page=per_page)

    def _article(store: Store, article_id: int) -> Article:
        article = store.get_article(article_id)
        if article is None:
            raise HTTPException(404, f"No article with id {article_id}.")
        return article

    @app.get("/articles/{article_id}", response_model=Article, tags=["read"])
    def get_article(article_id: IntId, store: StoreDep) -> Article:
        """The stored Article, exactly as analysed."""
        return as_json(_article(store, article_id))

    @app.get("/articles/{article_id}/attributions", response_model=list[Attribution], tags=["read"])
    def get_attributions(article_id: IntId, store: StoreDep) -> list[Attribution]:
        return _article(store, article_id).attributions

    @app.get("/articles/{article_id}/attributions/{attribution_id}", response_model=Attribution, tags=["read"])
    def get_attribution(article_id: IntId, attribution_id: Annotated[str, Path(max_length=100)], store: StoreDep) -> Attribution:
        for att in _article(store, article_id).attributions:
            if att.id == attribution_id:
                return att
        raise HTTPException(404, f"Article {article_id} has no attribution {attribution_id!r}.")

    @app.get("/sources", response_model=Page[EntitySummary], tags=["read"])
    def list_sources(
        store: StoreDep,
        name: Annotated[str | None, Query(max_length=300, description="Any form of the name: Putin, Vladimir Putin...")] = None,
        type: Annotated[str | None, Query(max_length=32)] = None,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Query(ge=1, le=200)] = 20,
    ):
        """Source entities merged across articles, most quoted first."""
        return store.list_entities(name=name, type=type, page=page, per_page=per_page)

    def _entity(store: Store, entity_id: int) -> EntitySummary:
        entity = store.get_entity(entity_id)
        if entity is None:
            raise HTTPException(404, f"No source with id {entity_id}.")
        return entity

    @app.get("/sources/{entity_id}", response_model=EntitySummary, tags=["read"])
    def get_source(entity_id: IntId, store: StoreDep):
        return _entity(store, entity_id)

    @app.get("/sources/{entity_id}/statements", response_model=Page[Hit], tags=["read"])
    def source_statements(
        entity_id: IntId,
        store: StoreDep,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Query(ge=1, le=200)] = 20,
    ):
        """All statements by this source, newest first."""
        _entity(store, entity_id)
        return search(store, SearchQuery(entity_id=entity_id, sort="newest", page=page, per_page=per_page))

    @app.get("/sources/{entity_id}/outlets", response_model=list[OutletCount], tags=["read"])
    def source_outlets(entity_id: IntId, store: StoreDep):
        """Which outlets carry statements from this source."""
        _entity(store, entity_id)
        return outlets_for(store, entity_id=entity_id)

    @app.get("/search", response_model=SearchPage, tags=["search"])
    def search_statements(query: Annotated[BoundedSearchQuery, Query()], store: StoreDep):
        """Full-text search over statements with filters (source, type, anonymous, outlet, certainty, dates).

        Deep pages: pass the `next` of a page as `after` to get the one after it (keyset pagination: as fast
        as page 1; `page` is ignored). `total_exact` is false when `total` is PostgreSQL's estimate for a
        broad query (more than 20,000 matches); ask `exact_total=true` to count every match.
        """
        return as_json(search(store, query))

    @app.get("/search/facets", response_model=Facets, tags=["search"])
    def search_facets(query: Annotated[BoundedSearchQuery, Query()], store: StoreDep):
        """How many statements the same search finds, per outlet, source type and certainty (sort and page ignored)."""
        return facets(store, query)

    _link_routes(app)

    try:  # the web pages, when that module is there
        from .. import web
    except ImportError:
        web = None
    if web is not None and hasattr(web, "mount"):
        web.mount(app)

    app.state.generation = StoreGeneration(app.state.store.engine)
    app.add_middleware(ResponseCache, generation=app.state.generation, max_bytes=cache_bytes)  # added last: outermost
    return app


ClaimId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]


def _link_routes(app: FastAPI) -> None:
    """Stories and claims with their provenance (``sourcetrace.link.provenance``)."""
    from ..link import provenance

    @app.get("/stories", response_model=Page[StoryTrace], tags=["trace"])
    def list_stories(
        store: StoreDep,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Query(ge=1, le=200)] = 20,
    ):
        """Stories (articles reporting one event), the most articles first."""
        return provenance.list_stories(store, page=page, per_page=per_page)

    @app.get("/stories/{story_id}", response_model=StoryTrace, tags=["trace"])
    def get_story(story_id: ClaimId, store: StoreDep):
        """One story: its articles by date and the ids of its claims."""
        story = provenance.get_story(store, story_id)
        if story is None:
            raise HTTPException(404, f"No story with id {story_id!r}; list them at /stories.")
        return story

    @app.get("/claims", response_model=Page[ClaimTrace], tags=["trace"])
    def list_claims(
        store: StoreDep,
        q: Annotated[str | None, Query(max_length=500, description="Words every claim returned contains.")] = None,
        story_id: Annotated[str | None, Query(max_length=40)] = None,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    ):
        """Claims with full provenance (carriers, first, origins, contradictions, figures), the most carried first."""
        return provenance.list_claims(store, query=q, story_id=story_id, page=page, per_page=per_page)

    @app.get("/claims/{claim_id}", response_model=ClaimTrace, tags=["trace"])
    def get_claim(claim_id: ClaimId, store: StoreDep):
        """One claim with full provenance, as in `sourcetrace trace --json`."""
        claim = provenance.get_claim(store, claim_id)
        if claim is None:
            raise HTTPException(404, f"No claim with id {claim_id!r}; list them at /claims.")
        return claim
