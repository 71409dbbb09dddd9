"""Chains of sources: through whom a claim reached the page.

A claim's chain runs from the outermost source after the outlet down to its
origin. Links come from four places the prose puts them:

* nesting: an attribution inside another's content ("X said Y told Z that ...");
* hand-on cues beside the cue: "the NYT has claimed, citing anonymous officials";
* the recipient of a cue: "the officials told NYT" (the NYT passed it on);
* a possessive owner: "the NYT's sources said" (the sources reached us via the NYT),
  and, once an entity is known to have been cited by another, any later claim of
  theirs ("the sources also claimed") reaches us through the one that cited them.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from ..model import Attribution, ChainLink, ContentKind, Span
from . import lexicon as lx
from .sources import Entity, Registry, describe
from .spans import all_spans, first_start, inside, overlaps, token_span, trim

_HEADLINE = re.compile(
    r"^(?P<source>[A-Z][^:\n]{0,60}?)\s+(?P<cue>reports?|says?|claims?|reveals?|alleges?|confirms?|warns?|writes?|insists?|denies)\s*:\s*(?P<content>\S[^\n]*?)\s*$",
    re.M,
)


_SPEAKING = {"say", "speak", "talk", "tell", "explain", "confirm", "write", "reveal", "admit", "acknowledge", "announce", "complain", "insist", "claim"}


def headline_attribution(article_text: str, title: str | None, existing: list[Attribution]) -> Attribution | None:
    """ "NYT reports: ..." in the headline is an attribution (when the headline is in the text)."""
    head = article_text[:600]
    for m in _HEADLINE.finditer(head):
        line_start, line_end = m.start(), m.end()
        if title and title.strip() not in m.group(0) and m.group(0).strip() not in title:
            continue
        if any(overlaps(s.start, s.end, line_start, line_end) for a in existing for s in all_spans(a)):
            return None
        return Attribution(
            id="headline",
            source=[Span.of(article_text, m.start("source"), m.end("source"))],
            cue=[Span.of(article_text, m.start("cue"), m.end("cue"))],
            content=[Span.of(article_text, m.start("content"), m.end("content"))],
            content_kind=ContentKind.indirect,
            extractor="headline",
        )
    return None


def _np_bounds(tok) -> tuple[int, int]:
    sub = list(tok.subtree)
    return sub[0].idx, sub[-1].idx + len(sub[-1].text)


def _cue_tokens(doc: Doc, att: Attribution):
    toks = []
    for s in att.cue:
        span = token_span(doc, s.start, s.end)
        if span is not None:
            toks.extend(span)
    return toks


def hand_on_origin(doc: Doc, att: Attribution) -> tuple[int, int] | None:
    """ "..., citing anonymous officials": the NP a cue hands the claim on from."""
    cues = _cue_tokens(doc, att)
    if not cues:
        return None
    sent = cues[0].sent
    for tok in sent:
        if tok.lemma_.lower() not in lx.HAND_ON_CUES or tok.pos_ != "VERB":
            continue
        if inside(tok.idx, tok.idx + len(tok.text), att.content):
            continue
        # Attached to this cue (or to the clause the cue heads).
        anc = {t.i for t in tok.ancestors}
        if not any(c.i in anc or c.head.i == tok.i or c.i == tok.head.i for c in cues):
            continue
        for child in tok.children:
            if child.dep_ in ("dobj", "obj", "attr", "pobj"):
                start, end = _np_bounds(child)
                return trim(doc, start, end)
    return None


def recipient(doc: Doc, att: Attribution) -> tuple[int, int] | None:
    """ "told NYT", "said in an interview with CNN": who the source spoke to."""
    for tok in _cue_tokens(doc, att):
        for child in tok.children:
            target = None
            if child.dep_ in ("dative", "dobj", "iobj") and tok.lemma_ in ("tell", "inform", "brief"):
                target = child
            elif child.dep_ == "prep" and child.lower_ in ("to", "with") and tok.lemma_ in _SPEAKING:
                target = next((g for g in child.children if g.dep_ == "pobj"), None)
            if (
                target is not None
                and target.pos_ in ("PROPN", "NOUN")
                and not inside(target.idx, target.idx + 1, att.content)
                and not inside(target.idx, target.idx + 1, att.source)
            ):
                return trim(doc, *_np_bounds(target))
    return None


def infer_parents(atts: list[Attribution]) -> None:
    """Set ``parent_id`` where an attribution sits inside another's content (innermost wins)."""
    by_id = {a.id: a for a in atts}
    for a in atts:
        if a.parent_id and a.parent_id in by_id and a.parent_id != a.id:
            continue
        a.parent_id = None
        anchor = a.cue or a.source or a.content
        if not anchor:
            continue
        s = anchor[0]
        best = None
        for b in atts:
            if b is a or not b.content:
                continue
            if inside(s.start, s.end, b.content) and not (b.cue and inside(b.cue[0].start, b.cue[0].end, a.content)):
                size = sum(c.end - c.start for c in b.content)
                if best is None or size < best[0]:
                    best = (size, b)
        if best is not None:
            a.parent_id = best[1].id


