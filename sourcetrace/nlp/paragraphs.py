"""Paragraph breaks are sentence breaks, and no sentence runs on for ever: spaCy components that tell the parser so.

News text puts the dateline, headline, captions and every paragraph on their
own lines, often without final punctuation, and the statistical parser then
runs a "sentence" over the break (a headline becomes the subject of the first
paragraph). Marking the first token after a line break as a sentence start
before the parser runs keeps every parse inside its paragraph; the parser
respects boundaries set before it.

The extractors and claim stages do work per sentence that grows with the
square of its length (every cue against every token, parse-tree walks). One
sentence of 1,000 reporting clauses (49 KB, issue #11) took minutes and
gigabytes. So a stretch longer than ``MAX_SENTENCE_TOKENS`` with no sentence
start is cut before the parser: where a sentence probably ends (". The"),
else after a comma, semicolon or colon, else at the limit. News sentences and
paragraphs are far shorter, so ordinary text is parsed exactly as before.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

MAX_SENTENCE_TOKENS = 200
_ENDS = frozenset({".", "!", "?"})
_PAUSES = frozenset({",", ";", ":"})


@Language.component("sourcetrace_paragraphs")
def mark_paragraph_starts(doc: Doc) -> Doc:
    after_break = False
    for tok in doc:
        if "\n" in tok.text and tok.is_space:
            after_break = True
            continue
        if after_break and not tok.is_space:
            tok.is_sent_start = True
        after_break = after_break and tok.is_space
        if "\n" in tok.whitespace_:
            after_break = True
    return split_long_runs(doc)


def split_long_runs(doc: Doc, limit: int = MAX_SENTENCE_TOKENS) -> Doc:
    """Mark a sentence start wherever ``limit`` tokens pass without one (see the module docstring)."""
    start = 0
    for i in range(1, len(doc)):
        if doc[i].is_sent_start:
            start = i
        elif i - start >= limit:
            start = _cut(doc, start + limit // 2, i)
            doc[start].is_sent_start = True
    return doc


def _cut(doc: Doc, lo: int, hi: int) -> int:
    """The best sentence start in ``(lo, hi]``: after a likely sentence end, else after a pause, else ``hi``."""
    pause = None
    for j in range(hi, lo, -1):
        before, tok = doc[j - 1].text, doc[j]
        if before in _ENDS and (tok.is_title or tok.is_quote or tok.is_digit):
            return j
        if pause is None and before in _PAUSES:
            pause = j
    return pause if pause is not None else hi
