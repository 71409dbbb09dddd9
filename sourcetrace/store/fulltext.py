"""Words and filters as one full-text index lookup, on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

Every statement's filter values are indexed beside its words as *tags*, one
token each (migration 0004): ``e<entity id>``, ``t<source type>``,
``a0/a1`` (anonymous), ``v0/v1`` (own voice), ``c<certainty>``, ``m<yyyymm>``
(month published) and ``o<outlet digest>``. A query with words and filters then
asks the index for both at once, so its cost follows the rows that pass every
filter rather than every row with the words. Tags only narrow: the exact
filters are still applied to the rows they let through.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from ..model import Certainty

# Widest date range turned into month tags; a wider one is left to the exact date filter alone.
MAX_MONTH_TAGS = 120

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
    """The tag of a normalised (casefolded, stripped) outlet name: its hex on SQLite, its MD5 on PostgreSQL."""
    raw = outlet_key.encode("utf-8")
    return "o" + (raw.hex() if dialect == "sqlite" else hashlib.md5(raw).hexdigest())


def _months(first: dt.date, last: dt.date) -> list[str]:
    months, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append(f"m{y}{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def tag_groups(
    *,
    entity_ids: list[int] | None = None,
    source_type: str | None = None,
    anonymous: bool | None = None,
    own_voice: bool | None = None,
    certainty: list[Certainty] | None = None,
    outlet_key: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    dialect: str = "sqlite",
) -> list[list[str]]:
    """The tags a statement must carry: one of each inner list, every list (an AND of ORs)."""
    groups = []
    if entity_ids is not None:
        groups.append([f"e{i}" for i in entity_ids])
    if source_type is not None:
        groups.append([f"t{source_type}"])
    if anonymous is not None:
        groups.append(["a1" if anonymous else "a0"])
    if own_voice is not None:
        groups.append(["v1" if own_voice else "v0"])
    if certainty:
        groups.append([f"c{c.value}" for c in certainty])
    if outlet_key is not None:
        groups.append([outlet_tag(outlet_key, dialect)])
    if date_from and date_to and (date_to.year - date_from.year) * 12 + date_to.month - date_from.month < MAX_MONTH_TAGS:
        groups.append(_months(date_from, date_to))
    return groups


def fts5_match(words: str | None, groups: list[list[str]]) -> str:
    """One FTS5 MATCH expression: the words in the ``text`` column, every tag group in ``tags``."""
    parts = [f"text : ({words})"] if words else []
    parts += ["tags : (" + " OR ".join(f'"{t}"' for t in g) + ")" for g in groups]
    return " AND ".join(parts)


def tsquery_tags(groups: list[list[str]]) -> str:
    """The tag groups as a ``to_tsquery('simple', ...)`` string."""
    return " & ".join("(" + " | ".join(g) + ")" for g in groups)
