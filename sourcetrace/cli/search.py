"""``sourcetrace search``: full-text search over stored statements, with filters."""

from __future__ import annotations

import datetime as dt
import json

import typer
from rich.console import Console
from rich.table import Table

from ..errors import SourcetraceError
from ..model import Certainty, SourceType
from . import app
from .ingest import DB_OPTION, open_store_or_exit


@app.command()
def search(
    query: str = typer.Argument(None, help="Words, \"phrases\", OR, -word. Leave out to list by filters only."),
    source: str = typer.Option(None, "--source", "-s", help="Statements by this source, in any form (\"Putin\")."),
    entity: int = typer.Option(None, "--entity", help="Statements by this entity id."),
    source_type: SourceType = typer.Option(None, "--type", help="Source type."),
    anonymous: bool = typer.Option(None, "--anonymous/--named", help="Only anonymous, or only named, sources."),
    outlet: str = typer.Option(None, "--outlet", help="Only this outlet."),
    certainty: list[Certainty] = typer.Option(None, "--certainty", help="Only these certainty levels (repeatable)."),
    date_from: dt.datetime = typer.Option(None, "--from", formats=["%Y-%m-%d"], help="Published on or after."),
    date_to: dt.datetime = typer.Option(None, "--to", formats=["%Y-%m-%d"], help="Published on or before."),
    sort: str = typer.Option("relevance", help="relevance, newest or oldest."),
    page: int = typer.Option(1, min=1),
    per_page: int = typer.Option(20, min=1, max=200),
    outlets: bool = typer.Option(False, "--outlets", help="Instead: which outlets carry statements from --source/--entity."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    db: str = DB_OPTION,
) -> None:
    """Search stored statements; e.g. `sourcetrace search bridge --source Putin --from 2024-01-01`."""
    from pydantic import ValidationError

    from ..store import SearchQuery, outlets_for
    from ..store import search as run_search

    out = Console()
    err = Console(stderr=True)
    store = open_store_or_exit(db)
    try:
        if outlets:
            rows = outlets_for(store, source=source, entity_id=entity)
            if as_json:
                typer.echo(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
                return
            table = Table("outlet", "statements", "articles", "first", "last")
            for r in rows:
                table.add_row(r.outlet or "–", str(r.statements), str(r.articles), str(r.first or "–"), str(r.last or "–"))
            out.print(table)
            return
        q = SearchQuery(
            q=query,
            source=source,
            entity_id=entity,
            source_type=source_type,
            anonymous=anonymous,
            outlet=outlet,
            certainty=certainty or None,
            date_from=date_from.date() if date_from else None,
            date_to=date_to.date() if date_to else None,
            sort=sort,
            page=page,
            per_page=per_page,
        )
        result = run_search(store, q)
    except ValidationError as exc:
        err.print(f"[red]error:[/] {exc.errors()[0]['msg']}")
        raise typer.Exit(2) from None
    except SourcetraceError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    finally:
        store.close()
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    table = Table("source", "statement", "certainty", "outlet", "published", "article", title=f"{'' if result.total_exact else 'about '}{result.total} statements", show_lines=False)
    for h in result.items:
        who = h.entity or h.source or ("(outlet)" if h.own_voice else "(unnamed)")
        table.add_row(who, h.text, h.certainty, h.outlet or "–", str(h.published or "–"), str(h.article_id))
    out.print(table)
    pages = max(1, -(-result.total // result.per_page))
    err.print(f"page {result.page} of {pages}")
