"""Statements: one per sentence, with who stands behind it and how firmly.

A sentence no attribution touches is the outlet's own voice. Fragments with no
verb (captions, bylines, date lines) are not statements.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from .. import deadline
from ..model import Attribution, Certainty, Statement, Span
from ..nlp.span_index import SpanIndex
from .certainty import _cue_marker, _dedupe, markers_in, strongest
from .spans import doc_text, overlaps, token_span


_LINE_BREAK = re.compile(r"\n\s*\n|\n(?=\s*[^a-z\s])")


def _pieces(doc: Doc):
    """Sentences, cut again at line breaks that end a line of their own (date lines, headlines, captions).

    A break followed by a lower-case word is a hard wrap inside a sentence and stays.
    """
    text = doc_text(doc)
    for sent in doc.sents:
        start = sent.start_char
        for cut in [*_LINE_BREAK.finditer(text, sent.start_char, sent.end_char), None]:
            end = cut.start() if cut else sent.end_char
            s, e = start, end
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if cut:
                start = cut.end()
            if e > s:
                yield s, e


def find_statements(doc: Doc, atts: list[Attribution]) -> list[Statement]:
    out: list[Statement] = []
    # Each sentence meets only the attributions near it: all of them for every sentence was quadratic (#11).
    index = SpanIndex.of(atts, lambda a: (*a.content, *a.cue))
    for start, end in _pieces(doc):
        deadline.check()
        span = token_span(doc, start, end)
        if span is None or not any(t.pos_ in ("VERB", "AUX") for t in span):
            continue
        near = index.overlapping_range(start, end)  # in the order of atts
        ids = [a.id for a in near]
        markers = markers_in(doc, start, end)
        for a in near:
            if a.id in ids:
                for s in a.cue:
                    if overlaps(s.start, s.end, start, end):
                        cue = _cue_marker(doc, s)
                        if cue is not None:
                            markers.append(cue)
        markers = _dedupe(markers)
        own = not ids
        out.append(
            Statement(
                id=f"t{len(out) + 1}",
                span=Span.of(doc_text(doc), start, end),
                attribution_ids=ids,
                own_voice=own,
                certainty=strongest(markers, Certainty.asserted if own else Certainty.reported),
                certainty_markers=markers,
            )
        )
    return out
