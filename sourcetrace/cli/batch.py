"""``sourcetrace batch`` (analyse a corpus on Dask into Parquet) and ``sourcetrace load`` (Parquet into the store)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.text import Text

from . import EXTRACTOR_HELP, app
from .ingest import DB_OPTION, NO_LINK_OPTION, link_stored, open_store_or_exit


class ArticleRateColumn(ProgressColumn):
    """Articles analysed per second by this run (skipped partitions do not count)."""

    def render(self, task) -> Text:
        seconds = task.elapsed or 0
        done = task.fields.get("analysed", 0) + task.fields.get("failed", 0)
        return Text(f"{done / seconds:.1f} art/s" if seconds and done else "– art/s", style="progress.data.speed")


@app.command()
def batch(
    inputs: list[Path] = typer.Argument(..., help="Folders of .txt/.html, .jsonl(.gz) files, .warc(.gz) files.", show_default=False),
    out: Path = typer.Option(..., "--out", help="Output folder: a Parquet dataset, one subfolder per table."),
    workers: int = typer.Option(None, "--workers", min=1, help="Local worker processes.", show_default="one per core"),
    scheduler: str = typer.Option(None, "--scheduler", help="Run on an existing Dask cluster: tcp://HOST:PORT."),
    extractor: str = typer.Option("default", "--extractor", "-e", help=EXTRACTOR_HELP),
    partition_size: int = typer.Option(64, "--partition-size", min=1, max=10_000, help="Documents per partition (one part file per table)."),
    db: str = typer.Option(None, "--db", help="Also load the results into this store (SQLite file or postgresql:// URL), and link them."),
    no_link: bool = NO_LINK_OPTION,
    dashboard: str = typer.Option("127.0.0.1:0", "--dashboard", help="Address of the local cluster's dashboard (port 0: any free port)."),
    force: bool = typer.Option(False, "--force", help="Analyse documents even if they do not look English."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Let JSONL url items fetch private or loopback addresses."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Analyse a corpus on Dask into a Parquet dataset; rerun the same command to resume.

    Example: sourcetrace batch cc-news/*.warc.gz articles.jsonl --out corpus/ --workers 8
    """
    from ..batch.cluster import connect, dashboard_link
    from ..batch.partitions import unique_inputs
    from ..batch.runner import run_batch
    from ..batch.work import Options
    from ..ingest.items import input_kind, input_size
    from ..nlp.extractor import check_extractor

    if workers and scheduler:
        raise typer.BadParameter("give --workers (a local cluster) or --scheduler (an existing one), not both.")
    check_extractor(extractor)
    for path in inputs:
        input_kind(path)
    err = Console(stderr=True)
    store = open_store_or_exit(db) if db else None
    columns = [
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        ArticleRateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    ]
    options = Options(extractor=extractor, force=force, allow_private=allow_private)
    try:
        with connect(scheduler=scheduler, workers=workers, dashboard=dashboard) as client:
            link = dashboard_link(client)
            err.print(f"dashboard: {link}" if link else "dashboard: none (Dask serves one when bokeh is installed)", highlight=False)
            with Progress(*columns, console=err, disable=quiet) as progress:
                # each input once, as run_batch reads it
                task = progress.add_task("analysed 0", total=sum(input_size(Path(p)) for p in unique_inputs(inputs)), analysed=0, failed=0)

                def advance(step) -> None:
                    fields = progress.tasks[task].fields
                    analysed, failed = fields["analysed"] + step.analysed, fields["failed"] + step.failed
                    progress.update(task, advance=step.bytes, analysed=analysed, failed=failed, description=f"analysed {analysed}")

                report = run_batch(
                    inputs, out, client=client, options=options, partition_size=partition_size, store=store, on_progress=advance
                )
                progress.update(task, completed=progress.tasks[task].total)  # bytes after the last document of each input
        for failure in report.failures[:20]:
            err.print(f"  [red]failed[/] {failure}", highlight=False)
        if report.failed > 20:
            err.print(f"  … and {report.failed - 20} more, each in {out}/failures/", highlight=False)
        if report.ignored:
            err.print(f"ignored {report.ignored} WARC records that are not HTML responses (requests, metadata, other types)", highlight=False)
        typer.echo(report.line())
        if store is not None and not no_link:  # after the summary: what was analysed and stored is reported even if linking fails
            link_stored(store, err)
    finally:
        if store is not None:
            store.close()
    if report.failed:
        raise typer.Exit(1)


@app.command()
def load(
    directory: Path = typer.Argument(..., help="The --out folder of a `sourcetrace batch` run."),
    db: str = DB_OPTION,
    no_link: bool = NO_LINK_OPTION,
) -> None:
    """Load a batch's Parquet dataset into the store, each article once (rerun safely), and link it.

    Example: sourcetrace load corpus/ --db postgresql://me@dbhost/news
    """
    from ..batch.dataset import load_dataset

    store = open_store_or_exit(db)
    try:
        report = load_dataset(store, directory)
        typer.echo(report.line())
        if not no_link:
            link_stored(store, Console(stderr=True))
    finally:
        store.close()
