"""Claims: statements from different articles of one story that carry the same proposition.

Each statement is a sentence vector (MiniLM, see :mod:`.encoder`) joined with
a hashed bag of its names and figures ("12" = "twelve" after
:func:`.features.number_value`), weighted so that the dot product of two
statements is ``(1 - TERM_WEIGHT) * cosine + TERM_WEIGHT * term overlap``.
Within a story, each new statement is paired with its ``NEIGHBOURS`` most
similar statements from other articles, and the pairs are grouped by average
link (:mod:`.average_link`): a statement joins a claim only when it is like
the claim's statements on average, so claims do not chain into the whole story.
"""

from __future__ import annotations

import functools
import hashlib
import math

import numpy as np

from .average_link import Group, agglomerate

#: Chosen on ECB+ dev (see MODEL_CARD.md, "Linker thresholds").
JOIN_THRESHOLD = 0.38
TERM_WEIGHT = 0.35
NEIGHBOURS = 30
HASH_DIM = 256
MIN_WORDS = 3


@functools.lru_cache(maxsize=1 << 16)
def _bucket(term: str) -> int:
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=4).digest(), "little") % HASH_DIM


def story_weights(term_lists: dict[int, list[str]], article_of: dict[int, int]) -> dict[str, float]:
    """Each term's idf among the articles of one story.

    Words every article of the story uses (the plant, the town, "explosion") say what the story is about, not
    which of its claims a statement carries; the rarer words do ("injured 8" / "toxic gas leaked"). Weighted
    so, two statements that share only the story's topic words are no longer alike on terms.
    """
    return weights_of(story_terms(term_lists, article_of))


def story_terms(term_lists: dict[int, list[str]], article_of: dict[int, int]) -> dict:
    """{"n": articles, "df": {term: articles using it}} over statements' terms: what the claim weights count."""
    df: dict[str, set] = {}
    for sid, terms in term_lists.items():
        for t in terms:
            df.setdefault(t, set()).add(article_of[sid])
    return {"n": len(set(article_of.values())), "df": {t: len(arts) for t, arts in df.items()}}


def add_story_terms(counts: dict, more: dict) -> dict:
    """The counts of a story's articles and of further, distinct articles together."""
    df = dict(counts["df"])
    for t, k in more["df"].items():
        df[t] = df.get(t, 0) + k
    return {"n": counts["n"] + more["n"], "df": df}


def weights_of(counts: dict) -> dict[str, float]:
    n = counts["n"]
    return {t: math.log((n + 1) / (k + 1)) + 1.0 for t, k in counts["df"].items()}


def claim_vector(embedding: np.ndarray, terms: list[str], weights: dict[str, float] | None = None) -> np.ndarray:
    """[sqrt(1-w) * embedding, sqrt(w) * unit hashed terms]: a unit vector whose dot product blends both."""
    bag = np.zeros(HASH_DIM, dtype=np.float32)
    for t in terms:
        bag[_bucket(t)] += weights.get(t, 1.0) if weights else 1.0
    norm = float(np.linalg.norm(bag))
    bag = bag / norm if norm else bag
    scale = np.sqrt(TERM_WEIGHT) if norm else 0.0
    vec = np.concatenate([embedding * np.sqrt(1 - TERM_WEIGHT), bag * scale]).astype(np.float32)
    return vec / (np.linalg.norm(vec) or 1.0)


def linkable(text: str) -> bool:
    """Too short to carry a proposition of its own ("he said", a dateline, a fragment): left as a claim of one."""
    return len(text.split()) >= MIN_WORDS


def group_statements(vectors: dict[int, np.ndarray], article_of: dict[int, int], existing: dict[int, str],
                     new: list[int], texts: dict[int, str], threshold: float | None = None) -> list[Group]:
    """Claims (groups of statement ids) holding the ``new`` statements of one story.

    ``texts``: the text of each new statement, and of each existing one that may be too short to link
    (an existing statement without text is taken as linkable).
    """
    threshold = JOIN_THRESHOLD if threshold is None else threshold
    ids = [i for i in vectors if i not in texts or linkable(texts[i])]
    matrix = np.stack([vectors[i] for i in ids]) if ids else np.zeros((0, 1), np.float32)
    articles = np.array([article_of[i] for i in ids])
    neighbours = {}
    if new and ids:
        sims = np.stack([vectors[i] for i in new]) @ matrix.T
        sims[np.array([article_of[i] for i in new])[:, None] == articles[None, :]] = -np.inf  # not its own article
        k = min(NEIGHBOURS, len(ids))
        tops = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < len(ids) else np.tile(np.arange(len(ids)), (len(new), 1))
        for row, top, item in zip(sims, tops, new):
            if linkable(texts[item]):
                neighbours[item] = [ids[j] for j in top[row[top] >= threshold]]  # -inf (its own article) is below
    # Only the claims a new statement is paired with can take it: the others are left out (same result, and an
    # update costs the claims near the new statements, not every claim of the story).
    near = {existing[j] for found in neighbours.values() for j in found if j in existing}
    existing = {i: c for i, c in existing.items() if c in near}
    return agglomerate(vectors, existing, new, neighbours, threshold,
                       dot=lambda a, b: a @ b, add=lambda total, v: total + v, zero=lambda: 0.0)


def summary_of(group: Group, vectors: dict[int, np.ndarray], texts: dict[int, str]) -> str:
    """The member statement closest to the claim's centre."""
    best = max(group.members, key=lambda i: (float(vectors[i] @ group.total), -i))
    return texts[best]
