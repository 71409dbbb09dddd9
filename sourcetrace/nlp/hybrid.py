"""The hybrids: a learned extractor completed by the rules where it finds no cue.

``hybrid`` (the default) builds on ``transformer`` (transformer + CRF cues,
CRF roles); ``hybrid-crf`` builds on ``crf`` alone and needs no onnxruntime
work per document, so it is faster. The learned extractor is the more accurate
reader of PolNeAR-style attributions; the rules know constructions it misses
(speaker frames, ``NAME:`` lines, quotes that continue a speaker) and the
hand-on relays the claim stage builds chains from (``X, citing Y, ...``). So:
every learned attribution, plus every rule attribution whose cue overlaps no
learned cue, leaving out rule attributions nested inside another's content
unless they hand the claim on (citing, quoting, according to). Where both find
the same cue, the learned content is replaced by the rules' when the rules'
overlaps it and is longer: the rules follow the parse to the clause's end,
where the window-bound role tagger stops short. A learned cue the taggers are
unsure of (confidence below ``UNSURE``) is kept only when the rules find a cue
there too. Measured on PolNeAR dev in MODEL_CARD.md.
"""

from __future__ import annotations

from spacy.tokens import Doc

from .. import deadline
from ..model import Attribution, ContentKind, Span
from .boundaries import ANONYMITY_CLAUSE, tidy_contents
from .extractor import get_extractor, register
from .quotes import quoted_kind
from .rules import Lexicon, load_lexicon
from .spacy_model import doc_text
from .span_index import SpanIndex

RELAY_CUES = frozenset({"citing", "quoting", "according to"})
UNSURE = 0.5  # learned cue confidence below which the rules must confirm the cue (tuned on dev)


def _overlaps(a: list[Span], b: list[Span]) -> bool:
    return any(x.start < y.end and y.start < x.end for x in a for y in b)


def _length(spans: list[Span]) -> int:
    return sum(span.end - span.start for span in spans)


def _complete(learned: Attribution, rules: list[Attribution]) -> Attribution:
    """``learned`` with the content of a rule attribution on the same cue, where that one is longer and overlaps it."""
    for rule in rules:
        if not _overlaps(rule.cue, learned.cue):
            continue
        # "..., argued the economist Dara Quinn": the learned content took the speaker the rules found
        if rule.source and _overlaps(rule.source, learned.content):
            return learned.model_copy(update={"source": rule.source, "content": rule.content, "content_kind": rule.content_kind})
        longer = _overlaps(rule.content, learned.content) and _length(rule.content) > _length(learned.content)
        # '"...." Santos said of the park': the quote the cue frames, not the words after the cue
        framed = rule.content_kind == ContentKind.direct and not _overlaps(rule.content, learned.content)
        # 'Coach Lara Benn in a post on Instagram: "..."': a speaker label (its cue a colon or a dash) the learned
        # tagger left without a speaker (on verb cues the rules' speakers were no better: dev source overlap fell)
        label = [(c.start, c.end) for c in rule.cue] == [(c.start, c.end) for c in learned.cue] and all(
            c.text.strip() in (":", "—", "–", "-") for c in rule.cue
        )
        speaker = {"source": rule.source} if not learned.source and rule.source and label else {}
        if longer or framed:
            return learned.model_copy(update={"content": rule.content, "content_kind": rule.content_kind, **speaker})
        if speaker:
            return learned.model_copy(update=speaker)
    return learned


def _is_relay(attribution: Attribution) -> bool:
    return any(span.text.lower() in RELAY_CUES for span in attribution.cue)


def _without_inferred(learned: Attribution, inferred: SpanIndex[Attribution]) -> Attribution:
    """``learned`` less the quotation paragraphs the rules attribute on their own (marked inferred)."""
    keep = [s for s in learned.content if not inferred.overlapping([s])]
    if len(keep) == len(learned.content) or not keep:
        return learned
    return learned.model_copy(update={"content": keep})


