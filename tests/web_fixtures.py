"""Hand-built analysed articles for the web tests: spans found by searching the text,
so the page can be tested independently of how good the extractors are."""

from __future__ import annotations

import re

from sourcetrace.model import (
    Article,
    Attribution,
    Certainty,
    CertaintyMarker,
    ChainLink,
    ContentKind,
    Quantity,
    Source,
    SourceType,
    SourcingProfile,
    Span,
    Statement,
)

TEXT = (
    "Biden approves strikes\n"
    "\n"
    "US President Joe Biden has reportedly approved strikes deep within Russia, "
    "the New York Times (NYT) has claimed, citing anonymous officials in Washington.\n"
    "\n"
    "The operation has cost Ukraine over 32,600 casualties, according to Russian military estimates. "
    "An ATACMS missile can carry a 214kg warhead.\n"
)


def span(text: str, phrase: str) -> Span:
    start = text.index(phrase)
    return Span.of(text, start, start + len(phrase))


def sentences(text: str) -> list[Span]:
    return [Span.of(text, m.start(), m.end()) for m in re.finditer(r"[^\n.]+\.?", text) if m.group().strip()]


def built_article(text: str = TEXT, outlet: str | None = "RT") -> Article:
    nyt = ChainLink(source_id="nyt", name="New York Times", type=SourceType.media)
    anon = ChainLink(source_id="anon", name="anonymous officials in Washington", type=SourceType.anonymous)
    est = ChainLink(source_id="est", name="Russian military estimates", type=SourceType.document)
    reportedly = CertaintyMarker(span=span(text, "reportedly"), kind=Certainty.hedged)
    a1 = Attribution(
        id="a1",
        source=[span(text, "the New York Times (NYT)")],
        cue=[span(text, "has claimed")],
        content=[span(text, "US President Joe Biden has reportedly approved strikes deep within Russia")],
        source_id="nyt",
        chain=[nyt, anon],
        certainty=Certainty.hedged,
        certainty_markers=[reportedly],
    )
    a2 = Attribution(
        id="a2",
        source=[span(text, "anonymous officials in Washington")],
        cue=[span(text, "citing")],
        parent_id="a1",
        source_id="anon",
        chain=[nyt, anon],
    )
    a3 = Attribution(
        id="a3",
        source=[span(text, "Russian military estimates")],
        cue=[span(text, "according to")],
        content=[span(text, "The operation has cost Ukraine over 32,600 casualties")],
        source_id="est",
        chain=[est],
    )
    sents = sentences(text)
    statements = []
    for n, s in enumerate(sents):
        ids = [a.id for a in (a1, a2, a3) if any(s.start <= x.start < s.end for x in a.cue)]
        statements.append(
            Statement(
                id=f"s{n}",
                span=s,
                attribution_ids=ids,
                own_voice=not ids,
                certainty=Certainty.hedged if "a1" in ids else Certainty.reported if ids else Certainty.asserted,
                certainty_markers=[reportedly] if "a1" in ids else [],
            )
        )
    return Article(
        text=text,
        title="Biden approves strikes",
        outlet=outlet,
        attributions=[a1, a2, a3],
        sources=[
            Source(id="nyt", name="New York Times", type=SourceType.media, mentions=a1.source),
            Source(id="anon", name="anonymous officials in Washington", type=SourceType.anonymous, anonymous=True),
            Source(id="est", name="Russian military estimates", type=SourceType.document),
        ],
        statements=statements,
        quantities=[
            Quantity(span=span(text, "over 32,600 casualties"), value=32600, qualifier="over",
                     unit_or_thing="casualties", attribution_id="a3"),
            Quantity(span=span(text, "214kg"), value=214, unit_or_thing="kg"),
        ],
        profile=SourcingProfile(statements=len(statements), attributed_share=0.5, anonymous_share=0.25,
                                named_sources={"New York Times": 1}, anonymous_sources=1, deepest_chain=2, hedges=1),
    )


def only_attributions(article: Article) -> Article:
    """The same article as an extractor alone would leave it (no claim-stage fields)."""
    bare = [a.model_copy(update={"chain": [], "source_id": None, "certainty_markers": []}) for a in article.attributions]
    return Article(text=article.text, attributions=bare)


__all__ = ["built_article", "only_attributions", "span", "ContentKind"]
