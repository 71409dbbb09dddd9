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

from .. import deadline
from ..model import Attribution, ChainLink, ContentKind, Span
from ..nlp.span_index import SpanIndex
from . import lexicon as lx
from .sources import Entity, Registry, media_name, describe
from .spans import all_spans, doc_text, first_start, inside, overlaps, token_span, trim

_HEADLINE = re.compile(
    r"^(?P<source>[A-Z][^:\n]{0,60}?)\s+(?P<cue>reports?|says?|claims?|reveals?|alleges?|confirms?|warns?|writes?|insists?|denies)\s*:\s*(?P<content>\S[^\n]*?)\s*$",
    re.M,
)


_SPEAKING = {"say", "speak", "talk", "tell", "explain", "confirm", "write", "reveal", "admit", "acknowledge", "announce", "complain", "insist", "claim"}


_HEADLINE_COLON = re.compile(r"^(?P<source>[A-Z][^:\n]{0,40}?)(?P<cue>:)\s*(?P<content>\S[^\n]*?)\s*$", re.M)


def headline_attribution(article_text: str, title: str | None, existing: list[Attribution]) -> Attribution | None:
    """ "NYT reports: ..." (or "Reuters: ...") in the headline is an attribution, when the headline is in the text."""
    head = article_text[:600]
    colon = [m for m in _HEADLINE_COLON.finditer(head) if media_name(m.group("source"))]
    for m in [*_HEADLINE.finditer(head), *colon]:
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


def _cited_phrase(doc: Doc, att: Attribution) -> None:
    """ "quoting a board member who asked not to be named" read as content "who asked not to be named":
    the content of a "citing"/"quoting" cue is the whole noun phrase it takes, relative clause and all."""
    cues = _cue_tokens(doc, att)
    if len(cues) != 1 or cues[0].lemma_.lower() not in lx.HAND_ON_CUES or len(att.content) != 1:
        return
    first = token_span(doc, att.content[0].start, att.content[0].end)
    if first is None or first[0].lower_ not in ("who", "which", "that", "whom") or first[0].head.dep_ != "relcl":
        return
    obj = next((c for c in cues[0].children if c.dep_ in ("dobj", "obj")), None)
    if obj is not None and first[0].head.head.i == obj.i:
        start, end = trim(doc, *_np_bounds(obj))
        att.content = [Span.of(doc_text(doc), start, end)]


def _is_relay(doc: Doc, att: Attribution) -> bool:
    """An attribution whose cue is "citing"/"quoting" and whose content is only the cited noun phrase
    (a relative clause on it included: "a board member who asked not to be named")."""
    cues = _cue_tokens(doc, att)
    if len(cues) != 1 or cues[0].lemma_.lower() not in lx.HAND_ON_CUES or len(att.content) != 1:
        return False
    content = token_span(doc, att.content[0].start, att.content[0].end)
    if content is None or content.root.pos_ not in ("NOUN", "PROPN", "PRON"):
        return False
    relative = {t.i for c in content if c.dep_ in ("relcl", "acl") and c.head.i == content.root.i for t in c.subtree}
    # "leaked emails", "rising costs": a participle modifying the noun is no clause of its own.
    if any(t.pos_ in ("VERB", "AUX") and t.i not in relative and t.dep_ not in ("amod", "compound") for t in content):
        return False
    m = describe(doc, att.content[0].start, att.content[0].end)  # "cites so many claims" cites no one
    return m is not None and (m.type.value != "unknown" or m.pronoun is not None)


def _repair_relay(doc: Doc, relay: Attribution) -> Attribution | None:
    """From "Z, X has claimed, citing Y" read as (X, citing, Y), rebuild (X, has claimed, Z)."""
    cite = _cue_tokens(doc, relay)[0]
    verb = cite.head
    if cite.dep_ != "advcl" or verb.pos_ != "VERB" or not relay.source:
        return None
    aux = [t for t in verb.children if t.dep_ in ("aux", "auxpass", "neg") and t.i < verb.i]
    cue_start = min([verb, *aux], key=lambda t: t.i).idx
    src_start = min(s.start for s in relay.source)
    sent = verb.sent
    ccomp = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if ccomp is not None:
        bounds = _np_bounds(ccomp)
    elif verb.dep_ in ("conj", "parataxis", "ccomp") and verb.head.i < verb.i and sent.start_char < src_start:
        bounds = (max(sent.start_char, doc_text(doc).rfind("\n", 0, src_start) + 1), src_start)
    else:
        return None
    start, end = trim(doc, *bounds)
    if end <= start or overlaps(start, end, src_start, max(s.end for s in relay.source)):
        return None
    text = doc_text(doc)
    quoted = sum(text[start:end].count(q) for q in '"“”')
    kind = ContentKind.indirect if not quoted else ContentKind.mixed
    return relay.model_copy(
        update={
            "cue": [Span.of(text, cue_start, verb.idx + len(verb.text))],
            "content": [Span.of(text, start, end)],
            "content_kind": kind,
        }
    )


