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
from pathlib import Path

import pycrfsuite
from spacy.tokens import Doc

from ..errors import ModelNotFound
from ..model import Attribution, ContentKind, Span
from .crf_features import DocView, cue_features, role_features, role_window
from .extractor import register

MODEL_DIR = Path(__file__).parent / "models" / "crf"
QUOTE_CHARS = "\"“”‘’«»'"


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


def _char_span(doc: Doc, start: int, end: int) -> Span | None:
    """Character span of tokens ``start:end`` without surrounding whitespace tokens."""
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    if start >= end:
        return None
    return Span.of(doc.text, doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))


def _merge_adjacent(doc: Doc, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in runs:
        if merged and all(t.is_space for t in doc[merged[-1][1]:s]):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _content_kind(content: list[Span]) -> ContentKind:
    text = " ".join(s.text for s in content).strip()
    if not text:
        return ContentKind.indirect
    quoted = sum(ch in QUOTE_CHARS for ch in text)
    if quoted >= 2 and text[0] in QUOTE_CHARS and text[-1] in QUOTE_CHARS.replace("'", "") + ".,":
        return ContentKind.direct
    return ContentKind.mixed if quoted >= 2 else ContentKind.indirect


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
        self.min_cue_prob = float(self.meta.get("min_cue_prob", 0.0))
        self.cue_tagger = _open_tagger(model_dir / "cue.crfsuite")
        self.role_tagger = _open_tagger(model_dir / "role.crfsuite")

    def cues(self, view: DocView) -> list[tuple[int, int, float]]:
        """Predicted cue token ranges with the tagger's marginal probability."""
        found = []
        tagger = self.cue_tagger
        for s, e in view.sents:
            if e - s < 2 and all(view.is_space[s:e]):
                continue
            tags = tagger.tag(cue_features(view, s, e))
            if "B" not in tags and "I" not in tags:
                continue
            for cs, ce in _runs([t if t == "O" else t + "-Q" for t in tags], "Q", s):
                prob = min(tagger.marginal(tags[i - s], i - s) for i in range(cs, ce))
                found.append((cs, ce, prob))
        return found

    def __call__(self, doc: Doc) -> list[Attribution]:
        if len(doc) == 0:
            return []
        view = DocView(doc)
        out: list[Attribution] = []
        tagger = self.role_tagger
        for cs, ce, prob in self.cues(view):
            if prob < self.min_cue_prob:
                continue
            lo, hi = role_window(view, cs, ce, self.before, self.after)
            tags = tagger.tag(role_features(view, cs, ce, lo, hi))
            content = [sp for r in _merge_adjacent(doc, _runs(tags, "C", lo)) if (sp := _char_span(doc, *r))]
            source = [sp for r in _runs(tags, "S", lo) if (sp := _char_span(doc, *r))]
            cue = _char_span(doc, cs, ce)
            if cue is None:
                continue
            out.append(Attribution(
                id=f"a{len(out) + 1}",
                source=source,
                cue=[cue],
                content=content,
                content_kind=_content_kind(content),
                confidence=round(prob, 3),
                extractor=self.name,
            ))
        return out
