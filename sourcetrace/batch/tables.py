"""The Parquet tables a batch writes: one Arrow schema per table, rows built from the Article model.

Every row carries ``key``, the article's store key (``url:<canonical url>`` or
``sha256:<text hash>``, :func:`sourcetrace.store.keys.article_key`), so the
tables join on it and a store load is idempotent. ``articles.article_json``
holds the whole Article, exactly as ``sourcetrace analyze --json`` prints it.
The schemas are fixed here (not inferred), so every part file of a table has
the same columns and types, even an empty one. README documents them.
"""

from __future__ import annotations

import pyarrow as pa

from ..ingest.batch import BatchError
from ..model import Article, Attribution
from ..store.repository import _extent, _joined  # the store's own columns are built the same way
from ..store.keys import storable

_str_list = pa.list_(pa.string())

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            ("key", pa.string()),
            ("where", pa.string()),  # input location: file path, "file.jsonl:12", "crawl.warc.gz@1234"
            ("partition", pa.string()),
            ("id", pa.string()),
            ("url", pa.string()),
            ("title", pa.string()),
            ("outlet", pa.string()),
            ("published", pa.date32()),
            ("language", pa.string()),
            ("authors", _str_list),
            ("n_attributions", pa.int32()),
            ("n_sources", pa.int32()),
            ("n_statements", pa.int32()),
            ("attributed_share", pa.float64()),
            ("anonymous_share", pa.float64()),
            ("deepest_chain", pa.int32()),
            ("hedges", pa.int32()),
            ("warnings", _str_list),
            ("text", pa.string()),
            ("article_json", pa.string()),
        ]
    ),
    "attributions": pa.schema(
        [
            ("key", pa.string()),
            ("attribution_id", pa.string()),
            ("source_text", pa.string()),
            ("cue_text", pa.string()),
            ("content_text", pa.string()),
            ("content_kind", pa.string()),
            ("certainty", pa.string()),
            ("certainty_markers", _str_list),
            ("source_id", pa.string()),
            ("source_name", pa.string()),
            ("source_type", pa.string()),
            ("anonymous", pa.bool_()),
            ("chain", _str_list),  # names, outermost source after the outlet first, origin last
            ("parent_id", pa.string()),
            ("confidence", pa.float64()),
            ("extractor", pa.string()),
            ("start", pa.int32()),
            ("end", pa.int32()),
        ]
    ),
    "sources": pa.schema(
        [
            ("key", pa.string()),
            ("source_id", pa.string()),
            ("name", pa.string()),
            ("type", pa.string()),
            ("role", pa.string()),
            ("anonymous", pa.bool_()),
            ("mentions", pa.int32()),
        ]
    ),
    "statements": pa.schema(
        [
            ("key", pa.string()),
            ("statement_id", pa.string()),
            ("text", pa.string()),
            ("own_voice", pa.bool_()),
            ("certainty", pa.string()),
            ("attribution_ids", _str_list),
            ("start", pa.int32()),
            ("end", pa.int32()),
        ]
    ),
    "quantities": pa.schema(
        [
            ("key", pa.string()),
            ("value", pa.float64()),
            ("qualifier", pa.string()),
            ("unit_or_thing", pa.string()),
            ("text", pa.string()),
            ("attribution_id", pa.string()),
            ("start", pa.int32()),
            ("end", pa.int32()),
        ]
    ),
    "dates": pa.schema(
        [
            ("key", pa.string()),
            ("text", pa.string()),
            ("resolved", pa.string()),
            ("granularity", pa.string()),
            ("start", pa.int32()),
            ("end", pa.int32()),
        ]
    ),
    "failures": pa.schema(
        [
            ("where", pa.string()),
            ("partition", pa.string()),
            ("id", pa.string()),
            ("error", pa.string()),
        ]
    ),
}
TABLES = tuple(SCHEMAS)


def _attribution_row(key: str, att: Attribution, sources: dict) -> dict:
    src = sources.get(att.source_id) if att.source_id else None
    start, end = _extent(att.content)
    return {
        "key": key,
        "attribution_id": att.id,
        "source_text": _joined(att.source),
        "cue_text": _joined(att.cue),
        "content_text": _joined(att.content),
        "content_kind": att.content_kind.value,
        "certainty": att.certainty.value,
        "certainty_markers": [m.span.text for m in att.certainty_markers],
        "source_id": att.source_id,
        "source_name": src.name if src else (_joined(att.source) or None),
        "source_type": src.type.value if src else None,
        "anonymous": src.anonymous if src else not att.source,
        "chain": [link.name for link in att.chain],
        "parent_id": att.parent_id,
        "confidence": att.confidence,
        "extractor": att.extractor,
        "start": start,
        "end": end,
    }


def article_rows(article: Article, *, key: str, where: str, partition: str) -> dict[str, list[dict]]:
    """The rows of every table for one analysed article."""
    profile = article.profile
    sources = {s.id: s for s in article.sources}
    return {
        "articles": [
            {
                "key": key,
                "where": storable(where),  # a file name may not be UTF-8; Arrow refuses lone surrogates (issue #11)
                "partition": partition,
                "id": article.id,
                "url": article.url,
                "title": article.title,
                "outlet": article.outlet,
                "published": article.published,
                "language": article.language,
                "authors": article.authors,
                "n_attributions": len(article.attributions),
                "n_sources": len(article.sources),
                "n_statements": len(article.statements),
                "attributed_share": profile.attributed_share if profile else None,
                "anonymous_share": profile.anonymous_share if profile else None,
                "deepest_chain": profile.deepest_chain if profile else None,
                "hedges": profile.hedges if profile else None,
                "warnings": article.warnings,
                "text": article.text,
                "article_json": article.model_dump_json(),
            }
        ],
        "attributions": [_attribution_row(key, att, sources) for att in article.attributions],
        "sources": [
            {
                "key": key,
                "source_id": s.id,
                "name": s.name,
                "type": s.type.value,
                "role": s.role,
                "anonymous": s.anonymous,
                "mentions": len(s.mentions),
            }
            for s in article.sources
        ],
        "statements": [
            {
                "key": key,
                "statement_id": st.id,
                "text": st.span.text,
                "own_voice": st.own_voice,
                "certainty": st.certainty.value,
                "attribution_ids": st.attribution_ids,
                "start": st.span.start,
                "end": st.span.end,
            }
            for st in article.statements
        ],
        "quantities": [
            {
                "key": key,
                "value": q.value,
                "qualifier": q.qualifier,
                "unit_or_thing": q.unit_or_thing,
                "text": q.span.text,
                "attribution_id": q.attribution_id,
                "start": q.span.start,
                "end": q.span.end,
            }
            for q in article.quantities
        ],
        "dates": [
            {"key": key, "text": d.span.text, "resolved": d.resolved, "granularity": d.granularity, "start": d.span.start, "end": d.span.end}
            for d in article.dates
        ],
    }


def failure_row(error: BatchError, *, partition: str) -> dict:
    return {"where": storable(error.where), "partition": partition,
            "id": storable(error.id) if error.id is not None else None, "error": storable(error.message)}


def to_tables(rows: dict[str, list[dict]]) -> dict[str, pa.Table]:
    """Arrow tables, one per table name (empty ones included), with the fixed schemas."""
    return {name: pa.Table.from_pylist(rows.get(name, []), schema=schema) for name, schema in SCHEMAS.items()}
