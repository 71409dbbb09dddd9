"""Rule-based attribution extractor: cue lexicon + dependency parse + quotation marks.

It needs no training and is the baseline the learned extractor must beat.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..model import Attribution
from .extractor import register


@register("rules")
class RuleExtractor:
    name = "rules"

    def __call__(self, doc: Doc) -> list[Attribution]:
        return []  # TODO(foundation): implemented by the rule-extractor work
