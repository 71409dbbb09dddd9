"""What an extractor missed and what it found that the gold lacks, one record per attribution.

The attribution F1 of ``sourcetrace eval`` says how many; this says which, and
at which step each was lost, so error analysis can start from the articles
(``sourcetrace eval SPLIT --failures failures.jsonl``). Records follow the
scorer's one-to-one match exactly: a gold attribution is *missed* when no
prediction was matched to it, a prediction is *false* when it was matched to no
gold one. ``why`` says how far it got:

- ``cue``: no cue on the other side overlaps its cue (the cue was never found,
  or was found where the gold has none);
- ``content``: a cue overlaps, but no attribution with that cue has an
  overlapping content;
- ``taken``: one overlaps in cue and content but was matched to another
  (two predictions for one gold attribution, or the reverse).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .metrics import attribution_matching, normalize_spans

WHY = ("cue", "content", "taken")


def _overlap(a, b) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _record(article: str, kind: str, why: str, text: str, att: Any) -> dict:
    record: dict = {"article": article, "kind": kind, "why": why}
    for role in ("source", "cue", "content"):
        spans = normalize_spans(getattr(att, role), text)
        record[role] = " … ".join(text[s:e] for s, e in spans)
        record[f"{role}_spans"] = [list(span) for span in spans]
    return record


def document_failures(article: str, text: str, gold: Sequence[Any], predicted: Sequence[Any]) -> list[dict]:
    """The missed gold and the false predicted attributions of one article, in that order (see the module docstring)."""
    matched, candidates = attribution_matching(text, gold, predicted)
    cues = {"gold": [normalize_spans(g.cue, text) for g in gold], "pred": [normalize_spans(p.cue, text) for p in predicted]}
    overlapping = [set() for _ in gold]  # gold index -> predictions overlapping it in cue and content
    for p, golds in enumerate(candidates):
        for g in golds:
            overlapping[g].add(p)
    out = [_record(article, "missed", _why(bool(overlapping[g]), cues["gold"][g], cues["pred"]), text, att)
           for g, att in enumerate(gold) if g not in matched]
    used = set(matched.values())
    out += [_record(article, "false", _why(bool(candidates[p]), cues["pred"][p], cues["gold"]), text, att)
            for p, att in enumerate(predicted) if p not in used]
    return out


def _why(overlaps_one: bool, cue, other_cues) -> str:
    """How far an unmatched attribution got (see the module docstring), from either side."""
    if overlaps_one:
        return "taken"
    return "content" if any(_overlap(cue, other) for other in other_cues) else "cue"
