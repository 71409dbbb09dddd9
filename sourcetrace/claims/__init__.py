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

from ..model import Article, Attribution, Span
from .certainty import attribution_certainty
from .lexicon import NORM_NOUNS
from .chains import build_chains, fold_relays, inherit_sources, headline_attribution, infer_parents, resolve_sources
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


def tidy_source(doc: Doc, span: Span) -> Span:
    """Close a cut parenthesis ("the New York Times (NYT") and drop a trailing participle
    ("Russian military estimates released on Friday" -> "Russian military estimates")."""
    text = doc.text
    start, end = span.start, min(span.end, len(text))
    if end <= start:
        return span
    piece = text[start:end]
    if piece.count("(") > piece.count(")") and text[end : end + 1] == ")":
        end += 1
    toks = doc.char_span(start, end, alignment_mode="expand")
    if toks is not None and len(toks) > 1:
        root = toks.root
        for tok in toks:
            if tok.head == root and tok.dep_ == "acl" and tok.tag_ in ("VBN", "VBG") and tok.i > root.i:
                end = min(end, tok.idx)
                break
        while end > start and text[end - 1] in " ,\n":
            end -= 1
    return span if (start, end) == (span.start, span.end) else Span.of(text, start, end)


def is_norm_reference(doc: Doc, att: Attribution) -> bool:
    """ "is proceeding according to a treaty": "in accordance with", not a source speaking."""
    cue = " ".join(s.text.lower() for s in att.cue)
    if cue not in ("according to", "in accordance with") or not att.source:
        return False
    src = doc.char_span(att.source[0].start, att.source[0].end, alignment_mode="expand")
    if src is None or src.root.lemma_.lower() not in NORM_NOUNS:
        return False
    before = doc.text[: att.cue[0].start].rstrip()
    return not before or before[-1] not in ",.;:—–(\n"


def _clean(article: Article, doc: Doc) -> list[Attribution]:
    """Unique ids, no title quotes or norm references, no exact duplicates; add a headline attribution."""
    out: list[Attribution] = []
    seen_ids: set[str] = set()
    seen_spans: set[tuple] = set()
    for i, att in enumerate(article.attributions):
        key = tuple((s.start, s.end) for s in (*att.source, *att.cue, *att.content))
        if key in seen_spans or is_title_quote(article.text, att) or is_norm_reference(doc, att):
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
    atts = _clean(article, doc)
    for att in atts:
        att.source = [tidy_source(doc, s) for s in att.source]
    atts, origins = fold_relays(doc, atts)
    inherit_sources(doc, atts)
    infer_parents(atts)
    registry, found = resolve_sources(doc, atts, origins)
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
