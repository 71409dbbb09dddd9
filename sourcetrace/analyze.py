"""The library API: ``analyze`` one article, ``analyze_many`` for batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from . import claims, ingest
from .model import Article
from .nlp.pipeline import load_pipeline


def analyze(
    text: str | bytes,
    *,
    extractor: str = "default",
    html: bool | None = None,
    language: str | None = None,
    force: bool = False,
    **meta,
) -> Article:
    """Analyse one article given as plain text or HTML (``html=None``: detect from the markup).

    ``meta``: id, title, outlet, url, published, authors (yours win over what the input says).
    ``language="en"`` skips the English check; ``force=True`` analyses non-English text anyway.
    """
    if isinstance(text, bytes):
        article = ingest.from_bytes(text, html=html, language=language, force=force, **meta)
    elif html or (html is None and ingest.looks_like_html(text)):
        article = ingest.from_html(text, language=language, force=force, **meta)
    else:
        article = ingest.from_text(text, language=language, force=force, **meta)
    return annotate(article, extractor=extractor)


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
