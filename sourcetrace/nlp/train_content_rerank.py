"""Training the content re-ranker (``content_rerank.py``) on the role tagger's own cross-fitted contents.

    sourcetrace train-content-rerank --train DIR --out sourcetrace/nlp/models/content-rerank

1. PolNeAR train is split into ``folds`` parts by document (document ``n`` in
   part ``n % folds``); for each part, a role tagger (``train.role_sequences``,
   the shipped CRF's settings) is trained on the others and run on it with the
   gold cues, then the hybrid's steps as at run time (the rules, ``combine``,
   ``boundaries.before_models``). So each content is one the system really
   produces for a right cue, with the gold content beside it.
2. For every such content whose gold content and predicted piece both follow
   the cue, the start options and the end options (``content_rerank``) form one
   group each, labelled with the option at the gold boundary (groups where no
   option reaches it are left out).
3. Each model is a conditional logistic regression (softmax over a group's
   options) over features seen at least ``min_freq`` times, fitted by
   full-batch Adam with L2: numpy only, no randomness, so the same data give
   the same weights.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from ..eval.metrics import normalize_spans
from ..eval.polnear import GoldDoc
from ..model import Attribution
from . import content_rerank
from .content_bounds import ContentBoundsModel
from .learned import CRFExtractor
from .train_content_bounds import adam, fit_models, sparse_rows, vocabulary, write_model

# Fitting settings; the margins boundaries.py acts on were chosen on dev (MODEL_CARD.md).
DEFAULTS = {"folds": 2, "min_freq": 3, "l2": 3e-4, "iterations": 300, "lr": 0.05, "prune": 0.01,
            "uses_bounds": True, "start_by_bounds": True, "end_margin": 0.75, "extend_margin": 0.25, "start_margin": 99.0}
# The variant that reads the cue model's content head moves an end at a smaller margin (chosen on dev, MODEL_CARD.md).
HEAD_MARGINS = {"end_margin": 0.25, "extend_margin": 0.25}


def crossfit(gold: list[GoldDoc], docs: list[Doc], folds: int, workdir: Path
             ) -> tuple[dict[int, list[Attribution]], list[ContentBoundsModel]]:
    """Document index -> the hybrid's attributions (before the boundary models) for the gold cues, each part of
    the split tagged by a role tagger trained on the other parts; and per part, the content-bounds models
    (``train_content_bounds``) trained on the other parts, whose scores the re-ranker reads."""
    from . import hybrid
    from . import train as crf_train
    from . import train_content_bounds as bounds_train
    from .extractor import get_extractor
    from .learned import MODEL_DIR
    from .span_index import SpanIndex

    p, b = crf_train.DEFAULTS, bounds_train.DEFAULTS
    rules, lexicon = get_extractor("rules"), hybrid.load_lexicon()
    found: dict[int, list[Attribution]] = {}
    bounds = []
    for fold in range(folds):
        rest_gold = [g for n, g in enumerate(gold) if n % folds != fold]
        rest_docs = [d for n, d in enumerate(docs) if n % folds != fold]
        fold_dir = workdir / f"fold{fold}"
        fold_dir.mkdir(parents=True, exist_ok=True)
        crf_train.train_crf(crf_train.role_sequences(rest_gold, rest_docs, p["window_before"], p["window_after"]),
                            fold_dir / "role.crfsuite", p["role_c1"], p["role_c2"], p["role_iterations"], p["min_freq"])
        shutil.copy(MODEL_DIR / "cue.crfsuite", fold_dir / "cue.crfsuite")  # unused: the cues are gold
        shutil.copy(MODEL_DIR / "meta.json", fold_dir / "meta.json")
        weights = bounds_train.fit_models(bounds_train.example_rows(rest_gold, rest_docs), b)
        bounds.append(ContentBoundsModel(weights["end"], weights["start"], b))
        tagger = _GoldCues(fold_dir)
        for n in range(fold, len(gold), folds):
            doc = docs[n]
            tagger.gold = sorted({r for a in gold[n].attributions if a.cue
                                  for r in [crf_train.token_range(doc, *a.cue[0])] if r})
            said = rules(doc)
            rule_cues = SpanIndex.of(said, lambda a: a.cue)
            learned = [a for a in tagger(doc) if rule_cues.overlapping(a.cue) or not hybrid.is_action(doc, a, lexicon)]
            found[n] = hybrid.combine(learned, said, rule_cues=rule_cues)
    return found, bounds


class _GoldCues(CRFExtractor):
    """The CRF extractor with the gold cues (token ranges in ``gold``) in place of its cue tagger's."""

    gold: list[tuple[int, int]] = []

    def cues(self, view):
        return [(s, e, 1.0) for s, e in self.gold]


