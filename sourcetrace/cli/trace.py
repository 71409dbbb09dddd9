"""``sourcetrace trace``: every claim of the corpus, who carried it first, what it rests on, who denies it."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..link.tracemodel import ClaimTrace, Trace
from . import app
from .ingest import DB_OPTION, open_store_or_exit


def _clip(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def render_claim(console: Console, claim: ClaimTrace) -> None:
    console.rule(Text(f"claim {claim.id}", style="bold"))
    console.print(Text(_clip(claim.summary, 200), style="bold"))
    line = Text(claim.verdict + ".", style="bold red" if claim.single_origin and claim.outlets > 1 else "bold green")
    console.print(line)
    if claim.first:
        console.print(f"first: {claim.first.outlet or 'unknown outlet'}, {claim.first.published or 'undated'} (article {claim.first.article_id})")
    table = Table("published", "outlet", "how it attributes", "certainty", "statement", show_lines=False, expand=False)
    for c in claim.carriers:
        mark = " ★" if claim.first and c.article_id == claim.first.article_id else ""
        table.add_row((c.published or "undated") + mark, c.outlet or "–", " ← ".join(c.chain), c.certainty, _clip(c.statement.text, 80))
    console.print(table)
    for o in claim.origins:
        who = f"{o.name} ({'anonymous' if o.anonymous else o.type})" + (f" via {o.via}" if o.via else "")
        console.print(f"  origin: {who}: {len(o.carriers)} carrier{'' if len(o.carriers) == 1 else 's'}")
    for e in claim.citations:
        console.print(f"  {e.citing_outlet or e.citing_article_id} cites {e.cited_outlet or e.cited_article_id}", style="dim")
    for d in claim.contradicted_by:
        console.print(Text(f"  contradicted by {d.source or d.outlet or 'unknown'} ({d.outlet or 'unknown outlet'}, {d.published or 'undated'}): "
                           f"{_clip(d.statement.text, 90)}", style="yellow"))
    if claim.figures:
        figs = "; ".join(f"{f.text or f.value} ({f.source or (f.outlet or 'outlet') + ' own voice'})" for f in claim.figures)
        style = "bold yellow" if claim.conflicting_figures else ""
        console.print(Text(f"  figures: {figs}", style=style))
        for conflict in claim.figure_conflicts:
            values = " vs ".join(f"{v:g}" for v in conflict.values)
            console.print(Text(f"  conflicting figures for {conflict.unit_or_thing}: {values}", style="bold yellow"))


def render(console: Console, result: Trace, *, min_outlets: int = 1) -> None:
    shown = [c for c in result.claims if c.outlets >= min_outlets]
    if not result.stories and not result.claims:
        console.print("No stories or claims in this store yet: ingest articles (`sourcetrace ingest`), "
                      "or run `sourcetrace link` if they were ingested with --no-link.")
        return
    console.print(f"{len(result.stories)} stor{'y' if len(result.stories) == 1 else 'ies'}, {len(result.claims)} claim"
                  f"{'' if len(result.claims) == 1 else 's'}" + (f" ({len(shown)} carried by {min_outlets}+ outlets)" if min_outlets > 1 else ""))
    for claim in shown:
        render_claim(console, claim)


@app.command()
def trace(
    query: str = typer.Argument(None, help="Only claims whose words include these (all of them)."),
    db: str = DB_OPTION,
    story: str = typer.Option(None, "--story", help="Only this story's claims."),
    claim: str = typer.Option(None, "--claim", help="Only this claim."),
    min_outlets: int = typer.Option(1, "--min-outlets", min=1, help="In the readable view, only claims carried by at least this many outlets."),
    as_json: bool = typer.Option(False, "--json", help="Print the stories and claims as JSON (the documented contract)."),
) -> None:
    """Trace claims across outlets: carriers, first, origins, contradictions, figures. E.g. `sourcetrace trace tanks`."""
    from ..link.provenance import trace as run_trace

    store = open_store_or_exit(db)
    try:
        result = run_trace(store, query=query, story_id=story, claim_id=claim)
    finally:
        store.close()
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    if (story or claim) and not result.claims and not result.stories:
        raise typer.BadParameter(f"no {'claim' if claim else 'story'} {claim or story!r} in this store.", param_hint="--claim" if claim else "--story")
    render(Console(), result, min_outlets=min_outlets)
