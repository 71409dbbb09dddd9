"""The library API: ``analyze`` one article, ``analyze_many`` for batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from . import claims, ingest
from .model import Article
from .nlp.pipeline import load_pipeline


def analyze(text: str, *, extractor: str = "default", **meta) -> Article:
    """Analyse one article given as plain text. ``meta``: title, outlet, url, published, authors."""
    return annotate(ingest.from_text(text, **meta), extractor=extractor)


def annotate(article: Article, *, extractor: str = "default") -> Article:
    """Run the NLP and claim stages on an ingested Article (in place) and return it."""
    return next(annotate_many([article], extractor=extractor))


def annotate_many(articles: Iterable[Article], *, extractor: str = "default", batch_size: int = 32) -> Iterator[Article]:
    nlp = load_pipeline(extractor)
    articles = iter(articles)
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        article.attributions = list(doc._.attributions or [])
        claims.enrich(article, doc)
        yield article
