"""``sourcetrace bench``: words/second of plain spaCy vs the full pipeline, in one process."""

from __future__ import annotations

import statistics
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..eval.bench import BenchResult, load_texts, run_benchmark
from ..eval.runner import find_shared_split
from . import app
from .eval import _fail, stderr

PINNING = "OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 taskset -c 0 sourcetrace bench"


def bench_table(result: BenchResult) -> Table:
    table = Table(
        title=f"{result.texts} texts, {result.words:,} words, {result.repeats} passes each",
        caption=f"full / baseline speed: {result.speed_ratio:.2f} (wall), {result.cpu_speed_ratio:.2f} (CPU); peak RSS {result.peak_rss_mib:.0f} MiB "
        f"(baseline alone {result.peak_rss_mib_baseline:.0f} MiB); {result.cpus} CPU(s)",
    )
    table.add_column("pipeline", no_wrap=True)
    table.add_column("words/s", justify="right")
    table.add_column("words/CPU s", justify="right")
    table.add_column("median s", justify="right")
    table.add_column("passes (s)", justify="right")
    for timing in (result.baseline, result.full):
        table.add_row(
            timing.name,
            f"{timing.words_per_second:,.0f}",
            f"{timing.words_per_cpu_second:,.0f}",
            f"{statistics.median(timing.seconds):.2f}",
            " ".join(f"{s:.1f}" for s in timing.seconds),
        )
    return table


@app.command("bench")
def bench_command(
    directory: Path = typer.Argument(None, help="A PolNeAR split or a folder of .txt articles.", show_default="../shared/data/polnear/dev"),
    extractor: str = typer.Option("default", "--extractor", "-e", help="Extractor of the full pipeline."),
    limit: int = typer.Option(None, "--limit", min=1, help="Only the first N texts."),
    repeats: int = typer.Option(3, "--repeats", min=1, help="Timed passes of each pipeline."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Measure words/s of plain en_core_web_sm and of the full sourcetrace pipeline on the same texts.

    Run it pinned to one core and one thread for comparable numbers:
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 taskset -c 0 sourcetrace bench
    """
    directory = directory or find_shared_split("dev")
    if directory is None:
        _fail("No texts given and no ../shared/data/polnear/dev found: pass a folder of .txt articles.")
    try:
        texts = load_texts(directory, limit)
    except FileNotFoundError as err:
        _fail(str(err))
    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task("bench", total=2 * repeats)
        try:
            result = run_benchmark(texts, extractor, repeats=repeats, on_pass=lambda _: progress.advance(task))
        except ValueError as err:
            _fail(str(err))
    if result.cpus > 1 or result.threads["OMP_NUM_THREADS"] != "1":
        stderr.print(f"Note: for comparable numbers pin one core and one thread: {PINNING}", highlight=False)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        Console().print(bench_table(result))
