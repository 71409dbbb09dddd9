"""Rule-based attribution extractor: cue lexicon + dependency parse + quotation marks.

It needs no training and is the baseline the learned extractor must beat, and
the fallback that runs on every article, so it is pure token walking over the
spaCy parse (no extra model passes).

How it reads a document:

1. **Quotes.** Quotation-mark pairs are found over the whole text (a quote may
   run over several sentences, or to the end of its paragraph when a
   multi-paragraph quote leaves it open).
2. **Cues.** Verbs of saying/believing (``cues.json``) with their reported
   clause (ccomp/xcomp, object, ``describe ... as`` complement, the clause
   they interrupt or follow: ``..., the officials told NYT``, ``As X noted,
   ...``, a passive's subject: ``was first reported by X``, or the next
   paragraph after ``X continued:``), ``according to X``, ``X, citing Y,
   ...`` (a nested attribution), speech nouns with a *that* clause (``X's
   claim that ...``) and channels (``in a statement``). Inside a quote only a
   third party's speech counts; "I think" is the speaker's own voice.
3. **Quote frames.** A quote ending in ``,`` / ``?`` / ``!`` followed by a
   short clause with a speech verb (``"...," said X``) or preceded by one and
   a comma/colon (``X said: "..."``) is that verb's content; quotes in no
   frame (titles, scare quotes) are no statement. A quote that opens the next
   sentence of the same paragraph continues the previous direct quote.
4. **Spans.** Source = the whole noun phrase of the subject (a relative
   pronoun stands for the noun it modifies; a participle or conjunct verb
   inherits its head's subject); content = union of the clause and any quote
   it touches, minus the cue and source, trimmed of edge punctuation, never
   beyond the cue's paragraph (the parser sometimes runs over a line break).
   Attributions whose cue lies in another's content get that one as parent.

The lexicon is data (``cues.json``): edit the word lists there, not the code.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Token

from .. import deadline
from ..model import Attribution, ContentKind, Span
from .extractor import register

_LEXICON_PATH = Path(__file__).with_name("cues.json")

_OPENERS = {"“": "”", "‘": "’", "«": "»"}
_QUOTE_CHARS = set('"“”‘’«»')  # typewriter '' pairs are found by find_quotes
_FRAME_END = set(",?!—–-…:")  # a quote ending in one of these may be followed by "X said"
_SUBJ = ("nsubj", "nsubjpass", "csubj")
_CLAUSE_DEPS = ("ccomp",)
_PERFECT_AUX = {"have", "be"}
_TITLE_PREPS = {"of", "on", "in", "at", "from", "to", "by", "into", "onto"}
_TITLE_NOUNS = {
    "film", "movie", "show", "book", "song", "album", "series", "program", "programme", "documentary",
    "novel", "play", "podcast", "article", "headline", "episode", "titled", "entitled", "title", "dubbed", "named",
}
_SPEAKER_PRONOUNS = {
    "i", "we", "you", "me", "us", "one", "y'all", "you all",
    "nobody", "no one", "everyone", "everybody", "someone", "somebody", "anyone", "anybody",
}
_EDGE_PUNCT = set(",.;:—–-()[]…<>|*•·~^_/\\") | {" ", "\n", "\t", "\xa0", "\u2009", "\u200b"}


@dataclass(frozen=True)
class Lexicon:
    speech: frozenset[str]
    cognition: frozenset[str]
    clause_only: frozenset[str]
    object_content: frozenset[str]
    xcomp_content: frozenset[str]
    prep_content: dict[str, frozenset[str]]
    particles: dict[str, frozenset[str]]
    as_complement: frozenset[str]
    naming: frozenset[str]
    nouns: frozenset[str]
    channels: frozenset[str]
    light_verbs: frozenset[str]
    relay: frozenset[str]
    source_nouns: frozenset[str]
    non_statement_heads: frozenset[str]
    not_speaker_labels: frozenset[str]
    evidence_verbs: frozenset[str]
    action_verbs: frozenset[str] = frozenset()  # acts, not speech: "approved the sale of two frigates"

    @property
    def verbs(self) -> frozenset[str]:
        return self.speech | self.cognition


@functools.lru_cache(maxsize=1)
def load_lexicon(path: str | Path = _LEXICON_PATH) -> Lexicon:
    """The cue lexicon, kept as data in ``cues.json`` beside this module."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    fs = lambda key: frozenset(w.lower() for w in raw.get(key, []))  # noqa: E731
    return Lexicon(
        speech=fs("speech_verbs"),
        cognition=fs("cognition_verbs"),
        clause_only=fs("clause_only"),
        object_content=fs("object_content_verbs"),
        xcomp_content=fs("xcomp_content_verbs"),
        prep_content={k: frozenset(v) for k, v in raw.get("prep_content", {}).items()},
        particles={k: frozenset(v) for k, v in raw.get("cue_particles", {}).items()},
        as_complement=fs("as_complement_verbs"),
        naming=fs("naming_verbs"),
        nouns=fs("speech_nouns"),
        channels=fs("channel_nouns"),
        light_verbs=fs("light_verbs"),
        relay=fs("relay_verbs"),
        source_nouns=fs("source_nouns"),
        non_statement_heads=fs("non_statement_heads"),
        not_speaker_labels=fs("not_speaker_labels"),
        evidence_verbs=fs("evidence_verbs"),
        action_verbs=fs("action_verbs"),
    )


# ---------------------------------------------------------------- quotes


_ELISION = re.compile(r"(?:\d0s|n'|em\b|tis\b|twas\b|cause\b)", re.IGNORECASE)
# Characters between a speaker's quote and the quote that carries it on: in the same paragraph the
# cue's sentence may hold a long apposition ('"A," said Don Fowler, who helmed the DNC from 1995 to
# 1997, …. "B."'; in PolNeAR train 60 of the 66 quote sentences 120–250 characters after a
# speaker's quote, with no cue of their own, carry it on). Across paragraphs the limit stays 120:
# on dev a longer one only added inferred attributions that the gold does not have.
_MAX_CONTINUATION_GAP = 250
_MAX_NEW_PARAGRAPH_GAP = 120
_THIRD_PERSON = {"he", "she", "they", "it"}
_LINE_ENDS = re.compile(r"[^\S\n]*\.?[^\S\n]*(?:\n|\Z)")


def _sentence_end(doc: Doc, at: int) -> int:
    """Where the sentence holding the character before ``at`` ends (``at`` where no token holds it)."""
    span = doc.char_span(max(at - 1, 0), at, alignment_mode="expand")
    return span[-1].sent.end_char if span is not None and len(span) else at


