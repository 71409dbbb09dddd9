"""Load a batch's Parquet dataset into the store: one writer, each article once, failures recorded.

A batch (``sourcetrace batch``) writes ``DIR/articles/<partition>.parquet``
with the whole Article in ``article_json`` and its store key in ``key``;
``DIR/failures/`` holds the documents that could not be analysed. Loading
reads one partition at a time, asks the store which keys it already holds
(one query per partition), and stores only the rest, so loading twice, or
loading a dataset that overlaps an earlier ingest, stores each article once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
from sqlalchemy import select

from ..errors import InputError
from ..model import Article
from .repository import Store
from .schema import articles


@dataclass
class LoadReport:
    stored: int = 0
    existing: int = 0  # already in the store (an earlier load or ingest, or the same article twice)
    failures: int = 0  # failure rows recorded

    def line(self) -> str:
        return f"stored {self.stored}, already stored {self.existing}, failures recorded {self.failures}"


def _known(store: Store, keys: list[str]) -> set[str]:
    found: set[str] = set()
    with store.engine.connect() as conn:
        for i in range(0, len(keys), 500):
            found.update(conn.execute(select(articles.c.key).where(articles.c.key.in_(keys[i : i + 500]))).scalars())
    return found


def load_part(store: Store, root: str | Path, partition: str, report: LoadReport | None = None) -> LoadReport:
    """Store the articles of one partition that the store does not hold yet, and record its failures."""
    report = report if report is not None else LoadReport()
    root = Path(root)
    failures = pq.read_table(root / "failures" / f"{partition}.parquet", columns=["where", "error"]).to_pylist()
    for row in failures:
        store.record_failure(row["where"], row["error"])
        report.failures += 1
    table = pq.read_table(root / "articles" / f"{partition}.parquet", columns=["key", "where", "article_json"])
    rows = table.to_pylist()
    known = _known(store, [r["key"] for r in rows])
    for row in rows:
        if row["key"] in known:
            report.existing += 1
            continue
        known.add(row["key"])
        result = store.save(Article.model_validate_json(row["article_json"]), origin=row["where"])
        report.stored += result.created
        report.existing += not result.created
    return report


def load_dataset(store: Store, root: str | Path, *, on_partition: Callable[[str], None] | None = None) -> LoadReport:
    """Load every complete partition of the dataset at ``root`` (a ``sourcetrace batch --out`` folder)."""
    root = Path(root)
    if not (root / "articles").is_dir():
        raise InputError(f"{root} holds no articles/ folder: give the --out folder of a `sourcetrace batch` run.")
    report = LoadReport()
    for part in sorted(p.stem for p in (root / "articles").glob("*.parquet")):
        load_part(store, root, part, report)
        if on_partition:
            on_partition(part)
    return report
