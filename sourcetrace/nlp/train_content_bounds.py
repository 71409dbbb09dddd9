"""Training the content-bounds models (``content_bounds.py``) on PolNeAR's gold contents.

    sourcetrace train-content-bounds --train DIR --out sourcetrace/nlp/models/content-bounds

For every gold attribution whose (last) content piece follows its cue, each
candidate end (``content_bounds.end_candidates``) from the piece's first word
up to the gold end is an example: 1 at the gold end, 0 before it (the content
ran on past it). Likewise for starts: each candidate start from the cue to the
gold start of the first content piece after the cue. Each model is a logistic
regression over features seen at least ``min_freq`` times, fitted by
full-batch Adam with L2 (numpy only, no randomness: the same data give the
same weights). Weights below ``prune`` are dropped so the file stays small.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from ..eval.metrics import normalize_spans
from ..eval.polnear import GoldDoc
from .content_bounds import end_candidates, end_features, start_candidates, start_features

# Fitting settings; the thresholds boundaries.py acts on were chosen on dev (MODEL_CARD.md).
DEFAULTS = {"min_freq": 3, "l2": 1e-4, "iterations": 400, "lr": 0.05, "prune": 0.01, "cut": 0.8, "extend": 0.05, "back": 0.9, "skip": -1.0}


def examples(gold: list[GoldDoc], docs: list[Doc]):
    """``(feature names, label)`` for every candidate end of every gold content after its cue."""
    return _examples(gold, docs, "end")


def start_examples(gold: list[GoldDoc], docs: list[Doc]):
    """``(feature names, label)`` for every candidate start of every gold content after its cue."""
    return _examples(gold, docs, "start")


def _examples(gold: list[GoldDoc], docs: list[Doc], which: str):
    for g, doc in zip(gold, docs):
        for a in g.attributions:
            cue = normalize_spans(a.cue, g.text)
            content = normalize_spans(a.content, g.text)
            if not cue or not content or content[-1][0] < cue[-1][1]:
                continue
            cue_span = doc.char_span(cue[0][0], cue[-1][1], alignment_mode="expand")
            if cue_span is None or not len(cue_span):
                continue
            if which == "start":
                start = next(s for s, _ in content if s >= cue[-1][1])
                for tok in start_candidates(doc, cue_span[-1]):
                    if tok.idx >= start:
                        if tok.idx == start:
                            yield start_features(doc, tok, cue_span[-1], cue_span.root), 1
                        break
                    yield start_features(doc, tok, cue_span[-1], cue_span.root), 0
                continue
            piece = doc.char_span(content[-1][0], content[-1][1], alignment_mode="expand")
            if piece is None or len(piece) < 1:
                continue
            end = content[-1][1]
            for tok in end_candidates(doc, piece[0], piece[-1]):
                if tok.idx >= end:
                    if tok.idx < end + 2 or not g.text[end : tok.idx].strip():
                        yield end_features(doc, tok, piece[0], cue_span.root), 1
                    break
                yield end_features(doc, tok, piece[0], cue_span.root), 0


def vocabulary(feature_lists: Iterable[list[str]], min_freq: int) -> dict[str, int]:
    """Column index by feature name, for the features seen at least ``min_freq`` times (sorted: deterministic)."""
    counts: dict[str, int] = {}
    for names in feature_lists:
        for n in names:
            counts[n] = counts.get(n, 0) + 1
    return {n: i for i, n in enumerate(sorted(n for n, c in counts.items() if c >= min_freq))}


def sparse_rows(feature_lists: Iterable[list[str]], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(row index, column index) of every known feature of every row: a binary design matrix, sparse."""
    row_ids, feat_ids = [], []
    for r, names in enumerate(feature_lists):
        for n in names:
            if n in vocab:
                row_ids.append(r)
                feat_ids.append(vocab[n])
    return np.array(row_ids), np.array(feat_ids)


def adam(vocab: dict[str, int], rid: np.ndarray, fid: np.ndarray, y: np.ndarray, probabilities, n_examples: int,
         l2: float, iterations: int, lr: float, prune: float) -> dict[str, float]:
    """Weights by feature name of a linear model over binary features whose log-loss gradient per row is p − y:
    full-batch Adam with L2, ``probabilities(z)`` turning the rows' scores into p (the logistic function, or a
    softmax per group); the gradient is averaged over ``n_examples``. Deterministic."""
    w = np.zeros(len(vocab))
    m, v = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, iterations + 1):
        z = np.bincount(rid, weights=w[fid], minlength=len(y))
        p = probabilities(z)
        grad = np.bincount(fid, weights=(p - y)[rid], minlength=len(w)) / n_examples + l2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= lr * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return {n: round(float(w[i]), 4) for n, i in vocab.items() if abs(w[i]) >= prune}


def fit(rows: list[tuple[list[str], int]], min_freq: int, l2: float, iterations: int, lr: float, prune: float = 1e-3) -> dict[str, float]:
    """Logistic regression weights by feature name (full-batch Adam, deterministic)."""
    vocab = vocabulary((names for names, _ in rows), min_freq)
    rid, fid = sparse_rows((names for names, _ in rows), vocab)
    y = np.array([label for _, label in rows], dtype=float)
    return adam(vocab, rid, fid, y, lambda z: 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))), len(rows), l2, iterations, lr, prune)


def example_rows(gold: list[GoldDoc], docs: list[Doc]) -> dict[str, list[tuple[list[str], int]]]:
    """The end and the start model's training examples from ``gold``'s contents."""
    return {"end": list(examples(gold, docs)), "start": list(start_examples(gold, docs))}


def fit_models(rows: dict[str, list], p: dict, fit_one=None) -> dict[str, dict[str, float]]:
    """Each model's weights by feature name, fitted on its ``rows`` with settings ``p`` (see DEFAULTS).

    ``fit_one`` is the fitting function (default: this module's ``fit``); a model without rows gets no weights.
    """
    fit_one = fit_one or fit
    fitting = (p["min_freq"], p["l2"], p["iterations"], p["lr"], p["prune"])
    return {name: fit_one(r, *fitting) if r else {} for name, r in rows.items()}


def write_model(out: Path, weights: dict, meta: dict) -> None:
    """``out/weights.json`` and ``out/meta.json``, as the run-time models read them."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "weights.json").write_text(json.dumps(weights, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def train(train_dir: Path, out: Path, cache: Path | None = None, **params) -> dict:
    from .train import parsed

    p = {**DEFAULTS, **params}
    started = time.time()
    gold, docs = parsed(Path(train_dir), cache)
    rows = example_rows(gold, docs)
    weights = fit_models(rows, p)
    meta = {
        "trained_on": str(train_dir),
        **{f"{name}_examples": len(r) for name, r in rows.items()},
        **{f"{name}_positives": sum(label for _, label in r) for name, r in rows.items()},
        **{f"{name}_features": len(w) for name, w in weights.items()},
        "seconds": round(time.time() - started, 1),
        **p,
    }
    write_model(out, weights, meta)
    return meta