def _check_cue_folds(cue_folds: list[Path], folds: int) -> None:
    """Before minutes of cross-fitting: one cue model per part, in part order, each with the content head."""
    import json

    if len(cue_folds) != folds:
        raise ValueError(f"give one cue model per part: {folds} (train-cues --fold 0 .. {folds - 1}), not {len(cue_folds)}")
    for fold, path in enumerate(cue_folds):
        meta = json.loads((path / "meta.json").read_text())
        if len(meta.get("labels", [])) <= 3:
            raise ValueError(f"{path} has no content head: train it with `sourcetrace train-cues --fold {fold}` "
                             "(the default --content-weight).")
        trained = meta.get("params", {}).get("fold")
        if trained is not None and trained != f"{fold}/{folds}":
            raise ValueError(f"{path} was trained without part {trained}, but is given as the model for part "
                             f"{fold}/{folds}: give the --cue-fold models in the order of their --fold.")


def attach_content_head(docs: list[Doc], cue_folds: list[Path]) -> None:
    """Give each document the content head of the cue model that did not train on it: document ``n`` reads
    ``cue_folds[n % len(cue_folds)]``, trained by ``train-cues --fold`` on the other parts (cross-fitting, as
    the role tagger's contents are)."""
    from .cue_model import CueModel

    for fold, path in enumerate(cue_folds):
        model = CueModel(path, threads=2)
        for doc in docs[fold :: len(cue_folds)]:
            content_rerank.cue_outputs(model, doc)


def groups(gold: list[GoldDoc], docs: list[Doc], predicted: dict[int, list[Attribution]],
           bounds_of=lambda n: None, start_by_bounds: bool = False, head: bool = False):
    """``{"end": [(option features, gold option index)], "start": [...]}`` over every predicted content
    whose cue is a gold cue and whose gold content follows it. ``bounds_of(n)``: the content-bounds model
    for document ``n`` (its scores are features; with ``start_by_bounds`` its start model moves the start
    before the end options are read, as at run time); ``head``: the end options read the content head
    (``attach_content_head``)."""
    from .boundaries import _cue_span, _start_by_model, before_models
    from .spacy_model import doc_text

    out: dict[str, list] = {"end": [], "start": []}
    for n, atts in sorted(predicted.items()):
        g, doc = gold[n], docs[n]
        text = doc_text(doc)
        by_cue = {}
        for a in g.attributions:
            if a.cue:
                by_cue.setdefault(tuple(a.cue[0]), a)
        for att in atts:
            if not att.cue or not att.content:
                continue
            ga = by_cue.get((att.cue[0].start, att.cue[0].end))
            if ga is None:
                continue
            want = normalize_spans(ga.content, text)
            cue_end = max(c.end for c in att.cue)
            if not want or want[-1][0] < cue_end:
                continue
            cue = _cue_span(doc, att)
            pieces = before_models(doc, text, att)
            if cue is None or not pieces:
                continue
            at = next((k for k, (s, _) in enumerate(pieces) if s >= cue_end), None)
            if at is not None and not start_by_bounds:  # else the content-bounds start model moves starts
                gold_start, e = next(s for s, _ in want if s >= cue_end), pieces[at][1]
                _add(out["start"], content_rerank.start_options(doc, text, *pieces[at], cue[-1], cue.root, bounds_of(n)),
                     lambda o: _normalized(text, o.at, e)[0] == gold_start)
            if start_by_bounds and bounds_of(n) is not None:
                pieces = _start_by_model(doc, pieces, att, cue, bounds_of(n))
            if pieces[-1][0] >= cue_end:
                s, gold_end = pieces[-1][0], want[-1][1]
                _add(out["end"], content_rerank.end_options(doc, text, *pieces[-1], cue.root, bounds_of(n), head),
                     lambda o: _normalized(text, s, o.at)[1] == gold_end)
    return out


