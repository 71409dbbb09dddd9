"""Speed benchmark: plain spaCy English vs the full sourcetrace pipeline, same process, same texts.

Both pipelines run over the same texts in alternating order (A B B A A B ...)
after an untimed warm-up, so drift in machine load hits both; each reports the
median words/second over its passes (words = whitespace-separated tokens),
by wall clock and by the process's CPU time (the steadier of the two when
other jobs share the machine).
Peak RSS is the process high-water mark (``getrusage``), read once after the
baseline's first full pass (before the full pipeline is even loaded) and once
at the end.

Meaningful numbers need one core and one thread::

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 taskset -c 0 sourcetrace bench
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel, computed_field

from .polnear import read_text


class PipelineTiming(BaseModel):
    name: str
    seconds: list[float]  # wall clock, per pass
    cpu_seconds: list[float]  # this process's CPU time, per pass
    words: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def words_per_second(self) -> float:
        """Median over passes, by wall clock."""
        return self.words / statistics.median(self.seconds)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def words_per_cpu_second(self) -> float:
        """Median over passes, by CPU time: steadier than wall clock on a busy machine."""
        return self.words / statistics.median(self.cpu_seconds)


class BenchResult(BaseModel):
    texts: int
    words: int
    repeats: int
    extractor: str
    baseline: PipelineTiming
    full: PipelineTiming
    peak_rss_mib_baseline: float
    peak_rss_mib: float
    cpus: int
    threads: dict[str, str | None]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def speed_ratio(self) -> float:
        """Full pipeline speed as a fraction of plain spaCy's (1.0 = no overhead), by wall clock."""
        return self.full.words_per_second / self.baseline.words_per_second

    @computed_field  # type: ignore[prop-decorator]
    @property
    def cpu_speed_ratio(self) -> float:
        """The same ratio by CPU time."""
        return self.full.words_per_cpu_second / self.baseline.words_per_cpu_second


def load_texts(directory: str | Path, limit: int | None = None) -> list[str]:
    """Texts of ``DIR/text/*.txt`` (a PolNeAR split) or else ``DIR/*.txt``, sorted by name."""
    directory = Path(directory)
    folder = directory / "text" if (directory / "text").is_dir() else directory
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"No .txt files in {folder}: give a PolNeAR split or a folder of .txt articles.")
    texts = [read_text(p) for p in paths]
    return texts[:limit] if limit is not None else texts


def _peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def run_benchmark(
    texts: Sequence[str],
    extractor: str = "default",
    *,
    repeats: int = 3,
    batch_size: int = 32,
    on_pass: Callable[[str], None] | None = None,
) -> BenchResult:
    """Time ``repeats`` passes of each pipeline over ``texts``, alternating which goes first."""
    from ..analyze import annotate_many
    from ..model import Article
    from ..nlp.pipeline import load_pipeline
    from ..nlp.spacy_model import load_base
    from .runner import resolve_extractor

    if not texts:
        raise ValueError("The benchmark needs at least one text.")
    extractor = resolve_extractor(extractor)
    base = load_base()

    def run_base(batch: Sequence[str]) -> None:
        for _ in base.pipe(batch, batch_size=batch_size):
            pass

    def run_full(batch: Sequence[str]) -> None:
        articles = (Article(text=t) for t in batch)
        for _ in annotate_many(articles, extractor=extractor, batch_size=batch_size):
            pass

    run_base(texts[:5])  # warm-up, untimed
    rss_baseline = 0.0
    runs: dict[str, tuple[Callable, list[float], list[float]]] = {
        "baseline": (run_base, [], []),
        "full": (run_full, [], []),
    }
    for r in range(repeats):
        order = ("baseline", "full") if r % 2 == 0 else ("full", "baseline")
        for name in order:
            run, seconds, cpu_seconds = runs[name]
            if name == "full" and not seconds:
                # Baseline peak first: the full pipeline's model is loaded only after one baseline pass.
                rss_baseline = _peak_rss_mib()
                load_pipeline(extractor)
                run_full(texts[:5])  # warm-up, untimed
            start, cpu_start = time.perf_counter(), time.process_time()
            run(texts)
            seconds.append(time.perf_counter() - start)
            cpu_seconds.append(time.process_time() - cpu_start)
            if on_pass is not None:
                on_pass(name)
    words = sum(len(t.split()) for t in texts)
    return BenchResult(
        texts=len(texts),
        words=words,
        repeats=repeats,
        extractor=extractor,
        baseline=PipelineTiming(name=f"{base.meta.get('lang', '')}_{base.meta.get('name', 'spacy')}", seconds=runs["baseline"][1], cpu_seconds=runs["baseline"][2], words=words),
        full=PipelineTiming(name=f"sourcetrace ({extractor})", seconds=runs["full"][1], cpu_seconds=runs["full"][2], words=words),
        peak_rss_mib_baseline=rss_baseline,
        peak_rss_mib=_peak_rss_mib(),
        cpus=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0,
        threads={k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")},
    )