def _citing_as_cue(doc: Doc, att: Attribution) -> tuple[Attribution, tuple[int, int]] | None:
    """ "X reported, citing Y, that Z" read as (X, citing, Z): the cue is the verb "citing" hangs on,
    and Y is where the claim came from."""
    cues = _cue_tokens(doc, att)
    if len(cues) != 1 or cues[0].lemma_.lower() not in lx.HAND_ON_CUES or not att.content:
        return None
    cite, verb = cues[0], cues[0].head
    if cite.dep_ != "advcl" or verb.pos_ != "VERB" or verb.i == cite.i:
        return None
    obj = next((c for c in cite.children if c.dep_ in ("dobj", "obj")), None)
    if obj is None or inside(obj.idx, obj.idx + 1, att.content):
        return None
    start, end = trim(doc, *_np_bounds(obj))
    m = describe(doc, start, end)
    if m is None or (m.type.value == "unknown" and not m.pronoun):
        return None
    aux = [t for t in verb.children if t.dep_ in ("aux", "auxpass", "neg") and t.i < verb.i]
    first = min([verb, *aux], key=lambda t: t.i)
    cue = [Span.of(doc_text(doc), first.idx, verb.idx + len(verb.text))]
    return att.model_copy(update={"cue": cue}), (start, end)


def fold_relays(doc: Doc, atts: list[Attribution]) -> tuple[list[Attribution], dict[str, tuple[int, int]]]:
    """Turn "X, citing Y" read as its own claim into a hand-on link of X's claim to Y."""
    origins: dict[str, tuple[int, int]] = {}
    out: list[Attribution] = []
    for a in atts:
        deadline.check()
        _cited_phrase(doc, a)
    relays = []
    for a in atts:
        deadline.check()
        if _is_relay(doc, a):
            relays.append(a)
    relay_ids = {id(r) for r in relays}  # by identity: "a not in relays" compared whole attributions, for each
    for a in atts:
        deadline.check()
        if id(a) not in relay_ids:
            cited = _citing_as_cue(doc, a)
            if cited is not None:
                a, origins[a.id] = cited
            out.append(a)
    for r in relays:
        deadline.check()
        origin = (r.content[0].start, r.content[0].end)
        cite = _cue_tokens(doc, r)[0]
        sibling = next(
            (
                a
                for a in out
                if a.cue
                and a.source
                and r.source
                and any(overlaps(x.start, x.end, y.start, y.end) for x in a.source for y in r.source)
                and any(t.sent == cite.sent for t in _cue_tokens(doc, a))
            ),
            None,
        )
        if sibling is not None:
            origins[sibling.id] = origin
            continue
        repaired = _repair_relay(doc, r) or r
        origins[repaired.id] = origin
        out.append(repaired)
    out.sort(key=first_start)
    return out, origins


_ASKED = frozenset({"ask", "press", "question", "quiz", "challenge", "confront"})


def inherit_sources(doc: Doc, atts: list[Attribution]) -> None:
    """ "Putin warned that ..., adding that ...": a participle cue whose "source" is a clause
    (or missing) speaks for the subject of the verb it hangs on."""
    by_cue = {}
    for a in atts:
        deadline.check()
        for tok in _cue_tokens(doc, a):
            by_cue[tok.i] = a
    for a in atts:
        deadline.check()
        cues = _cue_tokens(doc, a)
        if not cues:
            continue
        verb = next((t for t in cues if t.pos_ == "VERB"), None)
        if verb is None or verb.tag_ not in ("VBG", "VBN") or verb.dep_ not in ("advcl", "conj", "xcomp"):
            continue
        if verb.tag_ == "VBN" and verb.dep_ == "advcl" and verb.lemma_.lower() in _ASKED:
            continue  # "Asked whether ..., Ms Ardern said": she was asked; who asked goes unnamed
        if a.source:
            src = token_span(doc, a.source[0].start, a.source[-1].end)
            if src is None or src.root.pos_ in ("NOUN", "PROPN", "PRON") or src.root.tag_ in ("NN", "NNS", "NNP", "NNPS"):
                continue
        # The verb it hangs on, or (when the parse attaches it inside the reported clause) the nearest cue above.
        head = next((by_cue[t.i] for t in verb.ancestors if t.i in by_cue and by_cue[t.i] is not a), None)
        if head is not None and head.source:
            a.source = list(head.source)


