"""Figures a claim carries: value, qualifier ("over", "up to"), unit or thing counted.

Numbers come from the tokens (digits, "1.2 million", "three"); a number that
is part of a date, a time, an ordinal or a name ("M270", "2022", "24 November")
is not a quantity. The unit is the measure after the number ("kg", "miles");
otherwise the thing counted is the noun phrase the number modifies
("136 infantry fighting vehicles").
"""

from __future__ import annotations

import calendar
import re

from spacy.tokens import Doc, Token

from .. import deadline
from ..model import Attribution, Quantity, Span
from ..nlp.span_index import SpanIndex
from . import lexicon as lx
from .spans import doc_text

_NOT_QUANTITY_ENTS = {"DATE", "TIME", "ORDINAL", "PERSON", "ORG", "PRODUCT", "LAW", "FAC", "GPE", "EVENT", "WORK_OF_ART", "NORP", "LOC", "LANGUAGE"}
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_YEAR = re.compile(r"^(1[6-9]|20)\d\d$")
_UNIT_GLUED = re.compile(r"^(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)([a-zA-Z%]+)$")
_SCALE_WORDS = ("dozen", "hundred", "thousand", "million", "billion", "trillion")
_GLUED_MULTIPLIERS = {"bn": 1_000_000_000, "b": 1_000_000_000, "m": 1_000_000, "mn": 1_000_000, "k": 1_000, "tn": 1_000_000_000_000}


_MONTH_WORDS = {m.lower() for m in calendar.month_name[1:] + calendar.month_abbr[1:]} | {"sept"}
_TIME_UNITS = {"day", "days", "week", "weeks", "month", "months", "year", "years", "decade", "decades", "s", "'s"}


def _figure_in_date(tok: Token) -> bool:
    """A count the tagger swept into a date ("up from 900 a year earlier", "between 5 and 10 km")."""
    doc = tok.doc
    if not _DIGITS.match(tok.text) or _YEAR.match(tok.text):
        return False
    near = [doc[k] for k in (tok.i - 2, tok.i - 1, tok.i + 1) if 0 <= k < len(doc)]
    if any(t.lower_.strip(".") in _MONTH_WORDS or t.text in ("/", "-", ":") or _YEAR.match(t.text) for t in near):
        return False  # "24 November", "3/4", "Nov. 12"
    return not (tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in _TIME_UNITS)  # "two weeks", "90 days"


def _identifier(tok: Token) -> bool:
    """ "Room 101", "Flight 370", "Article 5": a number naming the capitalised noun before it."""
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None and prev.text == "." and tok.i > 1:
        prev = tok.doc[tok.i - 2] if tok.doc[tok.i - 2].lower_ in ("no", "nos") else prev
    if prev is not None and prev.lower_ in ("no.", "no", "nos.", "nos", "number", "#") and (prev.is_title or prev.text == "#"):
        return True  # "No. 10", "Number 10"
    return (
        prev is not None
        and tok.head.i == prev.i
        and prev.is_title
        and prev.pos_ in ("NOUN", "PROPN")
        and prev.lower_ not in lx.UNITS
        and _DIGITS.match(tok.text) is not None
    )


def _is_number(tok: Token) -> bool:
    low = tok.lower_
    if tok.ent_type_ == "DATE" and _figure_in_date(tok):
        return True
    if tok.ent_type_ in _NOT_QUANTITY_ENTS or _identifier(tok):
        return False
    if _DIGITS.match(tok.text) or _UNIT_GLUED.match(tok.text):
        return True
    if low in lx.NUMBER_WORDS or low in _SCALE_WORDS:
        return tok.dep_ in ("nummod", "compound", "quantmod") or tok.ent_type_ in ("CARDINAL", "QUANTITY", "MONEY", "PERCENT")
    return False