def combine(
    learned: list[Attribution], rules: list[Attribution], *, rule_cues: SpanIndex[Attribution] | None = None
) -> list[Attribution]:
    """The CRF's attributions completed by the rules' (see the module docstring), renumbered in text order.

    ``rule_cues``: the rules' cue index, when the caller has built it already.
    """
    inferred = SpanIndex.of([a for a in rules if a.inferred], lambda a: a.content)
    learned = [_without_inferred(a, inferred) for a in learned]
    # Only attributions whose cues overlap are compared: all pairs was quadratic (issue #11).
    if rule_cues is None:
        rule_cues = SpanIndex.of(rules, lambda r: r.cue)
    near = {id(a): rule_cues.overlapping(a.cue) for a in learned}  # in rules' order, cues overlapping
    learned = [
        _complete(a, near[id(a)]).model_copy(update={"parent_id": None})
        for a in learned
        if ((a.confidence or 0.0) >= UNSURE or near[id(a)])
        # a relay the rules also found is theirs: its source is the parse's subject, not the nearest name
        and not (_is_relay(a) and any(_is_relay(r) for r in near[id(a)]))
    ]
    labels = {a.id for a in rules if [s.text for s in a.cue] == [":"]}
    learned_cues = SpanIndex.of(learned, lambda b: b.cue)
    added = [
        a
        for a in rules
        # a transcript's "REPORTER: ..." line holds the quotes the reporter relays: keep those
        if (not a.parent_id or _is_relay(a) or a.parent_id in labels) and not learned_cues.overlapping(a.cue)
    ]
    merged = sorted(learned + added, key=lambda a: min((s.start for s in a.cue or a.content), default=0))
    # Rule parents follow their renamed attribution (or are dropped).
    new_ids = {id(a): f"a{i}" for i, a in enumerate(merged, 1)}
    rule_ids = {a.id: new_ids[id(a)] for a in added}
    return [
        a.model_copy(update={"id": new_ids[id(a)], "parent_id": rule_ids.get(a.parent_id) if a.parent_id else None})
        for a in merged
    ]


def is_action(doc: Doc, att: Attribution, lexicon: Lexicon) -> bool:
    """``The ministry quietly approved the sale of two frigates``: an act (``action_verbs`` in cues.json)
    whose "content" is a thing (a noun phrase, no clause, no quote) is something done, not something said.
    Stance verbs (supported, backed, derided) stay cues: PolNeAR annotates them."""
    if len(att.cue) != 1 or not att.content:
        return False
    cue = doc.char_span(att.cue[0].start, att.cue[0].end, alignment_mode="expand")
    if cue is None or not len(cue) or cue.root.pos_ != "VERB" or cue.root.lemma_.lower() not in lexicon.action_verbs:
        return False
    for span in att.content:
        words = doc.char_span(span.start, span.end, alignment_mode="expand")
        if words is None or any(t.pos_ in ("VERB", "AUX") or t.text[:1] in "\"“”‘’" for t in words):
            return False
    return True


def is_anonymity_reason(text: str, att: Attribution) -> bool:
    """ "two sources said, declining to be identified": the reason a source stays unnamed, read as a cue
    ("declining") with a content ("to be identified ..."), is no attribution."""
    if len(att.cue) != 1 or not att.content:
        return False
    start = att.cue[0].start
    m = ANONYMITY_CLAUSE.match(text, start)
    return m is not None and m.end() <= att.content[0].end


_SAYING = frozenset({"say", "tell", "state", "warn", "claim", "add"})


def quoted_as_saying(doc: Doc, attributions: list[Attribution]) -> list[Attribution]:
    """ "The minister was quoted by Reuters as saying the decision was final": one attribution, the minister's,
    with the cue "was quoted by Reuters as saying" (the claim stage reads Reuters, the agent, as whom the
    minister's words came through). The taggers read two, with Reuters for the speaker and "The minister" for
    a content; those are replaced."""
    text = doc_text(doc)
    if "quoted" not in text:
        return attributions  # most texts: no token is looked at
    made = [m for t in doc if t.lower_ == "quoted" and t.tag_ == "VBN" and (m := _quoted_attribution(doc, text, t))]
    if not made:
        return attributions
    by_cue = SpanIndex.of(attributions, lambda a: a.cue[:1])  # not every pair: quadratic on long texts (#11)
    by_id = {a.id: a for a in attributions}
    instead: dict[str, Attribution] = {}
    gone: dict[str, str] = {}  # removed id -> the id that replaces it
    for m in made:
        cue_start, cue_end = m.cue[0].start, m.cue[0].end
        replaced = [a for a in by_cue.overlapping_range(cue_start, cue_end) if cue_start <= a.cue[0].start < cue_end]
        replaced = [a for a in replaced if a.id not in gone and a.id not in instead]
        if not replaced:
            continue
        keep = replaced[0]
        for a in replaced[1:]:
            gone[a.id] = keep.id
        parent, seen = keep.parent_id, {keep.id}
        while parent in gone and parent not in seen:  # the parent was one of the pieces replaced: its own parent
            seen.add(parent)
            parent = by_id[parent].parent_id
        parent = None if parent in seen else parent
        instead[keep.id] = m.model_copy(update={"id": keep.id, "parent_id": parent, "confidence": keep.confidence,
                                                "extractor": keep.extractor})
    out = []
    for a in attributions:
        if a.id in gone:
            continue
        a = instead.get(a.id, a)
        if a.parent_id in gone:
            a = a.model_copy(update={"parent_id": gone[a.parent_id]})
        out.append(a)
    return out


