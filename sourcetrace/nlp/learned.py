"""Learned attribution extractor: two small CRFs over the spaCy parse (see MODEL_CARD.md).

1. A cue tagger labels cue words (``said``, ``according to``, ``told reporters``)
   sentence by sentence.
2. For every cue, a cue-conditioned tagger labels the SOURCE and the CONTENT of
   that cue over the cue's sentence and its neighbours. Because each run is
   about one cue, grouping is built in: content before the cue, content split
   by the cue, several attributions in one sentence and quotes spanning
   sentences all come out as one attribution per cue.

The weights ship in ``sourcetrace/nlp/models/crf/`` and load offline; retrain
with ``sourcetrace train`` (``python -m sourcetrace.nlp.train``).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pycrfsuite
from spacy.tokens import Doc

from .. import deadline
from ..errors import ModelNotFound
from ..model import Attribution, ContentKind, Span
from .content_rerank import CONTENT_HEAD
from .crf_features import DocView, cue_features, role_features, role_window
from .extractor import register
from .quotes import quoted_kind

MODEL_DIR = Path(__file__).parent / "models" / "crf"


def _open_tagger(path: Path) -> pycrfsuite.Tagger:
    if not path.is_file():
        raise ModelNotFound(
            f"CRF model file {path} is missing. Reinstall sourcetrace, or retrain with "
            "`sourcetrace train --train DIR --dev DIR --out DIR`."
        )
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(str(path))
    except (ValueError, OSError) as exc:
        raise ModelNotFound(
            f"CRF model file {path} is corrupt or not a crfsuite model ({exc}). Reinstall sourcetrace, "
            "or retrain with `sourcetrace train --train DIR --dev DIR --out DIR`."
        ) from None
    return tagger


class ThreadTaggers:
    """One ``pycrfsuite.Tagger`` per thread for one model file.

    A Tagger is stateful: ``set``/``tag`` keep the sequence that ``marginal``
    then reads, so threads sharing one read each other's sequences (wrong
    answers, or "position out of range" errors; issue #11). Each thread opens
    its own (the model file is memory-mapped, so this costs little): measured
    against one lock around the taggers in BENCHMARKS.md, it is the faster.
    """

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()
        self._local.tagger = _open_tagger(path)  # fail early, in the loading thread, on a bad file

    def get(self) -> pycrfsuite.Tagger:
        tagger = getattr(self._local, "tagger", None)
        if tagger is None:
            tagger = self._local.tagger = _open_tagger(self.path)
        return tagger


def _runs(tags: list[str], prefix: str, lo: int) -> list[tuple[int, int]]:
    """Token ranges of consecutive tags ``B-prefix``/``I-prefix``."""
    runs: list[tuple[int, int]] = []
    start = None
    for k, tag in enumerate(tags):
        inside = tag.endswith(prefix) and tag != "O"
        if inside and (start is None or tag.startswith("B")):
            if start is not None:
                runs.append((lo + start, lo + k))
            start = k
        elif not inside and start is not None:
            runs.append((lo + start, lo + k))
            start = None
    if start is not None:
        runs.append((lo + start, lo + len(tags)))
    return runs


def _char_span(doc: Doc, text: str, start: int, end: int) -> Span | None:
    """Character span of tokens ``start:end`` without surrounding whitespace tokens."""
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    if start >= end:
        return None
    return Span.of(text, doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))


HEDGE_ADVERBS = frozenset({"reportedly", "allegedly", "apparently", "purportedly", "reputedly", "supposedly"})


def _hedged_cue(cue) -> tuple[int, int] | None:
    """The hedge adverb alone when a cue is a hedge plus no verb of saying or thinking.

    "Biden has reportedly approved X": the attribution is "reportedly", with no
    speaker; Biden is the actor of the reported event. In PolNeAR train, cues
    like "reportedly" never have a source, while "reportedly said" keeps one.
    """
    from .rules import load_lexicon

    hedges = [t for t in cue if t.lower_ in HEDGE_ADVERBS]
    if not hedges:
        return None
    verbs = load_lexicon().verbs
    if any(t.lemma_.lower() in verbs for t in cue if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() != "be"):
        return None
    return hedges[0].i, hedges[0].i + 1


def _merge_adjacent(doc: Doc, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in runs:
        if merged and all(t.is_space for t in doc[merged[-1][1]:s]):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def decode_cues(
    sents: list[tuple[int, int]], p_out: list[float], begins: list[bool], threshold: float
) -> list[tuple[int, int, float]]:
    """Cue token ranges from per-token P(O) and "more likely B than I", with confidence 1 - mean P(O).

    A token is a cue word when its P(O) falls below ``1 - threshold`` (tuned on
    dev: it trades precision for recall better than the single best path); a
    token more likely ``B`` than ``I`` starts a new cue. Cues never cross a
    sentence boundary.
    """
    found = []
    keep = 1.0 - threshold
    for s, e in sents:
        start = None
        for k in range(s, e + 1):
            inside = k < e and p_out[k] < keep
            if start is not None and (not inside or begins[k]):
                found.append((start, k, 1.0 - sum(p_out[start:k]) / (k - start)))
                start = None
            if inside and start is None:
                start = k
    return found


def cue_marginals(tagger: pycrfsuite.Tagger, view: DocView) -> np.ndarray:
    """``(n_tokens, 3)`` marginal probabilities of O/B/I from the CRF cue tagger, sentence by sentence."""
    probs = np.zeros((view.n, 3))
    probs[:, 0] = 1.0
    known = set(tagger.labels())  # a model trained on very little data may lack a label
    labels = [(j, label) for j, label in enumerate(("O", "B", "I")) if label in known]
    for s, e in view.sents:
        if e - s < 2 and all(view.is_space[s:e]):
            continue
        tagger.set(cue_features(view, s, e))
        for k in range(e - s):
            for j, label in labels:
                probs[s + k, j] = tagger.marginal(label, k)
    return probs


def cues_from_probs(view: DocView, probs: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """:func:`decode_cues` over an ``(n_tokens, 3)`` O/B/I probability array."""
    return decode_cues(view.sents, probs[:, 0].tolist(), (probs[:, 1] > probs[:, 2]).tolist(), threshold)


@register("crf")
class CRFExtractor:
    name = "crf"

    def __init__(self, model_dir: str | Path | None = None):
        model_dir = Path(model_dir) if model_dir is not None else MODEL_DIR
        meta_path = model_dir / "meta.json"
        try:
            self.meta = json.loads(meta_path.read_text())
            params = self.meta["params"]
            self.before = int(params["window_before"])
            self.after = int(params["window_after"])
        except FileNotFoundError:
            raise ModelNotFound(
                f"CRF model metadata {meta_path} is missing. Reinstall sourcetrace, or retrain with "
                "`sourcetrace train --train DIR --dev DIR --out DIR`."
            ) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelNotFound(f"CRF model metadata {meta_path} is unreadable ({exc}); retrain the model.") from None
        self.cue_threshold = float(params.get("cue_threshold", 0.5))
        role_threshold = params.get("role_threshold")
        self.role_threshold = float(role_threshold) if role_threshold is not None else None
        self.require_content = bool(params.get("require_content", True))
        source_threshold = params.get("source_threshold")
        self.source_threshold = float(source_threshold) if source_threshold is not None else None
        self._cue_taggers = ThreadTaggers(model_dir / "cue.crfsuite")
        self._role_taggers = ThreadTaggers(model_dir / "role.crfsuite")

    @property
    def cue_tagger(self) -> pycrfsuite.Tagger:
        """This thread's cue tagger (see :class:`ThreadTaggers`)."""
        return self._cue_taggers.get()

    @property
    def role_tagger(self) -> pycrfsuite.Tagger:
        """This thread's role tagger: ``tag`` and the ``marginal`` calls after it must use the same one."""
        return self._role_taggers.get()

    def cues(self, view: DocView) -> list[tuple[int, int, float]]:
        """Predicted cue token ranges with their confidence."""
        return cues_from_probs(view, cue_marginals(self.cue_tagger, view), self.cue_threshold)

    def _marginal_runs(self, labels: tuple[str, str], tau: float, tags: list[str], lo: int) -> list[tuple[int, int]]:
        """Token ranges whose marginal probability of ``labels`` reaches ``tau`` (outside the cue)."""
        m = self.role_tagger.marginal
        keep = [tags[k] != "CUE" and m(labels[0], k) + m(labels[1], k) >= tau for k in range(len(tags))]
        return _runs(["I-X" if x else "O" for x in keep], "X", lo)

    def _marginal_tags(self, tags: list[str]) -> list[str]:
        """Widen CONTENT with the tokens whose marginal P(content) passes ``role_threshold``.

        The single best path sometimes drops a long content as a whole (a
        distant clause before the cue) or stops it short; the marginals still
        favour those tokens. A widened stretch is kept only where it grows a
        best-path content, or, when the best path has none, as the one stretch
        with the most probability mass, so no stray pieces appear. Sources
        keep the best path, where the marginals cost exactness.
        """
        m = self.role_tagger.marginal
        tau = self.role_threshold
        n = len(tags)
        p_c = [0.0 if tags[k] == "CUE" else m("B-C", k) + m("I-C", k) for k in range(n)]
        viterbi = [t in ("B-C", "I-C") for t in tags]
        mask = [viterbi[k] or p_c[k] >= tau for k in range(n)]
        stretches = _runs(["I-X" if x else "O" for x in mask], "X", 0)
        keep = [r for r in stretches if any(viterbi[r[0]:r[1]])]
        if not keep and stretches:
            keep = [max(stretches, key=lambda r: sum(p_c[r[0]:r[1]]))]
        out = ["O" if t in ("B-C", "I-C") else t for t in tags]
        for s, e in keep:
            for k in range(s, e):
                out[k] = "B-C" if k == s else "I-C"
        for k in range(n):
            if out[k] == "I-S" and (k == 0 or not out[k - 1].endswith("S")):
                out[k] = "B-S"
        return out

    def __call__(self, doc: Doc) -> list[Attribution]:
        # what an earlier extractor's cue model left on this document is not this run's (content_rerank.model_for)
        doc.user_data.pop(CONTENT_HEAD, None)
        if len(doc) == 0:
            return []
        view = DocView(doc)
        text = doc.text  # built token by token on each access: read it once
        out: list[Attribution] = []
        tagger = self.role_tagger
        for cs, ce, prob in self.cues(view):
            deadline.check()
            lo, hi = role_window(view, cs, ce, self.before, self.after)
            tags = tagger.tag(role_features(view, cs, ce, lo, hi))
            if self.role_threshold is not None:
                tags = self._marginal_tags(tags)
            content = [sp for r in _merge_adjacent(doc, _runs(tags, "C", lo)) if (sp := _char_span(doc, text, *r))]
            # PolNeAR sources are one span (all but 9 of 19,868 in train): keep the run nearest the cue.
            source_runs = _runs(tags, "S", lo)
            if not source_runs and self.source_threshold is not None:
                source_runs = self._marginal_runs(("B-S", "I-S"), self.source_threshold, tags, lo)
            source_runs.sort(key=lambda r: min(abs(r[1] - cs), abs(r[0] - ce)))
            source = [sp for r in source_runs[:1] if (sp := _char_span(doc, text, *r))]
            if hedged := _hedged_cue(doc[cs:ce]):
                (cs, ce), source = hedged, []
            cue = _char_span(doc, text, cs, ce)
            if cue is None or (self.require_content and not content):
                continue  # a cue with nothing attributed to it is almost always a false alarm
            out.append(Attribution(
                id=f"a{len(out) + 1}",
                source=source,
                cue=[cue],
                content=content,
                content_kind=quoted_kind(content) or ContentKind.indirect,
                confidence=round(prob, 3),
                extractor=self.name,
            ))
        return out
