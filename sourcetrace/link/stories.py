"""Stories: articles about one real-world event, grown one article at a time.

Each story keeps a centroid of its articles' vectors and the sum of their
weighted terms. A new article is compared with the few stories whose centroid
is nearest to it (the candidate block, see :mod:`.candidates`) by a blend of
embedding cosine (same topic) and IDF-weighted term cosine (same names,
places, dates and figures); it joins the best story over the threshold or
founds a new one. Single pass, so adding articles never reshuffles old ones:
a story keeps its id when new articles join it.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .candidates import CentroidIndex

#: Chosen on ECB+ dev (see MODEL_CARD.md, "Linker thresholds").
EMBED_WEIGHT = 0.35
JOIN_THRESHOLD = 0.42
CANDIDATES = 8


@dataclass
class Story:
    id: str
    vec_sum: np.ndarray
    terms: Counter
    articles: list[int] = field(default_factory=list)
    _norm: float | None = None


class DocFreq:
    """Document frequencies of terms over the articles of one run (fixed while it runs)."""

    def __init__(self, term_dicts):
        self.df: Counter = Counter()
        self.n = 0
        for terms in term_dicts:
            self.n += 1
            self.df.update(terms.keys())

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self.df.get(term, 0) + 1)) + 1.0


def _norm(terms, idf) -> float:
    return math.sqrt(sum((w * idf(t)) ** 2 for t, w in terms.items())) or 1.0


class StoryClusterer:
    def __init__(self, df: DocFreq, *, embed_weight: float = EMBED_WEIGHT, threshold: float = JOIN_THRESHOLD):
        self.df = df
        self.embed_weight = embed_weight
        self.threshold = threshold
        self.stories: dict[str, Story] = {}
        self.index = CentroidIndex()
        self.story_of: dict[int, str] = {}

    def add_existing(self, story_id: str, article_id: int, vec: np.ndarray, terms: dict[str, float]) -> None:
        """Load an article already linked to ``story_id`` (no decision taken)."""
        story = self.stories.get(story_id)
        if story is None:
            story = self.stories[story_id] = Story(story_id, np.zeros_like(vec), Counter())
        self._grow(story, article_id, vec, terms)

    def _grow(self, story: Story, article_id: int, vec: np.ndarray, terms: dict[str, float]) -> None:
        story.vec_sum = story.vec_sum + vec
        story.terms.update(terms)
        story.articles.append(article_id)
        story._norm = None
        self.story_of[article_id] = story.id
        self.index.put(story.id, story.vec_sum)

    def score(self, story: Story, vec: np.ndarray, terms: dict[str, float], terms_norm: float) -> float:
        centroid = story.vec_sum / (np.linalg.norm(story.vec_sum) or 1.0)
        cos_e = float(vec @ centroid)
        if story._norm is None:
            story._norm = _norm(story.terms, self.df.idf)
        idf = self.df.idf
        dot = sum(w * story.terms.get(t, 0.0) * idf(t) ** 2 for t, w in terms.items())
        cos_t = dot / (terms_norm * story._norm)
        return self.embed_weight * cos_e + (1 - self.embed_weight) * cos_t

    def assign(self, article_id: int, vec: np.ndarray, terms: dict[str, float], new_id: str) -> tuple[str, bool]:
        """Put an article in its best story, or a new one with ``new_id``; returns (story id, created)."""
        best, best_score = None, self.threshold
        terms_norm = _norm(terms, self.df.idf)
        for story_id in self.index.nearest(vec, CANDIDATES):
            s = self.score(self.stories[story_id], vec, terms, terms_norm)
            if s >= best_score:
                best, best_score = self.stories[story_id], s
        created = best is None
        if created:
            best = self.stories[new_id] = Story(new_id, np.zeros_like(vec), Counter())
        self._grow(best, article_id, vec, terms)
        return best.id, created
