"""Which statements in a story deny or contest a claim.

A statement contradicts a claim when it is a denial (denied certainty, or a
cue such as *denied*, *rejected*, *dismissed*, *called ... false*) and it is
about the same proposition: it shares enough content words with one of the
claim's carriers (two of them not names, since every statement of a story names the same people and places) (or, when the linker's encoder is given, is close to one in
meaning: the cosine of their cached sentence vectors is at least ``threshold``). A bare denial of "the report" ("'The report is false,' she said")
names no proposition; it counts against a claim its own article carries as a
report (own voice, or through a medium or an anonymous source) or denies outright.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .rows import StatementRow

_WORD = re.compile(r"[a-z0-9]+")
_WORD_CASED = re.compile(r"[A-Za-z0-9]+")
STOP = frozenset(
    """a an the and or but of to in on at by for from with without into onto over under about as is are was were be been
    being has have had do does did not no any some that this these those it its it's their there they them he she his her
    we our you your i me my will would could should may might can must shall than then so such also very just only more
    most less said says say told tell according reported report reports reporting citing cited claim claims claimed
    denied deny denies rejected reject dismissed dismiss called call false untrue which who whom whose what when where
    while after before since until against between during per via newspaper outlet""".split()
)
DENIAL_WORDS = ("deny", "deni", "reject", "dismiss", "refut", "disput", "contest", "rebut")
FALSE_WORDS = ("false", "untrue", "baseless", "fake", "nonsense", "fabricat", "not true", "groundless")
GENERIC_OBJECTS = re.compile(r"\b(report|reports|claim|claims|story|stories|allegation|allegations|rumou?rs?|article)\b", re.I)
MIN_SHARED = 2
MIN_OVERLAP = 0.5


def stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _WORD.findall(text.casefold()) if w not in STOP and len(w) > 1)


def common_words(text: str) -> frozenset[str]:
    """Content words written in lower case: the proposition, not the names every statement of a story shares."""
    return frozenset(stem(w) for w in _WORD_CASED.findall(text) if w.islower() or w.isdigit() if w not in STOP and len(w) > 1)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    shared = len(a & b)
    if shared < MIN_SHARED or not a or not b:
        return 0.0
    return shared / min(len(a), len(b))


def same_proposition(denial: str, carrier: str) -> bool:
    """Enough content words in common, two of them not names ("Halvorsen ... plant" alone is not enough)."""
    return overlap(content_words(denial), content_words(carrier)) >= MIN_OVERLAP and len(
        common_words(denial) & common_words(carrier)) >= MIN_SHARED


def denial_reason(st: StatementRow) -> str | None:
    """Why this statement is a denial, or None when it is not one."""
    cue = (st.cue_text or "").casefold()
    text = st.text.casefold()
    for w in DENIAL_WORDS:
        if w in cue:
            return f"cue: {st.cue_text}"
    for w in FALSE_WORDS:
        if w in text or w in cue:
            return f"calls it {w}"
    if st.certainty == "denied":
        return "denied certainty"
    return None


def is_generic(st: StatementRow) -> bool:
    """A denial of "the report" or "the claims" with nothing of its own to say."""
    return bool(GENERIC_OBJECTS.search(st.text)) and len(content_words(st.text) - {"report", "claim", "story"}) <= 2


Similarity = Callable[[StatementRow, StatementRow], float]


def contradictions(
    carriers: list[StatementRow],
    denials: list[StatementRow],
    *,
    similarity: Similarity | None = None,
    threshold: float = 0.7,  # MiniLM cosine: a denial of the same proposition scores 0.75-0.8, one of a neighbour 0.5-0.6
) -> list[tuple[StatementRow, str]]:
    """The denials (statements of the claim's story) that contest this claim, with why."""
    carrier_ids = {c.id for c in carriers}
    found: dict[int, tuple[StatementRow, str]] = {}
    for d in denials:
        if d.id in carrier_ids:
            continue
        reason = denial_reason(d)
        if reason is None or is_generic(d):
            continue
        close = any(same_proposition(d.text, c.text) for c in carriers)
        if not close and similarity is not None:
            close = any(similarity(d, c) >= threshold for c in carriers)
        if close:
            found[d.id] = (d, reason)
    if all(c.certainty == "denied" for c in carriers):
        return _ordered(found)  # the claim is itself a denial: its speaker's "the report is false" agrees with it
    # "The report is false" is about a report: it counts where the claim is carried as one (in the outlet's own
    # voice, or through a medium or an anonymous source), or where the same article denies it outright.
    articles = {c.article_id for c in carriers if _as_report(c)} | {d.article_id for d, _ in found.values()}
    for d in denials:
        if d.id not in found and d.id not in carrier_ids and d.article_id in articles and is_generic(d):
            reason = denial_reason(d)
            if reason:
                found[d.id] = (d, reason)
    return _ordered(found)


def _as_report(c: StatementRow) -> bool:
    return c.own_voice or any(link.get("type") in ("media", "anonymous") for link in c.chain) or c.source_type in ("media", "anonymous")


def _ordered(found: dict[int, tuple[StatementRow, str]]) -> list[tuple[StatementRow, str]]:
    return sorted(found.values(), key=lambda x: (x[0].article_id, x[0].start or 0, x[0].id))