def _normalized(text: str, s: int, e: int) -> tuple[int | None, int | None]:
    """The span ``s:e`` as the scorer reads it (first start, last end), or (None, None) where nothing is left."""
    spans = normalize_spans([(s, e)], text)
    return (spans[0][0], spans[-1][1]) if spans else (None, None)


def _add(rows: list, options: list, right) -> None:
    hits = [k for k, o in enumerate(options) if right(o)]
    if len(options) > 1 and hits:
        rows.append(([o.features for o in options], hits[0]))


def fit(rows: list[tuple[list[list[str]], int]], min_freq: int, l2: float, iterations: int, lr: float,
        prune: float = 1e-3) -> dict[str, float]:
    """Conditional logistic regression weights by feature name (softmax per group, full-batch Adam, deterministic)."""
    options = [names for group, _ in rows for names in group]  # every option of every group, one row each
    vocab = vocabulary(options, min_freq)
    oid, fid = sparse_rows(options, vocab)
    gid = np.array([g for g, (group, _) in enumerate(rows) for _ in group])
    y = np.array([1.0 if k == right else 0.0 for group, right in rows for k in range(len(group))])
    starts = np.flatnonzero(np.r_[True, gid[1:] != gid[:-1]])

    def softmax_per_group(z):
        ez = np.exp(z - np.maximum.reduceat(z, starts)[gid])
        return ez / np.add.reduceat(ez, starts)[gid]

    return adam(vocab, oid, fid, y, softmax_per_group, len(rows), l2, iterations, lr, prune)


def train(train_dir: Path, out: Path, cache: Path | None = None, cue_folds: list[Path] | None = None, **params) -> dict:
    """Cross-fit the role tagger on ``train_dir``, fit the re-ranker(s), write them under ``out``; the metadata.

    With ``cue_folds`` (one cue model per part, ``train-cues --fold``), the end options also read the cue
    model's content head: the variant in ``models/content-rerank-head`` (``HEAD_MARGINS``)."""
    from .train import parsed

    p = {**DEFAULTS, **(HEAD_MARGINS if cue_folds else {}), **params}
    folds = int(p["folds"])
    cue_folds = [Path(c) for c in cue_folds or []]
    if cue_folds:
        _check_cue_folds(cue_folds, folds)
    started = time.time()
    gold, docs = parsed(Path(train_dir), cache)
    with tempfile.TemporaryDirectory(prefix="sourcetrace-rerank-") as work:
        predicted, bounds = crossfit(gold, docs, folds, Path(work))
    if cue_folds:
        attach_content_head(docs, cue_folds)
    rows = groups(gold, docs, predicted, (lambda n: bounds[n % folds]) if p["uses_bounds"] else (lambda n: None),
                  bool(p["start_by_bounds"]), head=bool(cue_folds))
    weights = fit_models(rows, p, fit)
    meta = {
        "trained_on": str(train_dir),
        **({"uses_head": True, "cue_folds": [c.name for c in cue_folds]} if cue_folds else {}),
        **{f"{name}_groups": len(r) for name, r in rows.items()},
        **{f"{name}_kept_by_gold": sum(1 for _, right in r if right == 0) for name, r in rows.items()},
        **{f"{name}_features": len(w) for name, w in weights.items()},
        "seconds": round(time.time() - started, 1),
        **p,
    }
    write_model(out, weights, meta)
    return meta
