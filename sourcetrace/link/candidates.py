"""Candidate blocking: the few story centroids nearest to an article.

An HNSW index (usearch, cosine) once there are many stories; exact numpy
below ``ANN_FROM`` stories, where a matrix product is faster than the index
and exact. Centroids move as articles join, so a story's entry is replaced
on each change (usearch supports removal).
"""

from __future__ import annotations

import numpy as np

ANN_FROM = 4096


class CentroidIndex:
    def __init__(self, dim: int = 384, ann_from: int = ANN_FROM):
        self.dim = dim
        self.ann_from = ann_from
        self.keys: dict[str, int] = {}
        self.ids: list[str] = []
        self.matrix = np.zeros((64, dim), dtype=np.float32)
        self.ann = None

    def __len__(self) -> int:
        return len(self.ids)

    def put(self, story_id: str, vec_sum: np.ndarray) -> None:
        vec = (vec_sum / (np.linalg.norm(vec_sum) or 1.0)).astype(np.float32)
        key = self.keys.get(story_id)
        if key is None:
            key = self.keys[story_id] = len(self.ids)
            self.ids.append(story_id)
            if key >= len(self.matrix):
                self.matrix = np.concatenate([self.matrix, np.zeros_like(self.matrix)])
        self.matrix[key] = vec
        if self.ann is not None:
            if key in self.ann:
                self.ann.remove(key)
            self.ann.add(key, vec)
        elif len(self.ids) >= self.ann_from:
            self._build_ann()

    def _build_ann(self) -> None:
        from usearch.index import Index

        self.ann = Index(ndim=self.dim, metric="cos", dtype="f32")
        n = len(self.ids)
        self.ann.add(np.arange(n), self.matrix[:n])

    def nearest(self, vec: np.ndarray, k: int) -> list[str]:
        n = len(self.ids)
        if n == 0:
            return []
        if self.ann is not None:
            matches = self.ann.search(vec.astype(np.float32), min(k, n))
            return [self.ids[int(key)] for key in matches.keys]
        sims = self.matrix[:n] @ vec
        top = np.argsort(-sims)[:k] if n > k else np.argsort(-sims)
        return [self.ids[i] for i in top]
