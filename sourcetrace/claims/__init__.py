"""Claim semantics: chains, resolved and typed sources, certainty, quantities, dates, profile.

``enrich(article, doc)`` turns the extractor's spans into what a fact-checker
reads: whose claim it is (one entity per source), through whom it reached the
page (the chain), how firmly it is put (certainty and the words that say so),
what figures and dates it carries, and the article's sourcing profile. It
accepts any extractor output: empty sources, overlapping or nested
attributions, duplicate ids, spans that cut tokens.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from ..model import Article, Attribution, ContentKind
from .certainty import attribution_certainty
from .chains import build_chains, headline_attribution, infer_parents, resolve_sources
from .dates import find_dates, published_from_text
from .profile import sourcing_profile
from .quantities import find_quantities
from .statements import find_statements

_WORK_NOUNS = re.compile(
    r"\b(?:film|movie|book|novel|song|album|show|series|documentary|play|poem|article|column|headline|essay|"
    r"podcast|programme|program|titled|entitled|called|dubbed|named|campaign|operation)\s*[,:]?\s*$",
    re.I,
)


def is_title_quote(text: str, att: Attribution) -> bool:
    """A quoted title ("the film 'War and Peace'") is a name, not somebody's statement."""
    if att.cue or not att.content:
        return False
    first = min(att.content, key=lambda s: s.start)
    inner = " ".join(s.text for s in att.content).strip(" \"'“”‘’")
    words = inner.split()
    if not words or len(words) > 10:
        return False
    before = text[max(0, first.start - 40) : first.start].rstrip(" \"'“‘")
    small = {"a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "at", "by", "with", "from"}
    title_case = all(w[:1].isupper() or w.lower() in small or not w[:1].isalpha() for w in words)
    return bool(_WORK_NOUNS.search(before)) or (title_case and len(words) <= 6 and not inner.endswith((".", "!", "?")))


def _clean(article: Article) -> list[Attribution]:
    """Unique ids, no title quotes, no exact duplicates; add a headline attribution."""
    out: list[Attribution] = []
    seen_ids: set[str] = set()
    seen_spans: set[tuple] = set()
    for i, att in enumerate(article.attributions):
        key = tuple((s.start, s.end) for s in (*att.source, *att.cue, *att.content))
        if key in seen_spans or is_title_quote(article.text, att):
            continue
        seen_spans.add(key)
        if not att.id or att.id in seen_ids:
            att.id = f"{att.id or 'a'}-{i + 1}"
        seen_ids.add(att.id)
        out.append(att)
    head = headline_attribution(article.text, article.title, out)
    if head is not None and head.id not in seen_ids:
        out.insert(0, head)
    return out


def enrich(article: Article, doc: Doc) -> Article:
    """Fill the claim-level fields of ``article`` from its attributions and parse."""
    if article.published is None:
        article.published = published_from_text(article.text)
    atts = _clean(article)
    for att in atts:
        if att.content and att.content_kind is None:
            att.content_kind = ContentKind.indirect
    infer_parents(atts)
    registry, found = resolve_sources(doc, atts)
    build_chains(atts, registry, found)
    for att in atts:
        attribution_certainty(doc, att)
    article.attributions = atts
    article.sources = registry.sources()
    article.statements = find_statements(doc, atts)
    article.quantities = find_quantities(doc, atts)
    article.dates = find_dates(doc, article.published)
    article.profile = sourcing_profile(article)
    return article
