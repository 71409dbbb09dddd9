"""Follow a claim's carriers to their roots: chains, outlet citations, origins.

A carrier's chain (outermost source first, origin last) may name an outlet
whose own article is in the corpus ("X reported, citing The Ledger",
"according to The Ledger", "The Ledger reported"). Then the carrier rests on
whatever The Ledger's own carrier of the claim rests on, and the citation is an
edge of the outlet-citation graph. Followed to the end, each carrier rests on
one or more origins:

* the last source of the chain ("people familiar with the matter", a minister);
* the outlet itself when it says the claim in its own voice and cites no one.

Anonymous origins are known only through the outlet that heard them, so they
are one origin per outlet ("anonymous officials via The Ledger"): two outlets
each quoting their own unnamed officials are two origins, seven outlets
relaying The Ledger's are one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .rows import ArticleRow, StatementRow

_THE = re.compile(r"^(the)\s+")
_NON_WORD = re.compile(r"[^\w]+")
ANONYMOUS_TYPES = {"anonymous"}


def norm_name(name: str | None) -> str:
    """``"The Ledger's"`` → ``"ledger"``: the form outlet names are compared in."""
    if not name:
        return ""
    text = name.casefold().strip()
    text = re.sub(r"['’]s\b", "", text)
    text = _NON_WORD.sub(" ", text).strip()
    return _THE.sub("", text).strip()


class OutletIndex:
    """The outlets in the store, matched by name: exact (ignoring "the", case,
    punctuation), else the one outlet whose name ends with the words given
    ("the Courier" → "The Morning Courier")."""

    def __init__(self, outlets: Iterable[str]):
        self.by_norm: dict[str, str] = {}
        self._ends: dict[str, set[str]] = {}  # "courier" -> {"morning courier"}: the last words of each name
        for o in outlets:
            key = norm_name(o)
            if o and key:
                self.by_norm.setdefault(key, o)
                words = key.split()
                for i in range(1, len(words)):
                    self._ends.setdefault(" ".join(words[i:]), set()).add(key)
        self._memo: dict[str, str | None] = {}

    def match(self, name: str | None) -> str | None:
        """The normalised outlet key ``name`` refers to, or None."""
        key = norm_name(name)
        if not key:
            return None
        if key not in self._memo:
            ends = self._ends.get(key, set())
            self._memo[key] = key if key in self.by_norm else (next(iter(ends)) if len(ends) == 1 else None)
        return self._memo[key]


@dataclass
class OriginFound:
    key: tuple
    name: str
    type: str
    anonymous: bool
    via: str | None = None


@dataclass
class Resolution:
    origins: list[OriginFound] = field(default_factory=list)
    cites: list[int] = field(default_factory=list)  # article ids of corpus outlets this carrier cites
    cites_outlets: list[str] = field(default_factory=list)


def _outlet_origin(article: ArticleRow) -> OriginFound:
    if article.outlet:
        return OriginFound(("outlet", norm_name(article.outlet)), article.outlet, "media", False)
    return OriginFound(("article", article.id), f"article {article.id} (no outlet given)", "media", False)


def is_unidentified(name: str, type_: str | None) -> bool:
    """An unnamed group of untyped people ("Residents", "several families", "analysts"): no proper name in it,
    so two outlets' "residents" are not the same origin."""
    if type_ not in (None, "unknown"):
        return False
    words = name.split()
    return not any(w[:1].isupper() for w in words[1:]) and not (len(words) == 1 and words[0].isupper())


def _is_anonymous(link: dict) -> bool:
    return link.get("type") in ANONYMOUS_TYPES


