"""Words and filters as one full-text index lookup, on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

Every statement's filter values are indexed beside its words as *tags*, one
token each (migration 0004): ``e<entity id>``, ``r<article id>``, ``o<outlet
digest>``, ``t<source type>``, ``a0/a1`` (anonymous), ``v0/v1`` (own voice),
``c<certainty>``, and ``y<yyyy>``, ``m<yyyymm>``, ``d<yyyymmdd>`` (published).
A query with words and filters then asks the index for both at once, so its
cost follows the rows that pass every filter rather than every row with the
words, and no table row is read until the page is known.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from ..model import Certainty

_STOP = frozenset("a an and are as at be by for from has have in is it its of on or that the this to was were will with".split())
_TERM = re.compile(r'(-?)"([^"]*)"|(\S+)')


def fts5_query(q: str) -> str | None:
    """Translate the shared query language to an FTS5 expression; None if nothing searchable remains."""
    groups: list[list[str]] = [[]]  # OR of ANDs
    negatives: list[str] = []
    for neg, phrase, word in _TERM.findall(q):
        if word == "OR":
            groups.append([])
            continue
        negate = bool(neg)
        raw = phrase if phrase else word
        if not phrase and raw.startswith("-"):
            negate, raw = True, raw[1:]
        toks = [t for t in re.findall(r"\w+", raw.lower()) if t not in _STOP or phrase]
        if not toks:
            continue
        term = '"' + " ".join(toks) + '"'
        (negatives if negate else groups[-1]).append(term)
    ors = [" AND ".join(g) for g in groups if g]
    if not ors:
        return None
    expr = " OR ".join(f"({o})" for o in ors)
    for n in negatives:
        expr = f"({expr}) NOT {n}"
    return expr


def outlet_tag(outlet_key: str, dialect: str) -> str:
    """The tag of a normalised (casefolded, stripped) outlet name: its hex on SQLite, its MD5 on PostgreSQL.

    On SQLite the trailing ``0`` keeps the Porter stemmer off the token (it only
    strips endings in ``e`` and ``ed``), so two outlets never share a tag.
    """
    raw = outlet_key.encode("utf-8")
    return "o" + (raw.hex() + "0" if dialect == "sqlite" else hashlib.md5(raw).hexdigest())


def date_tags(first: dt.date, last: dt.date) -> list[str]:
    """The fewest year (``y2024``), month (``m202403``) and day (``d20240315``) tags that cover ``first``..``last`` exactly."""
    tags, d = [], first
    while d <= last:
        month_end = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        if d.month == 1 and d.day == 1 and dt.date(d.year, 12, 31) <= last:
            tags.append(f"y{d.year}")
            d = dt.date(d.year + 1, 1, 1)
        elif d.day == 1 and month_end <= last:
            tags.append(f"m{d.year}{d.month:02d}")
            d = month_end + dt.timedelta(days=1)
        else:
            tags.append(f"d{d:%Y%m%d}")
            d += dt.timedelta(days=1)
    return tags


def tag_groups(
    *,
    entity_ids: list[int] | None = None,
    article_id: int | None = None,
    outlet_key: str | None = None,
    source_type: str | None = None,
    anonymous: bool | None = None,
    own_voice: bool | None = None,
    certainty: list[Certainty] | None = None,
    dates: tuple[dt.date, dt.date] | None = None,
    dialect: str = "sqlite",
) -> list[list[str]]:
    """The tags a statement must carry to pass the filters, exactly: one of each group, every group.

    ``dates`` is the closed range, open ends already closed at the store's first or last year.
    """
    groups = []
    if entity_ids is not None:
        groups.append([f"e{i}" for i in entity_ids])
    if article_id is not None:
        groups.append([f"r{article_id}"])
    if outlet_key is not None:
        groups.append([outlet_tag(outlet_key, dialect)])
    if source_type is not None:
        groups.append([f"t{source_type}"])
    if anonymous is not None:
        groups.append(["a1" if anonymous else "a0"])
    if own_voice is not None:
        groups.append(["v1" if own_voice else "v0"])
    if certainty:
        groups.append([f"c{c.value}" for c in certainty])
    if dates is not None:
        groups.append(date_tags(*dates))
    return groups


# Closed tag families: every statement carries exactly one tag of each, so "one of S" is "none of the rest".
_FAMILIES = {"a": ["a0", "a1"], "v": ["v0", "v1"], "c": [f"c{c.value}" for c in Certainty]}


def complement(group: list[str], outside_dates: list[str] | None = None) -> list[str] | None:
    """The tags a statement carries exactly when it carries none of ``group``; None for an open family.

    Anonymity, own voice and certainty are closed families. A date group's
    complement is ``outside_dates``: the tags of the store's years outside the
    range, and ``y0`` (no date), which the caller computes. Entities, articles,
    outlets and source types are open: no complement.
    """
    family = _FAMILIES.get(group[0][0])
    if family is not None:
        return [t for t in family if t not in group]
    if group[0][0] in "ymd":
        return outside_dates
    return None


def cheaper_groups(
    groups: list[list[str]], share, outside_dates: list[str] | None = None
) -> tuple[list[list[str]], list[list[str]]]:
    """Each group as "one of these" or as "none of its complement", whichever has fewer postings to read.

    ``share(tag)`` estimates the fraction of statements carrying a tag. The
    index reads every posting of the tags it is given ("anonymous: no" is 95 %
    of statements, its complement "a1" 5 %), and both forms find the same rows.
    Returns (groups to require, groups to exclude).
    """
    keep, drop = [], []
    for g in groups:
        other = complement(g, outside_dates)
        if other is not None and sum(map(share, other)) < sum(map(share, g)):
            drop.append(other)
        else:
            keep.append(g)
    return keep, drop


def fts5_match(words: str | None, groups: list[list[str]], excluded: list[list[str]] = ()) -> str:
    """One FTS5 MATCH expression: the words in the ``text`` column, every tag group in ``tags``, no ``excluded`` group."""
    parts = [f"text : ({words})"] if words else []
    parts += ["tags : (" + " OR ".join(f'"{t}"' for t in g) + ")" for g in groups]
    if not parts:
        raise ValueError("an FTS5 query needs words or a required tag group")
    expr = " AND ".join(parts)
    for g in excluded:
        if g:
            expr = f"({expr}) NOT tags : (" + " OR ".join(f'"{t}"' for t in g) + ")"
    return expr


def tsquery_tags(groups: list[list[str]], excluded: list[list[str]] = ()) -> str:
    """The tag groups (and none of the ``excluded``) as a ``to_tsquery('simple', ...)`` string; ``groups`` must not be empty."""
    return " & ".join(["(" + " | ".join(g) + ")" for g in groups] + ["!(" + " | ".join(g) + ")" for g in excluded if g])
