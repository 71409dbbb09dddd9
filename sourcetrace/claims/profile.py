"""The sourcing profile of an article: how much rests on whom, and how firmly."""

from __future__ import annotations

from collections import Counter

from ..model import Article, Certainty, Source, SourceType, SourcingProfile


def is_named(source: Source) -> bool:
    """A source the text identifies: not anonymous, not an unidentified group ("critics"), not a body
    known only by its kind ("an industry group"), and not a document known only by what it is
    ("internal emails", "its own records")."""
    if source.type in (SourceType.anonymous, SourceType.unknown):
        return False
    words = source.name.split()
    indefinite = [w.lower() for w in words[:1]] in (["a"], ["an"], ["some"])
    capital = any(c.isupper() for c in " ".join(words[1:] if indefinite else words))  # "An industry group": no name
    if not capital and indefinite and len(words) <= 3:
        return False  # "an industry group", "a local firm": which one, the text does not say
    return source.type != SourceType.document or capital


def sourcing_profile(article: Article) -> SourcingProfile:
    by_id = {a.id: a for a in article.attributions}
    sources = {s.id: s for s in article.sources}
    statements = article.statements
    n = len(statements)

    def rests_on_anonymous(attribution_id: str) -> bool:
        a = by_id.get(attribution_id)
        if a is None:
            return False
        if a.chain:
            return a.chain[-1].type == SourceType.anonymous
        src = sources.get(a.source_id or "")
        return bool(src and src.anonymous)

    attributed = [s for s in statements if not s.own_voice]
    anonymous = [s for s in attributed if any(rests_on_anonymous(i) for i in s.attribution_ids)]
    named = Counter(
        sources[a.source_id].name
        for a in article.attributions
        if a.source_id in sources and is_named(sources[a.source_id])
    )
    hedge_spans = {
        (m.span.start, m.span.end)
        for owner in (*statements, *article.attributions)
        for m in owner.certainty_markers
        if m.kind == Certainty.hedged
    }
    return SourcingProfile(
        statements=n,
        attributed_share=round(len(attributed) / n, 3) if n else 0.0,
        anonymous_share=round(len(anonymous) / n, 3) if n else 0.0,
        named_sources=dict(named.most_common()),
        anonymous_sources=sum(1 for s in article.sources if s.anonymous),
        deepest_chain=max((len(a.chain) for a in article.attributions), default=0),
        hedges=len(hedge_spans),
    )