def _value(tokens: list[Token], currency: bool) -> float | None:
    total, current = 0.0, None
    for tok in tokens:
        low = tok.lower_.replace(",", "")
        glued = _UNIT_GLUED.match(tok.text)
        if glued:
            low = glued.group(1).replace(",", "")
            if glued.group(2).lower() in _GLUED_MULTIPLIERS:
                current = (current or 0) + float(low) * _GLUED_MULTIPLIERS[glued.group(2).lower()]
                continue
        if re.fullmatch(r"\d+(?:\.\d+)?", low):
            current = (current or 0) + float(low)
        elif low in lx.NUMBER_WORDS:
            current = (current or 0) + lx.NUMBER_WORDS[low]
        elif low in lx.MULTIPLIERS and (low not in ("m", "k", "bn", "mn") or currency):
            mult = lx.MULTIPLIERS[low]
            if mult >= 1000:
                total += (current or 1) * mult
                current = None
            else:
                current = (current or 1) * mult
        elif low in ("and", "-"):
            continue
    if current is None and total == 0:
        return None
    return total + (current or 0)


def _qualifier(doc: Doc, i: int) -> str | None:
    """The longest qualifier phrase ending right before token ``i``."""
    for n in (3, 2, 1):
        if i - n < 0:
            continue
        phrase = " ".join(t.lower_ for t in doc[i - n : i])
        if phrase in lx.QUALIFIERS:
            return phrase
    return None


def _thing(doc: Doc, first: Token, last: Token, glued_unit: str | None) -> tuple[str | None, int]:
    """Unit or counted noun after the number, and the end offset of the quantity span."""
    if glued_unit:
        return glued_unit, last.idx + len(last.text)
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if nxt is None:
        return None, last.idx + len(last.text)
    low = nxt.lower_
    if low in lx.UNITS or nxt.text == "%":
        if low in ("per", "percentage") and nxt.i + 1 < len(doc) and doc[nxt.i + 1].lower_ in ("cent", "points"):
            end_tok = doc[nxt.i + 1]
            return f"{nxt.text} {end_tok.text}", end_tok.idx + len(end_tok.text)
        return nxt.text, nxt.idx + len(nxt.text)
    # The noun the number counts: its syntactic head to the right, with its modifiers in between.
    head = last.head if last.dep_ in ("nummod", "quantmod", "compound") else None
    if last.dep_ in ("conj", "prep") and last.head.dep_ in ("nummod", "quantmod") and last.head.i < last.i:
        head = last.head.head  # "400" in "300 and 400 workers"
    if head is not None and head.i > last.i and head.pos_ in ("NOUN", "PROPN") and head.i - last.i <= 5:
        start = last.i + 1
        while start < head.i and (doc[start].pos_ in ("NUM", "CCONJ") or doc[start].lower_ in ("to", "-", "–")):
            start += 1  # the other end of a range: "300 [and 400] workers"
        words = doc[start : head.i + 1]
        if all(t.pos_ in ("NOUN", "PROPN", "ADJ", "VERB", "ADV") or t.text == "-" for t in words):
            return words.text, head.idx + len(head.text)
    return None, last.idx + len(last.text)


def _scale_letter(doc: Doc, k: int) -> bool:
    """ "2.3m votes": "m" is million when it qualifies a counted noun, not metres."""
    tok = doc[k]
    nxt = doc[k + 1] if k + 1 < len(doc) else None
    return (
        tok.lower_ in ("m", "k")
        and nxt is not None
        and nxt.pos_ == "NOUN"
        and nxt.tag_ == "NNS"
        and nxt.lower_ not in lx.UNITS
    )


def _range_qualifier(doc: Doc, i: int) -> str | None:
    """"between" for both ends of "between 300 and 400"."""
    if i > 0 and doc[i - 1].lower_ == "between":
        return "between"
    if i > 2 and doc[i - 1].lower_ == "and" and doc[i - 3].lower_ == "between" and _is_number(doc[i - 2]):
        return "between"
    return None


def _range_partner_scale(doc: Doc, j: int) -> float:
    """The scale word the high end of a range carries ("and 2 billion"), which the low end shares."""
    if not (j + 2 < len(doc) and doc[j + 1].lower_ in ("and", "to", "-", "–") and _DIGITS.match(doc[j + 2].text)):
        return 0
    if j + 3 < len(doc) and doc[j + 3].lower_ in _SCALE_WORDS[2:]:
        return lx.MULTIPLIERS[doc[j + 3].lower_]
    return 0


