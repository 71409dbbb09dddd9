"""Build attributions from the words of a test text and run the claim stage on them."""

from __future__ import annotations

from sourcetrace import claims
from sourcetrace.model import Article, Attribution, ContentKind, Span
from sourcetrace.nlp.spacy_model import load_base


def span(text: str, words: str, after: int = 0) -> Span:
    start = text.index(words, after)
    return Span.of(text, start, start + len(words))


def att(text: str, id: str, source: str | None, cue: str, content: str | None, *, near: str | None = None,
        kind: ContentKind = ContentKind.indirect) -> Attribution:
    """An attribution from its words; ``near`` picks the occurrence after that fragment."""
    after = text.index(near) if near else 0
    src = span(text, source, after) if source else None

    def find(words: str) -> Span:
        # Cue and content are looked for after the source first ("X said ..."), then anywhere after ``near``.
        if src is not None and words in text[src.start :]:
            return span(text, words, src.start)
        return span(text, words, after)

    return Attribution(
        id=id,
        source=[src] if src else [],
        cue=[find(cue)],
        content=[find(content)] if content else [],
        content_kind=kind,
    )


def enrich(text: str, attributions: list[Attribution], **meta) -> Article:
    article = Article(text=text, attributions=attributions, **meta)
    return claims.enrich(article, load_base()(text))


def source_of(article: Article, attribution_id: str):
    a = next(a for a in article.attributions if a.id == attribution_id)
    return next(s for s in article.sources if s.id == a.source_id)


def chain_names(article: Article, attribution_id: str) -> list[str]:
    return [link.name for link in next(a for a in article.attributions if a.id == attribution_id).chain]
