"""Running extractors over a PolNeAR split and scoring what they find.

Texts go to spaCy exactly as they are on disk (no ingest cleaning), so the
predicted offsets and the gold offsets point into the same string. Several
extractors can be scored from one parse: the first runs inside its
``load_pipeline`` pipeline, the others are called on the same parsed docs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from .metrics import ROLES, Scores, score_document, span_pairs
from .polnear import GoldAttribution, GoldDoc, read_split


@dataclass
class Evaluation:
    """One extractor's scores on a split, and what it predicted for each article (by file stem)."""

    extractor: str
    split: str
    scores: Scores
    predictions: dict[str, list[Any]] = field(default_factory=dict)


def resolve_extractor(name: str) -> str:
    """The registered name behind ``name`` ("default" → the default extractor)."""
    from ..nlp.extractor import DEFAULT_EXTRACTOR

    return DEFAULT_EXTRACTOR if name == "default" else name


def find_shared_split(name: str = "dev", start: str | Path | None = None) -> Path | None:
    """``shared/data/polnear/<name>`` in ``start`` (default: the working directory) or a folder above it.

    CI lays ``shared/`` beside the clone, so from the repository root this is
    ``../shared/data/polnear/dev``.
    """
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        candidate = folder / "shared" / "data" / "polnear" / name
        if (candidate / "text").is_dir():
            return candidate
    return None


def load_docs(split_dir: str | Path, limit: int | None = None) -> list[GoldDoc]:
    docs = read_split(split_dir)
    return docs[:limit] if limit is not None else docs


def evaluate(
    split_dir: str | Path,
    extractor: str = "default",
    *,
    limit: int | None = None,
    on_document: Callable[[str], None] | None = None,
) -> Evaluation:
    """Run ``load_pipeline(extractor)`` over the split's raw texts and score it against the gold."""
    return evaluate_many(split_dir, [extractor], limit=limit, on_document=on_document)[resolve_extractor(extractor)]


def evaluate_many(
    split_dir: str | Path,
    extractors: Sequence[str],
    *,
    limit: int | None = None,
    on_document: Callable[[str], None] | None = None,
    batch_size: int = 8,
) -> dict[str, Evaluation]:
    """Score several extractors on one parse of the split; keyed by registered extractor name."""
    from ..nlp.extractor import get_extractor
    from ..nlp.pipeline import load_pipeline

    names = list(dict.fromkeys(resolve_extractor(n) for n in extractors))
    if not names:
        raise ValueError("Give at least one extractor to evaluate.")
    docs = load_docs(split_dir, limit)
    nlp = load_pipeline(names[0])
    others = {name: get_extractor(name) for name in names[1:]}
    results = {name: Evaluation(extractor=name, split=str(split_dir), scores=Scores()) for name in names}
    parsed = nlp.pipe((gold.text for gold in docs), batch_size=batch_size)
    for gold, doc in zip(docs, parsed):
        found = {names[0]: list(doc._.attributions or [])}
        for name, run in others.items():
            found[name] = list(run(doc))
        for name, predicted in found.items():
            result = results[name]
            result.scores = result.scores + score_document(gold.text, gold.attributions, predicted)
            result.predictions[gold.name] = predicted
        if on_document is not None:
            on_document(gold.name)
    return results


def prediction_record(article: str, attributions: Iterable[Any]) -> dict:
    """The JSONL record of one article: role spans as ``[start, end]`` character offsets."""
    return {
        "article": article,
        "attributions": [
            {role: [list(pair) for pair in span_pairs(getattr(a, role))] for role in ROLES} for a in attributions
        ],
    }


def write_predictions(path: str | Path, predictions: dict[str, list[Any]]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for article, attributions in predictions.items():
            fh.write(json.dumps(prediction_record(article, attributions)) + "\n")


def write_failures(path: str | Path, docs: Sequence[GoldDoc], predictions: dict[str, list[Any]]) -> None:
    """One JSON line per missed and per false attribution of each article (see ``failures.py``)."""
    from .failures import document_failures

    with open(path, "w", encoding="utf-8") as fh:
        for gold in docs:
            for record in document_failures(gold.name, gold.text, gold.attributions, predictions.get(gold.name, [])):
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def read_predictions(path: str | Path) -> dict[str, list[GoldAttribution]]:
    """Predictions JSONL (see :func:`prediction_record`) back into span triples, by article."""
    predictions: dict[str, list[GoldAttribution]] = {}
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                predictions[record["article"]] = [
                    GoldAttribution(
                        id=f"p{i}",
                        **{role: [tuple(pair) for pair in span_pairs(item.get(role) or [])] for role in ROLES},
                    )
                    for i, item in enumerate(record.get("attributions") or [])
                ]
            except (ValueError, KeyError, TypeError, AttributeError) as err:
                raise InputError(
                    f"{path}, line {number}: not a predictions record ({err}). Expected "
                    '{"article": "<file stem>", "attributions": [{"source": [[start, end]], "cue": [...], "content": [...]}]}'
                ) from None
    return predictions


def score_predictions(split_dir: str | Path, predictions_path: str | Path, *, limit: int | None = None) -> Evaluation:
    """Score a predictions JSONL against a split without running any model.

    Articles of the split absent from the file count as predicting nothing;
    an article the split does not hold is an error (wrong split or file).
    """
    docs = load_docs(split_dir, limit)
    predictions = read_predictions(predictions_path)
    known = {d.name for d in read_split(split_dir)}
    unknown = sorted(set(predictions) - known)
    if unknown:
        raise InputError(
            f"{len(unknown)} article(s) in {predictions_path} are not in {split_dir} "
            f"(e.g. {unknown[0]!r}): score them against the split they were predicted on."
        )
    scores = Scores()
    for gold in docs:
        scores = scores + score_document(gold.text, gold.attributions, predictions.get(gold.name, []))
    return Evaluation(
        extractor=f"predictions:{Path(predictions_path).name}",
        split=str(split_dir),
        scores=scores,
        predictions={d.name: predictions.get(d.name, []) for d in docs},
    )
