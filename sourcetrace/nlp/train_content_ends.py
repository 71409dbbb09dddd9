"""Training the content-end model (``content_ends.py``) on PolNeAR's gold contents.

    sourcetrace train-content-ends --train DIR --out sourcetrace/nlp/models/content-ends

For every gold attribution whose (last) content piece follows its cue, each
candidate end (``content_ends.candidates``) from the piece's first word up to
the gold end is an example: 1 at the gold end, 0 before it (the content ran
on past it). A logistic regression over features seen at least ``min_freq``
times is fitted by full-batch Adam with L2 (numpy only, no randomness: the
same data give the same weights). Weights near zero are dropped so the file
stays small.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from ..eval.metrics import normalize_spans
from ..eval.polnear import GoldDoc
from .content_ends import candidates, features

DEFAULTS = {"min_freq": 3, "l2": 1e-4, "iterations": 400, "lr": 0.05, "cut": 0.8, "extend": 0.05}


def examples(gold: list[GoldDoc], docs: list[Doc]):
    """``(feature names, label)`` for every candidate end of every gold content after its cue."""
    for g, doc in zip(gold, docs):
        for a in g.attributions:
            cue = normalize_spans(a.cue, g.text)
            content = normalize_spans(a.content, g.text)
            if not cue or not content or content[-1][0] < cue[-1][1]:
                continue
            cue_span = doc.char_span(cue[0][0], cue[-1][1], alignment_mode="expand")
            piece = doc.char_span(content[-1][0], content[-1][1], alignment_mode="expand")
            if cue_span is None or piece is None or len(piece) < 1:
                continue
            end = content[-1][1]
            for tok in candidates(doc, piece[0], piece[-1]):
                if tok.idx >= end:
                    if tok.idx < end + 2 or not g.text[end : tok.idx].strip():
                        yield features(doc, tok, piece[0], cue_span.root), 1
                    break
                yield features(doc, tok, piece[0], cue_span.root), 0


def fit(rows: list[tuple[list[str], int]], min_freq: int, l2: float, iterations: int, lr: float) -> dict[str, float]:
    """Logistic regression weights by feature name (full-batch Adam, deterministic)."""
    counts: dict[str, int] = {}
    for names, _ in rows:
        for n in names:
            counts[n] = counts.get(n, 0) + 1
    vocab = {n: i for i, n in enumerate(sorted(n for n, c in counts.items() if c >= min_freq))}
    row_ids, feat_ids = [], []
    for r, (names, _) in enumerate(rows):
        for n in names:
            if n in vocab:
                row_ids.append(r)
                feat_ids.append(vocab[n])
    rid, fid = np.array(row_ids), np.array(feat_ids)
    y = np.array([label for _, label in rows], dtype=float)
    w = np.zeros(len(vocab))
    m, v = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, iterations + 1):
        z = np.bincount(rid, weights=w[fid], minlength=len(rows))
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        grad = np.bincount(fid, weights=(p - y)[rid], minlength=len(w)) / len(rows) + l2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= lr * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return {n: round(float(w[i]), 4) for n, i in vocab.items() if abs(w[i]) >= 1e-3}


def train(train_dir: Path, out: Path, cache: Path | None = None, **params) -> dict:
    from .train import parsed

    p = {**DEFAULTS, **params}
    started = time.time()
    gold, docs = parsed(Path(train_dir), cache)
    rows = list(examples(gold, docs))
    weights = fit(rows, p["min_freq"], p["l2"], p["iterations"], p["lr"])
    out.mkdir(parents=True, exist_ok=True)
    (out / "weights.json").write_text(json.dumps(weights, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    meta = {
        "trained_on": str(train_dir),
        "examples": len(rows),
        "positives": sum(label for _, label in rows),
        "features": len(weights),
        "seconds": round(time.time() - started, 1),
        **p,
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta
