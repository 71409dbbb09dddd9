"""``sourcetrace train``: retrain the learned (CRF) extractor on PolNeAR."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..nlp.train import DEFAULTS, train
from . import app


def _require_splits(*dirs: Path | None) -> None:
    """Exit with a clear error unless every given directory is a PolNeAR split (``None``: not given)."""
    for d in dirs:
        if d is not None and not (d / "text").is_dir():
            typer.echo(f"Error: {d} is not a PolNeAR split (expected {d}/text/*.txt).", err=True)
            raise typer.Exit(1)


@app.command("train")
def train_command(
    train_dir: Path = typer.Option(..., "--train", help="PolNeAR training split (DIR/text, DIR/attributions)."),
    dev_dir: Path = typer.Option(None, "--dev", help="PolNeAR dev split; its scores are written to meta.json."),
    out: Path = typer.Option(Path("sourcetrace/nlp/models/crf"), "--out", help="Model directory to write."),
    cache: Path = typer.Option(None, "--cache", help="Directory for cached spaCy parses (speeds up reruns)."),
) -> None:
    """Train the cue and source/content CRFs with the shipped settings (deterministic)."""
    _require_splits(train_dir, dev_dir)
    meta = train(train_dir, dev_dir, out, cache, **DEFAULTS)
    typer.echo(json.dumps(meta, indent=2))


@app.command("train-cues")
def train_cues_command(
    train_dir: Path = typer.Option(..., "--train", help="PolNeAR training split (DIR/text, DIR/attributions)."),
    dev_dir: Path = typer.Option(None, "--dev", help="PolNeAR dev split; the transformer extractor's scores go to meta.json."),
    out: Path = typer.Option(Path("sourcetrace/nlp/models/cue-minilm"), "--out", help="Model directory to write."),
    layers: int = typer.Option(None, "--layers", min=1, max=6, help="Encoder layers kept (default: the shipped model's)."),
    epochs: int = typer.Option(None, "--epochs", min=1, help="Training epochs (default: the shipped model's)."),
    teacher: Path = typer.Option(None, "--teacher", help="Distil: also learn this trained cue model's probabilities "
                                 "(e.g. a 6-layer model written by an earlier --layers 6 --out DIR)."),
    distill_weight: float = typer.Option(None, "--distill-weight", min=0.0, max=1.0,
                                         help="Share of the loss given to the teacher (default 0.5); needs --teacher."),
    content_weight: float = typer.Option(None, "--content-weight", min=0.0,
                                         help="Weight of the content start/end/inside head's loss (default 0.5; 0: no head)."),
    fold: int = typer.Option(None, "--fold", min=0, help="Cross-fitting: train on every article but part FOLD "
                             "(article n is in part n % --folds), for `train-content-rerank --cue-fold`."),
    folds: int = typer.Option(2, "--folds", min=2, help="Parts for --fold."),
) -> None:
    """Fine-tune the transformer cue tagger with the shipped settings and export it to ONNX (needs requirements-train.txt).

    --layers, --epochs, --teacher and --content-weight are for experiments: `make train` reproduces the shipped model with the defaults
    (and, with --fold, the two cue models the content re-ranker is cross-fitted with).
    """
    from ..errors import SourcetraceError
    from ..nlp.train_cues import DEFAULTS, train

    if teacher is not None and not (teacher / "model.onnx").is_file():
        typer.echo(f"Error: {teacher} holds no cue model (expected {teacher}/model.onnx from `sourcetrace train-cues`).", err=True)
        raise typer.Exit(1)
    if distill_weight is not None and teacher is None:
        typer.echo("Error: --distill-weight weighs a teacher: give --teacher DIR too.", err=True)
        raise typer.Exit(1)
    chosen = {"layers": layers, "epochs": epochs, "teacher": str(teacher) if teacher else None, "distill_weight": distill_weight,
              "content_weight": content_weight}
    params = {**DEFAULTS, **{k: v for k, v in chosen.items() if v is not None}}
    if fold is not None:
        if fold >= folds:
            typer.echo(f"Error: --fold {fold} names no part of {folds} (0 .. {folds - 1}).", err=True)
            raise typer.Exit(1)
        params.update(keep=lambda n, name: n % folds != fold, fold=f"{fold}/{folds}")
    _require_splits(train_dir, dev_dir)
    try:
        meta = train(train_dir, dev_dir, out, **params)
    except SourcetraceError as err:
        typer.echo(f"Error: {err}", err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps(meta, indent=2))


@app.command("train-content-bounds")
def train_content_bounds_command(
    train_dir: Path = typer.Option(..., "--train", help="PolNeAR training split (DIR/text, DIR/attributions)."),
    out: Path = typer.Option(Path("sourcetrace/nlp/models/content-bounds"), "--out", help="Model directory to write."),
    cache: Path = typer.Option(None, "--cache", help="Directory for cached spaCy parses (shared with `train`)."),
) -> None:
    """Train the content start/end models (nlp/content_bounds.py) on gold contents (deterministic, numpy only)."""
    from ..nlp.train_content_bounds import DEFAULTS, train as train_bounds

    _require_splits(train_dir)
    meta = train_bounds(train_dir, out, cache, **DEFAULTS)
    typer.echo(json.dumps(meta, indent=2))


@app.command("train-content-rerank")
def train_content_rerank_command(
    train_dir: Path = typer.Option(..., "--train", help="PolNeAR training split (DIR/text, DIR/attributions)."),
    out: Path = typer.Option(None, "--out", help="Model directory to write (default: sourcetrace/nlp/models/content-rerank, "
                             "or content-rerank-head with --cue-fold)."),
    cache: Path = typer.Option(None, "--cache", help="Directory for cached spaCy parses (shared with `train`)."),
    cue_fold: list[Path] = typer.Option(None, "--cue-fold", help="Once per part, in order: the cue model trained "
                                        "without it (`train-cues --fold K`); the re-ranker then also reads the cue "
                                        "model's content head."),
) -> None:
    """Train the content re-ranker (nlp/content_rerank.py) on the role tagger's cross-fitted contents (deterministic)."""
    from ..nlp.train_content_rerank import train as train_rerank

    _require_splits(train_dir)
    for path in cue_fold or []:
        if not (path / "model.onnx").is_file():
            typer.echo(f"Error: {path} holds no cue model (expected {path}/model.onnx from `sourcetrace train-cues --fold`).", err=True)
            raise typer.Exit(1)
    if out is None:
        out = Path("sourcetrace/nlp/models") / ("content-rerank-head" if cue_fold else "content-rerank")
    try:
        meta = train_rerank(train_dir, out, cache, cue_folds=cue_fold or None)
    except ValueError as err:
        typer.echo(f"Error: {err}", err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps(meta, indent=2))
