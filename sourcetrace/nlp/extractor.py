"""What every attribution extractor looks like, and the spaCy component that runs one.

An extractor reads a parsed ``Doc`` and returns :class:`~sourcetrace.model.Attribution`
objects whose spans are character offsets into ``doc.text``. The component
``sourcetrace_attribution`` stores them on ``doc._.attributions`` so that spaCy
users can drop sourcetrace into their own pipelines::

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("sourcetrace_attribution", config={"extractor": "crf"})
    doc = nlp(text)
    doc._.attributions
"""

from __future__ import annotations

from typing import Callable, Protocol

from spacy.language import Language
from spacy.tokens import Doc

from ..model import Attribution


class Extractor(Protocol):
    name: str

    def __call__(self, doc: Doc) -> list[Attribution]: ...


EXTRACTORS: dict[str, Callable[[], Extractor]] = {}


def register(name: str):
    """Register an extractor factory under ``name`` (used by the component's config)."""

    def deco(factory):
        EXTRACTORS[name] = factory
        return factory

    return deco


def get_extractor(name: str) -> Extractor:
    # Importing the modules registers their extractors.
    from . import hybrid, learned, rules  # noqa: F401

    if name == "default":
        name = DEFAULT_EXTRACTOR
    try:
        return EXTRACTORS[name]()
    except KeyError:
        known = ", ".join(sorted(EXTRACTORS))
        raise ValueError(f"Unknown extractor {name!r}; choose one of: {known}") from None


# The CRF completed by the rules (nlp/hybrid.py): best on every PolNeAR dev score but
# content exact (MODEL_CARD.md). "crf" and "rules" stay selectable.
DEFAULT_EXTRACTOR = "hybrid"

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)


class AttributionComponent:
    def __init__(self, extractor: str):
        self.extractor = get_extractor(extractor)

    def __call__(self, doc: Doc) -> Doc:
        doc._.attributions = self.extractor(doc)
        return doc


@Language.factory("sourcetrace_attribution", default_config={"extractor": "default"})
def make_attribution_component(nlp: Language, name: str, extractor: str) -> AttributionComponent:
    return AttributionComponent(extractor)
