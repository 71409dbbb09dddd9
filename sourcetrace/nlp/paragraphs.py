"""Paragraph breaks are sentence breaks: a spaCy component that tells the parser so.

News text puts the dateline, headline, captions and every paragraph on their
own lines, often without final punctuation, and the statistical parser then
runs a "sentence" over the break (a headline becomes the subject of the first
paragraph). Marking the first token after a line break as a sentence start
before the parser runs keeps every parse inside its paragraph; the parser
respects boundaries set before it.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


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
    return doc
