"""The full spaCy pipeline: the English model plus the attribution component."""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language

from . import extractor as _extractor  # noqa: F401  (registers the component factory)
from . import paragraphs as _paragraphs  # noqa: F401  (registers sourcetrace_paragraphs)
from .spacy_model import installed_model_name


@functools.lru_cache(maxsize=4)
def load_pipeline(extractor: str = "default") -> Language:
    """English model + ``sourcetrace_attribution``; loaded once per extractor per process.

    Line breaks are marked as sentence starts before the parser, so a headline
    or dateline is never parsed as part of the paragraph below it.
    """
    nlp = spacy.load(installed_model_name())
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("sourcetrace_paragraphs", before="parser")
    nlp.add_pipe("sourcetrace_attribution", config={"extractor": extractor})
    return nlp
