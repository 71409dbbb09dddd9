"""The library API: ``analyze`` one article; ``annotate``/``annotate_many`` for Articles already ingested."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from . import claims, deadline, ingest
from .ingest.text import check_length
from .model import Article
from .nlp.pipeline import load_pipeline


def analyze(
    text: str | bytes,
    *,
    extractor: str = "default",
    html: bool | None = None,
    language: str | None = None,
    force: bool = False,
    budget: deadline.Budget | None = None,
    **meta,
) -> Article:
    """Analyse one article given as plain text or HTML (``html=None``: detect from the markup).

    ``meta``: id, title, outlet, url, published, authors (yours win over what the input says).
    ``language="en"`` skips the English check; ``force=True`` analyses non-English text anyway.
    ``budget``: stop with AnalysisStopped once it is spent (see :func:`annotate_within`).
    """
    if isinstance(text, bytes):
        article = ingest.from_bytes(text, html=html, language=language, force=force, **meta)
    elif html or (html is None and ingest.looks_like_html(text)):
        article = ingest.from_html(text, language=language, force=force, **meta)
    else:
        article = ingest.from_text(text, language=language, force=force, **meta)
    if budget is not None:
        return annotate_within(article, budget, extractor=extractor)
    return annotate(article, extractor=extractor)


def annotate(article: Article, *, extractor: str = "default") -> Article:
    """Run the NLP and claim stages on an ingested Article (in place) and return it."""
    return next(annotate_many([article], extractor=extractor))


def annotate_many(articles: Iterable[Article], *, extractor: str = "default", batch_size: int = 32) -> Iterator[Article]:
    """Analyse many Articles with ``nlp.pipe`` (fast), yielding each as it is done.

    Texts over the parser's limit raise InputTooLarge: check them first with
    ``ingest.text.check_length`` (ingest does) to keep a batch going.
    """
    nlp = load_pipeline(extractor)
    pairs = ((check_length(a.text) or a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        deadline.check()
        article.attributions = list(doc._.attributions or [])
        claims.enrich(article, doc)
        yield article


def annotate_within(article: Article, budget: deadline.Budget, *, extractor: str = "default") -> Article:
    """:func:`annotate` under a time budget, checked between every stage; raises AnalysisStopped when spent."""
    nlp = load_pipeline(extractor)
    check_length(article.text)
    with deadline.within(budget):
        budget.check()
        doc = nlp.make_doc(article.text)
        for _name, component in nlp.pipeline:
            budget.check()
            doc = component(doc)
        budget.check()
        article.attributions = list(doc._.attributions or [])
        claims.enrich(article, doc)
        return article
