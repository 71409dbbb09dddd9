"""The hybrids: a learned extractor completed by the rules where it finds no cue.

``hybrid`` (the default) builds on ``transformer`` (transformer + CRF cues,
CRF roles); ``hybrid-crf`` builds on ``crf`` alone and needs no onnxruntime
work per document, so it is faster. The learned extractor is the more accurate
reader of PolNeAR-style attributions; the rules know constructions it misses
(speaker frames, ``NAME:`` lines, quotes that continue a speaker) and the
hand-on relays the claim stage builds chains from (``X, citing Y, ...``). So:
every learned attribution, plus every rule attribution whose cue overlaps no
learned cue, leaving out rule attributions nested inside another's content
unless they hand the claim on (citing, quoting, according to). Where both find
the same cue, the learned content is replaced by the rules' when the rules'
overlaps it and is longer: the rules follow the parse to the clause's end,
where the window-bound role tagger stops short. A learned cue the taggers are
unsure of (confidence below ``UNSURE``) is kept only when the rules find a cue
there too. Measured on PolNeAR dev in MODEL_CARD.md.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..model import Attribution, Span
from .extractor import get_extractor, register
from .span_index import SpanIndex

RELAY_CUES = frozenset({"citing", "quoting", "according to"})
UNSURE = 0.5  # learned cue confidence below which the rules must confirm the cue (tuned on dev)


def _overlaps(a: list[Span], b: list[Span]) -> bool:
    return any(x.start < y.end and y.start < x.end for x in a for y in b)


def _length(spans: list[Span]) -> int:
    return sum(span.end - span.start for span in spans)


def _complete(learned: Attribution, rules: list[Attribution]) -> Attribution:
    """``learned`` with the content of a rule attribution on the same cue, where that one is longer and overlaps it."""
    for rule in rules:
        if (
            _overlaps(rule.cue, learned.cue)
            and _overlaps(rule.content, learned.content)
            and _length(rule.content) > _length(learned.content)
        ):
            return learned.model_copy(update={"content": rule.content, "content_kind": rule.content_kind})
    return learned


def _is_relay(attribution: Attribution) -> bool:
    return any(span.text.lower() in RELAY_CUES for span in attribution.cue)


def combine(learned: list[Attribution], rules: list[Attribution]) -> list[Attribution]:
    """The CRF's attributions completed by the rules' (see the module docstring), renumbered in text order."""
    # Only attributions whose cues overlap are compared: all pairs was quadratic (issue #11).
    rule_cues = SpanIndex.of(rules, lambda r: r.cue)
    near = {id(a): rule_cues.overlapping(a.cue) for a in learned}  # in rules' order, cues overlapping
    learned = [
        _complete(a, near[id(a)]).model_copy(update={"parent_id": None})
        for a in learned
        if ((a.confidence or 0.0) >= UNSURE or near[id(a)])
        # a relay the rules also found is theirs: its source is the parse's subject, not the nearest name
        and not (_is_relay(a) and any(_is_relay(r) for r in near[id(a)]))
    ]
    learned_cues = SpanIndex.of(learned, lambda b: b.cue)
    added = [
        a
        for a in rules
        if (not a.parent_id or _is_relay(a)) and not learned_cues.overlapping(a.cue)
    ]
    merged = sorted(learned + added, key=lambda a: min((s.start for s in a.cue), default=0))
    # Rule parents follow their renamed attribution (or are dropped).
    new_ids = {id(a): f"a{i}" for i, a in enumerate(merged, 1)}
    rule_ids = {a.id: new_ids[id(a)] for a in added}
    return [
        a.model_copy(update={"id": new_ids[id(a)], "parent_id": rule_ids.get(a.parent_id) if a.parent_id else None})
        for a in merged
    ]


@register("hybrid")
class HybridExtractor:
    """The transformer extractor (``neural.py``) completed by the rules: the default."""

    name = "hybrid"
    learned_name = "transformer"

    def __init__(self) -> None:
        self.learned = get_extractor(self.learned_name)
        self.rules = get_extractor("rules")

    def __call__(self, doc: Doc) -> list[Attribution]:
        return combine(self.learned(doc), self.rules(doc))


@register("hybrid-crf")
class HybridCRFExtractor(HybridExtractor):
    """The CRF completed by the rules: faster, no transformer (needs no onnxruntime)."""

    name = "hybrid-crf"
    learned_name = "crf"
