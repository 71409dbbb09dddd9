"""Source entities: describe a mention (type, role, name), then resolve it to an entity.

A fact-checker needs "who" as one entity per article: "the New York Times (NYT)",
"NYT", "the outlet" and "the newspaper" are one source; "Putin" is the
"Russian President Vladimir Putin" named earlier; "the officials" are the
"anonymous officials in Washington" an outlet cited. Resolution walks the
mentions in reading order and links each to the nearest compatible entity:
names by name or alias (surnames included), pronouns and definite nominals
("the outlet", "the officials", "the NYT's sources") by type and recency.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span as TokenSpan

from ..model import Source, SourceType, Span
from . import lexicon as lx
from .spans import TIME_STAMP, doc_ents, doc_text, ents_in, token_span, trim

_DEFINITE = {"the", "these", "those", "this", "that", "such"}
_PAREN = re.compile(r"\s*\(([^)]{1,20})\)\s*")
_MEDIA_ALIAS = {alias: name for name, aliases in lx.MEDIA_OUTLETS.items() for alias in (name.lower(), *aliases)}


@dataclass
class Mention:
    """What one source mention says about its referent."""

    start: int
    end: int
    text: str
    name: str
    type: SourceType = SourceType.unknown
    role: str | None = None
    anonymous: bool = False
    aliases: set[str] = field(default_factory=set)
    pronoun: str | None = None  # person / thing / group
    back_reference: str | None = None  # head lemma of a definite nominal ("outlet", "official")
    epithet: str | None = None  # "the Florida senator": a person named before, by a description
    owner_start: int | None = None  # start of a possessive owner ("the NYT's sources")
    owner_end: int | None = None


@dataclass
class Entity:
    id: str
    name: str
    type: SourceType
    role: str | None
    anonymous: bool
    aliases: set[str]
    heads: set[str]
    mentions: list[Span] = field(default_factory=list)
    cited_by: str | None = None  # the entity that handed on this one's claims (outlet citing officials)
    levels: set[str] = field(default_factory=set)  # "city", "state": the level of state it was called by
    last: int = 0
    gender: str | None = None  # "f" / "m" when the text says so ("Ms Ruiz", "the spokesman", "she said")


def gender_of(text: str) -> str | None:
    """The gender a mention's own words give ("Ms", "spokesman"), None when they give none or both."""
    words = {w.strip(".,'’").lower() for w in text.split()}
    female, male = bool(words & lx.FEMALE_WORDS), bool(words & lx.MALE_WORDS)
    return "f" if female and not male else "m" if male and not female else None


def name_type(words: list[str]) -> SourceType | None:
    """What a proper name's own words say it names: "The Alder Gazette" a newspaper,
    "Brennan Civil Works" or "Acme Ltd" a company, "Port Alder Council" the state; None for no telling word."""
    low = [w.lower().strip(" ,") for w in words if w.strip(" ,")]
    if not low:
        return None
    last = low[-1]
    if last == "agency" and len(low) > 1 and low[-2] in lx.NEWS_AGENCY_WORDS:
        return SourceType.media  # "Xinhua News Agency"; "the Canada Revenue Agency" is no outlet
    if last in lx.MEDIA_NAME_HEADS and (last not in lx.SURNAME_LIKE_MEDIA_HEADS or low[0] == "the" or len(low) > 2):
        return SourceType.media  # "The Alder Gazette"; "Jennifer Post" stays a person
    if _is_institution(last):
        return SourceType.government  # "Port Alder Council", "Riverside Water Authority"
    if last in lx.ORG_NAME_HEADS:
        return SourceType.organisation  # "Brennan Civil Works", "General Motors", "Human Rights Watch"
    return None


def is_person_ent(ent: TokenSpan) -> bool:
    """A PERSON entity that is one: the small English model tags "The Alder Gazette" or "Brennan Civil Works"
    PERSON; a name ending in a newspaper or company word is not a person."""
    return ent.label_ == "PERSON" and name_type([t.text for t in ent]) is None


def _lower_article(text: str) -> str:
    """ "A spokeswoman for ..." as a role reads "a spokeswoman for ...", as appositions do."""
    return re.sub(r"^(An?)\b", lambda g: g.group(1).lower(), text)


def _strip_the(text: str) -> str:
    if stamp := TIME_STAMP.match(text):  # a live blog's time stamp the tagger took in
        text = text[stamp.end() :]
    return re.sub(r"^(?:the|The)\s+", "", text).strip()


def _clean_name(text: str) -> tuple[str, set[str]]:
    """Canonical name and aliases: drop a leading "the", parenthetical acronyms, possessive 's."""
    aliases = {m.group(1).strip().lower() for m in _PAREN.finditer(text)}
    name = _PAREN.sub(" ", text).strip()
    name = re.sub(r"(?:'s|’s|')$", "", name).strip(" ,")
    name = _strip_the(name)
    return name, aliases


def media_name(text: str) -> str | None:
    low = _strip_the(text).lower().strip(" .,")
    if low in _MEDIA_ALIAS:
        return _MEDIA_ALIAS[low]
    return _MEDIA_ALIAS.get(text.lower().strip(" .,"))


def _role_before(doc: Doc, ent: TokenSpan) -> str | None:
    """Title words right before a name: "Russian President" in "Russian President Vladimir Putin"."""
    i = ent.start - 1
    while i >= 0:
        tok = doc[i]
        if tok.pos_ in ("PROPN", "NOUN", "ADJ") and tok.ent_type_ in ("", "NORP", "GPE", "ORG"):
            i -= 1
            continue
        break
    words = doc[i + 1 : ent.start]
    if any(t.pos_ in ("NOUN", "PROPN") and t.ent_type_ == "" for t in words):
        return _HONORIFIC.sub("", words.text).strip() or None  # "Mr." is no role
    return None


def _role_apposed(doc: Doc, ent: TokenSpan) -> str | None:
    """ "the head of the agency, Kirill Budanov" / "Kirill Budanov, the head of the agency"."""
    root = ent.root
    other = None
    if root.dep_ == "appos" and not (ent.start <= root.head.i < ent.end):
        other = root.head
    else:
        other = next((c for c in root.children if c.dep_ == "appos" and not (ent.start <= c.i < ent.end)), None)
    if other is None or other.pos_ not in ("NOUN",):
        return None
    toks = [t for t in other.subtree if not (ent.start <= t.i < ent.end) and not any(a.i == root.i for a in t.ancestors)]
    if not toks:
        return None
    words = doc[toks[0].i : toks[-1].i + 1].text.strip(" ,;")
    return _strip_the(words) or None


