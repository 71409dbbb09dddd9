"""Training the learned (CRF) attribution extractor on PolNeAR.

    python -m sourcetrace.nlp.train --train DIR --dev DIR --out sourcetrace/nlp/models/crf

writes ``PATH/cue.crfsuite``, ``PATH/role.crfsuite`` and ``PATH/meta.json``.
Training is deterministic (L-BFGS, fixed iteration counts, documents in
sorted order), so the same data and settings give the same weights. Parses
are cached as spaCy DocBins (``--cache DIR``) because every run reuses them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

import pycrfsuite
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from ..eval.polnear import GoldDoc, read_split
from . import paragraphs as _paragraphs  # noqa: F401  (registers sourcetrace_paragraphs)
from .crf_features import DocView, cue_features, role_features, role_window
from .spacy_model import installed_model_name

# Chosen on PolNeAR dev (see MODEL_CARD.md). L1 keeps the model files small.
DEFAULTS = {
    "window_before": 2,
    "window_after": 4,
    "cue_c1": 2.0,
    "cue_c2": 0.05,
    "cue_iterations": 100,
    "role_c1": 2.0,
    "role_c2": 0.05,
    "role_iterations": 100,
    "min_freq": 2,
    "cue_threshold": 0.4,
    "role_threshold": 0.3,
    "source_threshold": 0.3,
    "require_content": True,
    "negative_cues": False,
}


def _parser() -> Language:
    """The run-time pipeline (see ``load_pipeline``) without the attribution component."""
    nlp = spacy.load(installed_model_name())
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("sourcetrace_paragraphs", before="parser")
    return nlp


def parsed(split_dir: Path, cache: Path | None) -> tuple[list[GoldDoc], list[Doc]]:
    """Gold documents and their spaCy parses, cached by content hash when ``cache`` is set.

    Parsed as at run time (``load_pipeline``: line breaks start sentences
    before the parser), so the features the CRFs learn from are the ones they see.
    """
    gold = read_split(split_dir)
    nlp = _parser()
    key = hashlib.sha1("\0".join(g.text for g in gold).encode()).hexdigest()[:12]
    path = cache / f"{split_dir.name}-{installed_model_name()}-para-{key}.spacy" if cache else None
    if path is not None and path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((g.text for g in gold), batch_size=16))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = DocBin(store_user_data=False)
            for d in docs:
                db.add(d)
            db.to_disk(path)
    return gold, docs


def token_range(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.start, span.end


def cue_sequences(gold: list[GoldDoc], docs: list[Doc]):
    """(features, labels) per sentence for the cue tagger."""
    for g, doc in zip(gold, docs):
        view = DocView(doc)
        labels = ["O"] * len(doc)
        for a in g.attributions:
            for s, e in a.cue[:1]:
                r = token_range(doc, s, e)
                if r is None:
                    continue
                labels[r[0]] = "B"
                for i in range(r[0] + 1, r[1]):
                    labels[i] = "I"
        for s, e in view.sents:
            yield cue_features(view, s, e), labels[s:e]


def role_labels(doc: Doc, a, lo: int, hi: int, cue: tuple[int, int]) -> list[str]:
    labels = ["O"] * (hi - lo)

    def mark(spans, tag):
        for s, e in spans:
            r = token_range(doc, s, e)
            if r is None:
                continue
            first = True
            for i in range(max(r[0], lo), min(r[1], hi)):
                if doc[i].is_space and first:
                    continue
                if labels[i - lo] == "O":
                    labels[i - lo] = ("B-" if first else "I-") + tag
                first = False

    for i in range(cue[0], cue[1]):
        labels[i - lo] = "CUE"
    mark(a.source, "S")
    mark(a.content, "C")
    return labels


def role_sequences(gold: list[GoldDoc], docs: list[Doc], before: int, after: int,
                   false_cues: dict[int, list[tuple[int, int]]] | None = None):
    """(features, labels) per gold attribution for the cue-conditioned role tagger.

    ``false_cues`` (document index -> token ranges) adds one sequence per cue
    the cue tagger wrongly predicts, labelled with no source and no content,
    so that the role tagger learns to leave false alarms empty (and the
    extractor then drops them).
    """
    for n, (g, doc) in enumerate(zip(gold, docs)):
        view = DocView(doc)
        for cs, ce in (false_cues or {}).get(n, ()):
            lo, hi = role_window(view, cs, ce, before, after)
            labels = ["CUE" if cs <= i < ce else "O" for i in range(lo, hi)]
            yield role_features(view, cs, ce, lo, hi), labels
        for a in g.attributions:
            if not a.cue:
                continue
            cue = token_range(doc, *a.cue[0])
            if cue is None:
                continue
            lo, hi = role_window(view, cue[0], cue[1], before, after)
            yield role_features(view, cue[0], cue[1], lo, hi), role_labels(doc, a, lo, hi, cue)


def false_cues(gold: list[GoldDoc], docs: list[Doc], p: dict, workdir: Path, folds: int = 2) -> dict[int, list[tuple[int, int]]]:
    """Cues the cue tagger predicts but the gold lacks, found by cross-validation on the training set."""
    from .learned import cue_marginals, cues_from_probs

    found: dict[int, list[tuple[int, int]]] = {}
    for fold in range(folds):
        held = [n for n in range(len(gold)) if n % folds == fold]
        rest = [n for n in range(len(gold)) if n % folds != fold]
        fold_dir = workdir / f"fold{fold}"
        fold_dir.mkdir(parents=True, exist_ok=True)
        train_crf(cue_sequences([gold[n] for n in rest], [docs[n] for n in rest]), fold_dir / "cue.crfsuite",
                  p["cue_c1"], p["cue_c2"], p["cue_iterations"], p["min_freq"])
        tagger = pycrfsuite.Tagger()
        tagger.open(str(fold_dir / "cue.crfsuite"))
        for n in held:
            doc = docs[n]
            gold_cues = [r for a in gold[n].attributions for r in (token_range(doc, *a.cue[0]) if a.cue else None,) if r]
            view = DocView(doc)
            for cs, ce, _ in cues_from_probs(view, cue_marginals(tagger, view), p["cue_threshold"]):
                if not any(s < ce and cs < e for s, e in gold_cues):
                    found.setdefault(n, []).append((cs, ce))
    return found


def train_crf(sequences, path: Path, c1: float, c2: float, iterations: int, min_freq: int) -> float:
    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in sequences:
        trainer.append(xseq, yseq)
    trainer.set_params({
        "c1": c1,
        "c2": c2,
        "max_iterations": iterations,
        "feature.minfreq": min_freq,
        "feature.possible_transitions": True,
    })
    t = time.time()
    trainer.train(str(path))
    return time.time() - t


def train(train_dir: Path, dev_dir: Path | None, out: Path, cache: Path | None = None, **params) -> dict:
    """Train both taggers, write them under ``out`` and return the metadata (with dev scores)."""
    p = {**DEFAULTS, **{k: v for k, v in params.items() if v is not None}}
    out.mkdir(parents=True, exist_ok=True)
    gold, docs = parsed(train_dir, cache)
    t_cue = train_crf(cue_sequences(gold, docs), out / "cue.crfsuite",
                      p["cue_c1"], p["cue_c2"], p["cue_iterations"], p["min_freq"])
    negatives = false_cues(gold, docs, p, out / "_folds") if p["negative_cues"] else None
    if negatives is not None:
        import shutil

        shutil.rmtree(out / "_folds", ignore_errors=True)
    t_role = train_crf(role_sequences(gold, docs, p["window_before"], p["window_after"], negatives),
                       out / "role.crfsuite", p["role_c1"], p["role_c2"], p["role_iterations"], p["min_freq"])
    meta = {
        "format": 1,
        "params": p,
        "trained_on": str(train_dir.name),
        "train_docs": len(gold),
        "train_seconds": {"cue": round(t_cue, 1), "role": round(t_role, 1)},
        "spacy_model": installed_model_name(),
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    if dev_dir is not None:
        meta["dev"] = evaluate(dev_dir, out, cache)
        (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def evaluate(dev_dir: Path, model_dir: Path, cache: Path | None = None) -> dict:
    """Dev scores of the model in ``model_dir`` (PolNeAR metrics)."""
    from .learned import CRFExtractor

    return dev_f1(dev_dir, CRFExtractor(model_dir), cache)


def dev_f1(dev_dir: Path, extractor, cache: Path | None = None) -> dict[str, float]:
    """Every F1 of ``extractor`` on a split, parsed as at run time: what a trained model's meta.json records."""
    from ..eval.metrics import score_documents

    gold, docs = parsed(Path(dev_dir), cache)
    scores = score_documents((g.text, g.attributions, extractor(doc)) for g, doc in zip(gold, docs))
    return {name: round(value, 4) for name, value in scores.flat().items() if name.endswith("f1")}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, required=True, help="PolNeAR training split directory")
    ap.add_argument("--dev", type=Path, help="PolNeAR dev split directory (scores go into meta.json)")
    ap.add_argument("--out", type=Path, required=True, help="model directory to write")
    ap.add_argument("--cache", type=Path, help="directory for cached spaCy parses")
    for k, v in DEFAULTS.items():
        if isinstance(v, bool):
            ap.add_argument("--" + k.replace("_", "-"), action=argparse.BooleanOptionalAction, default=None)
        else:
            ap.add_argument("--" + k.replace("_", "-"), type=type(v), default=None, help=f"default {v}")
    a = ap.parse_args(argv)
    params = {k: getattr(a, k) for k in DEFAULTS}
    meta = train(a.train, a.dev, a.out, a.cache, **params)
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