class OriginResolver:
    """Resolves the carriers of one claim (statement rows) against the corpus's outlets."""

    def __init__(
        self,
        carriers: list[StatementRow],
        articles: dict[int, ArticleRow],
        outlets: OutletIndex,
        story_articles: Iterable[int] = (),
    ):
        self.carriers = carriers
        self.articles = articles
        self.outlets = outlets
        self.by_outlet: dict[str, list[StatementRow]] = {}
        for c in carriers:
            key = norm_name(articles[c.article_id].outlet)
            if key:
                self.by_outlet.setdefault(key, []).append(c)
        self.story_by_outlet: dict[str, list[int]] = {}
        for aid in sorted(story_articles):
            a = articles.get(aid)
            if a is not None and norm_name(a.outlet):
                self.story_by_outlet.setdefault(norm_name(a.outlet), []).append(aid)
        self._memo: dict[int, Resolution] = {}

    def chain_of(self, c: StatementRow) -> list[dict]:
        if c.chain:
            return c.chain
        if c.own_voice or not c.source_name:
            return []
        return [{"name": c.source_name, "type": c.source_type or "unknown"}]

    def resolve(self, c: StatementRow, visiting: frozenset[int] = frozenset()) -> Resolution:
        if c.id in self._memo:
            return self._memo[c.id]
        result = self._resolve(c, visiting | {c.id})
        if not visiting:  # only memoise answers not cut short by a cycle
            self._memo[c.id] = result
        return result

    def _resolve(self, c: StatementRow, visiting: frozenset[int]) -> Resolution:
        article = self.articles[c.article_id]
        own_key = norm_name(article.outlet)
        chain = self.chain_of(c)
        if not chain:
            # Own voice. An article that attributes the claim elsewhere and then restates it
            # rests the restatement on that attribution; otherwise the outlet is the origin.
            same = [d for d in self.carriers if d.article_id == c.article_id and d.id not in visiting and self.chain_of(d)]
            if same:
                res = Resolution()
                for d in same:
                    sub = self.resolve(d, visiting)
                    res.cites += [x for x in sub.cites if x not in res.cites]
                    res.cites_outlets += [x for x in sub.cites_outlets if x not in res.cites_outlets]
                    res.origins += [o for o in sub.origins if o.key not in {x.key for x in res.origins}]
                return res
            return Resolution([_outlet_origin(article)])
        res = Resolution()
        for link in chain:
            key = self.outlets.match(link.get("name"))
            if not key or key == own_key:
                continue
            res.cites_outlets.append(self.outlets.by_norm[key])
            cited = [d for d in self.by_outlet.get(key, []) if d.id not in visiting and d.article_id != c.article_id]
            if cited:  # the cited outlet's own carrier of this claim is in the corpus: rest on it
                for d in cited:
                    res.cites.append(d.article_id)
                    for o in self.resolve(d, visiting).origins:
                        if o.key not in {x.key for x in res.origins}:
                            res.origins.append(o)
                res.cites = sorted(set(res.cites))
                return res
            # Its article on the story, if any, is cited; the chain goes on past it.
            res.cites += [a for a in self.story_by_outlet.get(key, [])[:1] if a not in res.cites]
        res.origins.append(self._tail_origin(chain, via=article.outlet, via_article=article.id))
        return res

    def _tail_origin(self, chain: list[dict], *, via: str | None, via_article: int | None = None) -> OriginFound:
        """The last link of a chain that reaches no corpus outlet, with the last outlet before it as ``via``."""
        last = chain[-1]
        for link in chain[:-1]:
            if link.get("type") == "media" or self.outlets.match(link.get("name")):
                via, via_article = link.get("name"), None
        name = last.get("name") or "unnamed source"
        if _is_anonymous(last):
            via_key = norm_name(via) or f"article {via_article}"
            return OriginFound(("anonymous", via_key), name, "anonymous", True, via)
        if last.get("type") == "media" and self.outlets.match(name):
            key = self.outlets.match(name)
            return OriginFound(("outlet", key), self.outlets.by_norm[key], "media", False)
        if is_unidentified(name, last.get("type")):  # "residents", "analysts": whoever this outlet spoke to
            via_key = norm_name(via) or f"article {via_article}"
            return OriginFound(("group", norm_name(name), via_key), name, last.get("type") or "unknown", False, via)
        return OriginFound(("named", norm_name(name)), name, last.get("type") or "unknown", False)


def merge_named(origins: list[OriginFound]) -> dict[tuple, tuple]:
    """Map short names onto the fuller name of the same claim ("Reyes" → "Tomas Reyes")."""
    names = [o.key for o in origins if o.key[0] == "named"]
    out: dict[tuple, tuple] = {}
    for k in names:
        words = k[1].split()
        longer = [m for m in names if m != k and len(m[1].split()) > len(words) and m[1].split()[-len(words) :] == words]
        if len(longer) == 1:
            out[k] = longer[0]
    return out
