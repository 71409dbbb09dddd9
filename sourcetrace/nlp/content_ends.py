"""Where a content after its cue stops: a small learned model of PolNeAR's habit (issue #13).

The role tagger reads a window of words; whether a content runs on past a
comma, an *and* or a preposition ("… had his hands in the air, contradicting
Tulsa police" / "… Russia's invasion of Ukraine, including its annexation of
Crimea") is a matter of the parse around that one word. So each place a
content could stop (a punctuation mark, or the first word of a subtree hung
to the right of an earlier word) is scored by a logistic regression over the
parse there: P(the content stops here | it got this far). It is trained on
the gold contents of PolNeAR train (``sourcetrace train-content-ends``) and
used by ``boundaries.py`` to move a content's end only where the model is sure
(the thresholds, chosen on dev, are in the model's ``meta.json``).
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

from spacy.tokens import Doc, Token

MODEL_DIR = Path(__file__).parent / "models" / "content-ends"
_QUOTES = set('"“”«»')


def candidates(doc: Doc, first: Token, last: Token) -> list[Token]:
    """Every token in ``first``'s sentence (after ``first``, up to ``last``'s sentence end) a content could stop before."""
    end = last.sent.end
    found = []
    for tok in doc[first.i + 1 : end]:
        if tok.is_space or tok.text in _QUOTES or tok.text in ("'", "''", "``", "’", "‘"):
            continue
        if tok.is_punct or (tok.left_edge.i == tok.i and tok.head.i < tok.i) or tok.pos_ in ("CCONJ", "SCONJ"):
            found.append(tok)
    return found


def _bucket(n: int) -> str:
    for b in (1, 2, 3, 5, 8, 13, 21, 34):
        if n <= b:
            return str(b)
    return "more"


def _attach(tok: Token, first: Token, cue: Token) -> str:
    head = tok.head
    if head.i == cue.i:
        return "cue"
    if head.i == tok.i:
        return "root"
    if head.i > tok.i:
        return "right"
    if head.i >= first.i:
        return "content"
    return "before"


def _in_quote(doc: Doc, sent_start: int, i: int) -> bool:
    opened = False
    for t in doc[sent_start:i]:
        if t.text in ('"', "''", "``"):
            opened = not opened
        elif t.text in ("“", "«"):
            opened = True
        elif t.text in ("”", "»"):
            opened = False
    return opened


def features(doc: Doc, tok: Token, first: Token, cue: Token) -> list[str]:
    """What the model sees at one candidate end ``tok`` of a content that starts at ``first``, after cue root ``cue``."""
    prev = doc[tok.i - 1]
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    word = tok.lower_
    att = _attach(tok, first, cue)
    f = [
        "b",
        "w=" + word,
        "t=" + tok.tag_,
        "d=" + tok.dep_,
        "pw=" + prev.lower_,
        "pt=" + prev.tag_,
        "att=" + att,
        "att|d=" + att + "|" + tok.dep_,
        "att|t=" + att + "|" + tok.tag_,
        "d|ht=" + tok.dep_ + "|" + tok.head.tag_,
        "hd=" + tok.head.dep_,
        "len=" + _bucket(tok.i - first.i),
        "cue=" + cue.lemma_.lower(),
        "cue|w=" + cue.lemma_.lower() + "|" + word,
        "first=" + first.lower_,
        "first|w=" + first.lower_ + "|" + word,
        "fin=" + str(tok.i == tok.sent.end - 1 or (tok.is_punct and tok.i + 1 < len(doc) and doc[tok.i + 1].is_sent_start)),
        "q=" + str(_in_quote(doc, tok.sent.start, tok.i)),
        "pq=" + str(prev.text in _QUOTES or prev.text in ("''", "’")),
    ]
    if nxt is not None:
        natt = _attach(nxt, first, cue)
        f += [
            "nw=" + nxt.lower_,
            "nt=" + nxt.tag_,
            "w|nt=" + word + "|" + nxt.tag_,
            "w|nw=" + word + "|" + nxt.lower_,
            "natt|nd=" + natt + "|" + nxt.dep_,
            "w|natt|nd=" + word + "|" + natt + "|" + nxt.dep_,
        ]
    return f


class ContentEndModel:
    """Logistic regression weights by feature name; ``stop(...)`` is P(the content ends before ``tok``)."""

    def __init__(self, weights: dict[str, float], meta: dict):
        self.weights = weights
        self.meta = meta
        self.cut = float(meta.get("cut", 0.9))
        self.extend = float(meta.get("extend", 0.1))

    @classmethod
    def load(cls, path: str | Path = MODEL_DIR) -> "ContentEndModel":
        path = Path(path)
        weights = json.loads((path / "weights.json").read_text(encoding="utf-8"))
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        return cls(weights, meta)

    def stop(self, doc: Doc, tok: Token, first: Token, cue: Token) -> float:
        z = sum(self.weights.get(name, 0.0) for name in features(doc, tok, first, cue))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@functools.lru_cache(maxsize=1)
def shipped_model() -> ContentEndModel | None:
    """The model in ``models/content-ends``, or None where it is not installed (the rules then run alone)."""
    if not (MODEL_DIR / "weights.json").exists():
        return None
    return ContentEndModel.load(MODEL_DIR)
