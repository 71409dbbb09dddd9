"""``sourcetrace eval``: score an extractor (or a predictions file) on a PolNeAR split."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..errors import SourcetraceError
from ..eval import floor as accuracy_floor
from ..eval.metrics import ROLES, PRF, Scores
from ..eval.runner import Evaluation, evaluate, load_docs, score_predictions, write_failures, write_predictions
from . import app

stderr = Console(stderr=True, soft_wrap=True)


def scores_table(scores: Scores, title: str) -> Table:
    """Exact and overlap P/R/F1 per role; the attribution row pairs all-roles-exact with cue+content overlap."""
    table = Table(title=title, caption=(
        f"{scores.documents} articles, {scores.gold_attributions} gold / {scores.predicted_attributions} predicted "
        "attributions; attribution: exact = all roles exact, overlap = cue and content overlap (one-to-one)"
    ))
    table.add_column("role", no_wrap=True)
    for kind in ("exact", "overlap"):
        for measure in ("P", "R", "F1"):
            table.add_column(f"{kind}\n{measure}", justify="right")

    def cells(prf: PRF) -> list[str]:
        return [f"{prf.precision:.3f}", f"{prf.recall:.3f}", f"{prf.f1:.3f}"]

    for role in ROLES:
        role_scores = getattr(scores, role)
        table.add_row(role, *cells(role_scores.exact), *cells(role_scores.overlap))
    table.add_row("attribution", *cells(scores.attribution_exact), *cells(scores.attribution), style="bold")
    return table


def _run(split_dir: Path, extractor: str, limit: int | None) -> Evaluation:
    total = len(load_docs(split_dir, limit))
    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task(f"eval {extractor}", total=total)
        return evaluate(split_dir, extractor, limit=limit, on_document=lambda _: progress.advance(task))


def _fail(message: str) -> None:
    stderr.print(f"[bold red]Error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(1)


@app.command("eval")
def eval_command(
    split_dir: Path = typer.Argument(..., help="A PolNeAR split: DIR/text/*.txt and DIR/attributions/*.ann."),
    extractor: str = typer.Option("default", "--extractor", "-e", help="Registered extractor name (rules, crf, ...)."),
    predictions_out: Path = typer.Option(None, "--predictions-out", help="Write one JSON line of predicted spans per article."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON instead of a table."),
    limit: int = typer.Option(None, "--limit", min=1, help="Only the first N articles (sorted by file name)."),
    score_file: Path = typer.Option(None, "--score-predictions", help="Score this predictions JSONL instead of running a model."),
    write_floor: Path = typer.Option(None, "--write-floor", help="Pin these scores as the extractor's accuracy floor in this JSON file."),
    failures_out: Path = typer.Option(None, "--failures", help="Write one JSON line per missed gold and per false predicted "
                                      "attribution, with its text and why it failed (cue, content, taken)."),
) -> None:
    """Score an extractor against PolNeAR gold: exact and token-overlap P/R/F1 per role, plus attribution F1.

    Example: sourcetrace eval ../shared/data/polnear/dev --extractor rules --predictions-out dev.jsonl
    (--failures dev-failures.jsonl lists what it missed and what it found that the gold lacks).
    """
    if write_floor and (limit or score_file):
        _fail("--write-floor pins scores of a full run of an extractor: drop --limit and --score-predictions.")
    try:
        result = score_predictions(split_dir, score_file, limit=limit) if score_file else _run(split_dir, extractor, limit)
    except (SourcetraceError, FileNotFoundError, ValueError) as err:
        _fail(str(err))
    try:
        if predictions_out:
            write_predictions(predictions_out, result.predictions)
        if failures_out:
            write_failures(failures_out, load_docs(split_dir, limit), result.predictions)
        if write_floor:
            digest = accuracy_floor.split_digest(split_dir)
            accuracy_floor.pin(write_floor, result.extractor, result.scores, digest, accuracy_floor.split_name(split_dir))
            stderr.print(f"Pinned {result.extractor} in {write_floor}")
    except OSError as err:
        _fail(f"Cannot write {err.filename}: {err.strerror}.")
    if as_json:
        typer.echo(json.dumps({"extractor": result.extractor, "split": result.split, **result.scores.model_dump()}, indent=2))
    else:
        Console().print(scores_table(result.scores, f"{result.extractor} on {split_dir}"))


@app.command("agreement")
def agreement_command(
    split_dirs: list[Path] = typer.Argument(..., help="PolNeAR splits; their doubly annotated articles are scored."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON instead of a table."),
) -> None:
    """How far PolNeAR's annotators agree with each other, in the metrics of `sourcetrace eval` (the human ceiling).

    Example: sourcetrace agreement ../shared/data/polnear/train ../shared/data/polnear/dev
    """
    from ..eval.agreement import agreement

    try:
        scores = agreement(split_dirs)
    except FileNotFoundError as err:
        _fail(str(err))
    if scores.documents == 0:
        _fail("No article in these splits has two annotation files; nothing to compare.")
    if as_json:
        typer.echo(json.dumps(scores.model_dump(), indent=2))
    else:
        Console().print(scores_table(scores, "second annotator scored against the first"))


@app.command("eval-outlets")
def eval_outlets_command(
    folder: Path = typer.Argument(Path("tests/data/outlets"), help="Folder of passage files (*.jsonl), e.g. tests/data/outlets."),
    extractor: str = typer.Option("default", "--extractor", "-e", help="Registered extractor name (rules, crf, ...)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON instead of tables."),
    failures: bool = typer.Option(False, "--failures", help="List every miss, wrong speaker and sprung trap."),
) -> None:
    """Score an extractor on passages in many outlets' house styles: quotation recall, speaker accuracy, trap precision.

    Example: sourcetrace eval-outlets tests/data/outlets --failures
    """
    from ..eval.outlets import evaluate_outlets

    try:
        scores = evaluate_outlets(folder, extractor)
    except SourcetraceError as err:
        _fail(str(err))
    if as_json:
        breakdown = lambda groups: {k: {m: [t.hits, t.total] for m, t in v.items()} for k, v in sorted(groups.items())}  # noqa: E731
        typer.echo(json.dumps({
            "extractor": extractor, "passages": scores.passages, **scores.flat(),
            "by_convention": breakdown(scores.by_convention), "by_style": breakdown(scores.by_style),
        }, indent=2))
        return
    console = Console()
    summary = Table(title=f"{extractor} on {folder} ({scores.passages} passages)")
    for column in ("figure", "share", "of"):
        summary.add_column(column, justify="right" if column != "figure" else "left")
    for label, tally in (
        ("quotation recall", scores.recall), ("speaker accuracy", scores.speaker), ("trap precision", scores.traps),
        ("attribution precision", scores.precision), ("source type", scores.type), ("continuations marked inferred", scores.inferred),
    ):
        summary.add_row(label, f"{tally.share:.3f}", f"{tally.hits}/{tally.total}")
    console.print(summary)
    for title, groups in (("convention", scores.by_convention), ("house style", scores.by_style)):
        table = Table(title=f"by {title}")
        for column in (title, "recall", "speaker", "traps"):
            table.add_column(column, justify="right" if column != title else "left")
        for key, tallies in sorted(groups.items()):
            table.add_row(key, *(f"{tallies[m].hits}/{tallies[m].total}" if m in tallies else "" for m in ("recall", "speaker", "traps")))
        console.print(table)
    if failures:
        for line in scores.failures:
            console.print(escape(line), highlight=False)
