"""Stories: articles about one real-world event, by average-link clustering over a candidate graph.

Articles are compared by the cosine of their term vectors (sublinear tf x idf
over names, places, figures, dates and content words, see :mod:`.features`):
two earthquakes share the topic words but not the place, the day and the
counts, and on ECB+ dev these terms separate similar events far better than
the sentence embedding does (the embedding blocks candidates instead). Only
pairs of an article and its ``NEIGHBOURS`` nearest articles by embedding are
ever scored. Clusters merge, best pair first, while their average pairwise
similarity stays over ``JOIN_THRESHOLD`` (for unit vectors that is
``sum(A) . sum(B) / (|A| |B|)``, so a merge costs one sparse dot product).

Between refreshes, stories that already exist are frozen: new articles can join
them (or form new stories) but two existing stories never merge, so ids stay and
an incremental update does not recompute the rest. On an empty store this is plain
average-link clustering, which is what ``rebuild`` runs, and what an update
runs over every article at the store's doubling refresh (``REFRESH_FACTOR``),
so that stories made from a store's first few articles can split or merge once.
"""

from __future__ import annotations

import math
from collections import Counter

from .average_link import Group, agglomerate

#: Chosen on ECB+ dev (see MODEL_CARD.md, "Linker thresholds").
JOIN_THRESHOLD = 0.055
NEIGHBOURS = 30
LOCAL_WEIGHT = 1.25  # exponent of the neighbourhood idf (0: global idf only)
#: idf counts as if over at least this many articles: in a small store (one story ingested alone) every
#: article shares the story's names, and a plain idf would discount exactly what holds the story together.
MIN_DOCS = 100
#: An update weights new articles with the current document frequencies but compares them with stored vectors
#: (:mod:`sourcetrace.store.linkstate`); once the store has grown by this factor since every stored vector was
#: weighted, the next update weights them all again and groups every article into stories again (see the linker).
REFRESH_FACTOR = 2.0


class DocFreq:
    """Document frequencies of terms over the linked and new articles (fixed while a run places articles)."""

    def __init__(self, term_dicts=(), *, df: Counter | None = None, n: int = 0):
        self.df: Counter = Counter() if df is None else df
        self.n = n
        for terms in term_dicts:
            self.n += 1
            self.df.update(terms.keys())

    def idf(self, term: str) -> float:
        return math.log((max(self.n, MIN_DOCS) + 1) / (self.df.get(term, 0) + 1)) + 1.0

    def vector(self, terms: dict[str, float], local: Counter | None = None, n_local: int = 0) -> dict[str, float]:
        """Sublinear tf x idf (x the idf within the article's neighbourhood, if given), L2-normalised.

        The neighbourhood idf is what tells two similar events apart: among
        twenty articles about celebrity rehab, "rehab" and "clinic" are in all
        of them and count for little, the names and the dates are not.
        """
        vec = {t: (1.0 + math.log(w)) * self.idf(t) for t, w in terms.items() if w > 0}
        if local is not None:
            n_local = max(n_local, NEIGHBOURS)  # fewer neighbours than that: the store is small (see MIN_DOCS)
            for t in vec:
                vec[t] *= (math.log((n_local + 1) / (local.get(t, 0) + 1)) + 1.0) ** LOCAL_WEIGHT
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _add(total: dict[str, float], vec: dict[str, float]) -> dict[str, float]:
    for t, v in vec.items():
        total[t] = total.get(t, 0.0) + v
    return total


def needs_refresh(basis: int | None, n: int) -> bool:
    """Whether the stored term vectors are to be weighted again: never all weighted, or the store has grown enough."""
    return basis is None or n >= REFRESH_FACTOR * basis


def total_of(vectors) -> dict[str, float]:
    total: dict[str, float] = {}
    for vec in vectors:
        _add(total, vec)
    return total


def cluster(vectors: dict[int, dict[str, float]], existing: dict[int, str], new: list[int],
            neighbours: dict[int, list[int]], threshold: float | None = None,
            frozen: dict[str, tuple[dict[str, float], int]] | None = None) -> list[Group]:
    """Group ``new`` articles with each other and with existing stories (see :func:`.average_link.agglomerate`).

    ``frozen``: story id -> (stored sum of its members' term vectors, member count), standing for the story.
    """
    threshold = JOIN_THRESHOLD if threshold is None else threshold
    return agglomerate(vectors, existing, new, neighbours, threshold, dot=_dot, add=_add, zero=dict, frozen=frozen)