_ROLE_BEFORE = re.compile(r"(?:^|[,.;:(\n]\s*)((?:the|a|an)\s+[^,.;:()\n]{2,90}?),\s*$", re.I)


def _role_comma_before(doc: Doc, ent) -> str | None:
    """ "..., the head of Ukraine's Main Intelligence Directorate, Kirill Budanov acknowledged":
    a role phrase set off by commas right before the name, read from the text when the parse misses it."""
    m = _ROLE_BEFORE.search(doc_text(doc)[max(0, ent.start_char - 120) : ent.start_char])
    if not m:
        return None
    words = m.group(1).split()
    if len(words) < 2 or words[1].lower().strip("'’s") not in lx.ROLE_NOUNS and (len(words) < 3 or words[2].lower() not in lx.ROLE_NOUNS):
        return None
    return _strip_the(m.group(1)).strip()


_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Miss|Messrs|Mme|Mlle)\b\.?\s*$")


def _role_around(span: TokenSpan, ent: TokenSpan) -> str | None:
    """The mention's words other than the name: a title or an apposition."""
    doc = span.doc
    before = _HONORIFIC.sub("", doc_text(doc)[span.start_char : ent.start_char])  # "Mr." is no role
    after = doc_text(doc)[ent.end_char : span.end_char]
    # "Dr. Leila Haddad, a toxicologist": an apposition; "the Rev. Peter Wherry, of Mayfield Church": a modifier.
    sep = ", " if re.match(r"\s*,\s*(?:a|an|the)\s", after, re.I) else " "
    role = sep.join(p.strip(" ,;") for p in (before, after) if p.strip(" ,;"))
    role = _strip_the(role).strip(" ,;")
    if re.match(r"(?:who|which|whose|that)\b", role, re.I):
        return None  # "Lena Park, who runs ...": a clause, not a title
    return role or None


def _is_government(tokens: TokenSpan) -> bool:
    low = tokens.text.lower()
    if any(t.lower_ in lx.GOVERNMENT_WORDS for t in tokens):
        return True
    return any(phrase in low for phrase in ("white house", "downing street", "state department"))


def _is_institution(head: str) -> bool:
    """A state body rather than a title: "council", "ministry", "authority" (not "minister", "spokesman")."""
    return head in lx.GOVERNMENT_WORDS and head not in lx.ROLE_NOUNS and head not in lx.EPITHET_NOUNS


def _hit(tok, words: frozenset[str]) -> bool:
    """The word or its lemma is in ``words`` ("data" lemmatises to "datum")."""
    return tok.lower_ in words or tok.lemma_.lower() in words


_BODIES = {SourceType.organisation, SourceType.government, SourceType.media}
_PERSON = {SourceType.person}
_MEDIA = {SourceType.media}


def _words(e: Entity) -> list[str]:
    return e.name.lower().replace("'s", "").replace("’s", "").split()


def _compound_name(chunk: TokenSpan) -> TokenSpan | None:
    """ "Port Alder council": a common head after a capitalised proper-noun compound."""
    doc = chunk.doc
    i = chunk.root.i
    while i - 1 >= chunk.start and doc[i - 1].pos_ == "PROPN" and doc[i - 1].text[:1].isupper():
        i -= 1
    return doc[i : chunk.root.i + 1] if i < chunk.root.i else None


def _proper_name(span: TokenSpan) -> TokenSpan | None:
    """The capitalised proper-noun run that heads a mention ("The Alder Gazette", "Councillor Ana Reyes,
    who chairs ..." -> "Councillor Ana Reyes"), or None when the head is not a proper noun."""
    root = span.root
    if root.pos_ != "PROPN" or not root.text[:1].isupper():
        return None
    i = root.i
    doc = span.doc
    while i - 1 >= span.start:
        prev = doc[i - 1]
        capital = prev.text[:1].isupper() and prev.pos_ in ("PROPN", "NOUN", "ADJ") and prev.lower_ not in _DEFINITE
        # "Northern Fishermen's Federation": a possessive inside the name.
        possessive = prev.tag_ == "POS" and i - 2 >= span.start and doc[i - 2].text[:1].isupper()
        if not (capital or possessive):
            break
        i -= 1
    # "Ministry of Foreign Affairs", "Bank of England": an "of" and capitalised words after the head are the name's.
    j = root.i + 1
    if j + 1 < span.end and doc[j].lower_ == "of" and doc[j + 1].text[:1].isupper() and doc[j + 1].pos_ in ("PROPN", "NOUN", "ADJ"):
        j += 1
        while j < span.end and (
            (doc[j].text[:1].isupper() and doc[j].pos_ in ("PROPN", "NOUN", "ADJ"))
            or (doc[j].lower_ in ("and", "&", "of") and j + 1 < span.end and doc[j + 1].text[:1].isupper())
        ):
            j += 1
        return span.doc[i:j]
    return span.doc[i : root.i + 1]


def _authored_by(root, ent: TokenSpan) -> bool:
    """The named body ``ent`` is the author of document ``root``: "a statement from X", "a report by X",
    "a study of X's" -- not what it is about ("a report on X")."""
    for prep in root.children:
        if prep.dep_ in ("prep", "agent") and prep.lower_ in ("by", "from"):
            if any(ent.start <= t.i < ent.end for t in prep.subtree):
                return True
        if prep.dep_ == "acl" and prep.tag_ == "VBN":  # "a report published by X", "a statement issued by X"
            for agent in prep.children:
                if agent.dep_ == "agent" and any(ent.start <= t.i < ent.end for t in agent.subtree):
                    return True
    return False


def _closing_appos(span: TokenSpan, ent: TokenSpan) -> bool:
    """ "The mayor of Port Alder, Ines Moreau": a name set off by a comma at the end of a mention headed by
    a title, whatever the parser hung it on (it often takes the name for an apposition of "Port Alder")."""
    doc = span.doc
    tail = [t for t in doc[ent.end : span.end] if not t.is_punct]
    return (
        not tail
        and ent.start - 1 > span.start
        and doc[ent.start - 1].text == ","
        and span.root.lemma_.lower() in lx.ROLE_NOUNS
        and span.root.i < ent.start
    )


def _name_after(span: TokenSpan) -> TokenSpan | None:
    """A person's name set off by commas right after a role mention that stops before it."""
    doc = span.doc
    if span.end + 1 >= len(doc) or doc[span.end].text != ",":
        return None
    ent = next((e for e in doc_ents(doc) if e.start == span.end + 1 and is_person_ent(e)), None)
    ent = ent or _name_run(doc, span.end + 1)
    if ent is None or (ent.end < len(doc) and doc[ent.end].text not in (",", ".", ";")):
        return None
    return ent


