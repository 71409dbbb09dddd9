"""Scoring predicted attributions against gold (PolNeAR) annotations.

Every score is a :class:`PRF`: ``correct``, ``predicted`` and ``gold`` counts,
summed over the split (micro-average), with precision = correct / predicted,
recall = correct / gold and F1 their harmonic mean (0 when a denominator is 0,
as in BBC Citron's ``get_exact_scores``).

**Role units.** For each role (source, cue, content) an attribution contributes
one *unit*: the role's spans, normalised by :func:`normalize_spans` (whitespace
trimmed off each span's ends, empty spans dropped, spans sorted, and pieces
that overlap or are separated only by whitespace merged). A discontinuous role
(``"X," she said, "Y"``: one content in two pieces) is a single unit made of
several spans. A *missing role* (an attribution with no source, or a gold
event without content) contributes no unit for that role: a predicted source
where the gold has none is a false positive, a missing predicted source where
the gold has one is a false negative.

**Exact match** (per role): a predicted unit is correct when a gold unit has
exactly the same normalised spans, every piece included. Units are matched one
to one (multiset intersection), so two identical predictions cannot both
claim one gold unit.

**Overlap** (per role) follows BBC Citron's overlap metric
(``citron/metrics.py``: ``get_quote_overlap_counts_and_lengths`` and
``get_overlap_scores``): precision = predicted tokens that overlap gold tokens
/ all predicted tokens, recall = the same overlap / all gold tokens, tokens
being spaCy's English tokens (whitespace tokens excluded; a token counts when
it shares a character with the span). Citron sums the overlap over every
(predicted, gold) pair, which counts a token twice when gold spans overlap
(PolNeAR nests contents) and can push precision above 1. We count each token
with its multiplicity on each side (how many attributions' role covers it) and
take the minimum of the two counts: identical to Citron's sum whenever neither
side has overlapping spans for a role, and bounded by 1 (gold scored against
itself gives exactly 1) when they do.

**Attribution level**: a predicted attribution matches a gold one when their
cues overlap (share a character after normalisation) and their contents
overlap; a role that is missing on *both* sides counts as agreeing, missing on
one side only as disagreeing. Matching is one to one: a maximum-cardinality
bipartite matching (augmenting paths), trying larger overlaps first.
``attribution_exact`` is stricter: all three roles equal after normalisation.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, Field, computed_field

ROLES = ("source", "cue", "content")

Spans = tuple[tuple[int, int], ...]


class PRF(BaseModel):
    """Counts behind a precision/recall/F1 triple; add two to pool them."""

    correct: int = 0
    predicted: int = 0
    gold: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "PRF") -> "PRF":
        return PRF(
            correct=self.correct + other.correct,
            predicted=self.predicted + other.predicted,
            gold=self.gold + other.gold,
        )


class RoleScores(BaseModel):
    exact: PRF = Field(default_factory=PRF)
    overlap: PRF = Field(default_factory=PRF)

    def __add__(self, other: "RoleScores") -> "RoleScores":
        return RoleScores(exact=self.exact + other.exact, overlap=self.overlap + other.overlap)


class Scores(BaseModel):
    """Micro-averaged scores of one extractor over a split (or one document)."""

    documents: int = 0
    gold_attributions: int = 0
    predicted_attributions: int = 0
    source: RoleScores = Field(default_factory=RoleScores)
    cue: RoleScores = Field(default_factory=RoleScores)
    content: RoleScores = Field(default_factory=RoleScores)
    attribution: PRF = Field(default_factory=PRF)
    attribution_exact: PRF = Field(default_factory=PRF)

    def __add__(self, other: "Scores") -> "Scores":
        return Scores(
            documents=self.documents + other.documents,
            gold_attributions=self.gold_attributions + other.gold_attributions,
            predicted_attributions=self.predicted_attributions + other.predicted_attributions,
            **{role: getattr(self, role) + getattr(other, role) for role in ROLES},
            attribution=self.attribution + other.attribution,
            attribution_exact=self.attribution_exact + other.attribution_exact,
        )

    def metrics(self) -> dict[str, PRF]:
        """Every score by a flat name: ``cue.exact``, ``content.overlap``, ``attribution`` ..."""
        named = {f"{role}.{kind}": getattr(getattr(self, role), kind) for role in ROLES for kind in ("exact", "overlap")}
        named["attribution"] = self.attribution
        named["attribution_exact"] = self.attribution_exact
        return named

    def flat(self) -> dict[str, float]:
        """``{"cue.exact.f1": 0.81, ...}``: the numbers an accuracy floor pins."""
        return {
            f"{name}.{measure}": getattr(prf, measure)
            for name, prf in self.metrics().items()
            for measure in ("precision", "recall", "f1")
        }

    def __str__(self) -> str:
        lines = [f"{self.documents} documents, {self.gold_attributions} gold / {self.predicted_attributions} predicted attributions"]
        for name, prf in self.metrics().items():
            lines.append(f"{name:<18} P {prf.precision:.3f}  R {prf.recall:.3f}  F1 {prf.f1:.3f}")
        return "\n".join(lines)


def span_pairs(spans: Iterable[Any]) -> list[tuple[int, int]]:
    """``(start, end)`` pairs from tuples, ``[s, e]`` lists or objects with ``.start``/``.end``."""
    pairs = []
    for span in spans or ():
        if hasattr(span, "start"):
            pairs.append((int(span.start), int(span.end)))
        else:
            start, end = span
            pairs.append((int(start), int(end)))
    return pairs


def normalize_spans(spans: Iterable[Any], text: str) -> Spans:
    """Trim whitespace, drop empties, sort, and merge pieces that touch or are split only by whitespace."""
    trimmed = []
    for start, end in span_pairs(spans):
        start, end = max(0, start), min(len(text), end)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            trimmed.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(trimmed):
        if merged and (start <= merged[-1][1] or text[merged[-1][1] : start].isspace()):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


@functools.lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    # The rule-based English tokenizer alone: no model, same tokens as en_core_web_sm.
    return spacy.blank("en").tokenizer


def token_offsets(text: str) -> list[tuple[int, int]]:
    """Character ranges of the non-whitespace spaCy English tokens of ``text``."""
    return [(t.idx, t.idx + len(t)) for t in _tokenizer()(text) if not t.is_space]


class _Doc:
    """One document's text and tokens, with span → token lookup."""

    def __init__(self, text: str, tokens: Sequence[tuple[int, int]] | None = None):
        self.text = text
        self.tokens = list(tokens) if tokens is not None else token_offsets(text)
        self._ends = [end for _, end in self.tokens]

    def token_ids(self, spans: Spans) -> set[int]:
        ids: set[int] = set()
        for start, end in spans:
            i = bisect_right(self._ends, start)  # first token ending after the span starts
            while i < len(self.tokens) and self.tokens[i][0] < end:
                ids.add(i)
                i += 1
        return ids


