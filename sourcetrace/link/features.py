"""What tells one event from a similar one: names, places, figures and dates, besides topic words.

Two earthquakes in one region share every topic word ("magnitude", "quake",
"injured"); they differ in the place, the day and the figures. ``article_terms``
keeps those as weighted terms: capitalised words (names, places, months),
figures normalised so "12" = "twelve" = "12.0", resolved dates and years, and,
with a lower weight, the remaining content words. ``statement_terms`` keeps the
names and figures of one statement for the claim test.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from ..model import Article

NAME_WEIGHT = 3.0
FIGURE_WEIGHT = 2.0
WORD_WEIGHT = 1.0
PUBLISHED_WEIGHT = 1.0
PUBLISHED_WINDOW = 2  # days either side of the publication date

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+|\d[\d,]*(?:\.\d+)?")
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
     "dozen": 12}

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here hers
    herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves said says say told according reported report
    reports reuters ap afp news mr mrs ms dr monday tuesday wednesday thursday friday saturday sunday today yesterday
    tomorrow week year years day days time people new one first last like get got may might must shall us
    i'm it's he's she's that's there's we're they're don't didn't won't can't""".split()
)


def number_value(token: str) -> str | None:
    """'12' / '12.0' / '1,200' / 'twelve' -> canonical string ('12', '1200'); None if not a number."""
    low = token.lower()
    if low in _NUMBER_WORDS:
        return str(_NUMBER_WORDS[low])
    if low[:1].isdigit():
        try:
            value = float(low.replace(",", ""))
        except ValueError:
            return None
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return None


def _is_name(token: str) -> bool:
    # Capitalised and not a function word; sentence-initial words count too ("Tara Reid checked in").
    return token[:1].isupper() and token.lower() not in STOPWORDS


def text_terms(text: str) -> Counter:
    """Weighted terms of a text: 'n:' names, 'f:' figures, 'w:' other content words."""
    terms: Counter = Counter()
    for m in _WORD.finditer(text):
        tok = m.group(0).strip("'-")
        if not tok:
            continue
        num = number_value(tok)
        if num is not None:
            terms["f:" + num] += FIGURE_WEIGHT
        elif _is_name(tok):
            terms["n:" + _name_key(tok.lower())] += NAME_WEIGHT
        elif (low := tok.lower()) not in STOPWORDS and len(low) > 2:
            terms["w:" + _stem(low)] += WORD_WEIGHT
    return terms


def _name_key(name: str) -> str:
    """A demonym meets its place ("Kalvarian" -> "kalvaria", "Syrian" -> "syria"), so a follow-up naming the
    Kalvarian minister shares the country with the reports about Kalvaria."""
    if name.endswith("ian") and len(name) >= 6:
        return name[:-1]
    return name


def _stem(word: str) -> str:
    """A light suffix strip so 'strikes'/'strike', 'injured'/'injuring' meet (no dictionary needed)."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def article_terms(article: Article) -> dict[str, float]:
    text = (article.title or "") + "\n" + article.text
    if article.outlet and article.outlet.strip():
        # An outlet naming itself ("residents told the Morning Courier") says who reported, not what happened;
        # left in, it ties unrelated stories of one outlet to any article that cites it.
        text = re.sub(r"(?<!\w)" + re.escape(article.outlet.strip()) + r"(?!\w)", " ", text, flags=re.IGNORECASE)
    terms = text_terms(text)
    for d in article.dates:
        if d.resolved:
            terms["d:" + d.resolved] += FIGURE_WEIGHT
    for q in article.quantities:
        if q.unit_or_thing:
            # The thing counted is evidence whatever the count; the count itself only when it matches, and a
            # different count ("120 tanks" / "150 tanks") costs a little, as reports of one event drift.
            thing = " ".join(_stem(w) for w in q.unit_or_thing.lower().split())
            terms["q:" + thing] += FIGURE_WEIGHT / 2
            terms[f"q:{q.value:g} {thing}"] += FIGURE_WEIGHT
    if article.published:
        # Reports of one event appear within days of each other: the publication day and its neighbours are
        # shared terms, so articles a day or two apart share some, and articles months apart none.
        for shift in range(-PUBLISHED_WINDOW, PUBLISHED_WINDOW + 1):
            terms["p:" + (article.published + dt.timedelta(days=shift)).isoformat()] += PUBLISHED_WEIGHT
    return dict(terms)


def statement_terms(text: str) -> list[str]:
    """The names, figures and content words of one statement (the claim test compares these, weighted by how
    rare each is within the story: see :func:`.claims.story_weights`)."""
    # A sentence-initial word is taken for a name ("Toxic gas leaked"): within one statement, names and words
    # are compared in one form, so "Toxic" meets "toxic".
    return sorted({"w:" + _stem(t[2:]) if t[0] == "n" else t for t in text_terms(text)})
