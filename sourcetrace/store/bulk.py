"""Store a batch's rows: one writer, each article once, failures recorded.

A batch (``sourcetrace batch``) turns each partition into rows: per article its
store key, where it came from and the whole Article as ``article_json``; per
document that could not be analysed, where and why. Where those rows live on
disk is the batch's business (:mod:`sourcetrace.batch.dataset`); here they are
stored. Loading asks the store which keys it already holds (one query per
partition) and stores only the rest, so loading twice, or loading a dataset
that overlaps an earlier ingest, stores each article once.

A partition is one transaction. The rows are the ones :meth:`Store.save`
writes (the same ``Store._insert`` builds them); on PostgreSQL they are
buffered and sent with COPY, ids drawn from the tables' sequences first. If
another writer stored one of the articles meanwhile (a unique key clash), the
partition is stored article by article instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, text
from sqlalchemy.exc import IntegrityError

from ..model import Article
from .chunks import chunks
from .keys import ref_hash
from .repository import Store
from .schema import articles, attributions, certainty_markers, failures, quantities, sources, statements


try:
    from psycopg.errors import IntegrityError as _PgIntegrityError  # raised by COPY, below SQLAlchemy

    _KEY_CLASH: tuple[type[Exception], ...] = (IntegrityError, _PgIntegrityError)
except ImportError:  # pragma: no cover - psycopg is a pinned dependency
    _KEY_CLASH = (IntegrityError,)


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
        for chunk in chunks(keys):
            found.update(conn.execute(select(articles.c.key).where(articles.c.key.in_(chunk))).scalars())
    return found


def load_rows(store: Store, article_rows: list[dict], failure_rows: list[dict], report: LoadReport | None = None) -> LoadReport:
    """Store the articles (``key``, ``where``, ``article_json``) the store does not hold yet, and record the failures
    (``where``, ``error``): one partition of a batch."""
    report = report if report is not None else LoadReport()
    for row in failure_rows:
        store.record_failure(row["where"], row["error"])
        report.failures += 1
    known = _known(store, [r["key"] for r in article_rows])
    new = []
    for row in article_rows:
        if row["key"] in known:
            report.existing += 1
            continue
        known.add(row["key"])
        new.append((row["key"], row["where"], Article.model_validate_json(row["article_json"])))
    if not new:
        return report
    try:
        _write_all(store, new)
        report.stored += len(new)
    except _KEY_CLASH:  # another writer stored one of them first: go one by one, each once
        for _, where, article in new:
            created = store.save(article, origin=where).created
            report.stored += created
            report.existing += not created
    return report


def _write_all(store: Store, new: list[tuple[str, str, Article]]) -> None:
    """One transaction for the partition: COPY on PostgreSQL, batched inserts on SQLite."""
    with store.engine.begin() as conn:
        writer = CopyWriter(conn) if store.dialect == "postgresql" else None
        for key, where, article in new:
            store._insert(conn, article, key, where, rows=writer)
        if writer is not None:
            writer.flush()
        for chunk in chunks([ref_hash(where) for _, where, _ in new]):
            conn.execute(delete(failures).where(failures.c.ref_hash.in_(chunk)))


class CopyWriter:
    """Buffers the rows ``Store._insert`` gives it and writes each table with one COPY (PostgreSQL)."""

    ORDER = (articles, sources, attributions, statements, certainty_markers, quantities)  # foreign keys first

    def __init__(self, conn):
        self.conn = conn
        self.rows: dict[str, list[dict]] = {t.name: [] for t in self.ORDER}
        self.by_id: dict[tuple[str, int], dict] = {}

    def insert(self, table, rows: list[dict] | dict, *, returning: bool = False) -> list[int]:
        rows = [dict(rows)] if isinstance(rows, dict) else [dict(r) for r in rows]
        ids: list[int] = []
        if returning and rows:
            ids = list(
                self.conn.execute(
                    text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                    {"t": table.name, "n": len(rows)},
                ).scalars()
            )
            for row, row_id in zip(rows, ids):
                row["id"] = row_id
                self.by_id[(table.name, row_id)] = row
        self.rows[table.name].extend(rows)
        return ids

    def update(self, table, row_id: int, **values) -> None:
        self.by_id[(table.name, row_id)].update(values)

    def flush(self) -> None:
        cursor = self.conn.connection.driver_connection.cursor()
        with cursor:
            for table in self.ORDER:
                rows = self.rows[table.name]
                if not rows:
                    continue
                columns = list(dict.fromkeys(c for row in rows for c in row))
                names = ", ".join(f'"{c}"' for c in columns)
                with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row([row.get(c) for c in columns])
        self.rows = {t.name: [] for t in self.ORDER}
        self.by_id.clear()
