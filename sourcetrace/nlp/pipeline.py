"""The full spaCy pipeline: the English model plus the attribution component."""

from __future__ import annotations

import functools
import re

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


# A run of one punctuation mark (50 x 5,000 quotation marks, issue #11) is one token, not thousands:
# every later stage costs per token. News has no such runs, so its tokens are as before.
_PUNCT_RUN = re.compile(r"^([^\w\s])\1{3,}$")


@functools.lru_cache(maxsize=4)
def _load(extractor: str) -> Language:
    nlp = spacy.load(installed_model_name())
    if nlp.tokenizer.token_match is None:
        nlp.tokenizer.token_match = _PUNCT_RUN.match
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("sourcetrace_paragraphs", before="parser")
    nlp.add_pipe("sourcetrace_attribution", config={"extractor": extractor})
    return nlp
