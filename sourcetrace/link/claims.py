"""Claims: statements from different articles of one story that carry the same proposition.

A statement is compared with the statements already in its story: cosine of
the sentence vectors, raised when they share names and figures ("12" =
"twelve" after :func:`.features.number_value`). It joins the claim whose
members it matches best on average, provided it also matches every member
above a floor (the guard against chaining A~B~C into one claim when A and C
say different things); otherwise it founds a claim. Statements of the same
article never vote for each other: a claim is about carriers across outlets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: Chosen on ECB+ dev (see MODEL_CARD.md, "Linker thresholds").
JOIN_THRESHOLD = 0.52
MEMBER_FLOOR = 0.25
TERM_BONUS = 0.15


@dataclass
class Claim:
    id: str
    story_id: str
    summary: str
    members: list[int] = field(default_factory=list)  # statement ids
    articles: list[int] = field(default_factory=list)  # article of each member


@dataclass
class _Member:
    claim: Claim
    article_id: int
    vec: np.ndarray
    terms: frozenset


def pair_score(cos: float, a: frozenset, b: frozenset) -> float:
    """Cosine plus a bonus for the share of names and figures the two statements have in common."""
    if a and b:
        cos += TERM_BONUS * len(a & b) / min(len(a), len(b))
    return cos


class StoryClaims:
    """The claims of one story, and the rule that places a new statement among them."""

    def __init__(self, story_id: str, *, threshold: float | None = None, floor: float | None = None):
        self.story_id = story_id
        self.threshold = JOIN_THRESHOLD if threshold is None else threshold
        self.floor = MEMBER_FLOOR if floor is None else floor
        self.members: list[_Member] = []
        self.matrix = np.zeros((0, 384), dtype=np.float32)
        self.claims: dict[str, Claim] = {}

    def _add_member(self, claim: Claim, statement_id: int, article_id: int, vec: np.ndarray, terms) -> None:
        claim.members.append(statement_id)
        claim.articles.append(article_id)
        self.members.append(_Member(claim, article_id, vec, frozenset(terms)))
        self.matrix = np.vstack([self.matrix, vec[None, :]])

    def add_existing(self, claim_id: str, summary: str, statement_id: int, article_id: int, vec, terms) -> None:
        claim = self.claims.get(claim_id)
        if claim is None:
            claim = self.claims[claim_id] = Claim(claim_id, self.story_id, summary)
        self._add_member(claim, statement_id, article_id, vec, terms)

    def assign(self, statement_id: int, article_id: int, text: str, vec: np.ndarray, terms, new_id: str) -> tuple[Claim, bool]:
        terms = frozenset(terms)
        per_claim: dict[str, list[float]] = {}
        if self.members:
            sims = self.matrix @ vec
            for m, cos in zip(self.members, sims):
                if m.article_id != article_id:
                    per_claim.setdefault(m.claim.id, []).append(pair_score(float(cos), terms, m.terms))
        best, best_score = None, self.threshold
        for claim_id, scores in per_claim.items():
            avg = sum(scores) / len(scores)
            if avg >= best_score and min(scores) >= self.floor:
                best, best_score = self.claims[claim_id], avg
        created = best is None
        if created:
            best = self.claims[new_id] = Claim(new_id, self.story_id, text)
        self._add_member(best, statement_id, article_id, vec, terms)
        return best, created
