"""Where a content after its cue starts and stops: two small learned models of PolNeAR's habits (issue #13).

The role tagger reads a window of words; whether a content runs on past a
comma, an *and* or a preposition ("… had his hands in the air, contradicting
Tulsa police" / "… Russia's invasion of Ukraine, including its annexation of
Crimea"), or takes in the object before it ("described the deal as
toothless": the content is "as toothless") is a matter of the parse around
one word. So each place a content could stop (a punctuation mark, or the
first word of a subtree hung to the right of an earlier word) is scored by a
logistic regression over the parse there: P(the content stops here | it got
this far); and each word after the cue a content could start at (the first
word of a phrase) by another: P(it starts here | not before). Both are
trained on the gold contents of PolNeAR train (``sourcetrace
train-content-bounds``) and used by ``boundaries.py`` to move a content's ends
only where the model is sure (thresholds chosen on dev, in ``meta.json``).
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

from spacy.tokens import Doc, Token

MODEL_DIR = Path(__file__).parent / "models" / "content-bounds"
_QUOTES = set('"“”«»')
_ALL_QUOTES = _QUOTES | {"'", "''", "``", "’", "‘"}
START_WINDOW = 30  # words after the cue a content start is looked for in
END_WINDOW = 80  # words past the tagger's end a content end is looked for in


def end_candidates(doc: Doc, first: Token, last: Token) -> list[Token]:
    """Every token after ``first`` (up to ``last``'s sentence end, at most ``END_WINDOW`` words past ``last``)
    a content could stop before."""
    found = []
    for tok in doc[first.i + 1 : min(len(doc), last.i + 1 + END_WINDOW)]:
        if tok.i > last.i and tok.is_sent_start:
            break
        if tok.is_space or tok.text in _ALL_QUOTES:
            continue
        if tok.is_punct or (tok.left_edge.i == tok.i and tok.head.i < tok.i) or tok.pos_ in ("CCONJ", "SCONJ"):
            found.append(tok)
    return found


def start_candidates(doc: Doc, cue_last: Token) -> list[Token]:
    """Every token after the cue (in its sentence, within ``START_WINDOW``) a content could start at: a phrase's first word."""
    found = []
    for tok in doc[cue_last.i + 1 : min(len(doc), cue_last.i + 1 + START_WINDOW)]:
        if tok.is_sent_start:
            break
        if not tok.is_space and tok.left_edge.i == tok.i:
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


def _in_quote(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is inside a quotation opened earlier in its sentence."""
    return _quote_states(doc)[i]


def _quote_states(doc: Doc) -> list[bool]:
    """For every token, whether a quotation opened earlier in its sentence is still open: one pass per doc,
    kept in ``doc.user_data`` (per-candidate scans back to the sentence start were most of this model's cost)."""
    states = doc.user_data.get("sourcetrace_quote_states")
    if states is None or len(states) != len(doc):
        states, opened = [], False
        for t in doc:
            if t.is_sent_start:
                opened = False
            states.append(opened)
            if t.text in ('"', "''", "``"):
                opened = not opened
            elif t.text in ("“", "«"):
                opened = True
            elif t.text in ("”", "»"):
                opened = False
        doc.user_data["sourcetrace_quote_states"] = states
    return states


def _under_cue(tok: Token, cue: Token) -> str:
    """The label of the branch under the cue that holds ``tok`` ("dobj", "ccomp" ...), or "none"."""
    node = tok
    for _ in range(50):
        if node.head.i == cue.i and node.i != cue.i:
            return node.dep_
        if node.head.i == node.i:
            return "none"
        node = node.head
    return "none"


def end_features(doc: Doc, tok: Token, first: Token, cue: Token) -> list[str]:
    """What the end model sees at one candidate end ``tok`` of a content that starts at ``first``, after cue root ``cue``."""
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
        "fin=" + str(tok.i + 1 == len(doc) or bool(doc[tok.i + 1].is_sent_start)),
        "q=" + str(_in_quote(doc, tok.i)),
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


def start_features(doc: Doc, tok: Token, cue_last: Token, cue: Token) -> list[str]:
    """What the start model sees at one candidate start ``tok`` after the cue (last word ``cue_last``, root ``cue``)."""
    prev = doc[tok.i - 1]
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    word = tok.lower_
    branch = _under_cue(tok, cue)
    lemma = cue.lemma_.lower()
    f = [
        "b",
        "w=" + word,
        "t=" + tok.tag_,
        "d=" + tok.dep_,
        "pw=" + prev.lower_,
        "pt=" + prev.tag_,
        "pd=" + prev.dep_,
        "hd=" + tok.head.dep_,
        "d|hd=" + tok.dep_ + "|" + tok.head.dep_,
        "cuehead=" + str(tok.head.i == cue.i),
        "br=" + branch,
        "br|d=" + branch + "|" + tok.dep_,
        "br|t=" + branch + "|" + tok.tag_,
        "dist=" + _bucket(tok.i - cue_last.i),
        "cue=" + lemma,
        "cue|w=" + lemma + "|" + word,
        "cue|br=" + lemma + "|" + branch,
        "cue|t=" + lemma + "|" + tok.tag_,
        "q=" + str(_in_quote(doc, tok.i)),
        "isq=" + str(tok.text in _ALL_QUOTES),
        "ent=" + (tok.ent_type_ or "-"),
    ]
    if nxt is not None:
        f += ["nw=" + nxt.lower_, "nt=" + nxt.tag_, "w|nt=" + word + "|" + nxt.tag_]
    return f


def probability(weights: dict[str, float], names: list[str]) -> float:
    """A logistic model's probability for the features ``names`` (weights by feature name, 0 for unseen ones)."""
    z = sum(weights.get(name, 0.0) for name in names)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def trimmed_end(text: str, s: int, e: int, chars: str = " ,;\n") -> int:
    """``e`` moved back over any of ``chars`` (not before ``s``): a stop before a token, as a content end."""
    while e > s and text[e - 1] in chars:
        e -= 1
    return e


def read_weights(path: Path) -> tuple[dict[str, float], dict[str, float], dict]:
    """The end weights, start weights and metadata of a boundary model folder (``weights.json``, ``meta.json``)."""
    weights = json.loads((path / "weights.json").read_text(encoding="utf-8"))
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    return weights.get("end", {}), weights.get("start", {}), meta


class ContentBoundsModel:
    """Two logistic regressions (weights by feature name) and the thresholds ``boundaries.py`` acts on."""

    def __init__(self, end: dict[str, float], start: dict[str, float], meta: dict):
        self.end_weights = end
        self.start_weights = start
        self.meta = meta
        self.cut = float(meta.get("cut", 0.9))
        self.extend = float(meta.get("extend", -1.0))
        self.back = float(meta.get("back", 1.01))
        self.skip = float(meta.get("skip", -1.0))

    @classmethod
    def load(cls, path: str | Path = MODEL_DIR) -> "ContentBoundsModel":
        return cls(*read_weights(Path(path)))

    def stop(self, doc: Doc, tok: Token, first: Token, cue: Token) -> float:
        """P(a content that starts at ``first`` and got as far as ``tok`` ends before it)."""
        return probability(self.end_weights, end_features(doc, tok, first, cue))

    def start(self, doc: Doc, tok: Token, cue_last: Token, cue: Token) -> float:
        """P(the content after the cue starts at ``tok``, given it did not start earlier)."""
        return probability(self.start_weights, start_features(doc, tok, cue_last, cue))


@functools.lru_cache(maxsize=1)
def shipped_model() -> ContentBoundsModel | None:
    """The model in ``models/content-bounds``, or None where it is not installed (the rules then run alone)."""
    if not (MODEL_DIR / "weights.json").exists():
        return None
    return ContentBoundsModel.load(MODEL_DIR)
