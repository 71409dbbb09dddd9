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

from .. import deadline
from ..model import Article, Attribution, ContentKind, SourceType, Span
from ..nlp.quotes import quoted_kind
from .certainty import attribution_certainty
from .lexicon import HAND_ON_CUES, NORM_NOUNS
from .sources import describe
from .spans import TIME_STAMP, doc_text
from .chains import build_chains, fold_relays, one_source_per_statement, inherit_sources, headline_attribution, infer_parents, resolve_sources
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
    """Close a cut parenthesis ("the New York Times (NYT"), drop a leading dateline, a trailing participle
    ("Russian military estimates released on Friday" -> "Russian military estimates") and a relay
    ("The Ledger, quoting a board member" -> "The Ledger")."""
    text = doc_text(doc)
    start, end = span.start, min(span.end, len(text))
    if end <= start:
        return span
    piece = text[start:end]
    if piece.count("(") > piece.count(")") and text[end : end + 1] == ")":
        end += 1
    # A dateline swallowed into the subject: "Kyiv, Ukraine (CNN) — Ukrainian President ...", "OSTBURG - The minister"
    dash = max(piece.rfind(" — "), piece.rfind(" – "), piece.rfind(" -- "), piece.rfind(" - "))
    if dash >= 0 and text[start + dash + 3 : end].strip():
        start += dash + 3
        while start < end and text[start] in " -—–":
            start += 1
    # A live blog's time stamp: "09:12 Army", "20:10 - A volunteer"
    stamp = TIME_STAMP.match(text, start, end)
    if stamp and stamp.end() < end:
        start = stamp.end()
    toks = doc.char_span(start, end, alignment_mode="expand")
    if toks is not None and len(toks) > 1:
        root = toks.root
        for tok in toks:
            if tok.head == root and tok.dep_ == "acl" and tok.tag_ in ("VBN", "VBG") and tok.i > root.i:
                end = min(end, tok.idx)
                break
            # "The Ledger, quoting a board member": the relay is a link of the chain, not the source's name.
            if tok.i > root.i and tok.tag_ == "VBG" and tok.lemma_.lower() in HAND_ON_CUES and doc[tok.i - 1].text == ",":
                end = min(end, doc[tok.i - 1].idx)
                break
            # "The Supreme Court on Thursday", "Brightwater Energy today": the date is when, not who.
            if tok.i > root.i and tok.ent_type_ in ("DATE", "TIME") and tok.ent_iob_ == "B" or (
                tok.i > toks.start and tok.lower_ in ("today", "yesterday", "tonight")
            ):
                cut = tok.i - 1 if tok.i - 1 > root.i and doc[tok.i - 1].dep_ == "prep" else tok.i
                end = min(end, doc[cut].idx)
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
    before = doc_text(doc)[: att.cue[0].start].rstrip()
    return not before or before[-1] not in ",.;:—–(\n"


_DATELINE_DASH = re.compile(r"\s*(?:—|–|--|-(?=\s))\s*")


def skip_dateline(doc: Doc, att: Attribution) -> None:
    """ "Kyiv, Ukraine (CNN) — Ukrainian President Volodymyr Zelensky said": the speaker follows the dateline."""
    if len(att.source) != 1 or not att.cue:
        return
    text = doc_text(doc)
    src, cue = att.source[0], att.cue[0]
    m = _DATELINE_DASH.match(text, src.end)
    if not m or not src.text.rstrip().endswith(")") or m.end() >= cue.start:
        return
    end = cue.start
    while end > m.end() and text[end - 1] in " ,":
        end -= 1
    if end > m.end() and "\n" not in text[m.end() : end]:
        att.source = [Span.of(text, m.end(), end)]


def is_reason_citation(doc: Doc, att: Attribution) -> bool:
    """ "X, citing her work, ...": a relay whose cited "source" is a reason, not someone or something that speaks."""
    if len(att.cue) != 1 or not att.source:
        return False
    cue = doc.char_span(att.cue[0].start, att.cue[0].end, alignment_mode="expand")
    if cue is None or len(cue) != 1 or cue[0].lemma_.lower() not in HAND_ON_CUES:
        return False
    m = describe(doc, att.source[0].start, att.source[-1].end)
    return m is not None and m.type == SourceType.unknown and not m.pronoun


_NOBODY = re.compile(r"(?:neither|none|nobody|no one|no)\b", re.I)


def is_nobody(att: Attribution) -> bool:
    """ "Neither side has commented", "None of the contestants has spoken": nobody said anything."""
    return bool(att.source) and bool(_NOBODY.match(att.source[0].text.lstrip(" \"'“‘(")))


def _clean(article: Article, doc: Doc) -> list[Attribution]:
    """Unique ids, no title quotes or norm references, no exact duplicates; add a headline attribution."""
    out: list[Attribution] = []
    seen_ids: set[str] = set()
    seen_spans: set[tuple] = set()
    for i, att in enumerate(article.attributions):
        deadline.check()
        key = tuple((s.start, s.end) for s in (*att.source, *att.cue, *att.content))
        if (
            key in seen_spans
            or is_title_quote(article.text, att)
            or is_norm_reference(doc, att)
            or is_reason_citation(doc, att)
            or is_nobody(att)
        ):
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
    try:
        return _enrich(article, doc)
    finally:
        # Caches of the text, entities and matches: not for whoever holds the Doc next (to_bytes, pickling).
        for key in [k for k in doc.user_data if isinstance(k, str) and k.startswith("sourcetrace_")]:
            del doc.user_data[key]


def _enrich(article: Article, doc: Doc) -> Article:
    if article.published is None:
        article.published = published_from_text(article.text)
    # The request's time budget is checked per attribution (or token) inside each step (issue #11), so each step
    # checks first and last; between two steps only where one's tail or the next one's head is long.
    atts = _clean(article, doc)
    for att in atts:
        deadline.check()
        att.source = [tidy_source(doc, s) for s in att.source]
        skip_dateline(doc, att)
        if att.content_kind == ContentKind.indirect:  # the default: an extractor may not have looked at quotes
            att.content_kind = quoted_kind(att.content) or ContentKind.indirect
    atts, origins = fold_relays(doc, atts)
    inherit_sources(doc, atts)
    infer_parents(atts)
    registry, found = resolve_sources(doc, atts, origins)
    deadline.check()  # after the registry's sources are drawn up
    build_chains(atts, registry, found)
    atts = one_source_per_statement(atts)
    for att in atts:
        deadline.check()
        attribution_certainty(doc, att)
    article.attributions = atts
    article.sources = registry.sources()
    article.statements = find_statements(doc, atts)
    deadline.check()  # before the figures' span index is built
    article.quantities = find_quantities(doc, atts)
    article.dates = find_dates(doc, article.published)
    article.profile = sourcing_profile(article)
    return article