def _range_partner(doc: Doc, i: int, j: int) -> str | None:
    """The thing counted by the other end of a range: "300" in "between 300 and 400 workers" counts workers."""
    if j + 2 < len(doc) and doc[j + 1].lower_ in ("and", "to", "-", "–") and _is_number(doc[j + 2]):
        k = j + 2
        while k + 1 < len(doc) and (_is_number(doc[k + 1]) or doc[k + 1].lower_ in _SCALE_WORDS):
            k += 1
        glued = _UNIT_GLUED.match(doc[k].text)
        unit = glued.group(2) if glued and glued.group(2).lower() not in _GLUED_MULTIPLIERS else None
        return _thing(doc, doc[j + 2], doc[k], unit)[0]
    return None


def find_quantities(doc: Doc, atts: list[Attribution]) -> list[Quantity]:
    out: list[Quantity] = []
    # the attributions holding each figure, found by index: each figure against every attribution was quadratic (#11)
    holders = SpanIndex.of(atts, lambda a: a.content)
    i = 0
    n = len(doc)
    while i < n:
        deadline.check()
        tok = doc[i]
        if not _is_number(tok):
            i += 1
            continue
        j = i
        while j + 1 < n and (
            (_is_number(doc[j + 1]) and not _UNIT_GLUED.match(doc[j].text))
            or doc[j + 1].lower_ in _SCALE_WORDS + ("bn", "mn")
            or (doc[j + 1].lower_ in ("m", "k") and (i > 0 and doc[i - 1].text in lx.CURRENCY_SYMBOLS or _scale_letter(doc, j + 1)))
        ):
            j += 1
        group = list(doc[i : j + 1])
        if _score(doc, i, j):
            i = j + 1
            continue  # "ruled 5-4", "won 3-2": a score or vote, not a count
        if _fraction_part(doc, i, j):
            i = j + 1
            continue  # "two" in "two-thirds of", "million" in "a quarter of a million": read as a share below
        if sum(1 for t in group if _DIGITS.match(t.text)) > 1 or re.fullmatch(r"0\d+", tok.text):
            i = j + 1
            continue  # "0800 555 0199", "07700": a phone number or code, not a figure
        currency_sym = doc[i - 1].text if i > 0 and doc[i - 1].text in lx.CURRENCY_SYMBOLS else None
        scaled = j > i and _scale_letter(doc, j)
        if len(group) == 1 and _YEAR.match(tok.text) and tok.dep_ != "nummod" and not currency_sym:
            i = j + 1
            continue  # a bare year is a date, not a quantity
        if tok.text.replace(",", "").isdigit() and re.fullmatch(r"\d{1,2}", tok.text) and i + 1 < n and doc[i + 1].text in (":", "/"):
            i = j + 1
            continue  # clock times and fractions written as dates
        value = _value(group, currency=bool(currency_sym) or scaled)
        if value is None:
            i = j + 1
            continue
        glued = _UNIT_GLUED.match(doc[j].text)
        glued_unit = glued.group(2) if glued and glued.group(2).lower() not in _GLUED_MULTIPLIERS else None
        unit, end = _thing(doc, group[0], group[-1], glued_unit)
        partner_scale = _range_partner_scale(doc, j)
        if partner_scale and not any(t.lower_ in lx.MULTIPLIERS or _UNIT_GLUED.match(t.text) for t in group):
            value *= partner_scale  # "between 1.5 and 2 billion euros": 1.5 billion
        if _range_partner(doc, i, j) is not None or (i > 0 and doc[i - 1].lower_ == "between"):
            # The low end of "between 300 and 400 workers" counts what the high end counts.
            unit = unit if unit is not None and end == group[-1].idx + len(group[-1].text) else _range_partner(doc, i, j) or unit
            end = group[-1].idx + len(group[-1].text)
        if currency_sym:
            unit = lx.CURRENCY_SYMBOLS[currency_sym]  # "$425 million aid package": the unit is the currency
            end = group[-1].idx + len(group[-1].text)
        qstart_tok = i - 1 if currency_sym else i
        if group[0].lower_ in _SCALE_WORDS and i >= 2 and doc[i - 1].lower_ in ("a", "an") and doc[i - 2].lower_ == "half":
            value, qstart_tok = value / 2, i - 2  # "half a million people"
        qual = _qualifier(doc, qstart_tok)
        start = doc[qstart_tok - len(qual.split())].idx if qual else doc[qstart_tok].idx
        if qual is None and (qual := _range_qualifier(doc, qstart_tok)) and doc[qstart_tok - 1].lower_ == "between":
            start = doc[qstart_tok - 1].idx
        if qstart_tok > 0 and doc[qstart_tok - 1].lower_ == "minus" and not qual:
            value, start = -value, doc[qstart_tok - 1].idx  # "minus 20 degrees"
        holder = holders.containing(group[0].idx, group[-1].idx + len(group[-1].text))
        holder.sort(key=lambda a: sum(s.end - s.start for s in a.content))
        out.append(
            Quantity(
                span=Span.of(doc_text(doc), start, end),
                value=value,
                qualifier=qual,
                unit_or_thing=unit,
                attribution_id=holder[0].id if holder else None,
            )
        )
        i = j + 1
    out += _fractions(doc, holders)
    return sorted(out, key=lambda q: q.span.start)