def resolve_sources(doc: Doc, atts: list[Attribution]) -> tuple[Registry, dict[str, dict]]:
    """Resolve every mention in reading order; return the registry and, per attribution, its entities."""
    reg = Registry(doc)
    events = []  # (start, order, kind, att, (start, end))
    for a in atts:
        if a.source:
            s = min(a.source, key=lambda x: x.start)
            e = max(a.source, key=lambda x: x.end)
            events.append((s.start, 1, "source", a, (s.start, e.end)))
        origin = hand_on_origin(doc, a)
        if origin:
            events.append((origin[0], 1, "origin", a, origin))
        rec = recipient(doc, a)
        if rec:
            events.append((rec[0], 1, "recipient", a, rec))
    events.sort(key=lambda ev: (ev[0], ev[1]))
    found: dict[str, dict] = {a.id: {} for a in atts}
    for _, _, kind, a, (start, end) in events:
        m = describe(doc, start, end)
        if m is None:
            continue
        owner = None
        if kind == "source" and m.owner_start is not None:
            om = describe(doc, m.owner_start, m.owner_end)
            if om is not None and not om.pronoun:
                owner = reg.resolve(om)
                found[a.id]["owner"] = owner
        ent = reg.resolve(m, owner=owner)
        found[a.id][kind] = ent
        if kind == "origin" and "source" in found[a.id] and ent.cited_by is None and ent is not found[a.id]["source"]:
            ent.cited_by = found[a.id]["source"].id
    # Origins named before their citer ("Citing officials, the NYT said").
    for a in atts:
        f = found[a.id]
        if "origin" in f and "source" in f and f["origin"].cited_by is None and f["origin"] is not f["source"]:
            f["origin"].cited_by = f["source"].id
    return reg, found


def _link(e: Entity) -> ChainLink:
    return ChainLink(source_id=e.id, name=e.name, type=e.type)


def build_chains(atts: list[Attribution], reg: Registry, found: dict[str, dict]) -> None:
    by_id = {a.id: a for a in atts}
    done: dict[str, list[Entity]] = {}

    def chain_of(a: Attribution, seen: frozenset) -> list[Entity]:
        if a.id in done:
            return done[a.id]
        f = found.get(a.id, {})
        links: list[Entity] = []
        parent = by_id.get(a.parent_id) if a.parent_id else None
        if parent is not None and parent.id not in seen:
            links += chain_of(parent, seen | {a.id})
        src = f.get("source")
        via = f.get("owner") or f.get("recipient")
        if via is None and src is not None and src.cited_by:
            via = reg.get(src.cited_by)
        if via is not None and via is not src and via.type.value in ("media", "organisation", "government", "person"):
            links.append(via)
        if src is not None:
            links.append(src)
        if f.get("origin") is not None:
            links.append(f["origin"])
        out: list[Entity] = []
        for e in links:
            if e not in out:
                out.append(e)
        done[a.id] = out
        return out

    for a in sorted(atts, key=first_start):
        chain = chain_of(a, frozenset())
        a.chain = [_link(e) for e in chain]
        src = found.get(a.id, {}).get("source")
        a.source_id = src.id if src is not None else None
