"""What a worker does with one partition: parse, analyse, and turn the results into Arrow tables.

This is a pure function of its inputs (same items, same tables), which is what
makes a rerun, or Dask re-running a task after a worker died, harmless: the
part file written from it is the same. The analysis goes through
:func:`sourcetrace.annotate_many`, the path ``sourcetrace analyze`` and
``ingest`` use; the spaCy pipeline it loads is cached per process
(:func:`sourcetrace.nlp.pipeline.load_pipeline`), so each worker loads the
models once and keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from ..ingest.batch import BatchError
from ..ingest.items import RawItem, raw_to_article
from ..model import Article
from ..store.keys import article_key
from ..store.runner import _analyse  # ingest's batch analysis: a failing batch is retried one by one
from .tables import article_rows, failure_row, to_tables


@dataclass
class Options:
    """Settings every worker needs, shipped with each task."""

    extractor: str = "default"
    force: bool = False
    allow_private: bool = False
    max_bytes: int | None = None


@dataclass
class PartitionResult:
    partition: str
    tables: dict[str, pa.Table]
    analysed: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)  # "where: reason", for the command's summary


def analyse_partition(partition: str, items: list[RawItem], options: Options) -> PartitionResult:
    """Analyse one partition's items; a bad document becomes a ``failures`` row, never an exception."""
    rows: dict[str, list[dict]] = {}
    errors: list[BatchError] = []
    pending: list[tuple[RawItem, Article]] = []
    for item in items:
        parsed = raw_to_article(item, allow_private=options.allow_private, force=options.force, max_bytes=options.max_bytes)
        if isinstance(parsed, BatchError):
            errors.append(parsed)
        else:
            pending.append((item, parsed))
    for item, article, error in _analyse(pending, options.extractor, True):
        if error is not None:
            errors.append(BatchError(item.where, f"analysis failed: {error}", item.id))
            continue
        for name, new in article_rows(article, key=article_key(article), where=item.where, partition=partition).items():
            rows.setdefault(name, []).extend(new)
    rows["failures"] = [failure_row(e, partition=partition) for e in errors]
    return PartitionResult(
        partition=partition,
        tables=to_tables(rows),
        analysed=len(rows.get("articles", [])),
        failed=len(errors),
        failures=[str(e) for e in errors],
    )
