"""Claim semantics: chains, resolved and typed sources, certainty, quantities, dates, profile."""

from __future__ import annotations

from spacy.tokens import Doc

from ..model import Article


def enrich(article: Article, doc: Doc) -> Article:
    """Fill the claim-level fields of ``article`` from its attributions and parse."""
    return article
