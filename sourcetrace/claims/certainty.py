"""How firmly a claim is put: hedges, conditions, denials, predictions, distancing cues.

Markers are found in the words themselves (lexicon phrases matched on lower-case
tokens, modal verbs by their tag) and in the cue verb: "claimed", "alleged",
"insisted" distance the reporter from the claim; "said", "stated" do not.
A statement's certainty is the strongest move away from a plain assertion:
denied > conditional > hedged > predicted > reported > asserted.
"""

from __future__ import annotations

import bisect
import functools

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from ..model import Attribution, Certainty, CertaintyMarker, Span
from . import lexicon as lx
from .spans import doc_text, token_span

_PRIORITY = [Certainty.denied, Certainty.conditional, Certainty.hedged, Certainty.predicted]
_PHRASES = {
    Certainty.hedged: lx.HEDGE_PHRASES,
    Certainty.conditional: lx.CONDITIONAL_PHRASES,
    Certainty.denied: lx.DENIED_PHRASES,
    Certainty.predicted: lx.PREDICTED_PHRASES,
}
_CUE_HEDGES = {"reportedly", "allegedly", "apparently", "purportedly", "supposedly", "seemingly", "ostensibly"}
_DISTANCING_WORDS = {"alleged", "allegedly", "claimed", "purported", "purportedly", "so-called"}


@functools.lru_cache(maxsize=4)
def _matcher(vocab: Vocab) -> PhraseMatcher:
    matcher = PhraseMatcher(vocab, attr="LOWER")
    tokenizer_doc = lambda s: Doc(vocab, words=s.replace("so-called", "so - called").split())  # noqa: E731
    for kind, phrases in _PHRASES.items():
        matcher.add(kind.value, [tokenizer_doc(p) for p in phrases])
    return matcher


def _doc_matches(doc: Doc) -> list[tuple[int, int, int]]:
    # Matched once per Doc: statements and attributions ask about many overlapping ranges.
    if "sourcetrace_certainty_matches" not in doc.user_data:
        doc.user_data["sourcetrace_certainty_matches"] = _matcher(doc.vocab)(doc)
    return doc.user_data["sourcetrace_certainty_matches"]


def _matches_by_start(doc: Doc) -> tuple[list[int], list[tuple[int, int, int]]]:
    """The Doc's matches sorted by start (stable), with their starts, computed once per Doc."""
    if "sourcetrace_certainty_by_start" not in doc.user_data:
        by_start = sorted(_doc_matches(doc), key=lambda m: m[1])
        doc.user_data["sourcetrace_certainty_by_start"] = ([m[1] for m in by_start], by_start)
    return doc.user_data["sourcetrace_certainty_by_start"]


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("never", "not", "n't") for c in tok.children)


def _cue_marker(doc: Doc, span: Span) -> CertaintyMarker | None:
    toks = token_span(doc, span.start, span.end)
    if toks is None:
        return None
    for tok in toks:
        lemma = tok.lemma_.lower()
        if lemma in lx.DISTANCING_CUES:
            return CertaintyMarker(span=Span.of(doc_text(doc), tok.idx, tok.idx + len(tok.text)), kind=Certainty.hedged, distancing=True)
        if lemma in lx.DENIAL_CUES:
            # "did not deny": no denial, and no confirmation either.
            kind = Certainty.hedged if _negated(tok) else Certainty.denied
            return CertaintyMarker(span=Span.of(doc_text(doc), tok.idx, tok.idx + len(tok.text)), kind=kind)
        if lemma in lx.PREDICTION_CUES:
            return CertaintyMarker(span=Span.of(doc_text(doc), tok.idx, tok.idx + len(tok.text)), kind=Certainty.predicted)
    return None


def _backshifted_will(would: Token) -> bool:
    """"The mayor said the bridge would reopen": reported speech turns "will" into "would".

    Only when the clause hangs off a past-tense verb of saying, nothing in the sentence
    sets a condition ("if", "unless"), and the subject is not itself a hypothetical
    action ("allowing strikes would signify ...").
    """
    verb = would.head
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head  # "no decision had been taken and that changes would be announced"
    if verb.dep_ != "ccomp" or verb.head.tag_ != "VBD":
        return False
    speech = verb.head.lemma_.lower()
    if speech not in lx.NEUTRAL_CUES | lx.PREDICTION_CUES | lx.DISTANCING_CUES | lx.WARNING_CUES:
        return False
    if any(t.lower_ in lx.CONDITION_WORDS for t in would.sent):
        return False
    if any(c.lower_ in lx.HABIT_ADVERBS for c in verb.children):
        return False  # "he would often visit": a past habit, not a forecast
    own = would.head
    return not any(c.dep_ in ("csubj", "csubjpass") or (c.dep_ == "nsubj" and c.tag_ == "VBG") for c in (*verb.children, *own.children))


