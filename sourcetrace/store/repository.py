"""Write analysed Articles into the store and read them back.

One article is one transaction: a run killed mid-batch leaves every finished
article stored whole and nothing half-written, and the unique article key makes
a rerun skip what is already there.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..model import Article
from . import entities as _entities
from . import linkstate
from .db import make_engine
from .keys import article_key, ref_hash, storable, text_hash
from .migrate import upgrade
from .schema import (
    articles,
    attributions,
    certainty_markers,
    entities,
    entity_aliases,
    failures,
    quantities,
    sources,
    statements,
)

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    total: int
    page: int
    per_page: int
    items: list[T]


class ArticleSummary(BaseModel):
    id: int
    key: str
    title: str | None
    outlet: str | None
    url: str | None
    published: dt.date | None
    attributions: int
    ingested_at: dt.datetime


class EntitySummary(BaseModel):
    id: int
    name: str
    type: str
    aliases: list[str] = []
    statements: int = 0
    articles: int = 0


class Failure(BaseModel):
    ref: str
    error: str
    error_type: str
    attempts: int
    failed_at: dt.datetime


class SaveResult(BaseModel):
    id: int
    key: str
    created: bool


def _joined(spans) -> str:
    return " … ".join(s.text for s in spans if s.text)


def _extent(spans) -> tuple[int | None, int | None]:
    if not spans:
        return None, None
    return min(s.start for s in spans), max(s.end for s in spans)


def _marker_rows(article_id: int, markers, *, attribution_id: int | None = None, statement_local_id: str | None = None) -> list[dict]:
    """``certainty_markers`` rows for the markers of one attribution or one own-voice statement."""
    return [
        dict(
            article_id=article_id,
            attribution_id=attribution_id,
            statement_local_id=statement_local_id,
            kind=m.kind.value,
            distancing=m.distancing,
            text=m.span.text,
            start=m.span.start,
            end=m.span.end,
        )
        for m in markers
    ]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class RowWriter:
    """Inserts an article's rows as it is given them, ids back from RETURNING: the path of :meth:`Store.save`.

    The bulk loader (:mod:`sourcetrace.store.bulk`) hands ``Store._insert`` a writer
    that buffers the same rows for PostgreSQL's COPY instead.
    """

    def __init__(self, conn):
        self.conn = conn

    def insert(self, table, rows: list[dict] | dict, *, returning: bool = False) -> list[int]:
        if returning:
            if isinstance(rows, dict):
                return [self.conn.execute(insert(table).values(**rows).returning(table.c.id)).scalar_one()]
            return list(self.conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())
        self.conn.execute(insert(table), rows)
        return []

    def update(self, table, row_id: int, **values) -> None:
        self.conn.execute(update(table).where(table.c.id == row_id).values(**values))


class Store:
    """The article store on one database (SQLite file or PostgreSQL)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def open(cls, db: str | os.PathLike | None = None) -> "Store":
        """Connect (``db``: path, sqlite:/// or postgresql:// URL; default: the user data dir) and migrate."""
        engine = make_engine(db)
        upgrade(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- writing ---------------------------------------------------------------

    def find_key(self, key: str) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(select(articles.c.id).where(articles.c.key == key)).scalar()

    def contains(self, article: Article) -> int | None:
        """The stored id of this article (same canonical URL or, without a URL, same text), if any."""
        return self.find_key(article_key(article))

    def save(self, article: Article, *, origin: str | None = None) -> SaveResult:
        """Store an analysed article once; a second save of the same article returns the first one's id."""
        key = article_key(article)
        existing = self.find_key(key)
        if existing is not None:
            return SaveResult(id=existing, key=key, created=False)
        origin = storable(origin) if origin else origin  # as record_failure keeps it (issue #11)
        for attempt in range(3):
            try:
                with self.engine.begin() as conn:
                    article_id = self._insert(conn, article, key, origin)
                    if origin:
                        conn.execute(delete(failures).where(failures.c.ref_hash == ref_hash(origin)))
                return SaveResult(id=article_id, key=key, created=True)
            except IntegrityError:
                # A concurrent writer stored the same article, or created one of its entities, first.
                existing = self.find_key(key)
                if existing is not None:
                    return SaveResult(id=existing, key=key, created=False)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _insert(self, conn, article: Article, key: str, origin: str | None, rows: RowWriter | None = None) -> int:
        """Write one article's rows through ``rows`` (default: inserts with RETURNING; the bulk loader buffers for COPY)."""
        rows = rows or RowWriter(conn)
        outlet_key = article.outlet.casefold().strip() if article.outlet else None
        (article_id,) = rows.insert(
            articles,
            dict(
                key=key,
                url=article.url,
                title=article.title,
                outlet=article.outlet,
                published=article.published,
                language=article.language,
                text_hash=text_hash(article.text),
                origin=origin,
                n_attributions=len(article.attributions),
                article_json="{}",
                ingested_at=_now(),
            ),
            returning=True,
        )
        if article.id is None:
            article = article.model_copy(update={"id": str(article_id)})
        rows.update(articles, article_id, article_json=article.model_dump_json())

        # Sources -> entities (one batched insert, ids back in order).
        resolve = _entities.Resolver(conn)
        source_rows: dict[str, tuple[int, int | None, object]] = {}
        if article.sources:
            resolved = [(src, resolve(src.name, src.type.value, src.anonymous)) for src in article.sources]
            ids = rows.insert(
                sources,
                [
                    dict(
                        article_id=article_id,
                        local_id=src.id,
                        entity_id=entity_id,
                        name=src.name,
                        type=src.type.value,
                        role=src.role,
                        anonymous=src.anonymous,
                    )
                    for src, entity_id in resolved
                ],
                returning=True,
            )
            for (src, entity_id), row_id in zip(resolved, ids):
                source_rows[src.id] = (row_id, entity_id, src)

        # Attributions (one batched insert), and their claims as searchable statements.
        att_rows, claims = [], []
        for att in article.attributions:
            src_row = source_rows.get(att.source_id) if att.source_id else None
            source_text = _joined(att.source)
            if src_row:
                row_id, entity_id, src = src_row
                source_name, source_type, anonymous = src.name, src.type.value, src.anonymous
            else:
                row_id = None
                source_name = source_text or None
                source_type = "anonymous" if not source_text else "unknown"
                anonymous = not source_text
                entity_id = (
                    resolve(source_text, "unknown") if source_text and att.source_id is None else None
                )
            start, end = _extent(att.content)
            att_rows.append(
                dict(
                    article_id=article_id,
                    local_id=att.id,
                    source_row_id=row_id,
                    entity_id=entity_id,
                    source_text=source_text,
                    cue_text=_joined(att.cue),
                    content_text=_joined(att.content),
                    content_kind=att.content_kind.value,
                    certainty=att.certainty.value,
                    confidence=att.confidence,
                    extractor=att.extractor,
                    parent_local_id=att.parent_id,
                    start=start,
                    end=end,
                )
            )
            claims.append((att, source_name, source_type, anonymous, entity_id, start, end))
        att_ids = (
            rows.insert(attributions, att_rows, returning=True)
            if att_rows
            else []
        )
        attr_ids: dict[str, int] = {}
        stmt_rows = []
        marker_rows = []
        for (att, source_name, source_type, anonymous, entity_id, start, end), att_id in zip(claims, att_ids):
            attr_ids[att.id] = att_id
            content = _joined(att.content)
            if content:
                stmt_rows.append(
                    dict(
                        article_id=article_id,
                        attribution_id=att_id,
                        statement_local_id=None,
                        text=content,
                        source_name=source_name,
                        entity_id=entity_id,
                        source_type=source_type,
                        anonymous=anonymous,
                        own_voice=False,
                        certainty=att.certainty.value,
                        cue_text=_joined(att.cue),
                        outlet=outlet_key,
                        published=article.published,
                        start=start,
                        end=end,
                    )
                )
            marker_rows += _marker_rows(article_id, att.certainty_markers, attribution_id=att_id)

        # Sentences in the outlet's own voice are statements too (source: the outlet).
        for st in article.statements:
            marker_rows += _marker_rows(article_id, st.certainty_markers, statement_local_id=st.id)
            if st.own_voice and not st.attribution_ids and st.span.text.strip():
                stmt_rows.append(
                    dict(
                        article_id=article_id,
                        attribution_id=None,
                        statement_local_id=st.id,
                        text=st.span.text,
                        source_name=None,
                        entity_id=None,
                        source_type=None,
                        anonymous=False,
                        own_voice=True,
                        certainty=st.certainty.value,
                        cue_text=None,
                        outlet=outlet_key,
                        published=article.published,
                        start=st.span.start,
                        end=st.span.end,
                    )
                )
        if stmt_rows:
            rows.insert(statements, stmt_rows)
        if marker_rows:
            rows.insert(certainty_markers, marker_rows)
        if article.quantities:
            rows.insert(
                quantities,
                [
                    dict(
                        article_id=article_id,
                        attribution_id=attr_ids.get(q.attribution_id) if q.attribution_id else None,
                        value=q.value,
                        qualifier=q.qualifier,
                        unit_or_thing=q.unit_or_thing,
                        text=q.span.text,
                        start=q.span.start,
                        end=q.span.end,
                    )
                    for q in article.quantities
                ],
            )
        return article_id

    def record_failure(self, ref: str, error: BaseException | str) -> None:
        """Remember that ``ref`` could not be ingested, and why (kept until it succeeds)."""
        ref = storable(ref)
        message = storable(str(error) or type(error).__name__)
        error_type = type(error).__name__ if isinstance(error, BaseException) else "Error"
        h = ref_hash(ref)
        with self.engine.begin() as conn:
            done = conn.execute(
                update(failures)
                .where(failures.c.ref_hash == h)
                .values(error=message, error_type=error_type, attempts=failures.c.attempts + 1, failed_at=_now())
            ).rowcount
            if not done:
                conn.execute(
                    insert(failures).values(
                        ref_hash=h, ref=ref, error=message, error_type=error_type, attempts=1, failed_at=_now()
                    )
                )

    def clear_failure(self, ref: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(failures).where(failures.c.ref_hash == ref_hash(ref)))  # the same hash raw or stored

    def delete_article(self, article_id: int) -> bool:
        with self.engine.begin() as conn:
            linkstate.unlink(conn, [article_id])  # its stories and claims recounted, emptied ones gone
            for table in (statements, certainty_markers, quantities, attributions, sources):
                conn.execute(delete(table).where(table.c.article_id == article_id))
            return bool(conn.execute(delete(articles).where(articles.c.id == article_id)).rowcount)

    # -- reading ---------------------------------------------------------------

    def get_article(self, article_id: int) -> Article | None:
        raw = self.get_article_json(article_id)
        return Article.model_validate_json(raw) if raw is not None else None

    def get_article_json(self, article_id: int) -> str | None:
        """The stored Article as its JSON text (what ``get_article`` parses): a cache key for its pages."""
        with self.engine.connect() as conn:
            return conn.execute(select(articles.c.article_json).where(articles.c.id == article_id)).scalar()

    def list_articles(self, *, outlet: str | None = None, page: int = 1, per_page: int = 20) -> Page[ArticleSummary]:
        where = [func.lower(articles.c.outlet) == outlet.casefold().strip()] if outlet else []
        cols = [
            articles.c.id,
            articles.c.key,
            articles.c.title,
            articles.c.outlet,
            articles.c.url,
            articles.c.published,
            articles.c.n_attributions.label("attributions"),
            articles.c.ingested_at,
        ]
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(articles).where(*where)).scalar_one()
            rows = conn.execute(
                select(*cols).where(*where).order_by(articles.c.id.desc()).limit(per_page).offset((page - 1) * per_page)
            ).mappings()
            items = [ArticleSummary(**r) for r in rows]
        return Page(total=total, page=page, per_page=per_page, items=items)

    def get_entity(self, entity_id: int) -> EntitySummary | None:
        page = self.list_entities(entity_ids=[entity_id], per_page=1)
        return page.items[0] if page.items else None

    def list_entities(
        self,
        *,
        name: str | None = None,
        type: str | None = None,
        entity_ids: list[int] | None = None,
        page: int = 1,
        per_page: int = 20,
    ) -> Page[EntitySummary]:
        """Source entities, most quoted first; ``name`` matches any alias ("Putin" finds Vladimir Putin)."""
        with self.engine.connect() as conn:
            where = []
            if name:
                ids = _entities.lookup(conn, name)
                like = f"%{name.strip().casefold()}%"
                where.append(entities.c.id.in_(ids) | func.lower(entities.c.name).like(like))
            if type:
                where.append(entities.c.type == type)
            if entity_ids is not None:
                where.append(entities.c.id.in_(entity_ids))
            total = conn.execute(select(func.count()).select_from(entities).where(*where)).scalar_one()
            n_statements = func.count(statements.c.id)
            query = (
                select(
                    entities.c.id,
                    entities.c.name,
                    entities.c.type,
                    n_statements.label("statements"),
                    func.count(statements.c.article_id.distinct()).label("articles"),
                )
                .select_from(entities.outerjoin(statements, statements.c.entity_id == entities.c.id))
                .where(*where)
                .group_by(entities.c.id, entities.c.name, entities.c.type)
                .order_by(n_statements.desc(), entities.c.id)
                .limit(per_page)
                .offset((page - 1) * per_page)
            )
            rows = list(conn.execute(query).mappings())
            aliases: dict[int, list[str]] = {}
            if rows:
                for alias, eid in conn.execute(
                    select(entity_aliases.c.alias, entity_aliases.c.entity_id)
                    .where(entity_aliases.c.entity_id.in_([r["id"] for r in rows]))
                    .order_by(entity_aliases.c.alias)
                ):
                    aliases.setdefault(eid, []).append(alias)
        items = [EntitySummary(**r, aliases=aliases.get(r["id"], [])) for r in rows]
        return Page(total=total, page=page, per_page=per_page, items=items)

    def failures(self) -> list[Failure]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(failures.c.ref, failures.c.error, failures.c.error_type, failures.c.attempts, failures.c.failed_at).order_by(
                    failures.c.id
                )
            ).mappings()
            return [Failure(**r) for r in rows]

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (articles, attributions, statements, sources, entities, quantities, certainty_markers, failures)
            }
