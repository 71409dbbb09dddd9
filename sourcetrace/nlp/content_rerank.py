"""Re-ranking the role tagger's own content boundaries (issue #13, third round).

The start/end models of ``content_bounds.py`` learned where *gold* contents
start and stop; but the errors left are where the *tagger* stops: its end is
often one comma or one adjunct off, and the right fix depends on which way it
erred. So this model is trained on what the system really produces on PolNeAR
train (cross-fitted: each half tagged by a role tagger trained on the other
half, ``train_content_rerank.py``). For the content piece after a cue, every
place it could start (the tagger's start, or a phrase's first word between the
cue and its end) and every place it could stop (the tagger's end, or a
candidate end of ``content_bounds.end_candidates``) is an option; a
conditional logistic model scores each option from the parse there (the
features of ``content_bounds``) and from what moving there crosses (the words
and tags between it and the tagger's end, how far). ``boundaries.py`` moves an
end only where the best option beats the tagger's by ``margin`` (chosen on
dev). Start and end are scored separately (the end's features read the
tagger's first word), so each is one small softmax.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Token

from .content_bounds import (START_WINDOW, ContentBoundsModel, end_candidates, end_features, probability, read_weights,
                             start_candidates, start_features, trimmed_end)

MODEL_DIR = Path(__file__).parent / "models" / "content-rerank"
# The variant that also reads the cue model's content head (``CONTENT_HEAD``): for the transformer's documents.
HEAD_MODEL_DIR = Path(__file__).parent / "models" / "content-rerank-head"
# ``doc.user_data`` key: (token start offsets, per-token P(content starts / ends / is inside) from the cue model's
# content head), set by the transformer extractor where its model has that head (``neural.py``).
CONTENT_HEAD = "sourcetrace_content_head"


@dataclass(frozen=True)
class Option:
    """One place a content piece could start or stop: its character offset and the model's features there."""

    at: int
    features: list[str]
    keep: bool


def _bucket(n: int) -> str:
    for b in (1, 2, 3, 5, 8, 13):
        if n <= b:
            return str(b)
    return "more"


def _crossed(tokens: list[Token], side: str) -> list[str]:
    """What a move crosses: the words and tags of the candidate places between the old and the new boundary."""
    f = []
    for tok in tokens[:6]:
        f += [f"x{side}w={tok.lower_}", f"x{side}t={tok.tag_}|{tok.dep_}"]
    return f


def _below(x: float, bounds: tuple[float, ...], top: str) -> str:
    """A feature value for ``x``: the first of the ascending ``bounds`` it is under, else ``top``."""
    return next((str(b) for b in bounds if x < b), top)


def _p_bucket(p: float) -> str:
    return _below(p, (0.05, 0.2, 0.5, 0.8, 0.95), "1")


def _ll_bucket(d: float) -> str:
    return _below(d, (-4.0, -2.0, -1.0, -0.25, 0.25, 1.0, 2.0, 4.0), "more")


def _hazard(ps: list[float]) -> list[float]:
    """Log P(the boundary is at candidate k) for stop/start probabilities ``ps`` read in order."""
    out, alive = [], 0.0
    for p in ps:
        p = min(max(p, 1e-6), 1 - 1e-6)
        out.append(alive + math.log(p))
        alive += math.log(1 - p)
    return out


def _learned(prefix: str, ps: list[float], ll: list[float], keep_at: int | None, pick: int | None):
    """The features the gold-trained model gives candidate ``n`` (none without that model, ``ps`` empty):
    its probability there (``prefix`` names which model), its log-likelihood against the tagger's place
    (``keep_at``), and whether its own gated rule would choose it (``pick``)."""

    def learned(n: int | None) -> list[str]:
        if not ps or n is None:
            return []
        base = ll[keep_at] if keep_at is not None else ll[n]
        return [f"{prefix}=" + _p_bucket(ps[n]), "ll=" + _ll_bucket(ll[n] - base)] + (["gated"] if n == pick else [])

    return learned


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _q_bucket(p: float) -> str:
    return _below(p, (0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.95, 0.98), "1")