def _name_run(doc: Doc, i: int, *, after_person: bool = False) -> TokenSpan | None:
    """Two or three capitalised proper nouns from token ``i`` that read as a person's name though the
    small model tagged them ORG or nothing ("Ivo Lind"): no place, no outlet, no company or state word.
    ``after_person``: right after a word for a person ("nurse Agnes Byrne"), a place or nationality tag is the
    tagger's slip (it tags "Agnes" NORP)."""
    j = i
    while j < len(doc) and j - i < 3 and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() and doc[j].text.isalpha():
        j += 1
    if j - i < 2:
        return None
    run = doc[i:j]
    places = ("DATE",) if after_person else ("GPE", "LOC", "NORP", "FAC", "DATE")
    if any(t.ent_type_ in places for t in run) or media_name(run.text):
        return None
    if name_type([t.text for t in run]) is not None or any(t.lower_ in lx.GOVERNMENT_WORDS or t.lower_ in lx.ROLE_NOUNS for t in run):
        return None
    return run


def _acronym_after(doc: Doc, end: int) -> set[str]:
    """ "the International Atomic Energy Agency (IAEA) said": an acronym in brackets just after the mention."""
    m = re.match(r"\s*\(([A-Z][A-Za-z.&-]{1,11})\)", doc_text(doc)[end : end + 16])
    return {m.group(1).lower()} if m else set()


