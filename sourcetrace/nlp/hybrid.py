"""The default extractor: the learned CRF, completed by the rules where the CRF finds no cue.

The CRF is the more accurate reader of PolNeAR-style attributions; the rules
know constructions it misses (speaker frames, ``NAME:`` lines, quotes that
continue a speaker) and the hand-on relays the claim stage builds chains from
(``X, citing Y, ...``). So: every CRF attribution, plus every rule attribution
whose cue overlaps no CRF cue, leaving out rule attributions nested inside
another's content unless they hand the claim on (citing, quoting, according
to). Measured on PolNeAR dev in MODEL_CARD.md.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..model import Attribution, Span
from .extractor import get_extractor, register

RELAY_CUES = frozenset({"citing", "quoting", "according to"})


def _overlaps(a: list[Span], b: list[Span]) -> bool:
    return any(x.start < y.end and y.start < x.end for x in a for y in b)


def _is_relay(attribution: Attribution) -> bool:
    return any(span.text.lower() in RELAY_CUES for span in attribution.cue)


@register("hybrid")
class HybridExtractor:
    name = "hybrid"

    def __init__(self) -> None:
        self.learned = get_extractor("crf")
        self.rules = get_extractor("rules")

    def __call__(self, doc: Doc) -> list[Attribution]:
        learned = [a.model_copy(update={"parent_id": None}) for a in self.learned(doc)]
        added = [
            a
            for a in self.rules(doc)
            if (not a.parent_id or _is_relay(a)) and not any(_overlaps(a.cue, b.cue) for b in learned)
        ]
        merged = sorted(learned + added, key=lambda a: min((s.start for s in a.cue), default=0))
        # Renumber in text order; rule parents follow their renamed attribution (or are dropped).
        new_ids = {id(a): f"a{i}" for i, a in enumerate(merged, 1)}
        rule_ids = {a.id: new_ids[id(a)] for a in added}
        return [
            a.model_copy(update={"id": new_ids[id(a)], "parent_id": rule_ids.get(a.parent_id) if a.parent_id else None})
            for a in merged
        ]
