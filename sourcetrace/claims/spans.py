"""Small helpers for character spans shared by the claim modules."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from spacy.tokens import Doc, Span as TokenSpan

from ..model import Attribution, Span
from ..nlp.spacy_model import doc_text  # noqa: F401  (re-exported for the claim modules)


# A live blog's time stamp opening a line or a name: "09:12 Army", "20:10 - A volunteer"
TIME_STAMP = re.compile(r"\d{1,2}[:.]\d{2}\b\s*(?:[-–—]\s*)?")


def doc_ents(doc: Doc) -> tuple:
    """``doc.ents``, built once (spaCy rebuilds the tuple on each access, ``Span.ents`` too)."""
    ents = doc.user_data.get("sourcetrace_ents")
    if ents is None:
        ents = doc.user_data["sourcetrace_ents"] = tuple(doc.ents)
    return ents


def ents_in(span: TokenSpan) -> list[TokenSpan]:
    """The entities inside ``span``, found by bisection (a scan of all, per span, was quadratic: #11)."""
    ents = doc_ents(span.doc)
    starts = span.doc.user_data.get("sourcetrace_ent_starts")
    if starts is None or len(starts) != len(ents):
        starts = span.doc.user_data["sourcetrace_ent_starts"] = [e.start for e in ents]
    lo, hi = bisect.bisect_left(starts, span.start), bisect.bisect_left(starts, span.end)
    return [e for e in ents[lo:hi] if e.end <= span.end]


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def inside(start: int, end: int, spans: Iterable[Span]) -> bool:
    """Whether [start, end) lies within one of ``spans``."""
    return any(s.start <= start and end <= s.end for s in spans)


def all_spans(att: Attribution) -> list[Span]:
    return [*att.source, *att.cue, *att.content]


def first_start(att: Attribution) -> int:
    spans = all_spans(att)
    return min((s.start for s in spans), default=0)


def text_of(spans: list[Span]) -> str:
    return " ".join(s.text.strip() for s in spans if s.text.strip())


def token_span(doc: Doc, start: int, end: int) -> TokenSpan | None:
    """The tokens covering [start, end), tolerant of offsets that cut a token."""
    start = max(0, min(start, len(doc_text(doc))))
    end = max(start, min(end, len(doc_text(doc))))
    if end <= start:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    return span if span is not None and len(span) else None


def trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past surrounding whitespace and punctuation (not closing parentheses)."""
    text = doc_text(doc)
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    while start < end and (text[start].isspace() or text[start] in ",;:—–-\"'“”‘’"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:.—–-\"'“”‘’"):
        end -= 1
    return start, end
