"""Full-text search over stored statements, with filters, sorting, pages and facet counts.

Text matching uses the database's own engine (SQLite FTS5 with Porter
stemming, PostgreSQL ``websearch_to_tsquery('english')``); both read the same
query language: words (all must match), "quoted phrases", ``OR`` and ``-word``.
Filters travel inside the full-text lookup as tags (``fulltext.py``), and
relevance is ranked block by block of the newest matches (``RANK_WINDOW``), so
a query costs what its page needs, not what the corpus holds. On PostgreSQL a
broad query's total is the planner's estimate (``SearchPage.total_exact``):
counting reads every matching row there. ``after`` / ``next`` page by keyset.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections import Counter
from enum import Enum
from typing import NamedTuple

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import Integer, and_, bindparam, func, literal_column, or_, select, text

from ..errors import InputError
from ..model import Certainty, SourceType
from . import entities as _entities
from .fulltext import cheaper_groups, date_tags, fts5_match, fts5_query, tag_groups, tsquery_tags
from .repository import Page, Store
from .schema import MAX_ID, articles, attributions, entities, statements


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
    after: str | None = Field(None, max_length=80, description="Keyset pagination: the `next` of the previous page"
                              " (same query and sort); `page` is then ignored. Deep pages cost what page 1 costs.")
    exact_total: bool = Field(False, description="PostgreSQL: count every match exactly even for broad queries"
                              " (slower: each match's row is read); otherwise a total above 20,000 may be an estimate.")

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


class SearchPage(Page[Hit]):
    """One page of hits; ``next`` continues after its last hit (pass it as ``after``), None after the last page."""

    total_exact: bool = Field(True, description="False when `total` is PostgreSQL's estimate (broad queries, above 20,000).")
    next: str | None = Field(None, description="Cursor for the following page: give it as `after`.")


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


def _stored_dates(conn) -> tuple[dt.date | None, dt.date | None]:
    """The store's oldest and newest statement dates."""
    # two queries: each walks one end of the date index (one query with both would scan it all on SQLite)
    oldest = conn.execute(select(func.min(statements.c.published))).scalar()
    newest = conn.execute(select(func.max(statements.c.published))).scalar()
    return oldest, newest