def hand_on_origin(doc: Doc, att: Attribution) -> tuple[int, int] | None:
    """ "..., citing anonymous officials": the NP a cue hands the claim on from."""
    cues = _cue_tokens(doc, att)
    if not cues:
        return None
    sent = cues[0].sent
    cue_ids = {c.i for c in cues}
    for tok in sent:
        if tok.lemma_.lower() not in lx.HAND_ON_CUES or tok.pos_ != "VERB" or tok.i in cue_ids:
            continue
        if inside(tok.idx, tok.idx + len(tok.text), att.content):
            continue
        # Attached to this cue ("X claimed, citing Y") or to the verb the cue hangs on.
        if "\n" in doc_text(doc)[min(tok.idx, cues[0].idx) : max(tok.idx, cues[0].idx)]:
            continue
        if not any(
            c.i in (tok.head.i, tok.head.head.i) or (c.dep_ in ("conj", "parataxis", "advcl") and c.head.i == tok.head.i)
            for c in cues
        ):
            continue
        for child in tok.children:
            if child.dep_ in ("dobj", "obj", "attr", "pobj"):
                start, end = trim(doc, *_np_bounds(child))
                # "citing officials" hands on; "citing problems", "citing her record" gives reasons.
                m = describe(doc, start, end)
                if m is not None and (m.type.value != "unknown" or m.pronoun):
                    return start, end
    return None


_PRESS_HEADS = lx.PRESS_KINDS | {"paper"}  # "told the paper ..." names an outlet too
_INTERVIEW = frozenset({"interview", "conversation", "call", "remark", "comment", "statement", "email", "podcast", "appearance"})


def _spoken_to(tok):
    """The party a speaking word names with "to"/"with"/"on": "interview with CNN", "speaking to the BBC"."""
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("to", "with", "on"):
            return next((g for g in prep.children if g.dep_ == "pobj"), None)
    return None


def recipient(doc: Doc, att: Attribution) -> tuple[int, int] | None:
    """ "told NYT", "said in an interview with CNN", "speaking to the BBC, X said": who the source spoke to."""
    for tok in _cue_tokens(doc, att):
        for child in tok.children:
            target = None
            if child.dep_ in ("dative", "dobj", "iobj") and tok.lemma_ in ("tell", "inform", "brief"):
                target = child
            elif child.dep_ == "prep" and child.lower_ in ("to", "with") and tok.lemma_ in _SPEAKING:
                target = next((g for g in child.children if g.dep_ == "pobj"), None)
            elif child.dep_ == "prep" and child.lower_ in ("in", "during") and tok.lemma_ in _SPEAKING:
                # "said in an interview with CNN", "during an appearance on Fox News"
                occasion = next((g for g in child.children if g.dep_ == "pobj" and g.lemma_.lower() in _INTERVIEW), None)
                target = _spoken_to(occasion) if occasion is not None else None
            elif child.dep_ in ("agent", "prep") and child.lower_ == "by" and (
                tok.lemma_ == "quote" or (tok.head.lower_ == "as" and tok.head.head.lemma_ == "quote")
            ):
                # "was quoted by Reuters as saying", "was quoted as saying by the state news agency IRNA"
                target = next((g for g in child.children if g.dep_ == "pobj"), None)
            elif child.dep_ == "advcl" and child.lemma_.lower() in ("speak", "talk", "write") and child.tag_ == "VBG":
                target = _spoken_to(child)  # "Speaking to the BBC, X said"
            if (
                target is not None
                and target.pos_ in ("PROPN", "NOUN")
                and not inside(target.idx, target.idx + 1, att.content)
                and not inside(target.idx, target.idx + 1, att.source)
            ):
                start, end = trim(doc, *_np_bounds(target))
                after = doc[target.i + 1] if target.i + 1 < len(doc) else None
                named = after is not None and after.idx >= end and (after.pos_ == "PROPN" or after.text.isupper())
                # a name closing the phrase after a press noun, not the subject of what was said ("told the paper
                # Biden would resign")
                closes = named and (after.i + 1 >= len(doc) or doc[after.i + 1].is_punct or doc[after.i + 1].lower_ == "that")
                if named and (media_name(after.text) or target.lemma_.lower() in _PRESS_HEADS and closes):
                    end = after.idx + len(after.text)  # "told state news agency TASS", "by the state news agency IRNA"
                return start, end
    return _seen_by(doc, att)


