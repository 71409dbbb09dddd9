"""``sourcetrace eval-links``: score stories and claims on ECB+ with its own scorer."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from platformdirs import user_cache_path
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..errors import InputError
from . import app


@app.command("eval-links")
def eval_links(
    data_dir: Path = typer.Argument(..., help="An ECB+ split: DIR/docs.json, DIR/sentences.json, DIR/docs/*.txt."),
    exclude_seminal: bool = typer.Option(False, "--exclude-seminal", help="The scorer's stricter sentence gold (ignores each event's most widespread action)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scorer's result as JSON."),
    pred_out: Path = typer.Option(None, "--pred-out", help="Also write the prediction (the scorer's PRED.json) here."),
    cache_dir: Path = typer.Option(None, "--cache-dir", help="Where analysed articles and vectors are cached (default: your user cache folder)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Analyse and encode everything from scratch."),
    scorer: Path = typer.Option(None, "--scorer", help="score_links.py (default: DIR/../../../tools/score_links.py)."),
    extractor: str = typer.Option("default", "--extractor", "-e", help="Attribution extractor used at ingest."),
    steps: int = typer.Option(1, "--steps", min=1, help="Link in this many incremental updates (articles in a fixed shuffled order), as when a corpus is ingested in batches; 1: link all at once, as a rebuild does."),
    first: float = typer.Option(None, "--first", min=0.0, max=1.0, help="With --steps: the share of the articles linked in the first update (the rest is split evenly over the others; default: even steps)."),
) -> None:
    """Ingest an ECB+ split into a temporary store, link it, and print the scorer's article and claim-link figures."""
    from ..eval.links import load_scorer, predict, score

    if not (data_dir / "docs.json").is_file():
        raise InputError(f"{data_dir} is not an ECB+ split (no docs.json): give the folder that holds docs.json and docs/.")
    load_scorer(data_dir, scorer)  # fail before the long part
    cache = None if no_cache else (cache_dir or user_cache_path("sourcetrace", appauthor=False) / "ecb")
    err = Console(stderr=True)
    n_docs = len(json.loads((data_dir / "docs.json").read_text()))
    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("ingest", total=n_docs)
        prediction = predict(data_dir, cache_dir=cache, extractor=extractor, on_doc=lambda _: progress.advance(task),
                             steps=steps, first=first)
    if pred_out:
        pred_out.write_text(json.dumps(prediction))
    result, text = score(data_dir, prediction, exclude_seminal=exclude_seminal, scorer=scorer)
    typer.echo(json.dumps(result, indent=1) if as_json else text)
