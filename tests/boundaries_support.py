"""Attributions placed by their words, and the rules pipeline, for the content-boundary tests."""

from __future__ import annotations

import pytest

from sourcetrace.model import Attribution, Span
from sourcetrace.nlp.pipeline import load_pipeline


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline("rules")


def attribution(text: str, cue: str, *contents: str) -> Attribution:
    """An attribution whose cue and content pieces are the first occurrences of these words in ``text``."""
    c = text.index(cue)
    spans = [Span.of(text, s, s + len(piece)) for piece in contents for s in [text.index(piece)]]
    return Attribution(id="a1", cue=[Span.of(text, c, c + len(cue))], content=spans)
