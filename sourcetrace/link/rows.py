"""Read what provenance needs from the store, in a few bulk queries.

The linker writes ``stories``, ``story_articles``, ``claims`` and
``claim_statements``; claim members are rows of ``statements``. Here they are
read as plain rows (no ORM, no per-claim queries), so tracing a whole corpus
costs a handful of scans. Chains are not normalised in the store: they are
read from each carrier article's ``article_json`` (attribution id → chain).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, or_, select

from ..store.chunks import chunks
from ..store.schema import articles, attributions, link_statements, quantities, statements

@dataclass
class ArticleRow:
    id: int
    url: str | None
    outlet: str | None
    published: dt.date | None
    title: str | None


@dataclass
class StatementRow:
    id: int
    article_id: int
    text: str
    source_name: str | None
    source_type: str | None
    entity_id: int | None
    anonymous: bool
    own_voice: bool
    certainty: str
    cue_text: str | None
    start: int | None
    end: int | None
    attribution_local_id: str | None
    chain: list[dict] = field(default_factory=list)  # [{"name", "type", "source_id"}], outermost first
    span_text: str | None = None  # article text[start:end] when ``text`` is a discontinuous content joined by " … "


@dataclass
class QuantityRow:
    article_id: int
    value: float
    unit_or_thing: str | None
    text: str
    start: int | None
    end: int | None
    attribution_local_id: str | None


def linked(conn: Connection) -> bool:
    """Whether the store has the linker's tables (an older store, or one never linked, has not)."""
    from sqlalchemy import inspect

    return "claims" in inspect(conn).get_table_names()


_STMT_COLS = (
    statements.c.id,
    statements.c.article_id,
    statements.c.text,
    statements.c.source_name,
    statements.c.source_type,
    statements.c.entity_id,
    statements.c.anonymous,
    statements.c.own_voice,
    statements.c.certainty,
    statements.c.cue_text,
    statements.c.start,
    statements.c.end,
    attributions.c.local_id.label("attribution_local_id"),
)


def _statement_query():
    return select(*_STMT_COLS).select_from(statements.outerjoin(attributions, attributions.c.id == statements.c.attribution_id))


def load_statements(conn: Connection, statement_ids: Iterable[int]) -> dict[int, StatementRow]:
    out: dict[int, StatementRow] = {}
    for part in chunks(sorted(set(statement_ids))):
        for r in conn.execute(_statement_query().where(statements.c.id.in_(part))).mappings():
            out[r["id"]] = StatementRow(**r)
    return out


# A coarse SQL prefilter; contradictions.denial_reason decides.
DENIAL_CUES = ("deni", "deny", "reject", "dismiss", "refut", "disput", "contest", "rebut", "false", "untrue", "baseless", "fake", "nonsense")


def load_denials(conn: Connection, article_ids: Iterable[int]) -> list[StatementRow]:
    """Statements in these articles that deny or contest something (denied certainty, or a denial cue)."""
    out = []
    cue = func.lower(func.coalesce(statements.c.cue_text, ""))
    words = func.lower(statements.c.text)
    denial = or_(
        statements.c.certainty == "denied",
        *[cue.like(f"%{w}%") for w in DENIAL_CUES],
        words.like("%false%"),
        words.like("%untrue%"),
        words.like("%baseless%"),
    )
    for part in chunks(sorted(set(article_ids))):
        for r in conn.execute(_statement_query().where(statements.c.article_id.in_(part), denial)).mappings():
            out.append(StatementRow(**r))
    return out


def load_articles(conn: Connection, article_ids: Iterable[int]) -> dict[int, ArticleRow]:
    out: dict[int, ArticleRow] = {}
    cols = (articles.c.id, articles.c.url, articles.c.outlet, articles.c.published, articles.c.title)
    for part in chunks(sorted(set(article_ids))):
        for r in conn.execute(select(*cols).where(articles.c.id.in_(part))).mappings():
            out[r["id"]] = ArticleRow(**r)
    return out


def load_chains(conn: Connection, article_ids: Iterable[int]) -> tuple[dict[int, dict[str, list[dict]]], dict[int, str]]:
    """From the stored Article JSON: article id → attribution id → chain links (outermost first), and article id → text."""
    chains: dict[int, dict[str, list[dict]]] = {}
    texts: dict[int, str] = {}
    for part in chunks(sorted(set(article_ids)), 100):
        for aid, raw in conn.execute(select(articles.c.id, articles.c.article_json).where(articles.c.id.in_(part))):
            try:
                doc = json.loads(raw)
            except (TypeError, ValueError):
                continue
            texts[aid] = doc.get("text") or ""
            chains[aid] = {a.get("id"): list(a.get("chain") or []) for a in doc.get("attributions") or [] if isinstance(a, dict)}
    return chains, texts


def attach_chains(conn: Connection, rows: Iterable[StatementRow]) -> None:
    """Fill each row's chain, and its ``span_text`` where the stored text is not the article's own slice."""
    rows = list(rows)
    chains, texts = load_chains(conn, {r.article_id for r in rows})
    for r in rows:
        if r.attribution_local_id:
            r.chain = chains.get(r.article_id, {}).get(r.attribution_local_id, [])
        if r.start is not None and r.end is not None and r.end - r.start != len(r.text) and r.article_id in texts:
            r.span_text = texts[r.article_id][r.start : r.end]


def load_quantities(conn: Connection, article_ids: Iterable[int]) -> dict[int, list[QuantityRow]]:
    out: dict[int, list[QuantityRow]] = {}
    cols = (
        quantities.c.article_id,
        quantities.c.value,
        quantities.c.unit_or_thing,
        quantities.c.text,
        quantities.c.start,
        quantities.c.end,
        attributions.c.local_id.label("attribution_local_id"),
    )
    q = select(*cols).select_from(quantities.outerjoin(attributions, attributions.c.id == quantities.c.attribution_id))
    for part in chunks(sorted(set(article_ids))):
        for r in conn.execute(q.where(quantities.c.article_id.in_(part))).mappings():
            out.setdefault(r["article_id"], []).append(QuantityRow(**r))
    return out


def known_outlets(conn: Connection) -> dict[str, list[int]]:
    """Every outlet in the store (as written) → its article ids."""
    out: dict[str, list[int]] = {}
    for aid, outlet in conn.execute(select(articles.c.id, articles.c.outlet).where(articles.c.outlet.is_not(None))):
        out.setdefault(outlet, []).append(aid)
    return out


def load_vectors(conn: Connection, statement_ids: Iterable[int]) -> dict:
    """Statement id → its cached sentence vector (L2-normalised float32), where the linker has encoded it."""
    import numpy as np

    out = {}
    for part in chunks(sorted(set(statement_ids))):
        for sid, blob in conn.execute(
            select(link_statements.c.statement_id, link_statements.c.vector).where(link_statements.c.statement_id.in_(part))
        ):
            out[sid] = np.frombuffer(blob, dtype=np.float32)
    return out
