"""The output folder: one Parquet part file per partition and table, each written whole or not at all.

Layout: ``DIR/<table>/<partition id>.parquet`` for every table in
:data:`~sourcetrace.batch.tables.SCHEMAS`, plus ``DIR/_batch.json`` with the
settings the rows depend on. A part file is written under a hidden temporary
name and renamed into place; ``articles/`` is renamed last, so a partition
whose ``articles`` file exists is complete, and a rerun skips it. Readers
(DuckDB, pandas, polars, Spark) ignore names that start with ``.`` or ``_``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import InputError
from ..store.bulk import LoadReport, load_rows
from .tables import SCHEMAS, TABLES

MANIFEST = "_batch.json"
FORMAT = 1
#: What loading a partition into a store reads of each table.
LOADED = {"articles": ["key", "where", "article_json"], "failures": ["where", "error"]}


class Dataset:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def part(self, table: str, partition: str) -> Path:
        return self.root / table / f"{partition}.parquet"

    def prepare(self, settings: dict) -> None:
        """Create the folders; refuse a folder written with other settings (its rows would not match)."""
        if self.root.exists() and not self.root.is_dir():
            raise InputError(f"--out {self.root} is a file; give a folder.")
        manifest = self.root / MANIFEST
        wanted = {"format": FORMAT, **settings}
        if manifest.exists():
            found = json.loads(manifest.read_text(encoding="utf-8"))
            if found != wanted:
                differ = ", ".join(f"{k}={found.get(k)!r}" for k in wanted if found.get(k) != wanted[k])
                raise InputError(
                    f"{self.root} holds a batch run with {differ}; rerun with the same settings to resume it, "
                    "or give another --out."
                )
        elif self.root.exists() and any(self.root.iterdir()):
            raise InputError(f"{self.root} is not empty and holds no {MANIFEST}: give an empty or new folder as --out.")
        for table in TABLES:
            (self.root / table).mkdir(parents=True, exist_ok=True)
            for stale in (self.root / table).glob(".*.tmp-*"):  # left by a killed run
                stale.unlink(missing_ok=True)
        if not manifest.exists():
            manifest.write_text(json.dumps(wanted, indent=2) + "\n", encoding="utf-8")

    def is_done(self, partition: str) -> bool:
        return self.part("articles", partition).exists()

    def counts(self, partition: str) -> tuple[int, int]:
        """(articles, failures) rows of a written partition, from the Parquet footers."""
        return tuple(pq.read_metadata(self.part(t, partition)).num_rows for t in ("articles", "failures"))

    def write(self, partition: str, tables: dict[str, pa.Table]) -> None:
        """Write every table's part file atomically, ``articles`` last (it marks the partition done)."""
        for table in sorted(TABLES, key=lambda t: t == "articles"):
            final = self.part(table, partition)
            temp = final.with_name(f".{final.name}.tmp-{os.getpid()}")
            data = tables.get(table, SCHEMAS[table].empty_table())
            with temp.open("wb") as fh:
                pq.write_table(data, fh, compression="zstd")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temp, final)

    def partitions(self) -> list[str]:
        """Ids of the complete partitions, sorted."""
        return sorted(p.stem for p in (self.root / "articles").glob("*.parquet"))

    def load(self, store, partition: str, tables: dict[str, pa.Table] | None = None,
             report: LoadReport | None = None) -> LoadReport:
        """Store one partition's articles that ``store`` lacks and record its failures: from ``tables`` when the
        caller holds them (just written), else from the part files."""
        def rows(table: str) -> list[dict]:
            if tables is None:
                return pq.read_table(self.part(table, partition), columns=LOADED[table]).to_pylist()
            return tables.get(table, SCHEMAS[table].empty_table()).select(LOADED[table]).to_pylist()

        return load_rows(store, rows("articles"), rows("failures"), report)


def load_dataset(store, root: str | Path, *, on_partition: Callable[[str], None] | None = None) -> LoadReport:
    """Load every complete partition of the dataset at ``root`` (a ``sourcetrace batch --out`` folder)."""
    dataset = Dataset(root)
    if not (dataset.root / "articles").is_dir():
        raise InputError(f"{dataset.root} holds no articles/ folder: give the --out folder of a `sourcetrace batch` run.")
    report = LoadReport()
    for part in dataset.partitions():
        dataset.load(store, part, report=report)
        if on_partition:
            on_partition(part)
    return report
