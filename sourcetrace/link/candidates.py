"""Candidate blocking: for each new article, the stored articles nearest to it.

Only these pairs are ever scored, so linking costs about (new articles x k)
comparisons instead of all pairs. Exact numpy search below ``ANN_FROM``
vectors, where one matrix product is fast and exact; an HNSW index (usearch,
cosine, f32) above it. BENCHMARKS.md ("Linking") has both measured.
"""

from __future__ import annotations

import numpy as np

ANN_FROM = 20000


class VectorIndex:
    def __init__(self, keys: list[int], vectors: np.ndarray, *, ann_from: int = ANN_FROM):
        self.keys = np.asarray(keys, dtype=np.int64)
        self.vectors = vectors.astype(np.float32, copy=False)
        self.ann = None
        if len(keys) >= ann_from:
            from usearch.index import Index

            self.ann = Index(ndim=vectors.shape[1], metric="cos", dtype="f32")
            self.ann.add(np.arange(len(keys)), self.vectors, threads=1)

    def nearest(self, queries: np.ndarray, k: int) -> list[list[int]]:
        """The keys of the ``k`` nearest stored vectors to each query (nearest first)."""
        n = len(self.keys)
        if n == 0 or len(queries) == 0:
            return [[] for _ in range(len(queries))]
        k = min(k, n)
        if self.ann is not None:
            found = self.ann.search(queries.astype(np.float32), k, threads=1)
            rows = np.atleast_2d(found.keys)
            return [[int(self.keys[j]) for j in row if j < n] for row in rows]
        out = []
        for start in range(0, len(queries), 1024):
            sims = queries[start:start + 1024] @ self.vectors.T
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < n else np.tile(np.arange(n), (len(sims), 1))
            for row, cand in zip(sims, top):
                order = cand[np.argsort(-row[cand])]
                out.append([int(self.keys[j]) for j in order])
        return out
