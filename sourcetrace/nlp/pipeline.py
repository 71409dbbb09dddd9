"""The full spaCy pipeline: the English model plus the attribution component."""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language

from . import extractor as _extractor  # noqa: F401  (registers the component factory)
from .spacy_model import installed_model_name


@functools.lru_cache(maxsize=4)
def load_pipeline(extractor: str = "default") -> Language:
    """English model + ``sourcetrace_attribution``; loaded once per extractor per process."""
    nlp = spacy.load(installed_model_name())
    nlp.add_pipe("sourcetrace_attribution", config={"extractor": extractor})
    return nlp
