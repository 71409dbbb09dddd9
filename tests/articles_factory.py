"""Build analysed Articles by hand, with exact spans, for store and API tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sourcetrace.model import Article, Attribution, Certainty, CertaintyMarker, Quantity, Source, SourceType, Span, Statement


@dataclass
class Claim:
    source: str  # as written in the text ("Russian President Vladimir Putin", "officials")
    content: str
    cue: str = "said"
    type: SourceType = SourceType.person
    anonymous: bool = False
    certainty: Certainty = Certainty.reported
    entity_name: str | None = None  # Source.name, the fullest form (defaults to ``source``)


def build(
    claims: list[Claim],
    *,
    own_voice: list[str] = (),
    outlet: str | None = "Daily Planet",
    published: dt.date | None = dt.date(2024, 11, 22),
    url: str | None = None,
    title: str = "A story",
) -> Article:
    """'SOURCE CUE that CONTENT.' per claim, then own-voice sentences; spans point at the exact words."""
    text = ""
    attributions, sources, statements, quantities = [], [], [], []
    for i, c in enumerate(claims, 1):
        start = len(text)
        s0 = start
        text += c.source
        s1 = len(text)
        text += " "
        c0 = len(text)
        text += c.cue
        c1 = len(text)
        text += " that "
        k0 = len(text)
        text += c.content
        k1 = len(text)
        text += ". "
        sid = f"s{i}"
        sources.append(
            Source(id=sid, name=c.entity_name or c.source, type=c.type, anonymous=c.anonymous, mentions=[Span.of(text, s0, s1)])
        )
        markers = []
        if c.certainty == Certainty.hedged:
            markers = [CertaintyMarker(span=Span.of(text, c0, c1), kind=Certainty.hedged, distancing=True)]
        attributions.append(
            Attribution(
                id=f"a{i}",
                source=[Span.of(text, s0, s1)],
                cue=[Span.of(text, c0, c1)],
                content=[Span.of(text, k0, k1)],
                source_id=sid,
                certainty=c.certainty,
                certainty_markers=markers,
                extractor="test",
            )
        )
        statements.append(Statement(id=f"t{i}", span=Span.of(text, start, k1 + 1), attribution_ids=[f"a{i}"], own_voice=False))
        for word_start in _numbers(text, k0, k1):
            quantities.append(Quantity(span=Span.of(text, *word_start), value=float(text[slice(*word_start)]), attribution_id=f"a{i}"))
    for j, sentence in enumerate(own_voice, len(claims) + 1):
        start = len(text)
        text += sentence
        statements.append(Statement(id=f"t{j}", span=Span.of(text, start, len(text)), certainty=Certainty.asserted))
        text += " "
    return Article(
        text=text.strip(),
        title=title,
        outlet=outlet,
        url=url,
        published=published,
        attributions=attributions,
        sources=sources,
        statements=statements,
        quantities=quantities,
    )


def _numbers(text: str, start: int, end: int):
    i = start
    while i < end:
        if text[i].isdigit():
            j = i
            while j < end and text[j].isdigit():
                j += 1
            yield (i, j)
            i = j
        else:
            i += 1
