"""Run a batch on Dask: read inputs here, analyse partitions on the workers, write part files here.

This process streams the inputs, cuts them into partitions
(:mod:`~sourcetrace.batch.partitions`), skips those already written, and keeps
a bounded number in flight on the cluster, so memory stays flat however large
the input. Each finished partition is written atomically by this process (the
workers need no shared disk) and, with a store, loaded into it by this one
writer. Dask re-runs the tasks of a worker that dies; a task is a pure function
and its part file is written once, when its result arrives, so no article is
lost or doubled.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..ingest.warc import WarcStats
from ..model import SCHEMA_VERSION
from ..nlp.extractor import check_extractor
from .cluster import worker_count
from .dataset import Dataset
from .partitions import Partition, partitions, unique_inputs
from .work import Options, PartitionResult, analyse_partition

DEFAULT_PARTITION_SIZE = 64


@dataclass
class BatchReport:
    analysed: int = 0
    skipped: int = 0  # documents in partitions an earlier run already wrote (articles and failures)
    failed: int = 0
    ignored: int = 0  # WARC records that are not HTML responses (requests, metadata, images ...)
    written: int = 0  # partitions written by this run
    done_before: int = 0  # partitions found already written
    failures: list[str] = field(default_factory=list)  # "where: reason", the first 100
    seconds: float = 0.0

    def line(self) -> str:
        return f"analysed {self.analysed}, skipped {self.skipped} (already done), failed {self.failed}"


@dataclass
class Progress:
    """What one step added, for a progress display."""

    analysed: int = 0
    failed: int = 0
    skipped: int = 0
    bytes: int = 0


def run_batch(
    inputs: list[str | Path],
    out: str | Path,
    *,
    client,
    options: Options | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    store=None,
    in_flight: int | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> BatchReport:
    """Analyse every input on ``client``'s cluster into the Parquet dataset ``out``; resumes an earlier run.

    ``store``: also load each partition into this :class:`~sourcetrace.store.Store` (once per article).
    ``in_flight``: partitions queued on the cluster at once (default: two per worker, plus one).
    """
    from distributed import as_completed

    options = options or Options()
    check_extractor(options.extractor)
    started = time.perf_counter()
    dataset = Dataset(out)
    dataset.prepare({"extractor": options.extractor, "partition_size": partition_size, "schema_version": SCHEMA_VERSION})
    report = BatchReport()
    stats = WarcStats()
    notify = on_progress or (lambda _: None)
    limit = in_flight or 2 * max(worker_count(client), 1) + 1
    run = uuid.uuid4().hex[:8]
    queued = as_completed()
    sizes: dict[str, Partition] = {}

    def collect(future) -> None:
        part = sizes.pop(future.key)
        try:
            result: PartitionResult = future.result()
        except Exception as exc:  # noqa: BLE001 - the task itself died (e.g. killed workers, out of memory): rerun retries it
            report.failed += len(part.items)
            report.failures.append(f"partition {part.id} ({part.input}, documents {part.index * partition_size + 1}-"
                                   f"{part.index * partition_size + len(part.items)}): {type(exc).__name__}: {exc}; rerun to retry")
            notify(Progress(failed=len(part.items), bytes=part.bytes))
            return
        finally:
            future.release()
        dataset.write(result.partition, result.tables)
        report.written += 1
        report.analysed += result.analysed
        report.failed += result.failed
        report.failures.extend(result.failures[: max(0, 100 - len(report.failures))])
        if store is not None:
            dataset.load(store, result.partition, result.tables)  # the tables just written, not their files again
        notify(Progress(analysed=result.analysed, failed=result.failed, bytes=part.bytes))

    for part in partitions(unique_inputs(inputs), partition_size, max_bytes=options.max_bytes, warc_stats=stats):
        if dataset.is_done(part.id):
            articles, failures = dataset.counts(part.id)
            report.done_before += 1
            report.skipped += articles + failures
            if store is not None:
                dataset.load(store, part.id)
            notify(Progress(skipped=articles + failures, bytes=part.bytes))
            continue
        future = client.submit(analyse_partition, part.id, part.items, options, key=f"sourcetrace-{part.id}-{run}", retries=1)
        sizes[future.key] = part
        queued.add(future)
        while queued.count() >= limit:
            collect(next(queued))
    for future in queued:
        collect(future)
    report.ignored = stats.skipped
    report.seconds = time.perf_counter() - started
    return report