def markers_in(doc: Doc, start: int, end: int) -> list[CertaintyMarker]:
    """Certainty markers in the words of ``doc_text(doc)[start:end]``."""
    span = token_span(doc, start, end)
    if span is None:
        return []
    out: list[CertaintyMarker] = []
    taken: set[int] = set()
    # Only the matches that start inside the span, found by bisection: a scan of all was quadratic (issue #11).
    starts, by_start = _matches_by_start(doc)
    first = bisect.bisect_left(starts, span.start)
    last = bisect.bisect_left(starts, span.end)
    matches = [(m, s - span.start, e - span.start) for m, s, e in by_start[first:last] if e <= span.end]
    matches.sort(key=lambda m: (m[1], -(m[2] - m[1])))
    for match_id, s, e in matches:
        if any(i in taken for i in range(s, e)):
            continue
        kind = Certainty(doc.vocab.strings[match_id])
        toks = span[s:e]
        if kind == Certainty.hedged and toks.text.lower() in ("likely", "probably") and e < len(span) and span[e].lower_ == "to":
            continue  # "likely to" is a prediction, matched below
        taken.update(range(s, e))
        out.append(
            CertaintyMarker(
                span=Span.of(doc_text(doc), toks.start_char, toks.end_char),
                kind=kind,
                distancing=toks.text.lower() in _DISTANCING_WORDS,
            )
        )
    for tok in span:
        if tok.i - span.start in taken or tok.tag_ != "MD":
            continue
        low = tok.lower_
        nxt = tok.nbor(1).lower_ if tok.i + 1 < len(tok.doc) else ""
        if low == "would" and nxt in lx.VOLITION_AFTER_WOULD:
            continue  # "would like to", "would rather": a wish, not a condition or forecast
        if low == "would" and _backshifted_will(tok):
            kind = Certainty.predicted
        elif low in lx.CONDITIONAL_MODALS:
            kind = Certainty.conditional
        elif low in lx.PREDICTED_MODALS:
            kind = Certainty.predicted
        else:
            continue
        out.append(CertaintyMarker(span=Span.of(doc_text(doc), tok.idx, tok.idx + len(tok.text)), kind=kind))
    # "its claimed success", "the reported decision": a participle used as a hedging adjective.
    for tok in span:
        if tok.lower_ in ("claimed", "supposed", "reported", "rumoured", "rumored") and tok.dep_ == "amod" and not any(m.span.start == tok.idx for m in out):
            out.append(CertaintyMarker(span=Span.of(doc_text(doc), tok.idx, tok.idx + len(tok.text)), kind=Certainty.hedged, distancing=True))
    # Denial verbs used as main verbs ("Moscow denied the report").
    for tok in span:
        if tok.i - span.start in taken or tok.pos_ != "VERB":
            continue
        if tok.lemma_.lower() in lx.DENIAL_CUES and not any(m.span.start <= tok.idx < m.span.end for m in out):
            kind = Certainty.hedged if _negated(tok) else Certainty.denied
            out.append(CertaintyMarker(span=Span.of(doc_text(doc), tok.idx, tok.idx + len(tok.text)), kind=kind))
    return sorted(out, key=lambda m: m.span.start)


def strongest(markers: list[CertaintyMarker], default: Certainty) -> Certainty:
    kinds = {m.kind for m in markers}
    return next((k for k in _PRIORITY if k in kinds), default)


def _dedupe(markers: list[CertaintyMarker]) -> list[CertaintyMarker]:
    seen, out = set(), []
    for m in sorted(markers, key=lambda m: m.span.start):
        if (m.span.start, m.span.end) not in seen:
            seen.add((m.span.start, m.span.end))
            out.append(m)
    return out


def attribution_certainty(doc: Doc, att: Attribution) -> None:
    """Set an attribution's markers (content words + cue verb) and certainty."""
    markers: list[CertaintyMarker] = []
    for s in att.content:
        markers += markers_in(doc, s.start, s.end)
    for s in att.source:
        # "according to unconfirmed reports": the source itself is doubted.
        markers += [m for m in markers_in(doc, s.start, s.end) if m.kind == Certainty.hedged]
    for s in att.cue:
        cue = _cue_marker(doc, s)
        if cue is not None:
            markers.append(cue)
        markers += markers_in(doc, s.start, s.end)  # "it is understood", "is said to"
        # "It is thought [that] ...": the cue is "is thought", the phrase starts one word before.
        before = token_span(doc, s.start, s.end)
        if before is not None and before.start > 0 and doc[before.start - 1].lower_ == "it":
            markers += [m for m in markers_in(doc, doc[before.start - 1].idx, s.end) if m.span.start < s.start]
        # "X reportedly told Y": a hedge on the cue itself.
        toks = token_span(doc, s.start, s.end)
        for tok in toks or []:
            for child in tok.children:
                if child.dep_ == "advmod" and child.lower_ in _CUE_HEDGES:
                    markers += markers_in(doc, child.idx, child.idx + len(child.text))
    # "refused to confirm the deaths": a phrase running from the cue into the content.
    if att.cue and att.content:
        lo = min(s.start for s in (*att.cue, *att.content))
        hi = max(s.end for s in (*att.cue, *att.content))
        markers += [
            m for m in markers_in(doc, lo, hi)
            if any(m.span.start < c.end and m.span.end > c.start for c in att.cue)
            and any(m.span.start < c.end and m.span.end > c.start for c in att.content)
        ]
    att.certainty_markers = _dedupe(markers)
    att.certainty = strongest(att.certainty_markers, Certainty.reported)