def describe(doc: Doc, start: int, end: int) -> Mention | None:
    """Read one source mention: its name, type, role, and whether it refers back."""
    start, end = trim(doc, start, end)
    span = token_span(doc, start, end)
    if span is None:
        return None
    text = doc_text(doc)[start:end]
    low = text.lower()
    m = Mention(start=start, end=end, text=text, name=text)

    if len(span) == 1 and span[0].lower_ in lx.PRONOUNS:
        m.pronoun = lx.PRONOUNS[span[0].lower_]
        return m

    root = span.root
    head = root.lemma_.lower()
    # Possessive owner: "the NYT's sources" -> owner "the NYT".
    for tok in span:
        if tok.dep_ == "poss" and tok.head == root and tok.lower_ not in lx.PRONOUNS and tok.lower_ not in ("its", "their", "his", "her"):
            sub = list(tok.subtree)
            o_start = sub[0].idx
            o_end = sub[-1].idx + len(sub[-1].text)
            o_end = o_end - 2 if doc_text(doc)[o_end - 2 : o_end] in ("'s", "’s") else o_end
            if start <= o_start and o_end <= end:
                m.owner_start, m.owner_end = o_start, o_end
    first = span[0].lower_
    bare = [t for t in span if t.dep_ not in ("det", "poss", "case", "punct") and t.i != root.i and not (m.owner_start is not None and m.owner_start <= t.idx < (m.owner_end or 0) + 2)]
    definite = first in _DEFINITE or m.owner_start is not None
    # A person is the mention's referent only when the name is its head or stands in apposition
    # ("the head of X, Kirill Budanov"), not when it modifies it ("Supporters of Biden's strategy").
    persons = [
        e
        for e in ents_in(span)
        if is_person_ent(e) and (e.start <= root.i < e.end or (e.root.head == root and e.root.dep_ == "appos" and root.tag_ != "NNS") or _closing_appos(span, e))
    ]
    # ORG, and PERSON-tagged names whose words say company or newspaper.
    orgs = [e for e in ents_in(span) if e.label_ == "ORG" or (e.label_ == "PERSON" and not is_person_ent(e))]
    geo = [e for e in ents_in(span) if e.label_ in ("GPE", "NORP")]
    name, aliases = _clean_name(text)
    m.name, m.aliases = name, aliases

    # "Reuters", or an outlet named beside a press noun: "state news agency TASS", "the broadcaster NHK".
    press_head = _hit(root, lx.MEDIA_COLLECTIVE_NOUNS | {"agency", "channel", "network", "service"})
    media = media_name(text) or next(
        (media_name(e.text) for e in orgs if (e.start <= root.i < e.end or press_head) and media_name(e.text)), None
    )
    if not media and not persons and (press := _press_named(span)) is not None:
        media = press  # "the state news agency IRNA", "public broadcaster NHK": an outlet by its kind and name
    if media:
        m.type, m.name = SourceType.media, media
        m.aliases |= {a for a, n in _MEDIA_ALIAS.items() if n == media} | {name.lower()}
        return m
    if persons:
        ent = _without_titles(_with_capitals_before(span, max(persons, key=len)))
        m.type, m.name = SourceType.person, re.sub(r"(?:'s|’s)$", "", ent.text)
        if ent.text.isupper() and len(ent.text) > 3:  # a transcript's "MAYOR DELIA FROST:"
            m.name = m.name.title()
        m.role = _role_around(span, ent) or _role_before(doc, ent) or _role_apposed(doc, ent) or _role_comma_before(doc, ent)
        return m
    if not persons and (titled := _titled_name(span)) is not None:
        # "Mr Minns said": an honorific makes a person of a name the small model tagged ORG
        m.type, m.name, m.aliases = SourceType.person, titled.text, set()
        return m
    if not persons and _hit(root, lx.ROLE_NOUNS) and root.pos_ == "NOUN":
        comma = next((t.i for t in reversed(span) if t.text == "," and t.i > root.i), None)
        inner = _name_run(doc, comma + 1) if comma is not None and not ents_in(doc[comma + 1 : span.end]) else None
        if inner is not None and inner.end >= span.end - (span[-1].is_punct):
            # "The minister, Ana Ruiz, said": a name the tagger missed, set off after the title.
            m.type, m.name = SourceType.person, inner.text
            m.role = _lower_article(_strip_the(doc_text(doc)[start : doc[comma].idx]).strip(" ,")) or None
            m.aliases = set()
            return m
        named = _name_after(span)
        if named is not None:
            # "According to the agency's spokesman, Ivo Lind, ...": the name the mention is set off from.
            m.type, m.name = SourceType.person, re.sub(r"(?:'s|’s)$", "", named.text)
            m.role = _lower_article(_strip_the(text).strip(" ,")) or None
            m.aliases = set()
            return m
    if not ents_in(span) and 2 <= len(span) <= 4 and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in span):
        role = _role_comma_before(doc, span)
        if role:  # a name the parser did not tag, introduced by a role: "the head of X, Ana Ruiz"
            m.type, m.role = SourceType.person, role
            return m
    named = _proper_name(span)
    if named is not None:
        titles = [t for t in named if t.lower_ in lx.ROLE_NOUNS]
        rest = [t.text for t in named if t.i > titles[-1].i] if titles else []
        kind = name_type([t.text for t in named])
        if titles and rest and named[0].i == titles[0].i and name_type(rest) is None:
            # "Councillor Ana Reyes": a title, then a name the tagger split or mislabelled.
            m.type, m.name = SourceType.person, doc[titles[-1].i + 1 : named.end].text
            m.role = doc[titles[0].i : titles[-1].i + 1].text
            m.aliases = set()
            return m
        after_person = named.start > span.start and _hit(doc[named.start - 1], lx.PERSON_NOUNS)
        run = _name_run(doc, named.start, after_person=after_person) if named.start > span.start and not titles else None
        if run is not None and run.end == named.end and not doc[named.start - 1].text[:1].isupper():
            # "retired nurse Agnes Byrne", "lottery winner Gary Pike": a name after a description of the person.
            m.type, m.name, m.aliases = SourceType.person, run.text, set()
            m.role = doc_text(doc)[start : run.start_char].strip(" ,") or None
            return m
        if kind is not None and not persons:
            m.type, m.name = kind, _strip_the(named.text)
            m.aliases = {m.name.lower()} | aliases | _acronym_after(doc, end)  # "(IAEA)" names it too
            return m
    if not persons and (who := _who_named(span)) is not None:
        # "Halvorsen, who has run the observatory for thirty years": a name the tagger missed or called a company
        m.type, m.name, m.aliases = SourceType.person, who.text, set()
        return m
    is_anon_phrase = any(p in low for p in lx.ANONYMOUS_PHRASES)
    generic = bool(bare) and all(t.lower_ in lx.GENERIC_STATE_MODIFIERS for t in bare) and _is_institution(root.lemma_.lower())
    if definite and (not bare or generic) and not is_anon_phrase and (root.pos_ == "NOUN" or (generic and root.text.islower())):
        # "the outlet", "the officials", "the NYT's sources": refers back.
        m.back_reference = head
        if _hit(root, lx.MEDIA_NOUNS):
            m.type = SourceType.media
        elif _hit(root, lx.ANONYMOUS_HEADS):
            m.type, m.anonymous = SourceType.anonymous, True
        elif _hit(root, lx.DOCUMENT_NOUNS):
            m.type = SourceType.document
        elif _hit(root, lx.GOVERNMENT_WORDS):
            m.type = SourceType.government
        else:
            m.type = SourceType.organisation if _hit(root, lx.ORG_NOUNS) else SourceType.unknown
        return m
    if definite and not persons and not orgs and root.pos_ in ("NOUN", "PROPN") and _hit(root, lx.EPITHET_NOUNS) and not is_anon_phrase:
        m.epithet, m.type = root.lemma_.lower(), SourceType.person
        m.name = _description_name(span) or m.name
        m.role = m.name  # kept if no one named before fits
        return m
    if _hit(root, lx.ORG_NOUNS) and root.pos_ == "NOUN":
        # "Small groups of protesters" are people in a crowd, not an organisation.
        members = [g for c in root.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        crowd = root.lemma_.lower() in lx.COLLECTIVE_NOUNS and any(
            g.tag_ in ("NNS", "NNPS") and g.ent_type_ != "ORG" and g.lemma_.lower() not in lx.ORG_NOUNS for g in members
        )
        m.type = SourceType.unknown if crowd else SourceType.organisation
        return m
    if orgs and _media_tail(orgs[0]) and not _hit(root, lx.DOCUMENT_NOUNS):
        m.type = SourceType.media
        return m
    if _hit(root, lx.DOCUMENT_NOUNS) and root.pos_ in ("NOUN", "PROPN"):
        # Typed by its author when the text names one: "a BBC report", "Russian military estimates".
        modifiers = span[: root.i - span.start]
        if any(media_name(e.text) or _media_tail(e) for e in orgs):
            m.type = SourceType.media
        elif _is_government(span) or any(t.ent_type_ in ("NORP", "GPE") for t in modifiers):
            m.type = SourceType.government
        elif any(_authored_by(root, e) for e in orgs):
            m.type = SourceType.organisation  # "a statement from Brightwater Holdings", "a report by Amnesty"
        else:
            m.type = SourceType.document
            first = next((t for t in span if t.dep_ not in ("det", "poss", "punct")), root)
            if first.pos_ != "PROPN" and not first.ent_type_ and m.name[:1].isupper():
                m.name = m.name[:1].lower() + m.name[1:]  # "Internal emails show": not a name
        return m
    if is_anon_phrase or (_hit(root, lx.ANONYMOUS_HEADS) and root.pos_ in ("NOUN", "PRON")):
        m.type, m.anonymous = SourceType.anonymous, True
        if not definite and span[0].pos_ not in ("PROPN",) and span[0].ent_type_ == "":
            m.name = name[:1].lower() + name[1:]
        # "a longtime ferry captain, who asked not to be named": the reason is not part of the name
        reason = re.search(r",\s*(?:who\s+(?:asked|declined|did\s+not\s+want)|speaking\s+on\s+condition)\b", m.name)
        if reason and reason.start() > 0:
            m.name = m.name[: reason.start()]
        role = " ".join(t.text for t in span[: root.i - span.start] if t.ent_type_ in ("ORG", "GPE", "NORP"))
        m.role = role or None
        return m
    if _hit(root, lx.ROLE_NOUNS) and root.pos_ == "NOUN":
        # An unnamed person known by a role: typed by whom they speak for ("a reporter for USA Today").
        # Typed by the words other than the title: "a spokeswoman for Acme Corp" speaks for a company,
        # "a police spokesman" for the state ("spokeswoman" alone is no state word).
        others = [t for t in span if t.i != root.i]
        named_body = [e for e in orgs if not _is_government(e)]
        if any(media_name(e.text) or _media_tail(e) for e in orgs):
            m.type = SourceType.media
        elif (named_body or any(_hit(t, lx.ORG_NOUNS) for t in others)) and not any(t.lower_ in lx.GOVERNMENT_WORDS and not any(e.start <= t.i < e.end for e in named_body) for t in others):
            m.type = SourceType.organisation
        elif _is_government(span):
            m.type = SourceType.government
        elif orgs:
            m.type = SourceType.organisation
        elif root.tag_ == "NN":
            m.type = SourceType.person  # "a longtime ferry captain": someone known by a role, not a body
        m.role = _lower_article(_strip_the(m.name)) if len(span) > 1 else None
        m.name = _description_name(span) or m.name
        return m
    if _hit(root, lx.MEDIA_COLLECTIVE_NOUNS) and root.pos_ in ("NOUN", "PROPN"):
        # "state media", "Russian state television", "local news outlets": the press, whoever owns it.
        m.type = SourceType.media
        return m
    if _is_government(span) or (geo and len(geo[0]) == len(span) and geo[0].label_ == "GPE"):
        m.type = SourceType.government
        m.aliases |= _acronym_after(doc, end) if span[-1].text[:1].isupper() else set()
        return m
    if orgs:
        m.type = name_type([t.text for t in orgs[0]]) or SourceType.organisation
        m.aliases |= _acronym_after(doc, end)
        described = doc[span.start : orgs[0].start]
        if orgs[0].end == span.end and orgs[0].start <= root.i and any(t.is_lower and t.is_alpha for t in described) and all(
            t.is_lower or t.is_punct for t in described
        ):
            # "the maritime security agency Norsec", "the aid group Oxfam": the name, after what the body is
            m.name, m.role = orgs[0].text, _strip_the(described.text).strip(" ,") or None
            m.aliases |= {m.name.lower()}
        return m
    if geo and root.pos_ in ("NOUN",) and root.lower_ in ("military", "forces", "army", "government"):
        m.type = SourceType.government
    elif root.tag_ == "NN" and (_hit(root, lx.PERSON_NOUNS) or re.search(r"(?:man|woman|person)$", root.lower_)):
        run = next((r for t in span if t.i > root.i and (r := _name_run(doc, t.i, after_person=t.i == root.i + 1)) is not None and r.end == span.end), None)
        if run is not None:  # "retired nurse Agnes Byrne"
            m.type, m.name, m.aliases = SourceType.person, run.text, set()
            m.role = doc_text(doc)[start : run.start_char].strip(" ,") or None
            return m
        # "a neighbour, who did not want to be named", "an old man feeding pigeons": a person nobody named
        m.type, m.name = SourceType.person, _description_name(span) or m.name
    return m


_WHO = {"who", "whom"}  # not "whose": "Tesla, whose shares fell"


def _named_persons(doc: Doc) -> list[TokenSpan]:
    """The persons named in ``doc``, in order: its PERSON entities, and proper names the small model missed or
    took for a company that carry a *who* clause ("Halvorsen, who has run the observatory for thirty years")."""
    persons = [_without_titles(e) for e in doc_ents(doc) if is_person_ent(e)]
    taken = {t for p in persons for t in range(p.start, p.end)}
    for tok in doc:
        if tok.dep_ == "relcl" and tok.head.i not in taken and (name := _who_named(doc[tok.head.left_edge.i : tok.head.i + 1])):
            persons.append(name)
    return sorted(persons, key=lambda p: p.start)


def _who_named(span: TokenSpan) -> TokenSpan | None:
    """The proper name heading ``span`` where a *who* clause hangs on it: a person, whatever the tagger said."""
    head = span.root
    if head.pos_ != "PROPN" or not head.text[:1].isupper() or head.ent_type_ in ("GPE", "LOC", "NORP", "FAC"):
        return None
    if not any(c.dep_ == "relcl" and any(w.lower_ in _WHO for w in c.subtree if w.i < c.i) for c in head.children):
        return None
    name = _proper_name(span)
    if name is None or name_type([t.text for t in name]) is not None or media_name(name.text):
        return None
    return _without_titles(name)


def _media_tail(name: TokenSpan) -> bool:
    """A name ending like a newspaper's ("... Times", "... Herald"); "Agency" only after "News" or "Press"
    ("Xinhua News Agency", not "the Canada Revenue Agency" or "the Environment Agency")."""
    if not len(name) or name[-1].lower_ not in lx.MEDIA_TAILS:
        return False
    return name[-1].lower_ != "agency" or (len(name) > 1 and name[-2].lower_ in lx.NEWS_AGENCY_WORDS)


def _press_named(span: TokenSpan) -> str | None:
    """The name closing a mention that says what kind of outlet it is: "the state news agency IRNA" -> IRNA
    (the small model often tags such a name an adjective, so no entity says so)."""
    doc = span.doc
    j = span.end
    while j > span.start and doc[j - 1].is_punct:
        j -= 1
    i = j
    while i > span.start and doc[i - 1].text[:1].isupper() and doc[i - 1].is_alpha:
        i -= 1
    if i == j or i == span.start or not doc[i - 1].is_lower or doc[i - 1].lower_ not in lx.PRESS_KINDS:
        return None  # "the Daily Flare": the kind is part of the name
    if doc[i - 1].lower_ == "agency" and (i - 2 < span.start or doc[i - 2].lower_ not in lx.NEWS_AGENCY_WORDS | {"wire"}):
        return None  # "the maritime security agency Norsec" is no outlet
    return doc[i:j].text


def _titled_name(span: TokenSpan) -> TokenSpan | None:
    """The name after a personal title that heads ``span`` ("Mr Minns", "Dr. Ana Ruiz"), or None."""
    doc = span.doc
    first = next((t for t in span if t.dep_ != "det"), None)
    if first is None or first.lower_.rstrip(".") not in lx.NAME_TITLES or span.root.pos_ != "PROPN":
        return None
    i = first.i + 1
    while i < span.end and doc[i].is_punct and doc[i].text == ".":
        i += 1
    j = i
    while j < span.end and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() and doc[j].is_alpha:
        j += 1
    if j == i or not (i <= span.root.i < j) or name_type([t.text for t in doc[i:j]]) is not None:
        return None
    return doc[i:j]


def _with_capitals_before(span: TokenSpan, ent: TokenSpan) -> TokenSpan:
    """ "MAYOR DELIA FROST": in a capitalised speaker label the tagger finds "FROST" alone; the capitalised words
    before it in the mention are the rest of the name (and the title, which ``_without_titles`` drops)."""
    if not ent.text.isupper():
        return ent
    i = ent.start
    while i - 1 >= span.start and span.doc[i - 1].is_alpha and span.doc[i - 1].text.isupper() and len(span.doc[i - 1]) > 1:
        i -= 1
    return span.doc[i : ent.end]


def _without_titles(ent: TokenSpan) -> TokenSpan:
    """A person's name without the titles, ranks and trades the tagger took into it:
    "Councillor Abe Lin", "Lt. Col. Marta Ilves", "Cricketer Ravi Menon", "MAYOR DELIA FROST"."""
    i = ent.start
    while i < ent.end - 1 and (
        ent.doc[i].lower_.rstrip(".") in lx.NAME_TITLES | lx.ROLE_NOUNS | lx.PERSON_NOUNS or ent.doc[i].is_punct
    ):
        i += 1
    return ent.doc[i : ent.end]


def _description_name(span: TokenSpan) -> str | None:
    """A description without its determiner and the clauses and appositions that say more about the
    person: "A crossing guard who has worked the corner" -> "crossing guard", "The night watchman, a thin
    man" -> "night watchman"; None when there is nothing to cut."""
    root = span.root
    cut = {t.i for c in root.children if c.dep_ in ("relcl", "acl", "appos") and c.i > root.i for t in c.subtree}
    comma = next((t.i for t in span if t.i > root.i and t.text == ","), span.end)
    lo = span.start
    while lo < root.i and span.doc[lo].dep_ in ("det", "poss", "nummod"):
        lo += 1
    hi = root.i
    while hi + 1 < min(comma, span.end) and hi + 1 not in cut:
        hi += 1
    while hi > root.i and (span.doc[hi].is_punct or span.doc[hi].dep_ in ("cc", "prep")):
        hi -= 1
    if (lo, hi + 1) == (span.start, span.end):
        return None
    return span.doc[lo : hi + 1].text


_NAME_GLUE = {"of", "and", "for", "the", "&", "on", "in"}


def _abbreviates(short: str, full: str) -> bool:
    """ "WHO" for "World Health Organization", "IDF" for "Israel Defense Forces": an acronym made of the
    initials of a name's capitalised words (glue words skipped or kept)."""
    letters = short.replace(".", "")
    if not (2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()):
        return False
    words = [w for w in re.split(r"[\s-]+", full) if w]
    if len(words) < 2:
        return False
    strict = "".join(w[0] for w in words if w.lower() not in _NAME_GLUE)
    loose = "".join(w[0] for w in words)
    return letters in (strict.upper(), loose.upper())


class Registry:
    """Entities of one article, built mention by mention in reading order."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.entities: list[Entity] = []
        # per type, (last, -number, entity) sorted: the latest mentioned first when read from the end, the
        # first made among equals, so that a pronoun finds its antecedent without a scan of every entity (#11)
        self._recency: dict[SourceType, list[tuple[int, int, Entity]]] = {}
        self._number: dict[int, int] = {}  # id(entity) -> its place in self.entities
        self._persons = _named_persons(doc)
        # the named persons by their name (no possessive), and by its first and last word: looked up per
        # mention, a scan of every person was quadratic in an article of many names (issue #11)
        self._person_ends = [p.end_char for p in self._persons]  # sorted: spaCy's entities are in order, apart
        self._person_named: dict[str, TokenSpan] = {}
        self._persons_by_word: dict[tuple[str, str], list[tuple[int, TokenSpan, list[str]]]] = {}
        for n, p in enumerate(self._persons):
            name = re.sub(r"(?:'s|’s)$", "", p.text)
            self._person_named.setdefault(name, p)
            words = name.lower().split()
            if words:
                for key in {("last", words[-1]), ("first", words[0])}:
                    self._persons_by_word.setdefault(key, []).append((n, p, words))
        self._noun_chunks: list[TokenSpan] | None = None

    def _new(self, m: Mention) -> Entity:
        ent = Entity(
            id=f"s{len(self.entities) + 1}",
            name=m.name,
            type=m.type,
            role=m.role,
            anonymous=m.anonymous,
            aliases={m.name.lower(), *m.aliases},
            heads={m.back_reference} if m.back_reference else set(),
            levels=set(m.name.lower().split()[:-1]) & lx.GENERIC_STATE_MODIFIERS if m.back_reference else set(),
        )
        if m.type == SourceType.anonymous:
            span = token_span(self.doc, m.start, m.end)
            if span is not None:
                ent.heads.add(span.root.lemma_.lower())
        self._number[id(ent)] = len(self.entities)
        bisect.insort(self._recency.setdefault(ent.type, []), (ent.last, -len(self.entities), ent))
        self.entities.append(ent)
        return ent

    def _recent(self, pos: int, accept, types: set[SourceType] | None = None) -> Entity | None:
        """The entity mentioned last at or before ``pos`` that ``accept`` takes (the first made among equals);
        ``types``: the only types ``accept`` can take, so that no other entity is looked at."""
        best, best_key = None, None
        for entries in self._recency.values() if types is None else [self._recency.get(t, []) for t in types]:
            i = bisect.bisect_right(entries, (pos, 1))
            while i > 0:
                i -= 1
                last, neg, ent = entries[i]
                if best_key is not None and (last, neg) < best_key:
                    break  # this type has none later than the best of another
                if accept(ent):
                    best, best_key = ent, (last, neg)
                    break
        return best

    def _seen(self, ent: Entity, pos: int) -> None:
        """``ent`` is mentioned at ``pos``."""
        if pos <= ent.last:
            return
        number = self._number[id(ent)]
        entries = self._recency[ent.type]
        del entries[bisect.bisect_left(entries, (ent.last, -number))]
        ent.last = pos
        bisect.insort(entries, (ent.last, -number, ent))

    def _person_gender(self, p: TokenSpan) -> str | None:
        """A named person's gender from their title ("Ms", "spokeswoman") or their entity."""
        name = re.sub(r"(?:'s|’s)$", "", p.text).lower()
        known = next((e.gender for e in self.entities if e.type == SourceType.person and name in e.aliases and e.gender), None)
        before = doc_text(self.doc)[max(0, p.start_char - 12) : p.start_char]
        return known or gender_of(_role_before(self.doc, p) or "") or gender_of(before.split()[-1] if before.split() else "")

    def _nearer_named_person(self, m: Mention, ent: Entity | None, gender: str | None = None) -> Entity | None:
        """A person named in the text closer before ``m`` than entity ``ent`` (who need not have spoken yet),
        skipping one whose title says the other gender from the pronoun's."""
        # the last person named before m (of the pronoun's gender, or none said), read back from m: the gender
        # of every person before m, for each pronoun, was quadratic in an article of many names (issue #11)
        before = range(bisect.bisect_right(self._person_ends, m.start) - 1, -1, -1)
        p = next((self._persons[k] for k in before if not gender or self._person_gender(self._persons[k]) in (None, gender)), None)
        if p is None or (ent is not None and ent.last >= p.start_char):
            return ent
        name = re.sub(r"(?:'s|’s)$", "", p.text)
        found = next(
            (e for e in self.entities if e.type == SourceType.person and (name.lower() in e.aliases or e.name.split()[-1:] == name.split()[-1:])),
            None,
        )
        if found is not None:
            return found
        full = Mention(start=m.start, end=m.end, text=m.text, name=name, type=SourceType.person)
        full.name, role = self._full_person_name(full)
        full.role = role or _role_before(self.doc, p) or _role_apposed(self.doc, p)
        return self._new(full)

    def _names_with_head(self, head: str, pos: int) -> list[TokenSpan]:
        """Proper names before ``pos`` headed by ``head``: "The Northern Fishermen's Federation" for "federation"."""
        out = []
        for chunk in self._chunks():
            if chunk.end_char > pos:
                break
            if chunk.root.lemma_.lower() == head or chunk.root.lower_ == head:
                name = _proper_name(chunk) or _compound_name(chunk)
                if name is not None:
                    out.append(name)
        return out

    def _chunks(self) -> list[TokenSpan]:
        if self._noun_chunks is None:
            try:
                self._noun_chunks = sorted(self.doc.noun_chunks, key=lambda c: c.start)
            except ValueError:  # no parser: no chunks
                self._noun_chunks = []
        return self._noun_chunks

    def _named_before(self, m: Mention, kind: SourceType | None) -> Entity | None:
        """A nominal's antecedent named in the text but not yet a source ("The Riverside Water Authority
        was told ... The authority said"): the nearest proper name with the same head word, or for an
        outlet the nearest newspaper name. Its entity is created, or found by name."""
        if kind == SourceType.media:
            names = [
                e for e in doc_ents(self.doc)
                if e.end_char <= m.start and e.label_ in ("ORG", "PERSON", "WORK_OF_ART")
                and (media_name(e.text) or name_type([t.text for t in e]) == SourceType.media)
            ]
        else:
            names = self._names_with_head(m.back_reference or "", m.start)
        if not names:
            return None
        name = names[-1]
        text = media_name(name.text) or _strip_the(re.sub(r"(?:'s|’s)$", "", name.text))
        found = next((e for e in self.entities if text.lower() in e.aliases), None)
        if found is not None:
            return found
        m.name, m.aliases = text, {text.lower()}
        m.type = kind or name_type(text.split()) or (SourceType.government if _is_institution(m.back_reference or "") else SourceType.organisation)
        return None  # resolve() creates it from the renamed mention

    def _company_before(self, m: Mention) -> Entity | None:
        """ "Acme Corp chief executive Lena Park said ... The company said": the nearest organisation the
        text names before, though only inside another source's mention; created, or found by name."""
        names = [
            e for e in doc_ents(self.doc)
            if e.end_char <= m.start and e.label_ == "ORG" and not media_name(e.text)
            and name_type([t.text for t in e]) in (None, SourceType.organisation) and not _is_government(e)
        ]
        if not names:
            return None
        text = _strip_the(re.sub(r"(?:'s|’s)$", "", names[-1].text))
        found = next((e for e in self.entities if text.lower() in e.aliases), None)
        if found is None:
            m.name, m.aliases, m.type = text, {text.lower()}, SourceType.organisation
        return found

    def _full_person_name(self, m: Mention) -> tuple[str, str | None]:
        """A surname's fuller form given elsewhere in the article ("Putin" -> "Vladimir Putin")."""
        words = m.name.lower().split()  # "PENCE" in a transcript is "Mike Pence"
        best = None
        if not words:
            return m.name, None
        maybe = self._persons_by_word.get(("last", words[-1]), []) + (
            self._persons_by_word.get(("first", words[0]), []) if len(words) == 1 else []
        )
        for _, ent, ewords in sorted({id(c[1]): c for c in maybe}.values(), key=lambda c: c[0]):
            # "Moss" or, in tabloid style, "Chantelle" for "Chantelle Voss"
            if len(ewords) > len(words) and (ewords[-len(words) :] == words or len(words) == 1 and ewords[0] == words[0]):
                if best is None or (ent.start_char < m.start) > (best.start_char < m.start):
                    best = ent
        if best is None:
            return m.name, None
        return re.sub(r"(?:'s|’s)$", "", best.text), _role_before(self.doc, best)

    def resolve(self, m: Mention, owner: Entity | None = None) -> Entity:
        pos = m.start
        ent: Entity | None = None
        if m.pronoun:
            wanted = {
                "person": {SourceType.person},
                "thing": {SourceType.organisation, SourceType.media, SourceType.government, SourceType.document},
                "group": {SourceType.anonymous, SourceType.government, SourceType.organisation, SourceType.media, SourceType.unknown},
            }[m.pronoun]
            said = gender_of(m.text) if m.pronoun == "person" else None
            ent = self._recent(pos, lambda e: e.type in wanted and not (said and e.gender and e.gender != said), wanted)
            if m.pronoun == "person":
                ent = self._nearer_named_person(m, ent, said)
            if ent is None:
                m.name = m.text
        elif m.epithet:
            head = m.epithet
            ent = self._recent(pos, lambda e: e.type == SourceType.person and e.role is not None and head in e.role.lower(), _PERSON)
            ent = ent or self._nearer_named_person(m, self._recent(pos, lambda e: e.type == SourceType.person, _PERSON))
            if ent is None:
                # nobody named before fits: "the longtime shop owner" stays a person of their own (issue #13)
                span = token_span(self.doc, m.start, m.end)
                m.type = SourceType.government if span is not None and _is_government(span) else SourceType.person
        elif m.back_reference:
            head = m.back_reference
            if m.type == SourceType.anonymous:
                if owner is not None:
                    ent = self._recent(pos, lambda e: e.anonymous and e.cited_by == owner.id)
                ent = ent or self._recent(pos, lambda e: e.anonymous and head in e.heads)
                ent = ent or self._recent(pos, lambda e: e.anonymous)
            elif m.type == SourceType.media:
                ent = self._recent(pos, lambda e: e.type == SourceType.media, _MEDIA) or self._named_before(m, SourceType.media)
            elif m.type == SourceType.document:
                ent = self._recent(pos, lambda e: head in e.heads or head in e.name.lower().split())
            elif head in lx.AMBIGUOUS_AGENCY_NOUNS:
                # "the agency": a news agency or a state one, whichever was named last.
                # A body the text calls an agency ("the International Atomic Energy Agency") before any outlet:
                # wire copy names a news agency by its name, not "the agency".
                ent = self._recent(pos, lambda e: e.type in _BODIES and head in _words(e), _BODIES)
                ent = ent or self._recent(pos, lambda e: e.type == SourceType.media, _MEDIA)
                ent = ent or self._named_before(m, None)
            elif head in lx.ORG_NOUNS:
                # "the company" is any organisation; "the federation" the one so named, if the text names one.
                ent = self._recent(pos, lambda e: e.type in _BODIES and (head in e.heads or head in _words(e)), _BODIES)
                ent = ent or self._named_before(m, None)
                if ent is None and not self._names_with_head(head, pos):
                    ent = self._recent(pos, lambda e: e.type == SourceType.organisation, {SourceType.organisation})
                if ent is None and head in lx.COMPANY_NOUNS:
                    ent = self._company_before(m)
            elif _is_institution(head):
                # "the ministry", "the city council": a body (never a person or an anonymous official
                # "at the ministry"), by its head word; a different level of state is a different body.
                mods = set(m.name.lower().split()[:-1]) & lx.GENERIC_STATE_MODIFIERS

                def same_level(e: Entity) -> bool:
                    return not (mods and ((set(_words(e)) & lx.GENERIC_STATE_MODIFIERS) | e.levels) - mods)

                ent = self._recent(pos, lambda e: e.type in _BODIES and (head in e.heads or head in _words(e)) and same_level(e), _BODIES)
                if ent is None and not mods:
                    ent = self._named_before(m, None)
                if ent is not None:
                    ent.levels |= mods
            else:
                # "the ministry", "the president", "the minister": by name, head or role.
                # A person only by a title ("the president"), never by a word of their role's
                # organisation ("the research" is not the director of "... Research").
                title = head in lx.ROLE_NOUNS or head in lx.EPITHET_NOUNS
                ent = self._recent(
                    pos,
                    lambda e: head in e.heads
                    or (head in _words(e) and (title or e.type != SourceType.person))
                    or (title and e.role is not None and head in e.role.lower().split()),
                )
                if ent is None and head in lx.ROLE_NOUNS:
                    # "The president said": the person given that title earlier, quoted or not.
                    titled = [
                        (p, role)
                        for p in self._persons
                        if p.start_char < pos and (role := _role_before(self.doc, p)) and head in role.lower().split()
                    ]
                    if titled:
                        p, role = titled[-1]
                        name = re.sub(r"(?:'s|’s)$", "", p.text)
                        ent = next((e for e in self.entities if name.lower() in e.aliases), None)
                        if ent is None:
                            m.name, m.type, m.role, m.back_reference = name, SourceType.person, role, None
        else:
            keys = {m.name.lower(), *m.aliases}
            ent = next((e for e in self.entities if keys & e.aliases), None)
            if ent is None and m.type in _BODIES | {SourceType.unknown}:
                # "the WHO" after "the World Health Organization", and the other way about.
                ent = next((e for e in self.entities if e.type in _BODIES and _abbreviates(m.name, e.name) or _abbreviates(e.name, m.name) and e.type in _BODIES), None)
                if ent is not None and m.type == SourceType.unknown:
                    m.type = ent.type
                if ent is not None and len(m.name) > len(ent.name):
                    ent.name = m.name  # the full name, once the text gives it
            words = m.name.split()
            if ent is None and m.type != SourceType.person and words and all(w[:1].isupper() for w in words):
                # A surname the parser did not tag ("Lee added"): a person named earlier.
                ent = self._recent(pos, lambda e: e.type == SourceType.person and e.name.split()[-len(words) :] == words, _PERSON)
                low = [w.lower() for w in words]
                if (
                    ent is None
                    and m.type in (SourceType.unknown, SourceType.organisation)
                    and len(words) <= 2
                    and name_type(words) is None
                    and any(
                        len(p) > len(words) and ([w.lower() for w in p.text.split()][-len(low) :] == low or len(low) == 1 and p[0].lower_ == low[0])
                        for p in self._persons
                    )
                ):
                    # "Trump" tagged ORG, "PENCE" untagged: the surname of a person the text names in full.
                    m.type = SourceType.person
            if ent is None and m.type in _BODIES and len(words) == 1:
                # "The Ledger" after "the Riverside Ledger": the fuller name the text gives.
                fuller = [
                    e for e in doc_ents(self.doc)
                    if e.label_ in ("ORG", "PERSON") and not is_person_ent(e) and len(e) > 1 and e[-1].text == words[0]

                ]
                if fuller:
                    full = media_name(fuller[0].text) or _strip_the(fuller[0].text)
                    ent = next((e for e in self.entities if full.lower() in e.aliases), None)
                    m.aliases |= {m.name.lower()}
                    m.name = full
            if ent is None and m.type == SourceType.person:
                full, role = self._full_person_name(m)
                if full != m.name:
                    m.name, m.role = full, m.role or role
                words = m.name.split()
                ent = next(
                    (e for e in self.entities if e.type == SourceType.person and e.name.split()[-len(words) :] == words),
                    None,
                ) or next(
                    (e for e in self.entities if e.type == SourceType.person and words[-len(e.name.split()) :] == e.name.split()),
                    None,
                )
                if ent is not None and len(m.name) > len(ent.name):
                    ent.name = m.name
        if ent is None:
            ent = self._new(m)
        else:
            ent.aliases |= {m.name.lower(), *m.aliases} if not (m.pronoun or m.back_reference) else set()
            if ent.role is None and m.role:
                ent.role = m.role
        if ent.type == SourceType.person and ent.role is None:
            full = self._person_named.get(ent.name)
            if full is not None:
                ent.role = _role_before(self.doc, full) or _role_apposed(self.doc, full) or _role_comma_before(self.doc, full)
        if ent.type == SourceType.person and ent.gender is None and not m.pronoun:
            ent.gender = gender_of(m.text) or gender_of(ent.role or "")  # a title's word, never a guessed pronoun
        ent.mentions.append(Span.of(doc_text(self.doc), m.start, m.end))
        self._seen(ent, m.start)
        return ent

    def sources(self) -> list[Source]:
        return [
            Source(
                id=e.id,
                name=e.name,
                type=e.type,
                role=e.role,
                anonymous=e.anonymous,
                mentions=sorted({(s.start, s.end): s for s in e.mentions}.values(), key=lambda s: s.start),
            )
            for e in self.entities
        ]

    def get(self, entity_id: str | None) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)