_SEEN = frozenset({"see", "obtain", "review", "examine", "verify", "read", "leak", "publish", "share", "provide"})


def _seen_by(doc: Doc, att: Attribution) -> tuple[int, int] | None:
    """ "Documents seen by the Alder Gazette show ...": the outlet that saw the source passed it on."""
    if not att.source:
        return None
    src = token_span(doc, att.source[0].start, att.source[-1].end)
    if src is None:
        return None
    for acl in src.root.children:
        if acl.dep_ == "acl" and acl.tag_ == "VBN" and acl.lemma_.lower() in _SEEN:
            agent = next((c for c in acl.children if c.dep_ == "agent"), None)
            target = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
            if target is not None and not inside(target.idx, target.idx + 1, att.content):
                return trim(doc, *_np_bounds(target))
            if agent is not None and target is None:
                # "Emails obtained by Reuters show": the parser hangs the name on the verb; read the words.
                i = agent.i + 1 + (agent.i + 1 < len(doc) and doc[agent.i + 1].lower_ == "the")
                j = i
                while j < len(doc) and doc[j].pos_ == "PROPN":
                    j += 1
                if j > i:
                    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)
    return None


def antecedent(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """ "The minister, who said ...": a relative pronoun source stands for the noun it hangs on."""
    span = token_span(doc, start, end)
    if span is None or len(span) != 1 or span[0].lower_ not in ("who", "which", "that", "whom"):
        return None
    clause = span[0].head
    if clause.dep_ != "relcl":
        return None
    noun = clause.head
    left = min((t for t in noun.subtree if t.i <= noun.i), key=lambda t: t.i)
    return left.idx, noun.idx + len(noun.text)


def infer_parents(atts: list[Attribution]) -> None:
    """Set ``parent_id`` where an attribution sits inside another's content (innermost wins)."""
    by_id = {a.id: a for a in atts}
    contents = SpanIndex.of(atts, lambda b: b.content)
    for a in atts:
        deadline.check()
        if a.parent_id and a.parent_id in by_id and a.parent_id != a.id:
            continue
        a.parent_id = None
        anchor = a.cue or a.source or a.content
        if not anchor:
            continue
        s = anchor[0]
        best = None
        for b in contents.containing(s.start, s.end):  # not every pair: quadratic (issue #11)
            if b is a or not b.content:
                continue
            if inside(s.start, s.end, b.content) and not (b.cue and inside(b.cue[0].start, b.cue[0].end, a.content)):
                size = sum(c.end - c.start for c in b.content)
                if best is None or size < best[0]:
                    best = (size, b)
        if best is not None:
            a.parent_id = best[1].id


def resolve_sources(
    doc: Doc, atts: list[Attribution], origins: dict[str, tuple[int, int]] | None = None
) -> tuple[Registry, dict[str, dict]]:
    """Resolve every mention in reading order; return the registry and, per attribution, its entities."""
    origins = origins or {}
    reg = Registry(doc)
    events = []  # (start, order, kind, att, (start, end))
    for a in atts:
        deadline.check()
        if a.source:
            s = min(a.source, key=lambda x: x.start)
            e = max(a.source, key=lambda x: x.end)
            bounds = antecedent(doc, s.start, e.end) or (s.start, e.end)
            events.append((bounds[0], 1, "source", a, bounds))
        origin = origins.get(a.id) or hand_on_origin(doc, a)
        if origin:
            events.append((origin[0], 1, "origin", a, origin))
        rec = recipient(doc, a)
        if rec:
            events.append((rec[0], 1, "recipient", a, rec))
    events.sort(key=lambda ev: (ev[0], ev[1]))
    found: dict[str, dict] = {a.id: {} for a in atts}
    for _, _, kind, a, (start, end) in events:
        deadline.check()
        m = describe(doc, start, end)
        if m is None:
            continue
        if kind == "recipient" and m.type.value != "media":
            continue  # "told reporters": only an outlet passes the claim on
        owner = None
        if kind == "source" and m.owner_start is not None and m.anonymous:
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


# Links kept from a parent's chain. News chains are 2 to 4 deep. 2,500 quotes that each answer the
# last ("Yes," he said. "No," she said. ...) made chains thousands deep: the work was cubic (issue #11).
MAX_CHAIN = 12


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
            links += chain_of(parent, seen | {a.id})[-MAX_CHAIN:]
        src = f.get("source")
        # "the NYT's sources": the owner passed on what its unnamed sources said ("Russia's ministry" is just a name).
        owner = f.get("owner") if src is not None and src.anonymous else None
        via = owner or f.get("recipient")
        if via is None and src is not None and src.cited_by:
            via = reg.get(src.cited_by)
        if via is not None and via is not src and via.type.value in ("media", "organisation", "government", "person"):
            links.append(via)
        if src is not None:
            links.append(src)
        if f.get("origin") is not None:
            links.append(f["origin"])
        out: list[Entity] = []
        ids: set[str] = set()
        for e in links:  # by id (registry ids are unique): comparing whole entities in a list was quadratic
            if e.id not in ids:
                ids.add(e.id)
                out.append(e)
        done[a.id] = out
        return out

    for a in sorted(atts, key=first_start):
        deadline.check()
        chain = chain_of(a, frozenset())
        a.chain = [_link(e) for e in chain]
        src = found.get(a.id, {}).get("source")
        a.source_id = src.id if src is not None else None


def one_source_per_statement(atts: list[Attribution]) -> list[Attribution]:
    """A statement keeps one source: a second attribution on the same cue with the same content
    ("The Herald, citing two officials, reported ..." read as the Herald's and as the officials') is a
    link of the first one's chain, not a row of its own. The one kept is the outermost speaker (the
    first link of the chain); the other's source joins its chain if it is not there yet; parents follow.
    Issue #13."""
    kept: list[Attribution] = []
    merged: dict[str, str] = {}
    # where in ``kept`` the statements on each cue are: a twin has the same cue, so comparing each
    # attribution with every kept one was quadratic in a text of many short quotes (issue #11)
    on_cue: dict[frozenset[tuple[int, int]], list[int]] = {}
    for a in sorted(atts, key=first_start):
        deadline.check()
        key = _cue_key(a)
        at = next((k for k in on_cue.get(key, ()) if a.cue and _shared_content(kept[k], a)), None)
        if at is None:
            on_cue.setdefault(key, []).append(len(kept))
            kept.append(a)
            continue
        kept[at] = _fold_twin(a, kept[at], merged)
    _repoint_parents(kept, merged)
    return kept


def _fold_twin(a: Attribution, twin: Attribution, merged: dict[str, str]) -> Attribution:
    """Of two attributions with one cue and content, the one kept (the outermost speaker), holding the other's
    chain links; ``merged`` learns which id now stands for the other."""
    outer, inner = (a, twin) if _outermost(a) and not _outermost(twin) else (twin, a)
    for link in inner.chain:
        if link.source_id not in {x.source_id for x in outer.chain}:
            outer.chain.append(link)
    merged[inner.id] = outer.id
    return outer


def _repoint_parents(kept: list[Attribution], merged: dict[str, str]) -> None:
    """Parents that were folded into a twin point at the twin kept (and nothing is its own parent)."""
    for a in kept:
        while a.parent_id in merged:
            a.parent_id = merged[a.parent_id]
        if a.parent_id == a.id:
            a.parent_id = None


def _cue_key(a: Attribution) -> frozenset[tuple[int, int]]:
    """The cue's offsets: two attributions with the same key have the same cue."""
    return frozenset((s.start, s.end) for s in a.cue)


def _shared_content(a: Attribution, b: Attribution) -> bool:
    return any(overlaps(x.start, x.end, y.start, y.end) for x in a.content for y in b.content)


def _outermost(a: Attribution) -> bool:
    """Its source is the first link of its chain: the one who speaks on the page."""
    return bool(a.chain) and a.source_id == a.chain[0].source_id
