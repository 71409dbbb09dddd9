"""``sourcetrace ingest``: analyse articles and store them (idempotent, resumable)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from ..errors import SourcetraceError
from ..nlp.extractor import check_extractor
from . import EXTRACTOR_HELP, app

DB_OPTION = typer.Option(None, "--db", envvar="SOURCETRACE_DB", help="SQLite file or postgresql:// URL (default: a file in your user data folder).")
NO_LINK_OPTION = typer.Option(False, "--no-link", help="Do not link the stored articles into stories and claims (run `sourcetrace link` later).")


def link_stored(store, console: Console) -> None:
    """Link what was just stored into stories and claims (incremental, as `sourcetrace link`), and say so."""
    from ..link import update as link_update

    console.print(link_update(store).line())


class RateColumn(ProgressColumn):
    """Articles per second."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} art/s" if speed else "– art/s", style="progress.data.speed")


def open_store_or_exit(db: str | None):
    from ..store import Store

    try:
        return Store.open(db)
    except SourcetraceError as exc:
        Console(stderr=True).print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    except Exception as exc:  # connection refused, bad credentials, unreadable file...
        shown = db or "(default)"
        if db and "://" in db:
            from sqlalchemy import make_url

            shown = make_url(db).render_as_string(hide_password=True)
        Console(stderr=True).print(f"[red]error:[/] cannot open the database {shown}: {str(exc).splitlines()[0]}")
        raise typer.Exit(2) from None


@app.command()
def ingest(
    inputs: list[str] = typer.Argument(None, help="Article files, folders (searched for .txt/.text/.html/.htm/.xhtml), .jsonl(.gz)/.ndjson(.gz) or .warc(.gz) files, or http(s) URLs.", show_default=False),
    feed: list[str] = typer.Option([], "--feed", help="An RSS/Atom feed URL: ingest every entry (repeatable)."),
    jsonl: list[str] = typer.Option([], "--jsonl", help="A JSON Lines file (plain or .gz), one article object per line, whatever its name (repeatable)."),
    db: str = DB_OPTION,
    extractor: str = typer.Option("default", "--extractor", "-e", help=EXTRACTOR_HELP),
    batch_size: int = typer.Option(16, min=1, max=512, help="Articles analysed together."),
    allow_private: bool = typer.Option(
        False, "--allow-private", help="Allow fetching URLs on private or loopback addresses (intranets, tests)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    no_link: bool = NO_LINK_OPTION,
) -> None:
    """Analyse articles and store them. The same article twice is stored once; rerun an interrupted ingest to resume."""
    from ..ingest.inputs import expand
    from ..ingest.warc import is_warc
    from ..store.runner import ingest as run_ingest

    if not (inputs or feed or jsonl):
        raise typer.BadParameter("give at least one file, folder, URL, --feed or --jsonl.")
    check_extractor(extractor)
    store = open_store_or_exit(db)
    err = Console(stderr=True)
    items = expand(inputs or [], feeds=feed, jsonl=jsonl, allow_private=allow_private)
    # counted up front for the bar's total, except a WARC's pages: they stream (a crawl can be many GB)
    total = None if any(is_warc(p) for p in inputs or []) else len(items := list(items))
    columns = [
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=err, disable=quiet, transient=False) as progress:
        task = progress.add_task("ingesting", total=total)
        report = run_ingest(
            store, items, extractor=extractor, batch_size=batch_size, on_item=lambda *_: progress.advance(task)
        )
    err.print(f"stored {report.stored}, already stored {report.skipped}, failed {report.failed}  ({store.engine.url.render_as_string()})")
    for ref, message in report.errors[:20]:
        err.print(f"  [red]failed[/] {ref}: {message}")
    if len(report.errors) > 20:
        err.print(f"  … and {len(report.errors) - 20} more (all recorded in the store's failures table)")
    try:
        if not no_link:
            link_stored(store, err)
    finally:
        store.close()
    if report.failed:
        raise typer.Exit(1)