def _with_head(doc: Doc, options: list[Option]) -> list[Option]:
    """``options`` with what the cue model's content head says of each end: P(a content ends on the last token
    before it) and P(the next word is inside one), and both against the tagger's end (the first option)."""
    head = doc.user_data.get(CONTENT_HEAD)
    if head is None or not options:
        return options
    starts, probs = head
    n = len(starts)

    def read(at: int) -> tuple[float, float]:
        last = max(int(np.searchsorted(starts, at, side="left")) - 1, 0)  # the token holding character at - 1
        nxt = last + 1
        while nxt < n and (doc[nxt].is_punct or doc[nxt].is_space):
            nxt += 1
        ends = float(probs[last:nxt, 1].max())  # nxt > last: the token and any punctuation after it
        return ends, float(probs[nxt, 2]) if nxt < n else 0.0

    kept_end, kept_out = read(options[0].at)
    out = []
    for o in options:
        ends, goes_on = read(o.at)
        out.append(Option(o.at, o.features + [
            "qe=" + _q_bucket(ends), "qo=" + _q_bucket(goes_on),
            "qd=" + _head_delta_bucket(_logit(ends) - _logit(kept_end)), "qdo=" + _head_delta_bucket(_logit(kept_out) - _logit(goes_on)),
        ], o.keep))
    return out


def _head_delta_bucket(d: float) -> str:
    return _below(d, (-4, -2.5, -1.5, -0.75, -0.25, 0.25, 0.75, 1.5, 2.5, 4), "more")


def end_options(doc: Doc, text: str, s: int, e: int, cue: Token, bounds: ContentBoundsModel | None = None,
                head: bool = False) -> list[Option]:
    """The options for the end of the content piece ``s:e`` after cue root ``cue``; the first is the tagger's end.
    With ``bounds`` (the gold-trained end model), each option also carries that model's P(stop) there, its
    log-likelihood against the tagger's end, and whether its own gated rule would stop there; with ``head``,
    what the cue model's content head says there (where the document carries it, ``CONTENT_HEAD``)."""
    options = _end_options(doc, text, s, e, cue, bounds)
    return _with_head(doc, options) if head else options


def _end_options(doc: Doc, text: str, s: int, e: int, cue: Token, bounds: ContentBoundsModel | None) -> list[Option]:
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or not len(span):
        return []
    first = span[0]
    ends = end_candidates(doc, first, span[-1])
    feats = [end_features(doc, tok, first, cue) for tok in ends]
    k = next((n for n, tok in enumerate(ends) if tok.idx >= e), len(ends))  # first candidate at or past the end
    keep_at = k if k < len(ends) and not text[e : ends[k].idx].strip() else None
    ps = [probability(bounds.end_weights, f) for f in feats] if bounds is not None else []
    ll = _hazard(ps)
    pick = _gated_end(ps, k, keep_at, bounds) if bounds is not None else None
    learned = _learned("pe", ps, ll, keep_at, pick)

    keep_feats = feats[keep_at] + learned(keep_at) if keep_at is not None else ["eod"]
    options = [Option(e, ["keep"] + keep_feats, True)]
    seen = {e}
    for n, tok in enumerate(ends):
        at = trimmed_end(text, s, tok.idx)
        if at in seen or at <= s:
            continue
        seen.add(at)
        if tok.idx < e:
            moved = ["mv=cut|" + _bucket(k - n)] + _crossed(ends[n:k], "c")
        else:
            moved = ["mv=ext|" + _bucket(n - k + 1)] + _crossed(ends[k:n], "e")
        options.append(Option(at, moved + feats[n] + learned(n), False))
    return options


def _gated_end(ps: list[float], k: int, keep_at: int | None, bounds: ContentBoundsModel) -> int | None:
    """Where ``boundaries._end_by_model``'s thresholds would stop (None: at the tagger's end)."""
    for n in range(k):
        if ps[n] >= bounds.cut:
            return n
    if keep_at is not None and ps[keep_at] < bounds.extend:
        return next((n for n in range(keep_at + 1, len(ps)) if ps[n] >= 0.5), None)
    return None