def _another_cue_between(cue_starts: list[tuple[int, int]], start: int, end: int, cand) -> bool:
    """Whether a cue of another candidate than ``cand`` starts in ``[start, end)`` (``cue_starts``: sorted
    (offset, id of its candidate))."""
    lo = bisect.bisect_left(cue_starts, (start, -1))
    hi = bisect.bisect_left(cue_starts, (end, -1))
    return any(owner != id(cand) for _, owner in cue_starts[lo:hi])


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Quotation spans ``(start, end)`` including the marks, in text order.

    Curly and guillemet pairs are matched by kind; straight double quotes
    alternate open/close. A quote still open at the end of its paragraph ends
    there (newspapers leave a quote open when it carries on in the next one).
    Single curly quotes count only when they cannot be apostrophes.
    """
    quotes: list[tuple[int, int]] = []
    # typewriter style ''quote'' (two apostrophes) counts as a double quote; same length keeps offsets
    text = text.replace("''", '"\x01')
    # British house style quotes with straight single marks ('We will not be moved,' he said): read them
    # so only where the text has no double quotation mark at all, since elsewhere they are apostrophes.
    singles = not any(c in text for c in '"“”«»')
    for para in re.finditer(r"[^\n]+", text):
        p0, ptext = para.start(), para.group()
        open_at: int | None = None
        open_char = ""
        for i, ch in enumerate(ptext):
            if ch not in _QUOTE_CHARS and not (singles and ch == "'"):
                continue
            deadline.check()
            prev = ptext[i - 1] if i else " "
            nxt = ptext[i + 1] if i + 1 < len(ptext) else " "
            if ch == "'":
                if prev.isalnum() and nxt.isalnum():
                    continue  # don't, O'Brien
                if open_at is None and _ELISION.match(ptext, i + 1):
                    continue  # the '90s, rock 'n' roll
                if open_at is None and not prev.isalnum() and (nxt.isalnum() or nxt in "…"):
                    open_at, open_char = i, ch
                elif open_char == "'" and prev in "sS" and nxt == " " and ptext[i + 2 : i + 3].islower():
                    continue  # 'The workers' rights matter': a plural possessive inside the quote
                elif open_char == "'" and not prev.isspace() and not nxt.isalnum():
                    quotes.append((p0 + open_at, p0 + i + 1))
                    open_at, open_char = None, ""
                continue
            if ch in "‘’" and (prev.isalnum() and nxt.isalnum()):
                continue  # apostrophe: don’t, O’Brien
            if ch == "’" and open_char != "‘":
                continue  # apostrophe after a word: the countries’ leaders
            if open_at is None:
                if ch == '"' or ch in _OPENERS:
                    if ch == "‘" and prev.isalnum():
                        continue
                    open_at, open_char = i, ch
                continue
            closes = (open_char == '"' and ch == '"') or _OPENERS.get(open_char) == ch
            if closes:
                quotes.append((p0 + open_at, p0 + i + (2 if ptext[i + 1 : i + 2] == "\x01" else 1)))
                open_at, open_char = None, ""
            elif ch == "“" and open_char in "‘“":
                open_at, open_char = i, ch  # the earlier mark was never closed: start again here
        if open_at is not None and open_char in ('"', "“", "«"):
            end = len(ptext.rstrip())
            if end - open_at > 1:
                quotes.append((p0 + open_at, p0 + end))
    quotes.sort()
    # Keep outermost quotes only (a ‘nested’ quote inside “…” is part of it).
    outer: list[tuple[int, int]] = []
    for q in quotes:
        if not outer or q[0] >= outer[-1][1]:
            outer.append(q)
    return outer


# ---------------------------------------------------------------- spans helpers

Interval = tuple[int, int]


class Quotes(list):
    """``find_quotes``'s quotes (sorted and disjoint), with the lookups the rules make for every
    candidate answered by bisection: scanning every quote per candidate was quadratic in a text of
    many short quotes (issue #11)."""

    def __init__(self, quotes=()):
        super().__init__(quotes)
        self._starts = [qs for qs, _ in self]
        self._ends = [qe for _, qe in self]
        self.starts = frozenset(self._starts)
        self.ends = frozenset(self._ends)

    def overlapping(self, s: int, e: int) -> list[Interval]:
        """The quotes that share a character with ``[s, e)``, in text order."""
        if e <= s:
            return []
        i = bisect.bisect_right(self._ends, s)  # the first quote ending after s
        out = []
        while i < len(self) and self[i][0] < e:
            out.append(self[i])
            i += 1
        return out

    def holding(self, pos: int) -> Interval | None:
        """The quote with ``qs <= pos < qe``, if any."""
        i = bisect.bisect_right(self._starts, pos) - 1
        return self[i] if i >= 0 and pos < self[i][1] else None


_NO_QUOTES = Quotes()


class _Coverage:
    """The union of some intervals, asked whether it holds a position (``s <= pos < e`` for one of them)."""

    def __init__(self, intervals):
        merged = _merge(list(intervals))
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def __contains__(self, pos: int) -> bool:
        i = bisect.bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self._ends[i]


def _merge(intervals: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for s, e in sorted(i for i in intervals if i[1] > i[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _subtract(intervals: list[Interval], holes: list[Interval]) -> list[Interval]:
    out = []
    for s, e in intervals:
        pieces = [(s, e)]
        for hs, he in holes:
            nxt = []
            for ps, pe in pieces:
                if he <= ps or hs >= pe:
                    nxt.append((ps, pe))
                    continue
                if hs > ps:
                    nxt.append((ps, hs))
                if he < pe:
                    nxt.append((he, pe))
            pieces = nxt
        out.extend(pieces)
    return out


def _trim(text: str, s: int, e: int, quotes: Quotes) -> Interval:
    """Strip edge whitespace/punctuation and dangling conjunctions; keep quote marks that close a quote inside."""
    while True:
        before = (s, e)
        while s < e and text[s] in _EDGE_PUNCT:
            s += 1
        while s < e and text[e - 1] in _EDGE_PUNCT:
            if text[e - 1] == ")" and text.count("(", s, e) > text.count(")", s, e - 1):
                break
            e -= 1
        # a lone quote mark: the closing mark of an earlier quote, the opening of a later one
        if s < e and text[s] in _QUOTE_CHARS and s not in quotes.starts:
            s += 1
        if s < e and text[e - 1] in _QUOTE_CHARS and e not in quotes.ends:
            e -= 1
        if text.startswith(("''", "``"), s) and s not in quotes.starts:
            s += 2
        if text.endswith("''", s, e) and e - s > 2 and e not in quotes.ends:
            e -= 2
        m = re.match(r"(?:and|or)\s+", text[s:e], flags=re.I)
        if m and e - s > m.end():
            s += m.end()
        m = re.search(r"\s+(?:and|but|or)$", text[s:e], flags=re.I)
        if m:
            e = s + m.start()
        if (s, e) == before:
            return s, e


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _tok_interval(tokens) -> Interval:
    tokens = list(tokens)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _subtree_interval(tok: Token, exclude: set[int] | None = None) -> Interval | None:
    """The contiguous run of ``tok``'s subtree around ``tok``, skipping tokens in ``exclude``."""
    exclude = exclude or set()
    members = {t.i for t in tok.subtree} - exclude
    if tok.i not in members:
        return None
    lo = hi = tok.i
    while lo - 1 in members:
        lo -= 1
    while hi + 1 in members:
        hi += 1
    doc = tok.doc
    # drop trailing/leading punctuation and conjunctions
    while lo < hi and (doc[lo].is_punct and doc[lo].text not in "(\"“" or doc[lo].dep_ in ("cc", "prep") and lo < tok.i):
        lo += 1
    while hi > lo and (doc[hi].is_punct and doc[hi].text not in ")\"”" or doc[hi].dep_ == "cc"):
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


# ---------------------------------------------------------------- extractor


@dataclass
class _Cand:
    cue: list[Interval]
    cue_tok: int  # index of the head token of the cue, for de-duplication and nesting
    source: list[Interval] = field(default_factory=list)
    content: list[Interval] = field(default_factory=list)
    parent: "_Cand | None" = None
    kind: str = "verb"
    beyond_paragraph: bool = False  # content is the next paragraph ("X continued:")


@register("rules")
class RuleExtractor:
    """Cue lexicon + dependency parse + quotation marks; see the module docstring."""

    name = "rules"

    def __init__(self, lexicon: Lexicon | None = None):
        self.lex = lexicon or load_lexicon()

    # -- public
    def __call__(self, doc: Doc) -> list[Attribution]:
        try:
            return self._extract(doc)
        finally:
            _TEXT_CACHE[:] = [None, ""]  # do not keep the last doc alive

    def _extract(self, doc: Doc) -> list[Attribution]:
        text = _text(doc)
        if not text.strip():
            return []
        quotes = Quotes(find_quotes(text))
        cands: dict[int, _Cand] = {}
        # The request's time budget is checked for every token, quote and candidate, not only between
        # stages: one long document must not outlive its request (issue #11).
        for tok in doc:
            deadline.check()
            c = self._verb_cue(tok, quotes) or self._according(tok) or self._noun_cue(tok) or self._channel(tok)
            if c is not None:
                cands[tok.i] = c
        stages = (
            lambda: self._detach_participles(doc, cands),
            lambda: self._colon_blocks(doc, cands),
            lambda: self._quote_labels(doc, quotes, cands),
            lambda: self._quote_frames(doc, quotes, cands),
            lambda: self._speaker_labels(doc, quotes, cands),
            lambda: self._relays(doc, cands),
            lambda: self._prune_in_quotes(doc, quotes, cands),
            lambda: self._continuations(doc, quotes, cands),
        )
        for stage in stages:  # in this order: each reads what the ones before found
            deadline.check()
            stage()
        deadline.check()
        return self._finish(doc, quotes, cands)

    # -- cue finders
    def _cue_interval(self, tok: Token) -> list[Interval]:
        """The verb with its perfect/progressive auxiliaries just before it and its particle."""
        doc = tok.doc
        lo = tok.i
        while lo - 1 >= 0 and doc[lo - 1].head.i == tok.i and doc[lo - 1].dep_ in ("aux", "auxpass") and doc[lo - 1].lemma_ in _PERFECT_AUX:
            lo -= 1
        hi = tok.i
        parts = self.lex.particles.get(tok.lemma_.lower(), frozenset())
        if hi + 1 < len(doc) and doc[hi + 1].lower_ in parts and doc[hi + 1].head.i == tok.i:
            hi += 1
        return [(doc[lo].idx, doc[hi].idx + len(doc[hi]))]

    def _is_cue_verb(self, tok: Token) -> bool:
        return tok.pos_ == "VERB" and tok.lemma_.lower() in self.lex.verbs

    def _verb_cue(self, tok: Token, quotes) -> _Cand | None:
        if not self._is_cue_verb(tok):
            return None
        lemma = tok.lemma_.lower()
        if not self._verb_slot_ok(tok):
            return None
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in self.lex.non_statement_heads:
            return None  # "declined to comment on the dispute"
        inverted = self._inverted_frame(tok)
        if inverted is not None:
            src, content = inverted
            return _Cand(cue=self._cue_interval(tok), cue_tok=tok.i, source=[src], content=content)
        content: list[Interval] = []
        cue = self._cue_interval(tok)
        own = {t.i for t in tok.subtree}
        for child in tok.children:
            if child.dep_ in _CLAUSE_DEPS and child.i > tok.i:
                content.append(_tok_interval(child.subtree))
            elif child.dep_ == "xcomp" and child.pos_ in ("VERB", "AUX") and (
                lemma in self.lex.xcomp_content
                # "asked the candidates to discuss ...", not "asked not to be named"
                or lemma in ("ask", "tell", "beg", "advise") and any(c.dep_ == "dobj" for c in tok.children)
            ):
                start = min([c.left_edge.idx for c in tok.children if c.dep_ == "dobj" and c.i > tok.i] + [child.left_edge.idx])
                content.append((start, child.right_edge.idx + len(child.right_edge)))
        if not content and lemma in self.lex.naming:
            objs = [c for c in tok.children if c.dep_ in ("dobj",)]
            oprd = [c for c in tok.children if c.dep_ in ("oprd", "xcomp", "ccomp") and c.i > tok.i]
            if objs and oprd:
                content.append((_tok_interval(objs[0].subtree)[0], _tok_interval(oprd[-1].subtree)[1]))
        if not content and lemma in self.lex.as_complement:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ == "as" and child.i > tok.i:
                    pobj = [c for c in child.children if c.dep_ in ("pobj", "pcomp", "amod", "acomp")]
                    if pobj:
                        content.append(_tok_interval(t for p in pobj for t in p.subtree))
        if not content and lemma in self.lex.prep_content:
            for child in tok.children:
                if child.dep_ in ("prep", "prt") and child.lower_ in self.lex.prep_content[lemma] and child.i > tok.i:
                    objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
                    if objs:
                        content.append(_tok_interval(t for o in objs for t in o.subtree))
                        cue = [(cue[0][0], max(cue[0][1], child.idx + len(child)))] if child.i == tok.i + 1 else cue
        if not content and lemma in self.lex.object_content:
            for child in tok.children:
                if child.dep_ == "dobj" and child.i > tok.i and child.pos_ not in ("PRON",):
                    if lemma in self.lex.light_verbs and self._noun_clause(child):
                        continue  # "expressed fears that ...": the noun is the cue
                    content.append(self._object_interval(child))
        if not content and lemma in self.lex.speech:
            for child in tok.children:
                # "said after the convention he would not accept ...": a reported clause parsed as advcl
                if (
                    child.dep_ == "advcl"
                    and child.i > tok.i
                    and any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
                    and not any(c.dep_ in ("mark", "advmod") and c.lower_ != "that" and c.i < child.i for c in child.children)
                ):
                    subj = next(c for c in child.children if c.dep_ in ("nsubj", "nsubjpass"))
                    content.append((subj.left_edge.idx, child.right_edge.idx + len(child.right_edge)))
        if not content:
            content = self._channel_clause(tok)
        if not content:
            content = self._as_parenthetical(tok)
        if not content:
            content = self._evidence(tok)
        src = None
        if not content:
            passive = self._passive_report(tok)
            if passive is not None:
                src, content = passive
        if not content:
            post = self._postposed(tok)
            if post is not None:
                src, content = post
        if not content:
            for child in tok.children:
                if child.dep_ == "ccomp" and child.i < tok.i:
                    content.append(_tok_interval(child.subtree))
        if not content and lemma not in self.lex.clause_only or (not content and tok.dep_ in ("parataxis",)):
            inv = self._inverted_content(tok, own)
            if inv:
                content.extend(inv)
        if not content and lemma not in self.lex.speech:
            return None
        cand = _Cand(cue=cue, cue_tok=tok.i, content=content)
        if src is None:
            src = self._subject(tok)
        if src is not None:
            cand.source = [src]
        elif any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and not any(
            c.dep_ == "nsubjpass" for c in tok.children
        ):
            return None  # "necessary to confirm the results": a purpose, not a statement
        if not content:
            cand.kind = "verb-nocontent"  # may still get a quote in _quote_frames
        return cand

    def _inverted_frame(self, tok: Token) -> tuple[Interval, list[Interval]] | None:
        """``CLAUSE, argued the economist Dara Quinn [in a lecture].``: an inverted cue, the speaker after it.

        Read from the surface (the parser takes the speaker for an object): the cue
        follows a comma, nothing before it is its subject, and after it comes a noun
        phrase with no verb of its own to the end of the sentence.
        """
        doc, sent = tok.doc, tok.sent
        if tok.lemma_.lower() not in self.lex.speech or tok.tag_ not in ("VBD", "VBZ") or tok.i < sent.start + 3:
            return None
        if doc[tok.i - 1].text != "," or any(c.dep_ in _SUBJ and c.i < tok.i for c in tok.children):
            return None
        after = [t for t in doc[tok.i + 1 : sent.end] if not (t.is_punct and t.i == sent.end - 1)]
        if not after or after[0].pos_ not in ("DET", "PROPN", "NOUN", "ADJ", "PRON") or after[0].tag_ in ("PRP$",):
            return None
        if any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") or _is_quote_token(t) or t.text in (";", ":") for t in after):
            return None  # "..., said he would ..." / "..., adding that ..."
        end = after[-1]
        for t in after[1:]:
            if t.pos_ == "ADP" and t.lower_ in ("in", "on", "during", "after", "before", "at") or t.dep_ == "npadvmod":
                end = doc[t.i - 1]  # "... Dara Quinn in a lecture last spring"
                break
            if t.text == "," and t.i + 1 < sent.end and doc[t.i + 1].tag_ in ("VBG", "VBN", "WP", "WDT"):
                end = doc[t.i - 1]
                break
        source = doc[tok.i + 1 : end.i + 1]
        if not any(t.pos_ in ("NOUN", "PROPN") for t in source) or len(source) > 15:
            return None
        start = sent.start
        for t in doc[sent.start : tok.i - 1]:
            if "\n" in t.text or t.text in ("-", "—", "–", "--") and t.i > sent.start and doc[t.i - 1].text == ")":
                start = t.i + 1  # a paragraph break, or the dash of a dateline "GENEVA (Northwire) -"
        left = doc[start : tok.i - 1]
        if not any(t.pos_ in ("VERB", "AUX") for t in left):
            return None
        return _tok_interval(source), [_tok_interval(left)]

    def _object_interval(self, obj: Token) -> Interval:
        """The object's subtree, less a coordinated second speaker with a cue of their own:
        "citing limited stockpiles and White House officials fearing escalation" ends at "stockpiles"."""
        end = obj.right_edge
        for conj in obj.children:
            if conj.dep_ == "conj" and conj.i > obj.i and any(self._is_cue_verb(t) for t in conj.subtree):
                cut = conj.left_edge.i - 1
                while cut > obj.i and obj.doc[cut].dep_ in ("cc", "punct"):
                    cut -= 1
                end = obj.doc[cut]
                break
        return obj.left_edge.idx, end.idx + len(end)

    def _channel_clause(self, tok: Token) -> list[Interval]:
        """``said in a report published Thursday that ...``, ``tweeted in the early hours that ...``,
        ``told a meeting of leaders that ...``: the parser hangs the *that* clause on a noun after the cue."""
        if tok.lemma_.lower() not in self.lex.speech:
            return []
        for child in tok.children:
            if child.dep_ not in ("prep", "dobj", "npadvmod", "dative") or child.i < tok.i:
                continue
            for t in child.subtree:
                if (
                    t.dep_ in ("acl", "ccomp", "relcl")
                    and not any(a.dep_ == "relcl" for a in t.ancestors if a.i > child.i and a.i <= t.i)
                    and t.head.lemma_.lower() not in self.lex.nouns
                    and any(c.dep_ == "mark" and c.lower_ == "that" and c.i == t.left_edge.i for c in t.children)
                ):
                    return [_tok_interval(t.subtree)]
        return []

    def _evidence(self, tok: Token) -> list[Interval]:
        """``Polling averages show Clinton with a lead``, ``the analysis shows Democrats outpacing ...``:
        a document or poll as subject; the rest of the clause is what it shows."""
        if tok.lemma_.lower() not in self.lex.evidence_verbs:
            return []
        subj = [c for c in tok.children if c.dep_ == "nsubj"]
        if not subj or subj[0].lemma_.lower() not in self.lex.source_nouns:
            return []
        after = [t for t in tok.subtree if t.i > tok.i and not (t.is_punct and t.i == tok.right_edge.i)]
        after = [t for t in after if not (t.dep_ in ("advcl", "conj", "cc") and t.head.i == tok.i)]
        keep = set()
        for c in tok.children:
            if c.i > tok.i and c.dep_ in ("dobj", "oprd", "xcomp", "ccomp", "prep", "advmod", "acomp", "npadvmod"):
                keep |= {t.i for t in c.subtree}
        run = [t for t in after if t.i in keep]
        return _runs(run)[:1] if run else []

    def _as_parenthetical(self, tok: Token) -> list[Interval]:
        """``As one adviser pointed out, CLAUSE`` / ``CLAUSE, as police have said``: the main clause."""
        if tok.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children):
            return []
        own = {t.i for t in tok.subtree}
        members = [t for t in tok.head.subtree if t.i not in own]
        return _runs(members)

    def _passive_report(self, tok: Token) -> tuple[Interval, list[Interval]] | None:
        """``The issue was first reported by The Washington Post``: subject = content, agent = source."""
        subj = [c for c in tok.children if c.dep_ == "nsubjpass"]
        agent = self._agent(tok)
        if not subj or agent is None or tok.lemma_.lower() not in self.lex.speech:
            return None
        return agent, [_tok_interval(subj[0].subtree)]

    @staticmethod
    def _verb_slot_ok(tok: Token) -> bool:
        """Not an adjective use: "the said document", "the report published Monday", "so-called"."""
        if tok.dep_ == "amod" or (tok.dep_ == "acl" and tok.tag_ == "VBN"):
            return False
        return not (tok.idx and _text(tok.doc)[tok.idx - 1] in "-‐‑")

    def _postposed(self, tok: Token) -> tuple[Interval, list[Interval]] | None:
        """``CLAUSE, SOURCE [has] CUE [adjuncts][, citing ...].`` read from the surface.

        The small parser often hangs the postposed speaker off the clause
        (as an appositive), so the frame is found by position: the noun
        phrase between the last comma (or closing quote) and the cue, widened
        over an appositive (``the head of X, Kirill Budanov``); the clause
        before it is the content.
        """
        doc, sent = tok.doc, tok.sent
        j = tok.i - 1
        while j >= sent.start and doc[j].head.i == tok.i and doc[j].dep_ in ("aux", "auxpass", "neg", "advmod"):
            j -= 1
        if j > sent.start and doc[j].text == "," and not doc[j - 1].is_punct:
            j -= 1  # "..., Ann Lee, a writer for the Atlantic, said": the appositive's closing comma
        if j < sent.start:
            return None
        k = j
        while k >= sent.start:
            t = doc[k]
            if t.text == "," or (t.text[0] in _QUOTE_CHARS or t.text in ("''", "``")) and k < j:
                break
            if _verbish(t) and not (t.tag_ in ("VBN", "VBG") and t.dep_ in ("amod", "acl", "compound")):
                return None
            k -= 1
        if k < sent.start or k == j:
            return None
        src_toks = doc[k + 1 : j + 1]
        if len(src_toks) > 15 or not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in src_toks):
            return None
        if src_toks[0].pos_ in ("ADP", "SCONJ", "CCONJ") or _verbish(src_toks[0]) or src_toks[0].tag_ in ("WDT", "WP", "IN"):
            return None  # "..., after engineers found corrosion"
        if tok.lemma_.lower() != "tell" and any(c.dep_ in ("dobj", "ccomp") and c.i > tok.i for c in tok.children):
            return None
        # after the cue: adjuncts only, up to the end or a participle clause
        for t in doc[tok.i + 1 : sent.end]:
            if t.text == "," and t.i + 1 < sent.end and doc[t.i + 1].tag_ == "VBG":
                break
            if t.tag_ in ("VBD", "VBZ", "VBP", "MD") or t.text[0] in _QUOTE_CHARS:
                return None
        left_end = k  # exclusive token index of the content
        if doc[k].text == "," and k - 1 >= sent.start and doc[k - 1].text[0] not in _QUOTE_CHARS:
            k2 = k - 1
            while k2 >= sent.start and doc[k2].text != "," and not _is_quote_token(doc[k2]):
                k2 -= 1
            seg = doc[k2 + 1 : k]
            nounish = {"DET", "PROPN", "NOUN", "ADJ", "ADP", "PART", "NUM", "PUNCT", "CCONJ"}
            if (
                k2 >= sent.start
                and 0 < len(seg) <= 12
                and all(t.pos_ in nounish and t.text != "," for t in seg)
                and (
                    seg[0].tag_ == "DT" and all(t.pos_ == "PROPN" for t in src_toks)
                    or src_toks[0].tag_ == "DT" and all(t.pos_ == "PROPN" for t in seg)
                )
            ):
                left_end = k2
                src_toks = doc[k2 + 1 : j + 1]
        start = sent.start
        for t in doc[sent.start : left_end]:
            if "\n" in t.text:
                start = t.i + 1
        left = doc[start:left_end]
        if not any(t.pos_ in ("VERB", "AUX") for t in left):
            return None
        return _tok_interval(src_toks), [_tok_interval(left)]

    def _inverted_content(self, tok: Token, own: set[int]) -> list[Interval]:
        """``The plan, she said, is dead`` / ``..., the officials told NYT``: the clause the cue interrupts."""
        if tok.dep_ not in ("parataxis", "ccomp", "advcl", "conj") or tok.head.pos_ not in ("VERB", "AUX", "NOUN", "ADJ", "PROPN"):
            return []
        head = tok.head
        if tok.dep_ in ("ccomp", "advcl", "conj"):
            # only when set off by punctuation: "X happened, Y said"
            prev = tok.doc[tok.left_edge.i - 1] if tok.left_edge.i > 0 else None
            if prev is None or prev.text not in (",", "—", "–", "-", ";") or tok.i < head.i:
                return []
            if tok.dep_ == "conj":
                return []
        if self._is_cue_verb(head) and tok.dep_ != "parataxis":
            return []
        members = [t for t in head.subtree if t.i not in own]
        if not members:
            return []
        out = []
        run = [members[0]]
        for t in members[1:]:
            if t.i == run[-1].i + 1:
                run.append(t)
            else:
                out.append(_tok_interval(run))
                run = [t]
        out.append(_tok_interval(run))
        return [i for i in out if _has_word(_text(tok.doc)[i[0]:i[1]])]

    def _subject(self, tok: Token, depth: int = 0) -> Interval | None:
        """The source noun phrase of a cue verb (inherited from the head for participles and conjuncts)."""
        if depth > 4:
            return None
        for child in tok.children:
            if child.dep_ in ("nsubj", "csubj"):
                return self._np(child, tok)
            if child.dep_ == "nsubjpass":
                agent = self._agent(tok)
                return agent  # "it was reported that": no source
        agent = self._agent(tok)
        if agent:
            return agent
        if tok.tag_ == "VBG" and tok.dep_ not in ("acl", "relcl"):
            # "X warned that ..., adding that ...": the participle speaks for the nearest cue verb above it
            for anc in tok.ancestors:
                if self._is_cue_verb(anc) and any(c.dep_ in ("nsubj", "nsubjpass") for c in anc.children):
                    return self._subject(anc, depth + 1)
        # "..., said Caddell" sometimes parsed with the speaker as object
        for child in tok.children:
            if child.dep_ in ("dobj", "attr") and child.i > tok.i and child.pos_ in ("PROPN", "PRON", "NOUN") and not any(
                c.dep_ in _CLAUSE_DEPS for c in tok.children
            ):
                if tok.i > 0 and tok.lemma_.lower() == "say":
                    return self._np(child, tok)
        if tok.dep_ == "xcomp":
            objs = [c for c in tok.head.children if c.dep_ == "dobj" and c.i < tok.i]
            if objs:
                return self._np(objs[0], tok)  # object control: "asked the candidates to discuss ..."
        if tok.dep_ in ("conj", "advcl", "xcomp", "dep") and tok.head.pos_ in ("VERB", "AUX"):
            return self._subject(tok.head, depth + 1)
        if tok.dep_ == "pcomp" and tok.head.pos_ == "ADP" and tok.head.head.pos_ in ("VERB", "AUX"):
            return self._subject(tok.head.head, depth + 1)  # "began by saying ..."
        if tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return self._np(tok.head, tok)
        return None

    def _agent(self, tok: Token) -> Interval | None:
        for child in tok.children:
            if child.dep_ == "agent":
                pobj = [c for c in child.children if c.dep_ == "pobj"]
                if pobj:
                    return self._np(pobj[0], tok)
        return None

    def _np(self, noun: Token, cue: Token) -> Interval | None:
        """The full noun phrase of ``noun`` without the cue's own clause (relative clause etc.)."""
        if noun.tag_ in ("WP", "WDT") and noun.head.dep_ == "relcl":
            antecedent = noun.head.head
            return _subtree_interval(antecedent, {t.i for t in noun.head.subtree})
        exclude = {t.i for t in cue.subtree} - {t.i for t in noun.subtree}
        exclude.add(cue.i)
        # a relative clause or participle that carries another cue is not part of the name
        for t in noun.subtree:
            if t.dep_ in ("relcl", "acl") and t.i > noun.i and any(self._is_cue_verb(x) for x in t.subtree):
                exclude |= {x.i for x in t.subtree}
        return _subtree_interval(noun, exclude)

    def _according(self, tok: Token) -> _Cand | None:
        doc = tok.doc
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            return None
        to = doc[tok.i + 1]
        pobj = [c for c in to.children if c.dep_ == "pobj"]
        if pobj:
            src = _subtree_interval(pobj[0])
            phrase_end = max(t.i for t in pobj[0].subtree)
        else:
            end = to.i + 1
            while end < len(doc) and not doc[end].is_punct and not doc[end].is_sent_end:
                end += 1
            if end == to.i + 1:
                return None
            src = _tok_interval(doc[to.i + 1 : end])
            phrase_end = end - 1
        sent = tok.sent
        prev = doc[tok.i - 1] if tok.i > sent.start else None
        head = pobj[0] if pobj else doc[phrase_end]
        set_off = prev is None or prev.text in (",", "—", "–", "(", "-", ";") or prev.is_space
        sourcey = (
            head.pos_ == "PROPN"
            or head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
            or head.lemma_.lower() in self.lex.source_nouns
            or head.pos_ == "PRON"
        )
        if not (set_off or sourcey):
            return None  # "proceeding according to plan"
        phrase = (tok.idx, doc[phrase_end].idx + len(doc[phrase_end]))
        content = _subtract([(sent.start_char, sent.end_char)], [phrase])
        return _Cand(cue=[(tok.idx, to.idx + len(to))], cue_tok=tok.i, source=[src] if src else [], content=content, kind="according")

    def _noun_cue(self, tok: Token) -> _Cand | None:
        """``X's claim that ...``, ``the allegation by Y that ...``."""
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in self.lex.nouns:
            return None
        if tok.dep_ == "pobj" and tok.head.lower_ == "in" and self._is_cue_verb(tok.head.head):
            return None  # "said in a report that ...": the verb is the cue
        content = self._noun_clause(tok)
        if not content:
            return None
        cand = _Cand(cue=[(tok.idx, tok.idx + len(tok))], cue_tok=tok.i, content=content, kind="noun")
        for child in tok.children:
            if child.dep_ == "poss":
                cand.source = [_subtree_interval(child, {t.i for t in child.subtree if t.dep_ == "case" and t.head.i == child.i})]
                break
            if child.dep_ == "prep" and child.lower_ in ("by", "from", "of") and child.i > tok.i:
                pobj = [c for c in child.children if c.dep_ == "pobj"]
                if pobj and pobj[0].pos_ in ("PROPN", "NOUN", "PRON"):
                    cand.source = [_subtree_interval(pobj[0])]
                    break
        if not cand.source and tok.dep_ in ("dobj",) and tok.head.lemma_.lower() in self.lex.light_verbs:
            src = self._subject(tok.head)
            if src:
                cand.source = [src]
        cand.source = [s for s in cand.source if s]
        return cand

    def _noun_clause(self, tok: Token) -> list[Interval]:
        """The *that* clause of a speech noun ("the claim that ..."), not a relative clause ("the claim that he made")."""
        if tok.lemma_.lower() not in self.lex.nouns:
            return []
        content = []
        for child in tok.children:
            if child.dep_ in ("acl", "ccomp", "appos") and child.i > tok.i:
                first = child.left_edge
                if first.lower_ == "that" and first.dep_ == "mark" or any(c.dep_ == "mark" and c.lower_ == "that" for c in child.children):
                    content.append(_tok_interval(child.subtree))
        return content

    def _channel(self, tok: Token) -> _Cand | None:
        """``In a statement, the company committed to ...`` when the verb is not a cue itself."""
        if tok.lower_ != "in" or tok.dep_ != "prep":
            return None
        pobj = [c for c in tok.children if c.dep_ == "pobj"]
        if not pobj or pobj[0].lemma_.lower() not in self.lex.channels:
            return None
        verb = tok.head
        if verb.pos_ not in ("VERB", "AUX") or self._is_cue_verb(verb):
            return None
        subj = [c for c in verb.children if c.dep_ in _SUBJ]
        if not subj:
            return None
        pp = {t.i for t in tok.subtree}
        subj_ids = {t.i for t in subj[0].subtree}
        members = [t for t in verb.subtree if t.i not in pp and t.i not in subj_ids]
        if not members:
            return None
        content = _merge([_tok_interval([t]) for t in members])
        # join tokens separated by whitespace only
        joined: list[Interval] = []
        text = _text(tok.doc)
        for s, e in content:
            if joined and not text[joined[-1][1] : s].strip():
                joined[-1] = (joined[-1][0], e)
            else:
                joined.append((s, e))
        src = self._np(subj[0], verb)
        return _Cand(
            cue=[_tok_interval(tok.subtree)],
            cue_tok=tok.i,
            source=[src] if src else [],
            content=joined,
            kind="channel",
        )

    def _detach_participles(self, doc: Doc, cands: dict[int, _Cand]) -> None:
        """``X warned that A, adding that B``: B is X's second claim, not part of A."""
        for i, c in list(cands.items()):
            deadline.check()
            tok = doc[i]
            if c.kind not in ("verb", "verb-nocontent") or tok.tag_ != "VBG" or tok.dep_ not in ("advcl", "conj", "xcomp"):
                continue
            if tok.lemma_.lower() in self.lex.relay:
                continue
            for anc in tok.ancestors:
                if anc.i in cands and cands[anc.i].kind == "verb" and anc.i < tok.i:
                    lo = tok.left_edge.i
                    if lo > 0 and doc[lo - 1].text == ",":
                        lo -= 1
                    cut = (doc[lo].idx, tok.right_edge.idx + len(tok.right_edge))
                    cands[anc.i].content = _subtract(cands[anc.i].content, [cut])
                    break

    def _colon_blocks(self, doc: Doc, cands: dict[int, _Cand]) -> None:
        """``Caddell continued:`` closing a paragraph: the next paragraph is what was said;
        ``NYT reports: Biden approves ...`` inside a line: the rest of the line."""
        text = _text(doc)
        for t in doc:
            deadline.check()
            if t.text != ":" or t.i == 0:
                continue
            line_end = text.find("\n", t.idx)
            line_end = len(text) if line_end < 0 else line_end
            cue = doc[t.i - 1]
            while cue.i > 0 and cue.dep_ in ("npadvmod", "advmod", "prt") and cue.head.i != cue.i and cue.head.i < cue.i:
                cue = cue.head
            if not (cue.pos_ == "VERB" and cue.lemma_.lower() in self.lex.speech and self._verb_slot_ok(cue)):
                continue
            inline = text[t.idx + 1 : line_end].strip()
            if inline and (inline[0] in _QUOTE_CHARS or inline.startswith(("''", "``"))):
                continue  # 'X said: "..."' is a quote frame
            if inline:
                block = _trim(text, t.idx + 1, line_end, _NO_QUOTES)
                beyond = False
            else:
                m = re.compile(r"\s*\n\s*([^\n]+)").match(text, t.idx + 1)
                if not m:
                    continue
                block, beyond = (m.start(1), m.end(1)), True
            if not _has_word(text[block[0] : block[1]]):
                continue
            cand = self._candidate(cands, cue)
            if not cand.content or cand.kind == "verb-nocontent":
                cand.content = [block]
                cand.kind = "verb"
                cand.beyond_paragraph = beyond

    # -- quotes
    def _candidate(self, cands: dict[int, _Cand], cue) -> _Cand:
        """The candidate for this cue token, made (with the cue's subject as source) if new."""
        cand = cands.get(cue.i)
        if cand is None:
            cand = _Cand(cue=self._cue_interval(cue), cue_tok=cue.i)
            src = self._subject(cue)
            if src:
                cand.source = [src]
            cands[cue.i] = cand
        return cand

    def _quote_frames(self, doc: Doc, quotes, cands: dict[int, _Cand]) -> None:
        """Attach quotes to the speech verb that frames them: ``"...," X said`` / ``X said: "..."``."""
        text = _text(doc)
        speech = self.lex.speech
        tok_at = {}
        for t in doc:
            deadline.check()
            tok_at[t.idx] = t.i

        def token_after(pos: int) -> int | None:
            while pos < len(text) and text[pos].isspace():
                pos += 1
            return tok_at.get(pos) if pos < len(text) else None

        def frame_cue(start_tok: int, step: int, limit: int = 25) -> Token | None:
            i, seen = start_tok, 0
            while 0 <= i < len(doc) and seen < limit:
                t = doc[i]
                if t.text and t.text[0] in _QUOTE_CHARS and seen:
                    return None
                if step > 0 and t.text in (".", "!", "?", ";") and seen:
                    return None
                if step < 0 and (t.text in (".", "!", "?", ";") or t.is_sent_start and seen > 0 and t.i != start_tok):
                    if t.is_sent_start and t.pos_ == "VERB" and t.lemma_.lower() in speech:
                        return t
                    return None
                if t.pos_ == "VERB" and t.lemma_.lower() in speech:
                    return t
                if _verbish(t) and t.pos_ == "VERB" and t.dep_ not in ("aux", "auxpass", "amod") and step > 0 and t.dep_ not in ("relcl", "acl"):
                    return None  # another verb: "...," he laughed and then said nothing
                i += step
                seen += 1
            return None

        labelled = {c.content[0] for c in cands.values() if c.kind == "label" and c.content}
        for qs, qe in quotes:
            deadline.check()
            inner = text[qs:qe].rstrip("\"”’»' \n")
            if self._title_quote(doc, qs) or (qs, qe) in labelled:
                continue
            attached = False
            # after-frame: "...," said X / "...?" X asked
            after_ok = inner[-1:] in _FRAME_END or text[qe : qe + 1] == "," or text[qe:].lstrip()[:1] in (",", "—")
            # '"... rebuilt." he said.': a full stop before the cue, where the clause after the quote is only the frame
            stop = not after_ok and inner[-1:] == "."
            start = token_after(qe)
            if start is not None and (after_ok or stop):
                if doc[start].is_punct:
                    start += 1
                if start < len(doc):
                    cue = frame_cue(start, +1, limit=8 if stop else 25)
                    if cue is not None and stop and not self._bare_frame(doc, start, cue, cands):
                        cue = None
                    if cue is not None:
                        attached = self._attach(doc, cue, (qs, qe), cands, quotes)
            if attached:
                continue
            # before-frame: X said: "..." / X said, "..."
            j = qs - 1
            while j >= 0 and text[j].isspace():
                j -= 1
            if j < 0:
                continue
            prev_tok = doc.char_span(j, j + 1, alignment_mode="expand")
            if prev_tok is None or not len(prev_tok):
                continue
            pt = prev_tok[0]
            if text[j] in ",:" or (pt.pos_ == "VERB" and pt.lemma_.lower() in speech):
                start_i = pt.i if not pt.is_punct else pt.i - 1
                cue = frame_cue(start_i, -1, limit=20)
                if cue is not None:
                    self._attach(doc, cue, (qs, qe), cands, quotes)

    @staticmethod
    def _bare_frame(doc: Doc, start: int, cue: Token, cands: dict[int, _Cand]) -> bool:
        """``he said.`` / ``the insider added quietly.``: a speaker and a cue with nothing said of their own
        (no clause, no quote) up to the end of the sentence, so the quote before is what they said."""
        if any(
            c.dep_ in ("ccomp", "xcomp") or c.dep_ == "dobj" and c.pos_ != "PRON" and cue.lemma_.lower() != "tell"
            for c in cue.children
            if c.i > cue.i
        ):
            return False
        own = cands.get(cue.i)
        if own is not None and own.content:
            return False
        for t in doc[start : cue.sent.end]:
            if t.text in (".", "!", "?") or t.text == "," and t.i > cue.i:
                return True
            if t.i != cue.i and (t.tag_ in ("VBD", "VBZ", "VBP", "MD") or _is_quote_token(t)):
                return False
        return True

    @staticmethod
    def _title_quote(doc: Doc, qs: int) -> bool:
        """``on "Fox News Sunday"``, ``the film "Gone Girl"``: a quoted name, not words someone said."""
        j = qs - 1
        while j >= 0 and _text(doc)[j].isspace():
            j -= 1
        if j < 0:
            return False
        span = doc.char_span(j, j + 1, alignment_mode="expand")
        if span is None or not len(span):
            return False
        prev = span[0]
        return prev.pos_ == "ADP" and prev.lower_ in _TITLE_PREPS or prev.lemma_.lower() in _TITLE_NOUNS

    def _speaker_labels(self, doc: Doc, quotes, cands: dict[int, _Cand]) -> None:
        """``NAME: words`` opening a paragraph (transcripts, "Lavrov: West is ..." headlines, a live blog's
        "11:40 - Mayor: ..."): cue ``:``, source the name, content the rest of the line."""
        text = _text(doc)
        for para in re.finditer(r"[^\n]+", text):
            deadline.check()
            m = _LABEL.match(para.group())
            if m:
                name = (para.start() + m.start(1), para.start() + m.end(1))
                colon = para.start() + m.end(1) + m.group(0)[m.end(1) - m.start(0) :].index(":")
                rest = (para.start() + m.end(0), para.end())
                words = text[name[0] : name[1]].split()
                span = doc.char_span(name[0], name[1], alignment_mode="expand")
                if (
                    span is not None
                    and words[0].lower().strip(".") not in self.lex.not_speaker_labels
                    and len(words[0]) > 1
                    and all(t.pos_ == "PROPN" or t.is_upper or t.is_title or t.is_punct for t in span)
                    and not all(t.ent_type_ in ("GPE", "LOC") or t.is_punct for t in span)  # "WASHINGTON:" dateline
                    and _has_word(text[rest[0] : rest[1]])
                ):
                    tok = doc.char_span(colon, colon + 1, alignment_mode="expand")
                    if tok is not None and len(tok) and tok[0].i not in cands:
                        cands[tok[0].i] = _Cand(cue=[(colon, colon + 1)], cue_tok=tok[0].i, source=[name], content=[rest], kind="label")
        # 'The minister: "..."' inside a line (a transcript speaker's line may hold it)
        owned = _Coverage(iv for c in cands.values() if c.kind != "label" for iv in c.content)
        for qs, qe in quotes:
            deadline.check()
            if qs not in owned:
                self._colon_label(doc, (qs, qe), cands)

    def _quote_labels(self, doc: Doc, quotes, cands: dict[int, _Cand]) -> None:
        """Quotes with a dash byline after them, found before the quote frames so that a participle in the
        byline ("..., speaking by phone") frames nothing."""
        for quote in quotes:
            deadline.check()
            self._dash_label(doc, quote, cands)

    def _dash_label(self, doc: Doc, quote: Interval, cands: dict[int, _Cand]) -> bool:
        """``"..." — a council spokesperson`` / ``— Tom Hughes, 71, a resident`` closing a line: the dash is the cue."""
        text = _text(doc)
        qs, qe = quote
        m = _DASH_NAME.match(text, qe)
        if not m:
            return False
        span = doc.char_span(m.start(2), m.end(2), alignment_mode="expand")
        if span is None or not len(span) or len(span) > 20 or not any(t.pos_ in ("NOUN", "PROPN") for t in span):
            return False
        if any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in span):
            return False  # a sentence goes on after the quote, not a byline of the speaker
        end = m.end(2)
        for t in span[1:]:
            if t.tag_ in ("VBG", "VBN") and doc[t.i - 1].text == ",":
                end = doc[t.i - 1].idx  # "a resident of Oszkar, speaking by phone"
                break
        dash = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if dash is None or not len(dash) or dash[0].i in cands:
            return False
        cands[dash[0].i] = _Cand(cue=[(m.start(1), m.end(1))], cue_tok=dash[0].i, source=[(m.start(2), end)], content=[quote], kind="label")
        return True

    def _colon_label(self, doc: Doc, quote: Interval, cands: dict[int, _Cand]) -> bool:
        """``The minister: "..."`` / ``Head teacher Gwen Price: "..."`` after a sentence or a time stamp: a speaker
        with no verb, the colon is the cue (a speech verb before the colon is a quote frame, handled there)."""
        text = _text(doc)
        qs, qe = quote
        j = qs - 1
        while j >= 0 and text[j] in " \t\xa0":
            j -= 1
        if j < 1 or text[j] != ":":
            return False
        colon = doc.char_span(j, j + 1, alignment_mode="expand")
        if colon is None or len(colon) != 1 or colon[0].i in cands:
            return False
        k = colon[0].i - 1
        while k >= 0 and not (doc[k].text in (".", "!", "?", ";", "-", "–", "—") or "\n" in doc[k].text or _is_quote_token(doc[k])):
            if re.fullmatch(r"\d{1,2}[:.]\d{2}", doc[k].text):
                break  # a live blog's time stamp
            k -= 1
        words = doc[k + 1 : colon[0].i]
        if not 0 < len(words) <= 10 or words[0].lower_.strip(".") in self.lex.not_speaker_labels:
            return False
        if any(t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBN", "VBG") for t in words) or not any(
            t.pos_ in ("NOUN", "PROPN") for t in words
        ):
            return False
        end = next((t for t in words[1:] if t.pos_ == "ADP" and t.lower_ in ("in", "on", "via")), None)
        source = _tok_interval(words[: end.i - words.start] if end is not None else words)
        cands[colon[0].i] = _Cand(cue=[(j, j + 1)], cue_tok=colon[0].i, source=[source], content=[quote], kind="label")
        return True

    def _attach(self, doc: Doc, cue: Token, quote: Interval, cands, quotes) -> bool:
        qs, qe = quote
        if cue.idx >= qs and cue.idx < qe or not self._verb_slot_ok(cue):
            return False
        if qe <= cue.idx and any(
            c.dep_ == "ccomp" and c.i > cue.i and quotes.holding(c.idx) is None for c in cue.children
        ):
            return False  # 'On "Fox News Sunday," Pence said his ...': the clause after the cue is the content
        cand = self._candidate(cands, cue)
        if cand.kind == "verb-nocontent":
            cand.kind = "verb"
        # a quote framed by the cue replaces the parser's guess at the interrupted clause
        cand.content = [c for c in cand.content if not (c[1] <= qs and c[0] < qs and _near(_text(doc), c[1], qs)) or c[0] >= qs] + [quote]
        if cand.source:
            cand.source = _subtract(cand.source, [quote])
        return True

    def _continuations(self, doc: Doc, quotes, cands: dict[int, _Cand]) -> None:
        """An unattributed quote right after a speaker's quote carries on their words.

        It may open the next sentence of the same paragraph (``"A," she said.
        "B."``) or be the whole next paragraph, the newspaper convention for a
        speaker who goes on talking.
        """
        text = _text(doc)
        owned = [c for c in cands.values() if c.content]
        # Quotes taken below are this quote only, so what was owned before the loop is all that can hold a later one.
        covered = _Coverage(iv for c in owned for iv in c.content)
        # (last, order, candidate), sorted: the speakers whose words end just before a quote are found by
        # bisection, not by a scan of every attribution per quote (quadratic, issue #11).
        ends = sorted((_last(c), n, c) for n, c in enumerate(owned))
        # Where each named speaker's cue starts, by bisection too: a quote after another speaker's sentence is
        # not the first one's ("He didn't suggest retaliation." between two quotes is most likely the same one).
        cue_starts = sorted(
            (c.cue[0][0], id(c)) for c in cands.values()
            if c.cue and c.source and text[c.source[0][0] : c.source[0][1]].lower() not in _THIRD_PERSON
        )
        for qs, qe in quotes:
            deadline.check()
            if qs in covered:
                continue
            j = qs - 1
            while j >= 0 and text[j] in " \t\xa0":
                j -= 1
            new_paragraph = j < 0 or text[j] == "\n"
            if j < 0 or not new_paragraph and text[j] not in ".!?\"”’":
                continue
            # The rest of the line is empty or ".": matched where it starts (copying the text's whole
            # rest for every quote was quadratic, issue #11).
            if not _LINE_ENDS.match(text, qe):
                continue
            # the attribution whose quoted content ends right before this quote (the latest end; the first
            # one among equals), close enough before it, with no other speaker's cue in a sentence between
            best, best_key = None, None
            lo = bisect.bisect_right(ends, (qs - (_MAX_NEW_PARAGRAPH_GAP if new_paragraph else _MAX_CONTINUATION_GAP), len(owned)))
            hi = bisect.bisect_right(ends, (qs, len(owned)))
            for last, n, c in ends[lo:hi]:
                gap = text[last:qs]
                breaks = gap.count("\n") - gap.strip("\n \t\xa0").count("\n")
                if (
                    (breaks == 0 if not new_paragraph else 0 < breaks and "\n" not in gap.strip())
                    and any(_is_quote(text, s, e) for s, e in c.content)
                    and (best_key is None or (last, -n) > best_key)
                    and not _another_cue_between(cue_starts, _sentence_end(doc, last), qs, c)
                ):
                    best, best_key = c, (last, -n)
            if best is None:
                continue
            first = doc.char_span(qs, qe, alignment_mode="expand")
            if new_paragraph and best.source and first is not None and len(first) and first[0].i not in cands:
                # A paragraph that is only a quotation: the same speaker goes on, but the text says so
                # nowhere, so it is an attribution of its own, marked inferred (issue #13).
                inferred = _Cand(cue=[], cue_tok=first[0].i, source=list(best.source), content=[(qs, qe)], kind="inferred")
                inferred.beyond_paragraph = True
                cands[first[0].i] = inferred
                bisect.insort(ends, (qe, len(owned), inferred))
                owned.append(inferred)  # a third paragraph carries on from this one
                continue
            ends.remove((best_key[0], -best_key[1], best))
            best.content.append((qs, qe))
            bisect.insort(ends, (_last(best), -best_key[1], best))
            best.beyond_paragraph = best.beyond_paragraph or new_paragraph

    def _prune_in_quotes(self, doc: Doc, quotes, cands: dict[int, _Cand]) -> None:
        """Inside a quote only a third party's speech is a new attribution; "I think", "nobody wanted" are the speaker's own voice.

        Outside quotes, "I think" / "we believe" is the writer hedging, not a source either.
        """
        text = _text(doc)
        for i, c in list(cands.items()):
            deadline.check()
            if c.kind in ("relay", "label"):
                continue
            src = [_trim(text, s, e, quotes) for s, e in c.source if s is not None]
            src_text = text[src[0][0] : src[0][1]].lower() if src else ""
            quote = quotes.holding(c.cue[0][0])
            if quote is None or quote[0] == c.cue[0][0]:  # not strictly inside a quote
                if src_text in _SPEAKER_PRONOUNS and doc[i].lemma_.lower() in self.lex.cognition - self.lex.speech:
                    del cands[i]
                continue
            if not src_text or src_text in _SPEAKER_PRONOUNS or doc[i].lemma_.lower() not in self.lex.speech:
                del cands[i]

    def _relays(self, doc: Doc, cands: dict[int, _Cand]) -> None:
        """``X, citing Y, claimed ...``: Y becomes a nested attribution with X's content."""
        for tok in doc:
            deadline.check()
            if tok.lemma_.lower() not in self.lex.relay or tok.pos_ != "VERB":
                continue
            head = tok.head
            parent = cands.get(head.i) if tok.dep_ in ("advcl", "xcomp", "conj", "dep", "parataxis") else None
            if parent is None and tok.dep_ in ("acl", "appos", "relcl") and head.dep_ in ("nsubj", "nsubjpass"):
                parent = cands.get(head.head.i)  # "The Ledger, quoting a board member, reported ..."
            if parent is None or not parent.content:
                continue
            objs = [c for c in tok.children if c.dep_ in ("dobj", "pobj")]
            if not objs:
                continue
            src = _subtree_interval(objs[0])
            if src is None:
                continue
            parent.source = _subtract(parent.source, [_tok_interval(tok.subtree)]) if parent.source else []
            cands[tok.i] = _Cand(
                cue=[(tok.idx, tok.idx + len(tok))],
                cue_tok=tok.i,
                source=[src],
                content=list(parent.content),
                parent=parent,
                kind="relay",
            )
            # the relay phrase is not part of the parent's content
            parent.content = _subtract(parent.content, [_tok_interval(tok.subtree)])

    # -- output
    def _finish(self, doc: Doc, quotes: Quotes, cands: dict[int, _Cand]) -> list[Attribution]:
        text = _text(doc)
        paragraph = _Paragraphs(text)
        built: list[tuple[_Cand, list[Interval], list[Interval], list[Interval]]] = []
        for c in cands.values():
            deadline.check()
            if not c.content:
                continue
            cue = _merge(c.cue)
            para = paragraph(cue[0][0] if cue else c.content[0][0])
            outside = [(0, para[0]), (para[1], len(text))]
            if c.kind != "inferred":  # an inferred speaker was named in the paragraph before
                c.source = _subtract(c.source, outside)
            if not c.beyond_paragraph:
                c.content = _subtract(c.content, outside)
            source = [_trim(text, s, e, quotes) for s, e in _merge(c.source)]
            source = [s for s in source if s[1] > s[0] and _has_word(text[s[0] : s[1]])]
            # quotes the content touches are wholly content (unless they hold the cue itself)
            content = list(c.content)
            touched = sorted({q for s, e in content for q in quotes.overlapping(s, max(e, s + 1))})
            for qs, qe in touched:
                if any(s < qe - 1 and e > qs + 1 for s, e in content) and not any(qs <= cs < qe for cs, _ in cue):
                    content.append((qs, qe))
            content = _subtract(_merge(content), cue + source)
            if c.kind != "relay":
                content = _subtract(content, [(s, e) for s, e in source])
            content = [_trim(text, s, e, quotes) for s, e in content]
            content = [s for s in _merge(content) if _has_word(text[s[0] : s[1]])]
            if not content:
                continue
            # drop the source if the parser put it inside the content
            source = [s for s in source if not any(cs <= s[0] and s[1] <= ce for cs, ce in content)]
            built.append((c, cue, source, content))
        built.sort(key=lambda b: (b[1] or b[3])[0])
        ids = {id(b[0]): f"a{n}" for n, b in enumerate(built, 1)}
        enclosing = _enclosing(built)
        out = []
        for c, cue, source, content in built:
            deadline.check()
            parent_id = ids.get(id(c.parent)) if c.parent is not None else None
            if parent_id is None:
                parent_id = ids.get(id(enclosing.get(id(c))))
            out.append(
                Attribution(
                    id=ids[id(c)],
                    source=[Span.of(text, s, e) for s, e in source],
                    cue=[Span.of(text, s, e) for s, e in cue],
                    content=[Span.of(text, s, e) for s, e in content],
                    content_kind=_kind(text, content, quotes),
                    parent_id=parent_id,
                    extractor=self.name,
                    inferred=c.kind == "inferred",
                )
            )
        return out


def _enclosing(built) -> dict[int, _Cand]:
    """For each built candidate (by id) with a cue, the other one whose content piece holding the cue's
    start is the shortest (the first such piece in ``built`` order among equals).

    One sweep over the cues in text order with a heap of the content pieces begun so far, shortest first:
    comparing each cue with every content was quadratic (issue #11).
    """
    pieces = sorted(
        (s, e - s, order, e, other)
        for order, (other, s, e) in enumerate((b[0], s, e) for b in built for s, e in b[3])
    )
    cues = sorted((b[1][0][0], n) for n, b in enumerate(built) if b[1])
    heap: list = []
    out: dict[int, _Cand] = {}
    i = 0
    for cs, n in cues:
        deadline.check()
        while i < len(pieces) and pieces[i][0] <= cs:
            _s, length, order, e, other = pieces[i]
            heapq.heappush(heap, (length, order, e, other))
            i += 1
        c = built[n][0]
        own = []
        while heap:
            length, order, e, other = heap[0]
            if e <= cs:  # ended before this cue, and so before every later one
                heapq.heappop(heap)
            elif other is c:
                own.append(heapq.heappop(heap))
            else:
                out[id(c)] = other
                break
        for entry in own:
            heapq.heappush(heap, entry)
    return out


_TEXT_CACHE: list = [None, ""]


def _text(doc: Doc) -> str:
    """``doc.text`` (spaCy rebuilds it from the tokens on every access), cached for the doc being read."""
    cached = _TEXT_CACHE
    if cached[0] is not doc:
        text = doc.text
        _TEXT_CACHE[:] = [doc, text]
        return text
    return cached[1]


# "WALLACE: ...", "Pat Caddell: ..." at the start of a line (an optional opening quote mark first)
_LABEL = re.compile(r"(?:\d{1,2}[:.]\d{2}\s*(?:[-–—]\s*)?)?[\"“]?\s*([A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,4})\s*:\s+(?=\S)")
# "... end of quote.” ― Carla Sanchez" / "— a council spokesperson" closing a line
_DASH_NAME = re.compile(r"[ \t\xa0]*([―—–]|--)[ \t\xa0]*([^\s―—–][^\n―—–]{1,150}?)[.\s\xa0]*(?=\n|$)")


def _is_quote_token(t: Token) -> bool:
    return t.text[:1] in _QUOTE_CHARS or t.text in ("''", "``")


def _runs(tokens: list[Token]) -> list[Interval]:
    """Character intervals of the runs of consecutive tokens."""
    out: list[Interval] = []
    run: list[Token] = []
    for t in tokens:
        if run and t.i != run[-1].i + 1:
            out.append(_tok_interval(run))
            run = []
        run.append(t)
    if run:
        out.append(_tok_interval(run))
    return out


def _verbish(t: Token) -> bool:
    """A verb that is not a mis-tagged name ("Tulsa police Chief ...": title case mid-sentence)."""
    if t.pos_ not in ("VERB", "AUX"):
        return False
    return not (t.is_title and not t.is_sent_start and t.i > 0 and t.doc[t.i - 1].text[:1] not in ".!?")


def _last(c: _Cand) -> int:
    """Where the cue or content of ``c`` ends last."""
    return max(e for _, e in c.content + c.cue)


class _Paragraphs:
    """The line (newspaper paragraph) around a position; the parser sometimes runs a sentence over a break.
    Line breaks are found once: searching the text around each candidate was quadratic in one long line."""

    def __init__(self, text: str):
        self._breaks = [m.start() for m in re.finditer("\n", text)]
        self._len = len(text)

    def __call__(self, pos: int) -> Interval:
        i = bisect.bisect_left(self._breaks, pos)  # the first break at or after pos
        start = self._breaks[i - 1] + 1 if i else 0
        return start, self._breaks[i] if i < len(self._breaks) else self._len


def _is_quote(text: str, s: int, e: int) -> bool:
    return (
        text[s : s + 1] in _QUOTE_CHARS
        or text[e - 1 : e] in _QUOTE_CHARS
        or text.startswith("''", s)
        or e - s > 2 and text[s] == text[e - 1] == "'"  # straight single marks, read as quotes by find_quotes
    )


def _near(text: str, a: int, b: int) -> bool:
    return not _has_word(text[a:b])


def _kind(text: str, content: list[Interval], quotes: Quotes) -> ContentKind:
    """direct: every word inside quotation marks; mixed: some; indirect: none."""
    total = quoted = 0
    for s, e in content:
        total += sum(ch.isalnum() for ch in text[s:e])
        for qs, qe in quotes.overlapping(s, e):
            lo, hi = max(s, qs), min(e, qe)
            if lo < hi:
                quoted += sum(ch.isalnum() for ch in text[lo:hi])
    if total and quoted >= total:
        return ContentKind.direct
    if quoted:
        return ContentKind.mixed
    return ContentKind.indirect
