"""Full-text search over stored statements, with filters, sorting and pages.

Text matching uses the database's own engine (SQLite FTS5 with Porter
stemming, PostgreSQL ``websearch_to_tsquery('english')``); both read the same
query language: words (all must match), "quoted phrases", ``OR`` and ``-word``.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import Float, Integer, and_, func, literal_column, select, text

from ..errors import InputError
from ..model import Certainty, SourceType
from . import entities as _entities
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


class OutletCount(BaseModel):
    outlet: str | None
    statements: int
    articles: int
    first: dt.date | None
    last: dt.date | None


_STOP = frozenset("a an and are as at be by for from has have in is it its of on or that the this to was were will with".split())
_TERM = re.compile(r'(-?)"([^"]*)"|(\S+)')


def fts5_query(q: str) -> str | None:
    """Translate the shared query language to an FTS5 expression; None if nothing searchable remains."""
    groups: list[list[str]] = [[]]  # OR of ANDs
    negatives: list[str] = []
    for neg, phrase, word in _TERM.findall(q):
        if word == "OR":
            groups.append([])
            continue
        negate = bool(neg)
        raw = phrase if phrase else word
        if not phrase and raw.startswith("-"):
            negate, raw = True, raw[1:]
        toks = [t for t in re.findall(r"\w+", raw.lower()) if t not in _STOP or phrase]
        if not toks:
            continue
        term = '"' + " ".join(toks) + '"'
        (negatives if negate else groups[-1]).append(term)
    ors = [" AND ".join(g) for g in groups if g]
    if not ors:
        return None
    expr = " OR ".join(f"({o})" for o in ors)
    for n in negatives:
        expr = f"({expr}) NOT {n}"
    return expr


def search(store: Store, query: SearchQuery) -> Page[Hit]:
    """One page of statements matching ``query``, and how many match in all."""
    where = []
    score = None
    base = statements  # the narrow part: filters live on statements; details are joined for one page only
    with store.engine.connect() as conn:
        if query.q and query.q.strip():
            expr = fts5_query(query.q)
            if expr is None:
                raise InputError(f"The query {query.q!r} has no searchable words: give at least one word.")
            if store.dialect == "sqlite":
                # MATERIALIZED: run the MATCH once, never once per row of a filtered statements scan.
                fts = (
                    text("SELECT rowid AS rid, bm25(statements_fts) AS rank FROM statements_fts WHERE statements_fts MATCH :expr")
                    .bindparams(expr=expr)
                    .columns(rid=Integer, rank=Float)
                    .cte("fts")
                    .prefix_with("MATERIALIZED")
                )
                base = base.join(fts, fts.c.rid == statements.c.id)
                score = -fts.c.rank  # bm25: lower is better
            else:
                tsq = func.websearch_to_tsquery(literal_column("'english'"), query.q)
                tsv = literal_column("statements.tsv")
                where.append(tsv.op("@@")(tsq))
                score = func.ts_rank(tsv, tsq)
        if query.source:
            ids = _entities.lookup(conn, query.source)
            where.append(statements.c.entity_id.in_(ids) if ids else and_(False))
        if query.entity_id is not None:
            where.append(statements.c.entity_id == query.entity_id)
        if query.source_type is not None:
            where.append(statements.c.source_type == query.source_type.value)
        if query.anonymous is not None:
            where.append(statements.c.anonymous == query.anonymous)
        if query.own_voice is not None:
            where.append(statements.c.own_voice == query.own_voice)
        if query.outlet:
            where.append(statements.c.outlet == query.outlet.casefold().strip())
        if query.certainty:
            where.append(statements.c.certainty.in_([c.value for c in query.certainty]))
        if query.date_from:
            where.append(statements.c.published >= query.date_from)
        if query.date_to:
            where.append(statements.c.published <= query.date_to)
        if query.article_id is not None:
            where.append(statements.c.article_id == query.article_id)

        total = conn.execute(select(func.count()).select_from(base).where(*where)).scalar_one()
        if query.sort == Sort.relevance and score is not None:
            order = [score.desc(), statements.c.id]
        elif query.sort == Sort.oldest:
            order = [statements.c.published.asc().nulls_last(), statements.c.id]
        elif store.dialect == "sqlite":  # NULLs already sort last descending; this form walks the date index
            order = [statements.c.published.desc(), statements.c.id.desc()]
        else:
            order = [statements.c.published.desc().nulls_last(), statements.c.id.desc()]
        page_cols = [statements.c.id] + ([score.label("score")] if score is not None else [])
        page = conn.execute(
            select(*page_cols)
            .select_from(base)
            .where(*where)
            .order_by(*order)
            .limit(query.per_page)
            .offset((query.page - 1) * query.per_page)
        ).all()
        scores = {r.id: (float(r.score) if score is not None else None) for r in page}
        details = {}
        if page:
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
            for r in conn.execute(select(*cols).select_from(joins).where(statements.c.id.in_(list(scores)))).mappings():
                details[r["id"]] = r
        items = [Hit(**details[i], score=scores[i]) for i in scores if i in details]
    return Page(total=total, page=query.page, per_page=query.per_page, items=items)


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