def _units(attributions: Sequence[Any], role: str, text: str) -> list[Spans]:
    return [normalize_spans(getattr(a, role), text) for a in attributions]


def _exact(pred: list[Spans], gold: list[Spans]) -> PRF:
    p, g = Counter(u for u in pred if u), Counter(u for u in gold if u)
    return PRF(correct=sum((p & g).values()), predicted=sum(p.values()), gold=sum(g.values()))


def _overlap(pred: list[Spans], gold: list[Spans], doc: _Doc) -> PRF:
    p: Counter[int] = Counter()
    g: Counter[int] = Counter()
    for unit in pred:
        p.update(doc.token_ids(unit))
    for unit in gold:
        g.update(doc.token_ids(unit))
    return PRF(correct=sum((p & g).values()), predicted=sum(p.values()), gold=sum(g.values()))


def _shared_chars(a: Spans, b: Spans) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _agree(a: Spans, b: Spans) -> tuple[bool, int]:
    """Whether one role of two attributions agrees (overlaps, or is missing on both), and by how much."""
    if not a and not b:
        return True, 0
    shared = _shared_chars(a, b)
    return shared > 0, shared


def _max_matching(candidates: list[list[int]], n_gold: int) -> int:
    """Size of a maximum one-to-one matching; ``candidates[p]`` lists gold indices, best first."""
    return sum(owner != -1 for owner in _matching(candidates, n_gold))


