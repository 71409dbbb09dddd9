"""Full-text search over stored statements, with filters, sorting, pages and facet counts.

Text matching uses the database's own engine (SQLite FTS5 with Porter
stemming, PostgreSQL ``websearch_to_tsquery('english')``); both read the same
query language: words (all must match), "quoted phrases", ``OR`` and ``-word``.
Filters travel inside the full-text lookup as tags (``fulltext.py``), and
relevance is ranked block by block of the newest matches (``RANK_WINDOW``), so
a query costs what its page needs, not what the corpus holds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from enum import Enum
from typing import NamedTuple

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import Integer, and_, bindparam, func, literal_column, select, text

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


# Relevance is ranked within blocks of this many newest matches (results run through the blocks newest
# first): FTS5 and PostgreSQL score every row they rank, so one unbounded block costs time in proportion to the corpus.
RANK_WINDOW = 5_000


class _Plan(NamedTuple):
    """How one query reads the store."""

    where: list  # exact conditions on statements
    words: str | None  # the query as typed (PostgreSQL parses it itself)
    match_words: str | None  # SQLite: the words, for statements_fts (ranking)
    match_all: str | None  # SQLite: the words and every filter as tags, for statements_tags; None without filters
    tags: str | None  # PostgreSQL: every filter as a tsquery over the tags column; None without filters
    empty: bool = False


def _date_range(conn, query: SearchQuery) -> tuple[dt.date, dt.date] | None:
    """The closed date range asked for; None if nothing can fall in it.

    An open end is closed at the start or end of the year of the store's first
    or last date: no statement lies beyond, and whole years are one tag each.
    """
    first = query.date_from
    last = query.date_to
    if first is None:
        oldest = conn.execute(select(func.min(statements.c.published))).scalar()
        first = dt.date(oldest.year, 1, 1) if oldest else None
    if last is None:
        newest = conn.execute(select(func.max(statements.c.published))).scalar()
        last = dt.date(newest.year, 12, 31) if newest else None
    if first is None or last is None or first > last:
        return None
    return first, last


def _plan(conn, dialect: str, query: SearchQuery) -> _Plan:
    """The query as exact conditions on ``statements`` and, with words, as full-text lookups whose tags carry every filter."""
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
    outlet_key = query.outlet.casefold().strip() if query.outlet else None
    if outlet_key:
        where.append(statements.c.outlet == outlet_key)
    if query.certainty:
        where.append(statements.c.certainty.in_([c.value for c in query.certainty]))
    if query.date_from:
        where.append(statements.c.published >= query.date_from)
    if query.date_to:
        where.append(statements.c.published <= query.date_to)
    if query.article_id is not None:
        where.append(statements.c.article_id == query.article_id)
    if not words:
        return _Plan(where, None, None, None, None)
    dates = _date_range(conn, query) if query.date_from or query.date_to else None
    if entity_ids == [] or ((query.date_from or query.date_to) and dates is None):
        return _Plan(where, words, None, None, None, empty=True)
    groups = tag_groups(
        entity_ids=entity_ids,
        article_id=query.article_id,
        outlet_key=outlet_key or None,
        source_type=query.source_type.value if query.source_type else None,
        anonymous=query.anonymous,
        own_voice=query.own_voice,
        certainty=query.certainty,
        dates=dates,
        dialect=dialect,
    )
    if dialect == "sqlite":
        return _Plan(where, words, expr, fts5_match(expr, groups) if groups else None, None)
    return _Plan(where, words, None, None, tsquery_tags(groups) if groups else None)


_FTS_IDS = "SELECT rowid FROM statements_fts WHERE statements_fts MATCH :m"
_TAGS_IDS = "SELECT rowid FROM statements_tags WHERE statements_tags MATCH :m"


def _sqlite_ids(plan: _Plan) -> tuple[str, str]:
    """The id lookup for the words and filters, and its MATCH expression."""
    return (_TAGS_IDS, plan.match_all) if plan.match_all else (_FTS_IDS, plan.match_words)


def _tsquery(plan: _Plan):
    return func.websearch_to_tsquery(literal_column("'english'"), plan.words)


def _word_conditions(dialect: str, plan: _Plan) -> list:
    """The words and the tags as conditions on ``statements`` (an id lookup in the FTS5 index on SQLite)."""
    if dialect == "sqlite":
        ids, m = _sqlite_ids(plan)
        return [statements.c.id.in_(text(ids).bindparams(m=m).columns(rowid=Integer))]
    found = [literal_column("statements.tsv").op("@@")(_tsquery(plan))]
    if plan.tags:
        found.append(literal_column("statements.tags").op("@@")(func.to_tsquery(literal_column("'simple'"), plan.tags)))
    return found


def _sqlite_ranked(conn, plan: _Plan, offset: int, limit: int) -> tuple[int, list[tuple[int, float]]]:
    """Total and one page by bm25, block by block of the newest matching statements.

    A block is the next RANK_WINDOW matching rowids, newest first, found without
    scoring (in ``statements_tags`` when there are filters). Only its rows are
    scored, by the same bm25 over ``statements_fts`` as ever: FTS5 walks the
    words' postings across the block's span and computes bm25 for the rows in
    the block alone. Results run through the blocks, each best first.
    """
    lookup, m = _sqlite_ids(plan)
    need, out, hi, total = offset + limit, [], None, None
    while len(out) < need:
        bound = " AND rowid <= :hi" if hi is not None else ""
        block = conn.execute(text(lookup + bound + " ORDER BY rowid DESC LIMIT :w"), {"m": m, "hi": hi, "w": RANK_WINDOW}).scalars().all()
        if not block:
            break
        if hi is None and len(block) < RANK_WINDOW:
            total = len(block)
        # "+rowid": keep SQLite from handing FTS5 one rowid at a time (a full query each)
        only = " AND +rowid IN (SELECT value FROM json_each(:ids))" if plan.match_all else ""
        rows = conn.execute(
            text(
                "SELECT rowid, -bm25(statements_fts) AS score FROM statements_fts WHERE statements_fts MATCH :w"
                f" AND rowid BETWEEN :lo AND :hi{only} ORDER BY score DESC, rowid LIMIT :n"
            ),
            {"w": plan.match_words, "lo": block[-1], "hi": block[0], "ids": json.dumps(block), "n": need - len(out)},
        ).all()
        out += [(int(r[0]), float(r[1])) for r in rows]
        if len(block) < RANK_WINDOW:
            break
        hi = block[-1] - 1
    if total is None:
        total = conn.execute(text(f"SELECT count(*) FROM ({lookup})"), {"m": m}).scalar_one()
    return total, out[offset:]


def _page_ids(conn, dialect: str, query: SearchQuery, plan: _Plan) -> tuple[int, list[tuple[int, float | None]]]:
    """How many statements match, and the (id, score) of the requested page, best or newest first."""
    offset = (query.page - 1) * query.per_page
    if plan.empty:
        return 0, []
    relevance = query.sort == Sort.relevance and plan.words
    if relevance and dialect == "sqlite":
        return _sqlite_ranked(conn, plan, offset, query.per_page)
    base, where = statements, list(plan.where)
    if plan.words and dialect == "sqlite":
        lookup, m = _sqlite_ids(plan)
        ids = text(lookup).bindparams(m=m).columns(rowid=Integer).cte("fts").prefix_with("MATERIALIZED")
        base = statements.join(ids, ids.c.rowid == statements.c.id)
    elif plan.words:
        where += _word_conditions(dialect, plan)
    total = conn.execute(select(func.count()).select_from(base).where(*where)).scalar_one()
    if relevance:  # PostgreSQL: ts_rank block by block of the newest matches, as on SQLite
        out: list[tuple[int, float]] = []
        for start in range(0, min(total, offset + query.per_page), RANK_WINDOW):
            block = (
                select(statements.c.id, literal_column("statements.tsv").label("tsv"))
                .where(*where)
                .order_by(statements.c.id.desc())
                .limit(RANK_WINDOW)
                .offset(start)
                .subquery()
            )
            ranked = func.ts_rank(block.c.tsv, _tsquery(plan))
            rows = conn.execute(
                select(block.c.id, ranked.label("score")).order_by(ranked.desc(), block.c.id).limit(offset + query.per_page - len(out))
            ).all()
            out += [(r.id, float(r.score)) for r in rows]
        return total, out[offset:]
    if query.sort == Sort.oldest:
        order = [statements.c.published.asc().nulls_last(), statements.c.id]
    elif dialect == "sqlite":  # NULLs already sort last descending; this form walks the date index
        order = [statements.c.published.desc(), statements.c.id.desc()]
    else:
        order = [statements.c.published.desc().nulls_last(), statements.c.id.desc()]
    rows = conn.execute(
        select(statements.c.id).select_from(base).where(*where).order_by(*order).limit(query.per_page).offset(offset)
    ).all()
    return total, [(r.id, None) for r in rows]


def search(store: Store, query: SearchQuery) -> Page[Hit]:
    """One page of statements matching ``query``, and how many match in all."""
    with store.engine.connect() as conn:
        plan = _plan(conn, store.dialect, query)
        total, page = _page_ids(conn, store.dialect, query, plan)
        scores = dict(page)
        details = _details(conn, list(scores)) if page else {}
    items = [Hit(**details[i], score=scores[i]) for i in scores if i in details]
    return Page(total=total, page=query.page, per_page=query.per_page, items=items)


def _details_statement():
    """Everything a hit shows, for the statement ids bound to ``ids`` (built once: building it cost more than running it)."""
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
    return select(*cols).select_from(joins).where(statements.c.id.in_(bindparam("ids", expanding=True)))


_DETAILS = _details_statement()


def _details(conn, ids: list[int]) -> dict:
    """Everything a hit shows, for one page of statement ids (the joins run for this page only)."""
    return {r["id"]: r for r in conn.execute(_DETAILS, {"ids": ids}).mappings()}


def facets(store: Store, query: SearchQuery, *, limit: int = 20) -> Facets:
    """Statements matching ``query`` counted per outlet (the ``limit`` biggest), per source type and per certainty.

    One grouped pass over the matching rows (the full-text lookup carries the
    filters, as in :func:`search`); sort and page are ignored.
    """
    cols = (statements.c.outlet, statements.c.source_type, statements.c.certainty)
    with store.engine.connect() as conn:
        plan = _plan(conn, store.dialect, query)
        where = plan.where + (_word_conditions(store.dialect, plan) if plan.words else [])
        rows = [] if plan.empty else conn.execute(select(*cols, func.count()).where(*where).group_by(*cols)).all()
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