def start_options(doc: Doc, text: str, s: int, e: int, cue_last: Token, cue: Token,
                  bounds: ContentBoundsModel | None = None) -> list[Option]:
    """The options for the start of the content piece ``s:e`` after the cue; the first is the tagger's start.
    With ``bounds``, each also carries the gold-trained start model's P(start) and log-likelihood there."""
    starts = [tok for tok in start_candidates(doc, cue_last) if tok.idx < e]
    here = doc.char_span(s, e, alignment_mode="expand")
    if here is None or not len(here) or here[0].i > cue_last.i + START_WINDOW:
        return []
    k = next((n for n, tok in enumerate(starts) if tok.idx >= s), len(starts))
    feats = [start_features(doc, tok, cue_last, cue) for tok in starts]
    ps = [probability(bounds.start_weights, f) for f in feats] if bounds is not None else []
    ll = _hazard(ps)
    keep_at = k if k < len(starts) and starts[k].idx == s else None
    pick = next((n for n in range(k) if ps[n] >= bounds.back), None) if bounds is not None else None
    learned = _learned("ps", ps, ll, keep_at, pick)

    keep_feats = feats[keep_at] if keep_at is not None else start_features(doc, here[0], cue_last, cue)
    keep_feats = keep_feats + learned(keep_at)
    options = [Option(s, ["keep"] + keep_feats, True)]
    for n, tok in enumerate(starts):
        if tok.idx == s:
            continue
        if tok.idx < s:
            moved = ["mv=back|" + _bucket(k - n)] + _crossed(starts[n:k], "b")
        else:
            moved = ["mv=fwd|" + _bucket(n - k)] + _crossed(starts[k:n], "f")
        options.append(Option(tok.idx, moved + feats[n] + learned(n), False))
    return options


class ContentRerankModel:
    """Two conditional logistic models (weights by feature name) and the margins ``boundaries.py`` acts on."""

    def __init__(self, end: dict[str, float], start: dict[str, float], meta: dict):
        self.end_weights = end
        self.start_weights = start
        self.meta = meta
        self.end_margin = float(meta.get("end_margin", math.inf))
        self.start_margin = float(meta.get("start_margin", math.inf))
        self.extend_margin = float(meta.get("extend_margin", self.end_margin))  # for an end past the tagger's
        self.uses_bounds = bool(meta.get("uses_bounds", False))  # trained with the content-bounds model's scores
        self.start_by_bounds = bool(meta.get("start_by_bounds", False))  # the content-bounds start model moves starts
        self.uses_head = bool(meta.get("uses_head", False))  # its end options read the cue model's content head

    @classmethod
    def load(cls, path: str | Path = MODEL_DIR) -> "ContentRerankModel":
        return cls(*read_weights(Path(path)))

    @staticmethod
    def _best(options: list[Option], weights: dict[str, float], margin: float, later_margin: float) -> int | None:
        """The offset of the best option where it beats the tagger's (the first) by ``margin`` (``later_margin``
        for an option after the tagger's), else None."""
        if len(options) < 2:
            return None
        scores = [sum(weights.get(name, 0.0) for name in o.features) for o in options]
        best = max(range(len(options)), key=lambda n: (scores[n], -n))
        need = later_margin if options[best].at > options[0].at else margin
        return options[best].at if best and scores[best] - scores[0] > need else None

    def end(self, options: list[Option]) -> int | None:
        """Where the content piece should stop instead of the tagger's end (the first option), or None."""
        return self._best(options, self.end_weights, self.end_margin, self.extend_margin)

    def start(self, options: list[Option]) -> int | None:
        """Where the content piece should start instead of the tagger's start (the first option), or None."""
        return self._best(options, self.start_weights, self.start_margin, self.start_margin)


@functools.lru_cache(maxsize=2)
def shipped_model(head: bool = False) -> ContentRerankModel | None:
    """The model in ``models/content-rerank`` (``head``: in ``models/content-rerank-head``), or None where it is
    not installed."""
    path = HEAD_MODEL_DIR if head else MODEL_DIR
    if not (path / "weights.json").exists():
        return None
    return ContentRerankModel.load(path)


def cue_outputs(cue_model, doc: Doc) -> np.ndarray:
    """``cue_model``'s per-token outputs for ``doc`` (``CueModel.token_outputs``), its content head, where it has
    one, handed to ``doc`` for the re-ranker (``CONTENT_HEAD``): by the transformer extractor at run time, and
    by training for the cross-fitted train articles."""
    from spacy.attrs import IDX, LENGTH

    bounds = doc.to_array([IDX, LENGTH]).reshape(-1, 2)
    starts = bounds[:, 0]
    outputs = cue_model.token_outputs(doc.text, starts, starts + bounds[:, 1])
    if outputs.shape[1] > 3:
        doc.user_data[CONTENT_HEAD] = (starts, outputs[:, 3:])
    return outputs


def model_for(doc: Doc) -> ContentRerankModel | None:
    """The re-ranker for ``doc``: the one that reads the content head where the document carries it and that
    model is installed, else the plain one (the CRF's documents, a cue model without the head)."""
    if CONTENT_HEAD in doc.user_data:
        model = shipped_model(head=True)
        if model is not None:
            return model
    return shipped_model()