def _matching(candidates: list[list[int]], n_gold: int) -> list[int]:
    """A maximum one-to-one matching: for each gold index, its predicted index, or -1."""
    owner = [-1] * n_gold

    def assign(p: int, seen: set[int]) -> bool:
        for g in candidates[p]:
            if g in seen:
                continue
            seen.add(g)
            if owner[g] == -1 or assign(owner[g], seen):
                owner[g] = p
                return True
        return False

    for p in range(len(candidates)):
        assign(p, set())
    return owner


def _attribution_candidates(pred: dict[str, list[Spans]], gold: dict[str, list[Spans]], n_pred: int, n_gold: int) -> list[list[int]]:
    """For each prediction, the gold attributions whose cue and content it overlaps, most shared characters first."""
    candidates = []
    for i in range(n_pred):
        scored = []
        for j in range(n_gold):
            cue_ok, cue_shared = _agree(pred["cue"][i], gold["cue"][j])
            content_ok, content_shared = _agree(pred["content"][i], gold["content"][j])
            if cue_ok and content_ok:
                scored.append((-(cue_shared + content_shared), j))
        candidates.append([j for _, j in sorted(scored)])
    return candidates


def _attribution_match(pred: dict[str, list[Spans]], gold: dict[str, list[Spans]], n_pred: int, n_gold: int) -> PRF:
    candidates = _attribution_candidates(pred, gold, n_pred, n_gold)
    return PRF(correct=_max_matching(candidates, n_gold), predicted=n_pred, gold=n_gold)


def attribution_matching(text: str, gold: Sequence[Any], predicted: Sequence[Any]) -> tuple[dict[int, int], list[list[int]]]:
    """The attribution-level match behind :func:`score_document`: ``{gold index: predicted index}``, and for
    each prediction the gold indices it overlaps in cue and content (whether or not it was matched to one)."""
    pred_units = {role: _units(predicted, role, text) for role in ROLES}
    gold_units = {role: _units(gold, role, text) for role in ROLES}
    candidates = _attribution_candidates(pred_units, gold_units, len(predicted), len(gold))
    owners = _matching(candidates, len(gold))
    return {g: p for g, p in enumerate(owners) if p != -1}, candidates


def _attribution_exact(pred: dict[str, list[Spans]], gold: dict[str, list[Spans]], n_pred: int, n_gold: int) -> PRF:
    p = Counter(tuple(pred[r][i] for r in ROLES) for i in range(n_pred))
    g = Counter(tuple(gold[r][j] for r in ROLES) for j in range(n_gold))
    return PRF(correct=sum((p & g).values()), predicted=n_pred, gold=n_gold)


def score_document(
    text: str,
    gold: Sequence[Any],
    predicted: Sequence[Any],
    tokens: Sequence[tuple[int, int]] | None = None,
) -> Scores:
    """Score one document's predicted attributions against its gold ones.

    ``gold`` and ``predicted`` hold anything with ``source``, ``cue`` and
    ``content`` attributes listing spans (``GoldAttribution``, the model's
    ``Attribution``); offsets are characters into ``text``, end exclusive.
    ``tokens`` (character ranges) defaults to spaCy's English tokenizer.
    """
    doc = _Doc(text, tokens)
    pred_units = {role: _units(predicted, role, text) for role in ROLES}
    gold_units = {role: _units(gold, role, text) for role in ROLES}
    roles = {
        role: RoleScores(
            exact=_exact(pred_units[role], gold_units[role]),
            overlap=_overlap(pred_units[role], gold_units[role], doc),
        )
        for role in ROLES
    }
    return Scores(
        documents=1,
        gold_attributions=len(gold),
        predicted_attributions=len(predicted),
        **roles,
        attribution=_attribution_match(pred_units, gold_units, len(predicted), len(gold)),
        attribution_exact=_attribution_exact(pred_units, gold_units, len(predicted), len(gold)),
    )


def score_documents(triples: Iterable[tuple[str, Sequence[Any], Sequence[Any]]]) -> Scores:
    """Micro-averaged scores over ``(text, gold, predicted)`` triples."""
    total = Scores()
    for text, gold, predicted in triples:
        total = total + score_document(text, gold, predicted)
    return total
