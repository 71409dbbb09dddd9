"""The full spaCy pipeline: the English model plus the attribution component."""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language

from . import extractor as _extractor  # registers the component factory
from . import paragraphs as _paragraphs  # noqa: F401  (registers sourcetrace_paragraphs)
from .extractor import check_extractor
from .spacy_model import installed_model_name


def load_pipeline(extractor: str = "default") -> Language:
    """English model + ``sourcetrace_attribution``; loaded once per extractor per process.

    Line breaks are marked as sentence starts before the parser, so a headline
    or dateline is never parsed as part of the paragraph below it. "default"
    and the name it stands for share one pipeline.
    """
    check_extractor(extractor)
    return _load(_extractor.DEFAULT_EXTRACTOR if extractor == "default" else extractor)


@functools.lru_cache(maxsize=4)
def _load(extractor: str) -> Language:
    nlp = spacy.load(installed_model_name())
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("sourcetrace_paragraphs", before="parser")
    nlp.add_pipe("sourcetrace_attribution", config={"extractor": extractor})
    return nlp