def _score(doc: Doc, i: int, j: int) -> bool:
    def digit(k: int) -> bool:
        return 0 <= k < len(doc) and re.fullmatch(r"\d{1,3}", doc[k].text) is not None

    if i == j and digit(i) and j + 2 < len(doc) and doc[j + 1].text in ("-", "–") and digit(j + 2):
        after = doc[j + 3] if j + 3 < len(doc) else None
        return after is None or after.pos_ not in ("NOUN", "PROPN") and after.lower_ not in lx.UNITS
    if i == j and digit(i) and i >= 2 and doc[i - 1].text in ("-", "–") and digit(i - 2):
        return _score(doc, i - 2, i - 2)
    return False


def _fraction_part(doc: Doc, i: int, j: int) -> bool:
    k = j + 1 + (1 if j + 1 < len(doc) and doc[j + 1].text == "-" else 0)
    if k + 1 < len(doc) and doc[k].lower_ in lx.FRACTIONS and doc[k + 1].lower_ == "of":
        return True
    return i >= 3 and doc[i].lower_ in _SCALE_WORDS and doc[i - 1].lower_ in ("a", "an") and doc[i - 2].lower_ == "of" and doc[i - 3].lower_ in lx.FRACTIONS


def _fractions(doc: Doc, holders: SpanIndex[Attribution]) -> list[Quantity]:
    """ "more than a third of voters", "half of the delegates", "two-thirds of the budget": a share."""
    out: list[Quantity] = []
    for tok in doc:
        deadline.check()
        denom = lx.FRACTIONS.get(tok.lower_)
        if denom is None or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "of":
            continue
        k = tok.i - 1
        if k >= 0 and doc[k].text == "-":
            k -= 1
        prev = doc[k].lower_ if k >= 0 else ""
        if prev in ("a", "an", "one"):
            num, first = 1, k
        elif prev in lx.NUMBER_WORDS and lx.NUMBER_WORDS[prev] > 0:
            num, first = lx.NUMBER_WORDS[prev], k
        elif denom == 2 and prev not in ("the", "first", "second", "latter", "other"):
            num, first = 1, tok.i  # "half of the delegates"
        else:
            continue
        pobj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
        thing, end = None, tok.idx + len(tok.text)
        scale = lx.MULTIPLIERS.get(doc[tok.i + 3].lower_, 0) if tok.i + 3 < len(doc) and doc[tok.i + 2].lower_ in ("a", "an") else 0
        if scale >= 1000:
            # "a quarter of a million people": a number, not a share.
            thing, end = _thing(doc, doc[tok.i + 3], doc[tok.i + 3], None)
            num *= scale
        elif pobj is not None and pobj.pos_ in ("NOUN", "PROPN"):
            mods = [t for t in pobj.lefts if t.dep_ in ("amod", "compound") and t.i > tok.i + 1]
            thing = doc[(mods[0].i if mods else pobj.i) : pobj.i + 1].text
            end = pobj.idx + len(pobj.text)
        qual = _qualifier(doc, first)
        start = doc[first - len(qual.split())].idx if qual else doc[first].idx
        holder = holders.containing(doc[first].idx, tok.idx + len(tok.text))
        holder.sort(key=lambda a: sum(s.end - s.start for s in a.content))
        out.append(
            Quantity(
                span=Span.of(doc_text(doc), start, end),
                value=round(num / denom, 4),
                qualifier=qual,
                unit_or_thing=thing,
                attribution_id=holder[0].id if holder else None,
            )
        )
    return out
