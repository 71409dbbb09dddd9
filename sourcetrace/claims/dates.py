"""Dates: relative and partial mentions resolved against the publication date.

"on Friday" in a piece published Sunday 24 November 2024 is 2024-11-22; "in
August" is 2024-08-01/2024-08-31; "earlier this year" is 2024-01-01/2024-11-24;
"in early summer" is the first third of (northern) summer. News mostly looks
back, so bare weekdays, months and seasons resolve to the latest one not after
publication unless the sentence speaks of the future ("will", "next").
Also reads the publication date itself from a date line near the top of the
text when no metadata gives it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from dateutil import parser as dateparser
from spacy.tokens import Doc, Span as TokenSpan

from .. import deadline
from ..model import DateMention, Span
from .spans import doc_ents, doc_text

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
_MONTH_RE = "|".join(sorted((m for m in _MONTHS), key=len, reverse=True))
_DATELINE = re.compile(
    rf"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH_RE})\.?,?\s+\d{{4}}|(?:{_MONTH_RE})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})",
    re.I,
)
_PREPOSITIONS = {"on", "in", "at", "since", "by", "until", "till", "during", "from", "before", "after", "through", "over", "of"}
_FUTURE_WORDS = {"will", "'ll", "shall", "next", "upcoming", "coming", "expected", "expects", "scheduled", "due", "plans", "planned", "soon"}
_PARTS_OF_DAY = {"morning", "afternoon", "evening", "night"}
_FUTURE = {"will", "'ll", "shall", "next", "upcoming", "coming", "later"}


def published_from_text(text: str, head: int = 400) -> dt.date | None:
    """A date line near the top ("Sunday, 24 November 2024", "Nov. 24, 2024", "2024-11-24")."""
    for m in _DATELINE.finditer(text[:head]):
        # A date line, not a date inside a sentence: little else on its line, no sentence around it.
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        rest = line.replace(m.group(0), " ").strip()
        if len(rest) > 40 or rest.endswith((".", "!", "?")) and len(rest.split()) > 3:
            continue
        try:
            return dateparser.parse(m.group(0), fuzzy=True).date()
        except (ValueError, OverflowError):
            continue
    return None


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _range(a: dt.date, b: dt.date) -> str:
    return a.isoformat() if a == b else f"{a.isoformat()}/{b.isoformat()}"


def _month_range(year: int, month: int, part: str | None = None) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(year, month)[1]
    if part == "early":
        return dt.date(year, month, 1), dt.date(year, month, 10)
    if part in ("mid", "middle"):
        return dt.date(year, month, 11), dt.date(year, month, 20)
    if part == "late":
        return dt.date(year, month, 21), dt.date(year, month, last)
    return dt.date(year, month, 1), dt.date(year, month, last)


def _season_range(year: int, season: str, part: str | None) -> tuple[dt.date, dt.date]:
    first, last = _SEASONS[season]
    months = [first, first + 1, first + 2] if first != 12 else [12, 1, 2]
    years = [year, year, year] if first != 12 else [year, year + 1, year + 1]
    if part == "early":
        months, years = months[:1], years[:1]
    elif part in ("mid", "middle"):
        months, years = months[1:2], years[1:2]
    elif part == "late":
        months, years = months[2:], years[2:]
    start = dt.date(years[0], months[0], 1)
    end = dt.date(years[-1], months[-1], calendar.monthrange(years[-1], months[-1])[1])
    return start, end


def resolve(text: str, ref: dt.date | None, future: bool = False) -> tuple[str | None, str | None]:
    """(resolved ISO date or range, granularity) for one date expression."""
    # "since January": from the start of January up to publication.
    since = re.match(r"\s*(since|so far (?:this|in)|to date in)\s+(.+)", text, re.I)
    if since and ref is not None:
        resolved, gran = resolve(since.group(2), ref, future=False)
        if resolved is None:
            return None, None
        begin = dt.date.fromisoformat(resolved.split("/")[0])
        return (_range(begin, ref), "range") if begin <= ref else (resolved, gran)
    low = re.sub(r"^(?:on|in|at|since|by|until|till|during|from|before|after|through|over|as of|of)\s+", "", text.lower().strip())
    low = re.sub(r"^the\s+", "", low).strip(" .,")
    low = re.sub(r"(?:'s|’s|s')$", "", low) if re.search(r"(?:year|month|week|day|night)(?:'s|’s)$|s'$", low) else low  # "last year's"
    # "the end of October", "the beginning of 2023": parts like "late October", "early 2023".
    part = re.match(r"(beginning|start|middle|end)\s+of\s+(?:the\s+)?(.+)", low)
    if part:
        word = {"beginning": "early", "start": "early", "middle": "mid", "end": "late"}[part.group(1)]
        rest = part.group(2)
        if rest in ("year", "month", "week"):
            rest = f"this {rest}"  # "by the end of the year": this year's
        return resolve(f"{word} {rest}", ref, future)
    # Absolute dates first.
    m = re.fullmatch(r"(\d{4})", low)
    if m:
        y = int(m.group(1))
        return _range(dt.date(y, 1, 1), dt.date(y, 12, 31)), "year"
    m = re.fullmatch(r"(early|mid|middle|late)[\s-]+(\d{4})", low)
    if m:
        y, part = int(m.group(2)), m.group(1)
        third = {"early": (1, 4), "mid": (5, 8), "middle": (5, 8), "late": (9, 12)}[part]
        return _range(dt.date(y, third[0], 1), dt.date(y, third[1], calendar.monthrange(y, third[1])[1])), "range"
    m = re.fullmatch(r"(\d{4})s", low)
    if m:
        y = int(m.group(1))
        return _range(dt.date(y, 1, 1), dt.date(y + 9, 12, 31)), "decade"
    if re.search(r"\d{4}", low) and any(k in low for k in _MONTHS):
        parts = re.fullmatch(rf"(early|mid|middle|late)?[\s-]*({_MONTH_RE})\.?,?\s+(\d{{4}})", low)
        if parts:
            return _range(*_month_range(int(parts.group(3)), _MONTHS[parts.group(2)], parts.group(1))), "month"
        try:
            return _iso(dateparser.parse(low, fuzzy=True).date()), "day"
        except (ValueError, OverflowError):
            return None, None
    if ref is None:
        return None, None
    direction = 1 if future else -1
    if low in ("today", "tonight", "this morning", "this afternoon", "this evening", "now"):
        return _iso(ref), "day"
    if low in ("yesterday", "last night"):
        return _iso(ref - dt.timedelta(days=1)), "day"
    if low == "tomorrow":
        return _iso(ref + dt.timedelta(days=1)), "day"
    m = re.fullmatch(r"(?:(last|this|next|past|the)\s+)?weekend", low)
    if m:
        saturday = ref - dt.timedelta(days=(ref.weekday() - 5) % 7)
        if m.group(1) == "next" or (future and m.group(1) != "last"):
            saturday = ref + dt.timedelta(days=(5 - ref.weekday()) % 7 or 7)
        elif m.group(1) == "last" and (ref - saturday).days < 2:
            saturday -= dt.timedelta(days=7)
        return _range(saturday, saturday + dt.timedelta(days=1)), "week"
    m = re.fullmatch(r"(last|this|next|past)?\s*(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s+(?:morning|afternoon|evening|night))?", low)
    if m:
        which, day = m.group(1), _WEEKDAYS[m.group(2)]
        delta = (day - ref.weekday()) % 7
        if which == "next" or (which is None and future):
            d = ref + dt.timedelta(days=delta or 7)
        elif which == "this" and delta and future:
            d = ref + dt.timedelta(days=delta)
        else:
            d = ref - dt.timedelta(days=((ref.weekday() - day) % 7) or (7 if which == "last" else 0))
        return _iso(d), "day"
    m = re.fullmatch(rf"(.+?)\s+(?:of\s+)?(last|this|next)\s+year", low)
    if m and re.search(rf"\b(?:{_MONTH_RE}|spring|summer|autumn|fall|winter)\b", m.group(1)):
        # "in November last year", "the spring of next year": the year named, then the rest in it.
        year = ref.year + {"last": -1, "this": 0, "next": 1}[m.group(2)]
        return resolve(f"{m.group(1)} {year}", ref, future)
    m = re.fullmatch(rf"(early|mid|middle|late)?[\s-]*({_MONTH_RE})\.?(?:\s+(\d{{1,2}})(?:st|nd|rd|th)?)?", low) or re.fullmatch(
        rf"(early|mid|middle|late)?\s*(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?)({_MONTH_RE})", low
    )
    if m:
        groups = m.groups()
        part = groups[0]
        if groups[1] and groups[1].isdigit():
            day, month = int(groups[1]), _MONTHS[groups[2]]
        else:
            month, day = _MONTHS[groups[1]], int(groups[2]) if groups[2] else None
        year = ref.year
        if direction < 0 and (month, day or 1) > (ref.month, ref.day):
            year -= 1
        elif direction > 0 and (month, day or 31) < (ref.month, ref.day):
            year += 1
        if day:
            try:
                return _iso(dt.date(year, month, day)), "day"
            except ValueError:
                return None, None
        return _range(*_month_range(year, month, part)), "month"
    m = re.fullmatch(r"(early|mid|middle|late)?[\s-]*(?:(this|last|next|the)\s+)?(spring|summer|autumn|fall|winter)(?:\s+of)?(?:\s+(\d{4}))?", low)
    if m:
        part, which, season, year = m.group(1), m.group(2), m.group(3), m.group(4)
        y = int(year) if year else ref.year
        if not year:
            if which == "last":
                y -= 1
            elif which == "next":
                y += 1
            elif which is None:
                start, _ = _season_range(y, season, part)
                if direction < 0 and start > ref:
                    y -= 1
                elif direction > 0 and _season_range(y, season, part)[1] < ref:
                    y += 1
        return _range(*_season_range(y, season, part)), "season"
    m = re.fullmatch(r"(earlier|later|early|late)?\s*(this|last|next|past|the past)\s+(week|month|year)", low)
    if m:
        mod, which, unit = m.groups()
        shift = {"this": 0, "last": -1, "past": -1, "the past": -1, "next": 1}[which]
        if unit == "week":
            monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=shift)
            start, end = monday, monday + dt.timedelta(days=6)
            gran = "week"
        elif unit == "month":
            y, mo = divmod(ref.year * 12 + ref.month - 1 + shift, 12)
            start, end = _month_range(y, mo + 1)
            gran = "month"
        else:
            start, end = dt.date(ref.year + shift, 1, 1), dt.date(ref.year + shift, 12, 31)
            gran = "year"
        if which in ("past", "the past"):
            start, end = ref - {"week": dt.timedelta(days=7), "month": dt.timedelta(days=30), "year": dt.timedelta(days=365)}[unit], ref
        if mod == "earlier" and shift == 0:
            end = ref
        elif mod == "later" and shift == 0:
            start = ref
        elif mod == "early" and unit in ("month", "year"):
            end = start + (end - start) / 3
        elif mod == "late" and unit in ("month", "year"):
            start = end - (end - start) / 3
        return _range(start, end), gran
    m = re.fullmatch(r"(recent|the past few|past few|the last few|last few|the coming|coming|the next few|next few)\s+(day|week|month|year)s", low)
    if m:
        # "in recent weeks", "in the coming months": a few units back from, or on from, publication.
        span = {"day": 3, "week": 21, "month": 91, "year": 3 * 365}[m.group(2)]
        ahead = m.group(1).split()[-1] in ("coming", "next")
        if ahead:
            return _range(ref, ref + dt.timedelta(days=span)), "range"
        return _range(ref - dt.timedelta(days=span), ref), "range"
    m = re.fullmatch(r"(?:about|around|some|nearly|almost|more than|over)?\s*(\w+|\d+)\s+(day|week|month|year|decade)s?\s+(ago|earlier|before)", low)
    if m:
        from .lexicon import NUMBER_WORDS

        count = int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS.get(m.group(1), 1 if m.group(1) in ("a", "one") else None)
        if count is None or m.group(3) != "ago":
            return None, None  # "two days earlier" counts from another event, not from publication
        if m.group(2) in ("year", "decade"):
            years = count * (10 if m.group(2) == "decade" else 1)
            return str(ref.year - years), "year"
        days = {"day": 1, "week": 7, "month": 30}[m.group(2)] * count
        return _iso(ref - dt.timedelta(days=days)), m.group(2)
    m = re.fullmatch(r"(first|second|third|fourth|final|last|1st|2nd|3rd|4th|q[1-4])\s+(?:quarter|three months)(?:\s+of\s+(?:(this|last|next)\s+year|(\d{4})))?|(q[1-4])\s+(\d{4})", low)
    if m:
        which = m.group(1) or m.group(4)
        n = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4, "last": 4}.get(which) or int(which[1])
        if m.group(3) or m.group(5):
            y = int(m.group(3) or m.group(5))
        else:
            y = ref.year + {"this": 0, "last": -1, "next": 1, None: 0}[m.group(2)]
            if m.group(2) is None and direction < 0 and dt.date(y, 3 * n - 2, 1) > ref:
                y -= 1  # "in the fourth quarter", said in May: last year's
        return _range(*(_month_range(y, 3 * n - 2)[:1] + _month_range(y, 3 * n)[1:])), "quarter"
    return None, None


def _with_preposition(ent: TokenSpan) -> tuple[int, int]:
    doc = ent.doc
    start = ent.start
    if start > 0 and doc[start - 1].lower_ in _PREPOSITIONS:
        start -= 1
        if doc[start].lower_ == "of" and start > 0 and doc[start - 1].lower_ == "as":
            start -= 1
    return doc[start].idx, ent.end_char


def _speaks_of_future(ent: TokenSpan) -> bool:
    sent = ent.sent
    head = ent.root.head
    window = [t.lower_ for t in sent.doc[max(sent.start, ent.start - 8) : ent.start]] + [t.lower_ for t in ent]
    if any(w in _FUTURE_WORDS for w in window):
        return True
    if any(a in ("is", "are", "'s", "'re") and b == "set" for a, b in zip(window, window[1:])):
        return True  # "the vote is set for December 5"
    verb = head if head.pos_ in ("VERB", "AUX") else next((a for a in ent.root.ancestors if a.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return False
    future_aux = ("will", "'ll", "shall", "could", "may", "might", "would")
    return any(c.lower_ in future_aux or (c.lower_ == "going" and c.dep_ == "aux") for c in verb.children)


def find_dates(doc: Doc, published: dt.date | None) -> list[DateMention]:
    out: list[DateMention] = []
    ents = doc_ents(doc)
    starting = {e.start: e for e in ents}
    reach = -1  # where the mentions so far end last: each starts before this entity, so none holds it past there
    for ent in ents:
        deadline.check()
        if ent.label_ not in ("DATE", "TIME"):
            continue
        if ent.start_char < reach:
            continue  # "night" already read with its "Friday"
        start, end = _with_preposition(ent)
        # "the summer of" + "2022", "November" + "last year": the tagger cut one date in two.
        nxt = ent.end + (1 if ent.end < len(doc) and doc[ent.end].lower_ == "of" else 0)
        if nxt < len(doc) and doc[nxt].ent_type_ == "DATE" and doc[nxt].ent_iob_ == "B" and nxt != ent.end or (
            ent.text.lower().endswith(" of") and nxt < len(doc) and re.fullmatch(r"\d{4}", doc[nxt].text)
        ):
            follow = starting.get(nxt)
            end = (follow.end_char if follow is not None else doc[nxt].idx + len(doc[nxt].text))
        if ent.end < len(doc) and doc[ent.end].lower_ in _PARTS_OF_DAY and ent.label_ == "DATE":
            end = doc[ent.end].idx + len(doc[ent.end].text)  # "Friday" + "night": one mention
        resolved, gran = resolve(doc_text(doc)[start:end], published, future=_speaks_of_future(ent))
        if ent.label_ == "TIME" and (resolved is None or gran != "day"):
            continue  # "3pm", "hours": a time of day only counts when it names the day ("Friday night")
        out.append(DateMention(span=Span.of(doc_text(doc), start, end), resolved=resolved, granularity=gran))
        reach = max(reach, end)
    return out
