"""``sourcetrace link``: group stored articles into stories and their statements into claims."""

from __future__ import annotations

import typer
from rich.console import Console

from . import app
from .ingest import DB_OPTION, open_store_or_exit


@app.command()
def link(
    db: str = DB_OPTION,
    rebuild: bool = typer.Option(False, "--rebuild", help="Forget every story and claim and link the whole store again."),
    reencode: bool = typer.Option(False, "--reencode", help="With --rebuild: also recompute the cached sentence vectors."),
) -> None:
    """Link stored articles into stories and claims (what is new, unless --rebuild). `ingest`, `load` and `batch --db` do this themselves."""
    from .. import link as linker

    store = open_store_or_exit(db)
    try:
        report = linker.rebuild(store, reencode=reencode) if rebuild else linker.update(store)
    finally:
        store.close()
    Console(stderr=True).print(report.line())