def _quoted_attribution(doc: Doc, text: str, quoted) -> Attribution | None:
    """Source, cue and content of "X was quoted [by Y] as saying [by Y] Z" around the token ``quoted``, or None."""
    subject = next((c for c in quoted.children if c.dep_ == "nsubjpass"), None)
    as_ = next((c for c in quoted.children if c.dep_ == "prep" and c.lower_ == "as"), None)
    saying = next((c for c in as_.children if c.dep_ == "pcomp" and c.lemma_.lower() in _SAYING), None) if as_ is not None else None
    clause = next((c for c in saying.children if c.dep_ == "ccomp"), None) if saying is not None else None
    if subject is None or clause is None or clause.i < saying.i:
        return None
    # the content opens at "that" or a quotation mark where one comes before the clause ("as saying: "We ...")
    start = next((t for t in doc[saying.i + 1 : clause.left_edge.i + 1] if t.dep_ == "mark" or t.text[:1] in "\"“'‘"),
                 clause.left_edge)
    end = clause.right_edge
    for t in doc[clause.right_edge.i + 1 : quoted.sent.end]:  # a closing mark after the clause's full stop
        if not t.is_punct:
            break
        if t.text[:1] in "\"”’'":
            end = t
    aux = next((c for c in quoted.children if c.dep_ == "auxpass"), quoted)
    content = [Span.of(text, start.idx, end.idx + len(end))]
    # the whole noun phrase ("A spokesman for the foreign ministry"), up to an apposition or relative clause
    source = doc[subject.left_edge.i : subject.right_edge.i + 1]
    comma = next((t.i for t in source if t.text == ","), None)
    source = doc[source.start : comma] if comma is not None and comma > source.start else source
    return Attribution(
        id="", source=[Span.of(text, source.start_char, source.end_char)],
        cue=[Span.of(text, min(aux.idx, quoted.idx), saying.idx + len(saying))],
        content=content, content_kind=quoted_kind(content) or ContentKind.indirect,
    )


@register("hybrid")
class HybridExtractor:
    """The transformer extractor (``neural.py``) completed by the rules: the default."""

    name = "hybrid"
    learned_name = "transformer"

    def __init__(self) -> None:
        self.learned = get_extractor(self.learned_name)
        self.rules = get_extractor("rules")
        self.lexicon = load_lexicon()

    def __call__(self, doc: Doc) -> list[Attribution]:
        text = doc_text(doc)
        rules = [a for a in self.rules(doc) if not is_anonymity_reason(text, a)]
        deadline.check()
        rule_cues = SpanIndex.of(rules, lambda r: r.cue)  # not all pairs: quadratic on long texts (issue #11)
        learned = [
            a for a in self.learned(doc)
            if (rule_cues.overlapping(a.cue) or not is_action(doc, a, self.lexicon)) and not is_anonymity_reason(text, a)
        ]
        deadline.check()
        return quoted_as_saying(doc, tidy_contents(doc, combine(learned, rules, rule_cues=rule_cues)))


@register("hybrid-crf")
class HybridCRFExtractor(HybridExtractor):
    """The CRF completed by the rules: faster, no transformer (needs no onnxruntime)."""

    name = "hybrid-crf"
    learned_name = "crf"
