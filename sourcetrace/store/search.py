"""Full-text search over stored statements, with filters, sorting and pages.

Text matching uses the database's own engine (SQLite FTS5 with Porter
stemming, PostgreSQL ``websearch_to_tsquery('english')``); both read the same
query language: words (all must match), "quoted phrases", ``OR`` and ``-word``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from enum import Enum
from typing import NamedTuple

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import ColumnElement, Float, FromClause, Integer, and_, func, literal_column, select, text

from ..errors import InputError
from ..model import Certainty, SourceType
from . import entities as _entities
from .fulltext import fts5_match, fts5_query, tag_groups, tsquery_tags
from .repository import Page, Store
from .schema import articles, attributions, entities, statements


class Sort(str, Enum):
    relevance = "relevance"  # best match first (newest first without a query)
    newest = "newest"
    oldest = "oldest"


class SearchQuery(BaseModel):
    """What to look for. Every field is optional; all given ones must hold."""

    q: str | None = Field(None, max_length=500, description="Words, \"phrases\", OR, -word.")
    source: str | None = Field(None, max_length=300, description="A source's name in any form (\"Putin\").")
    entity_id: int | None = None
    source_type: SourceType | None = None
    anonymous: bool | None = None
    own_voice: bool | None = None
    outlet: str | None = Field(None, max_length=300)
    certainty: list[Certainty] | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    article_id: int | None = None
    sort: Sort = Sort.relevance
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=200)

    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from is after date_to: swap them.")
        return self


class Hit(BaseModel):
    id: int
    text: str
    source: str | None
    entity_id: int | None
    entity: str | None
    source_type: str | None
    anonymous: bool
    own_voice: bool
    certainty: str
    cue: str | None
    outlet: str | None
    published: dt.date | None
    article_id: int
    article_title: str | None
    article_url: str | None
    attribution_id: str | None
    start: int | None
    end: int | None
    score: float | None = None


class FacetCount(BaseModel):
    value: str | None
    statements: int


class Facets(BaseModel):
    """How the statements a query finds split up: what the filters beside the results show."""

    total: int
    outlets: list[FacetCount]
    source_types: list[FacetCount]
    certainties: list[FacetCount]


class OutletCount(BaseModel):
    outlet: str | None
    statements: int
    articles: int
    first: dt.date | None
    last: dt.date | None


class _Plan(NamedTuple):
    """How one query reads the store: which rows pass, and how they rank."""

    base: FromClause  # statements (joined to the FTS5 table on SQLite when there are words)
    where: list
    score: ColumnElement | None  # higher is better
    order: ColumnElement | None  # what ORDER BY uses for relevance (bm25's rank is lower-is-better)
    fts_only: str | None  # SQLite: a MATCH expression that says everything, so statements need not be joined




def _plan(conn, dialect: str, query: SearchQuery) -> _Plan:
    """Turn a query into exact conditions on ``statements`` plus, with words, one full-text lookup that also carries the filters as tags."""
    words = query.q.strip() if query.q else ""
    expr = fts5_query(words) if words else None
    if words and expr is None:
        raise InputError(f"The query {query.q!r} has no searchable words: give at least one word.")
    where: list = []
    entity_ids: list[int] | None = None
    if query.source:
        entity_ids = _entities.lookup(conn, query.source)
        where.append(statements.c.entity_id.in_(entity_ids) if entity_ids else and_(False))
    if query.entity_id is not None:
        entity_ids = [query.entity_id] if entity_ids is None else [i for i in entity_ids if i == query.entity_id]
        where.append(statements.c.entity_id == query.entity_id)
    if query.source_type is not None:
        where.append(statements.c.source_type == query.source_type.value)
    if query.anonymous is not None:
        where.append(statements.c.anonymous == query.anonymous)
    if query.own_voice is not None:
        where.append(statements.c.own_voice == query.own_voice)
    if query.certainty:
        where.append(statements.c.certainty.in_([c.value for c in query.certainty]))
    # Below this line the tags only narrow, so the exact condition must be applied to the joined rows.
    tags_say_all = True
    outlet_key = query.outlet.casefold().strip() if query.outlet else None
    if outlet_key:
        where.append(statements.c.outlet == outlet_key)
        tags_say_all = False
    if query.date_from:
        where.append(statements.c.published >= query.date_from)
        tags_say_all = False
    if query.date_to:
        where.append(statements.c.published <= query.date_to)
        tags_say_all = False
    if query.article_id is not None:
        where.append(statements.c.article_id == query.article_id)
        tags_say_all = False
    if not words:
        return _Plan(statements, where, None, None, None)

    groups = tag_groups(
        entity_ids=entity_ids,
        source_type=query.source_type.value if query.source_type else None,
        anonymous=query.anonymous,
        own_voice=query.own_voice,
        certainty=query.certainty,
        outlet_key=outlet_key,
        date_from=query.date_from,
        date_to=query.date_to,
        dialect=dialect,
    )
    if entity_ids == []:  # a source that is not in the store: nothing can match
        return _Plan(statements, [and_(False)], literal_column("0"), literal_column("0"), None)
    if dialect == "sqlite":
        match = fts5_match(expr, groups)
        # MATERIALIZED: run the MATCH once, never once per row of a filtered statements scan.
        fts = (
            text("SELECT rowid AS rid, rank FROM statements_fts WHERE statements_fts MATCH :match")
            .bindparams(match=match)
            .columns(rid=Integer, rank=Float)
            .cte("fts")
            .prefix_with("MATERIALIZED")
        )
        fts_only = match if tags_say_all and query.sort == Sort.relevance else None
        return _Plan(statements.join(fts, fts.c.rid == statements.c.id), where, -fts.c.rank, fts.c.rank.asc(), fts_only)
    tsq = func.websearch_to_tsquery(literal_column("'english'"), words)
    tsv = literal_column("statements.tsv")
    where.append(tsv.op("@@")(tsq))
    if groups:
        where.append(literal_column("statements.tags").op("@@")(func.to_tsquery(literal_column("'simple'"), tsquery_tags(groups))))
    score = func.ts_rank(tsv, tsq)
    return _Plan(statements, where, score, score.desc(), None)


def _page_ids(conn, dialect: str, query: SearchQuery, plan: _Plan) -> tuple[int, list[tuple[int, float | None]]]:
    """How many statements match, and the (id, score) of the requested page, best or newest first."""
    offset = (query.page - 1) * query.per_page
    if plan.fts_only is not None:
        # Words and tag filters only: the FTS5 index answers alone, its own ORDER BY rank LIMIT top-k path.
        params = {"m": plan.fts_only, "n": query.per_page, "o": offset}
        total = conn.execute(text("SELECT count(*) FROM statements_fts WHERE statements_fts MATCH :m"), params).scalar_one()
        rows = conn.execute(
            text("SELECT rowid, -rank FROM statements_fts WHERE statements_fts MATCH :m ORDER BY rank, rowid LIMIT :n OFFSET :o"),
            params,
        ).all()
        return total, [(int(r[0]), float(r[1])) for r in rows]
    total = conn.execute(select(func.count()).select_from(plan.base).where(*plan.where)).scalar_one()
    if query.sort == Sort.relevance and plan.order is not None:
        order = [plan.order, statements.c.id]
    elif query.sort == Sort.oldest:
        order = [statements.c.published.asc().nulls_last(), statements.c.id]
    elif dialect == "sqlite":  # NULLs already sort last descending; this form walks the date index
        order = [statements.c.published.desc(), statements.c.id.desc()]
    else:
        order = [statements.c.published.desc().nulls_last(), statements.c.id.desc()]
    cols = [statements.c.id] + ([plan.score.label("score")] if plan.score is not None else [])
    rows = conn.execute(
        select(*cols).select_from(plan.base).where(*plan.where).order_by(*order).limit(query.per_page).offset(offset)
    ).all()
    return total, [(r.id, float(r.score) if plan.score is not None else None) for r in rows]


def search(store: Store, query: SearchQuery) -> Page[Hit]:
    """One page of statements matching ``query``, and how many match in all."""
    with store.engine.connect() as conn:
        plan = _plan(conn, store.dialect, query)
        total, page = _page_ids(conn, store.dialect, query, plan)
        scores = dict(page)
        details = _details(conn, list(scores)) if page else {}
    items = [Hit(**details[i], score=scores[i]) for i in scores if i in details]
    return Page(total=total, page=query.page, per_page=query.per_page, items=items)


def _details(conn, ids: list[int]) -> dict:
    """Everything a hit shows, for one page of statement ids (the joins run for this page only)."""
    cols = [
        statements.c.id,
        statements.c.text,
        statements.c.source_name.label("source"),
        statements.c.entity_id,
        entities.c.name.label("entity"),
        statements.c.source_type,
        statements.c.anonymous,
        statements.c.own_voice,
        statements.c.certainty,
        statements.c.cue_text.label("cue"),
        articles.c.outlet,
        statements.c.published,
        statements.c.article_id,
        articles.c.title.label("article_title"),
        articles.c.url.label("article_url"),
        attributions.c.local_id.label("attribution_id"),
        statements.c.start,
        statements.c.end,
    ]
    joins = (
        statements.join(articles, articles.c.id == statements.c.article_id)
        .outerjoin(entities, entities.c.id == statements.c.entity_id)
        .outerjoin(attributions, attributions.c.id == statements.c.attribution_id)
    )
    return {r["id"]: r for r in conn.execute(select(*cols).select_from(joins).where(statements.c.id.in_(ids))).mappings()}


def facets(store: Store, query: SearchQuery, *, limit: int = 20) -> Facets:
    """Statements matching ``query`` counted per outlet (the ``limit`` biggest), per source type and per certainty.

    One grouped pass over the matching rows (the full-text lookup carries the
    filters, as in :func:`search`); sort and page are ignored.
    """
    with store.engine.connect() as conn:
        plan = _plan(conn, store.dialect, query)
        cols = (statements.c.outlet, statements.c.source_type, statements.c.certainty)
        rows = conn.execute(select(*cols, func.count()).select_from(plan.base).where(*plan.where).group_by(*cols)).all()
    outlets: Counter = Counter()
    types: Counter = Counter()
    certainties: Counter = Counter()
    for outlet, source_type, certainty, n in rows:
        outlets[outlet] += n
        types[source_type] += n
        certainties[certainty] += n

    def ranked(counter: Counter, top: int | None = None) -> list[FacetCount]:
        items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or ""))
        return [FacetCount(value=v, statements=n) for v, n in items[:top]]

    return Facets(
        total=sum(certainties.values()),
        outlets=ranked(outlets, limit),
        source_types=ranked(types),
        certainties=ranked(certainties),
    )


def outlets_for(store: Store, *, source: str | None = None, entity_id: int | None = None) -> list[OutletCount]:
    """Which outlets carry statements from this source, most first."""
    with store.engine.connect() as conn:
        if entity_id is not None:
            ids = [entity_id]
        elif source:
            ids = _entities.lookup(conn, source)
        else:
            raise InputError("Say which source: give its name or entity id.")
        if not ids:
            return []
        n = func.count(statements.c.id)
        rows = conn.execute(
            select(
                articles.c.outlet,
                n.label("statements"),
                func.count(statements.c.article_id.distinct()).label("articles"),
                func.min(statements.c.published).label("first"),
                func.max(statements.c.published).label("last"),
            )
            .select_from(statements.join(articles, articles.c.id == statements.c.article_id))
            .where(statements.c.entity_id.in_(ids))
            .group_by(articles.c.outlet)
            .order_by(n.desc(), articles.c.outlet)
        ).mappings()
        return [OutletCount(**r) for r in rows]