def _date_range(query: SearchQuery, oldest: dt.date | None, newest: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The closed date range asked for; None if nothing can fall in it.

    An open end is closed at the start or end of the year of the store's first
    or last date: no statement lies beyond, and whole years are one tag each.
    """
    first = query.date_from
    last = query.date_to
    if first is None:
        first = dt.date(oldest.year, 1, 1) if oldest else None
    if last is None:
        last = dt.date(newest.year, 12, 31) if newest else None
    if first is None or last is None or first > last:
        return None
    return first, last


def _outside_dates(dates: tuple[dt.date, dt.date], oldest: dt.date | None, newest: dt.date | None) -> list[str]:
    """The date tags of every stored statement outside ``dates``: the rest of the store's years, and ``y0`` (no date)."""
    tags = ["y0"]
    if oldest is not None and dates[0] > dt.date(oldest.year, 1, 1):
        tags += date_tags(dt.date(oldest.year, 1, 1), dates[0] - dt.timedelta(days=1))
    if newest is not None and dates[1] < dt.date(newest.year, 12, 31):
        tags += date_tags(dates[1] + dt.timedelta(days=1), dt.date(newest.year, 12, 31))
    return tags


SAMPLE = 20_000  # newest statements whose tags estimate how common each tag is
_shares: dict[str, tuple[float, Counter]] = {}


def _tag_shares(conn, max_age: float = 600.0):
    """``share(tag)``: the fraction of the newest SAMPLE statements carrying a tag (kept for ``max_age`` s per database).

    Only steers which form of a filter the index reads (:func:`cheaper_groups`); results never depend on it.
    """
    key = repr(conn.engine.url)
    now = time.monotonic()
    if key not in _shares or now - _shares[key][0] > max_age:
        counts: Counter = Counter()
        rows = conn.execute(
            select(statements.c.anonymous, statements.c.own_voice, statements.c.certainty, statements.c.published)
            .order_by(statements.c.id.desc())
            .limit(SAMPLE)
        ).all()
        for anonymous, own_voice, certainty, published in rows:
            day = f"{published:%Y%m%d}" if published else None
            counts.update((f"a{int(anonymous)}", f"v{int(own_voice)}", f"c{certainty}"))
            counts.update((f"y{day[:4]}", f"m{day[:6]}", f"d{day}") if day else ("y0", "m0", "d0"))
        counts["#"] = max(1, len(rows))
        _shares[key] = (now, counts)
    counts = _shares[key][1]
    return lambda tag: counts[tag] / counts["#"]


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
    stored = _stored_dates(conn) if query.date_from or query.date_to else None
    dates = _date_range(query, *stored) if stored else None
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
    if not groups:
        return _Plan(where, words, expr if dialect == "sqlite" else None, None, None)
    outside = _outside_dates(dates, *stored) if dates is not None else None
    keep, drop = cheaper_groups(groups, _tag_shares(conn), outside)
    if dialect == "sqlite":
        return _Plan(where, words, expr, fts5_match(expr, keep, drop), None)
    if not keep:  # GIN cannot start from "none of": PostgreSQL would scan the table
        keep, drop = groups, []
    return _Plan(where, words, None, None, tsquery_tags(keep, drop))


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


class _Row(NamedTuple):
    """One result of a page, and where it sits: its relevance block's newest id and its place in that block."""

    id: int
    score: float | None
    top: int | None = None
    pos: int | None = None


def _sqlite_ranked(conn, plan: _Plan, offset: int, limit: int, hi: int | None = None) -> tuple[int, list[_Row]]:
    """Total and one page by bm25, block by block of the newest matching statements (from rowid ``hi`` down, if given).

    A block is the next RANK_WINDOW matching rowids, newest first, found without
    scoring (in ``statements_tags`` when there are filters). Only its rows are
    scored, by the same bm25 over ``statements_fts`` as ever: FTS5 walks the
    words' postings across the block's span and computes bm25 for the rows in
    the block alone. Results run through the blocks, each best first.
    """
    lookup, m = _sqlite_ids(plan)
    need, out, total, first = offset + limit, [], None, hi is None
    while len(out) < need:
        bound = " AND rowid <= :hi" if hi is not None else ""
        block = conn.execute(text(lookup + bound + " ORDER BY rowid DESC LIMIT :w"), {"m": m, "hi": hi, "w": RANK_WINDOW}).scalars().all()
        if not block:
            break
        if first and len(block) < RANK_WINDOW:
            total = len(block)
        first = False
        # "+rowid": keep SQLite from handing FTS5 one rowid at a time (a full query each)
        only = " AND +rowid IN (SELECT value FROM json_each(:ids))" if plan.match_all else ""
        rows = conn.execute(
            text(
                "SELECT rowid, -bm25(statements_fts) AS score FROM statements_fts WHERE statements_fts MATCH :w"
                f" AND rowid BETWEEN :lo AND :hi{only} ORDER BY score DESC, rowid LIMIT :n"
            ),
            {"w": plan.match_words, "lo": block[-1], "hi": block[0], "ids": json.dumps(block), "n": need - len(out)},
        ).all()
        out += [_Row(int(r[0]), float(r[1]), block[0], pos) for pos, r in enumerate(rows)]
        if len(block) < RANK_WINDOW:
            break
        hi = block[-1] - 1
    if total is None:
        total = conn.execute(text(f"SELECT count(*) FROM ({lookup})"), {"m": m}).scalar_one()
    return total, out[offset:]


# PostgreSQL: GIN finds matches, but counting or ordering them reads each one's table row (GIN returns
# row addresses only, and PostgreSQL 15 reads the heap page of every bitmap match). Up to EXACT_COUNT
# estimated matches, every match is read once: exact total, blocks cut from all of them. Above, only the
# newest ids are read (GIN and the primary key intersected), and the total is the planner's estimate.
# Near 20,000 matches both cost about the same on the benchmark store (a primary-key range of
# 7,500 x statements / matches ids against 20,000 more rows read).
EXACT_COUNT = 20_000
MIN_SPAN = 1_000  # the narrowest id range read at once

_PG_MATCH = "tsv @@ websearch_to_tsquery('english', :words){tags}"
_PG_RANKED = """
WITH m AS MATERIALIZED (
    SELECT id, tsv FROM statements WHERE {match}{within}
), blocks AS (
    SELECT id, tsv, (row_number() OVER (ORDER BY id DESC) - 1) / :w AS blk
    FROM (SELECT id, tsv FROM m ORDER BY id DESC LIMIT :cap) AS newest
), ranked AS (
    SELECT id, blk, ts_rank(tsv, websearch_to_tsquery('english', :words)) AS score, max(id) OVER (PARTITION BY blk) AS top
    FROM blocks
)
SELECT id, score, top, row_number() OVER (PARTITION BY blk ORDER BY score DESC, id) - 1 AS pos, (SELECT count(*) FROM m) AS found
FROM ranked
ORDER BY blk, pos
LIMIT :need
"""
# The same when the page ends inside the first block read (offset + limit <= RANK_WINDOW, counted from
# the cursor's block if there is one): no window functions, and the matches are kept as (id, row address)
# instead of with their tsvector, which is read (by address: a TID scan) for the newest block's rows only.
# 20-25 % faster on the benchmark's broadest filtered queries.
ONE_BLOCK_QUERY = True  # tests turn it off to check that both queries give the same pages
_PG_RANKED_ONE_BLOCK = """
WITH m AS MATERIALIZED (
    SELECT id, ctid AS t FROM statements WHERE {match}{within}
), newest AS MATERIALIZED (
    SELECT id, t FROM m ORDER BY id DESC LIMIT :cap
)
SELECT s.id, ts_rank(s.tsv, websearch_to_tsquery('english', :words)) AS score,
       (SELECT max(id) FROM newest) AS top, (SELECT count(*) FROM m) AS found
FROM statements AS s WHERE s.ctid = ANY (ARRAY(SELECT t FROM newest))
ORDER BY score DESC, s.id
LIMIT :need
"""


def _pg_ranked(conn, plan: _Plan, offset: int, limit: int, hi: int | None = None, exact: bool = False) -> tuple[int, bool, list[_Row]]:
    """Total (and whether it is exact) and one page by ``ts_rank``, block by block of the newest matches, as on SQLite.

    One statement reads the matches (all of them, or those in an id range),
    cuts the newest into blocks of RANK_WINDOW and scores only those (a simpler
    statement when one block holds the page). Broad
    queries (the planner expects more than EXACT_COUNT matches) read an id range
    below the newest id expected to hold the blocks, wider until it does; their
    total is the planner's estimate unless ``exact``.
    """
    need = offset + limit
    cap = -(-need // RANK_WINDOW) * RANK_WINDOW
    match = _PG_MATCH.format(tags=" AND tags @@ to_tsquery('simple', :tags)" if plan.tags else "")
    params = {"words": plan.words, "tags": plan.tags, "w": RANK_WINDOW, "cap": cap, "need": need, "hi": hi}
    count = f"SELECT count(*) FROM statements WHERE {match}"
    explained = conn.execute(text(f"EXPLAIN (FORMAT JSON) SELECT id FROM statements WHERE {match}"), params).scalar_one()
    estimate = int(explained[0]["Plan"]["Plan Rows"])

    def read(within: str, **bounds) -> tuple[int, list[_Row]]:
        if cap > RANK_WINDOW or not ONE_BLOCK_QUERY:
            rows = conn.execute(text(_PG_RANKED.format(match=match, within=within)), {**params, **bounds}).all()
            out = [_Row(r.id, float(r.score), r.top, r.pos) for r in rows]
        else:
            rows = conn.execute(text(_PG_RANKED_ONE_BLOCK.format(match=match, within=within)), {**params, **bounds}).all()
            out = [_Row(r.id, float(r.score), r.top, pos) for pos, r in enumerate(rows)]
        return (int(rows[0].found) if rows else 0), out[offset:]

    if estimate <= EXACT_COUNT:
        found, rows = read(" AND id <= :hi" if hi is not None else "")
        total = found if hi is None else conn.execute(text(count), params).scalar_one()
        return total, True, rows
    newest = conn.execute(select(func.max(statements.c.id))).scalar() or 0
    top = newest if hi is None else min(hi, newest)
    span = max(MIN_SPAN, int(1.5 * cap * newest / estimate))  # ids expected to hold the blocks, and half again
    while True:
        lo = max(0, top - span)
        found, rows = read(" AND id > :lo AND id <= :top", lo=lo, top=top)
        if found >= cap or lo == 0:
            break
        span *= 2
    if exact:
        return conn.execute(text(count), params).scalar_one(), True, rows
    if lo == 0 and hi is None:  # every match was read
        return found, True, rows
    return max(estimate, found), False, rows


_CURSOR = re.compile(r"(?:r(\d{1,19})\.(\d{1,9})|d(\d{4}-\d{2}-\d{2})?\.(\d{1,19}))")


def _cursor(after: str, relevance: bool) -> tuple:
    """("r", block top, position) or ("d", published, id) from an ``after`` cursor this module gave."""
    m = _CURSOR.fullmatch(after)
    if m is None or (m.group(1) is not None) != bool(relevance):
        raise InputError(f"The cursor {after[:60]!r} is not one this search gave (it depends on the sort and words): "
                         "start again without `after`.")
    # a cursor this module gave holds a stored id and a place inside one block (or just past its end)
    top, pos = (int(m.group(1)), int(m.group(2))) if m.group(1) is not None else (int(m.group(4)), 0)
    if top > MAX_ID or pos > RANK_WINDOW:
        raise InputError(f"The cursor {after[:60]!r} is not one this search gave (it is out of range): "
                         "start again without `after`.")
    if m.group(1) is not None:
        return "r", top, pos
    try:
        day = dt.date.fromisoformat(m.group(3)) if m.group(3) else None
    except ValueError:
        raise InputError(f"The cursor {after[:60]!r} holds no valid date: start again without `after`.") from None
    return "d", day, top


def _after_row(query: SearchQuery, day: dt.date | None, last: int):
    """The condition for rows after (``day``, ``last``) in the date order of ``query.sort``."""
    pub, sid = statements.c.published, statements.c.id
    if query.sort == Sort.oldest:
        return or_(pub > day, and_(pub == day, sid > last), pub.is_(None)) if day else and_(pub.is_(None), sid > last)
    return or_(pub < day, and_(pub == day, sid < last), pub.is_(None)) if day else and_(pub.is_(None), sid < last)


def _page_ids(conn, dialect: str, query: SearchQuery, plan: _Plan) -> tuple[int, bool, list[_Row]]:
    """How many statements match (and whether that is exact), and the requested page, best or newest first."""
    relevance = query.sort == Sort.relevance and bool(plan.words)
    cursor = _cursor(query.after, relevance) if query.after else None
    offset = cursor[2] if cursor and relevance else 0 if cursor else (query.page - 1) * query.per_page
    if plan.empty:
        return 0, True, []
    if relevance:
        hi = cursor[1] if cursor else None
        if dialect == "sqlite":
            total, rows = _sqlite_ranked(conn, plan, offset, query.per_page, hi)
            return total, True, rows
        return _pg_ranked(conn, plan, offset, query.per_page, hi, query.exact_total)
    base, where = statements, list(plan.where)
    if plan.words and dialect == "sqlite":
        lookup, m = _sqlite_ids(plan)
        ids = text(lookup).bindparams(m=m).columns(rowid=Integer).cte("fts").prefix_with("MATERIALIZED")
        base = statements.join(ids, ids.c.rowid == statements.c.id)
    elif plan.words:
        where += _word_conditions(dialect, plan)
    total = conn.execute(select(func.count()).select_from(base).where(*where)).scalar_one()
    if cursor:
        where.append(_after_row(query, cursor[1], cursor[2]))
    if query.sort == Sort.oldest:
        order = [statements.c.published.asc().nulls_last(), statements.c.id]
    elif dialect == "sqlite":  # NULLs already sort last descending; this form walks the date index
        order = [statements.c.published.desc(), statements.c.id.desc()]
    else:
        order = [statements.c.published.desc().nulls_last(), statements.c.id.desc()]
    rows = conn.execute(
        select(statements.c.id).select_from(base).where(*where).order_by(*order).limit(query.per_page).offset(offset)
    ).all()
    return total, True, [_Row(r.id, None) for r in rows]


def search(store: Store, query: SearchQuery) -> SearchPage:
    """One page of statements matching ``query``, how many match in all, and the cursor to the next page."""
    with store.engine.connect() as conn:
        return _search(conn, store.dialect, query, _plan(conn, store.dialect, query))


def search_with_facets(store: Store, query: SearchQuery, *, limit: int = 20) -> tuple[SearchPage, Facets | None]:
    """:func:`search` and, when it found anything, :func:`facets`, over one plan of the query.

    The facets count every match, so the page's total is then exact even where search estimated it.
    """
    with store.engine.connect() as conn:
        plan = _plan(conn, store.dialect, query)
        page = _search(conn, store.dialect, query, plan)
        if not page.total:
            return page, None
        counts = _facets(conn, store.dialect, plan, limit)
    if not page.total_exact:
        page = page.model_copy(update={"total": counts.total, "total_exact": True})
    return page, counts


def _search(conn, dialect: str, query: SearchQuery, plan: _Plan) -> SearchPage:
    total, exact, page = _page_ids(conn, dialect, query, plan)
    details = _details(conn, [r.id for r in page]) if page else {}
    items = [Hit(**details[r.id], score=r.score) for r in page if r.id in details]
    following = None
    if len(page) == query.per_page:
        last = page[-1]
        if last.top is not None:
            following = f"r{last.top}.{last.pos + 1}"
        elif last.id in details:
            day = details[last.id]["published"]
            following = f"d{day.isoformat() if day else ''}.{last.id}"
    return SearchPage(total=total, total_exact=exact, page=query.page, per_page=query.per_page, items=items, next=following)


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
    with store.engine.connect() as conn:
        return _facets(conn, store.dialect, _plan(conn, store.dialect, query), limit)


def _facets(conn, dialect: str, plan: _Plan, limit: int) -> Facets:
    cols = (statements.c.outlet, statements.c.source_type, statements.c.certainty)
    where = plan.where + (_word_conditions(dialect, plan) if plan.words else [])
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
    """Which outlets carry statements from this source, most first.

    Counted on ``statements`` alone, by outlet key (casefolded: "The Courier" and
    "the courier" are one outlet), from the index on (entity, outlet, article,
    published) without reading a row; each outlet is named as its earliest
    article names it.
    """
    with store.engine.connect() as conn:
        if entity_id is not None:
            ids = [entity_id]
        elif source:
            ids = _entities.lookup(conn, source)
        else:
            raise InputError("Say which source: give its name or entity id.")
        if not ids:
            return []
        n = func.count()
        rows = conn.execute(
            select(
                statements.c.outlet,
                n.label("statements"),
                func.count(statements.c.article_id.distinct()).label("articles"),
                func.min(statements.c.published).label("first"),
                func.max(statements.c.published).label("last"),
                func.min(statements.c.article_id).label("named_by"),
            )
            .where(statements.c.entity_id.in_(ids))
            .group_by(statements.c.outlet)
        ).mappings().all()
        named_by = [r["named_by"] for r in rows]
        names = dict(conn.execute(select(articles.c.id, articles.c.outlet).where(articles.c.id.in_(named_by))).all()) if rows else {}
    out = [OutletCount(outlet=names.get(r["named_by"]), statements=r["statements"], articles=r["articles"],
                       first=r["first"], last=r["last"]) for r in rows]
    return sorted(out, key=lambda o: (-o.statements, o.outlet is None, o.outlet or ""))
