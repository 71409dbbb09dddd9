"""Candidate search: exact numpy against usearch HNSW, on real sentence vectors.

    PYTHONPATH=. python benchmarks/ann_bench.py --vectors ~/.cache/sourcetrace/ecb/vectors.npz

``--vectors``: the vector cache ``sourcetrace eval-links`` writes (ECB+ dev statements, 384-d).
Larger sets are made by adding small noise to copies (so neighbours stay meaningful). For each size:
index build seconds, seconds to find the 30 nearest of every vector (what ``rebuild`` asks) and of 1 %
of them (what an incremental update asks), and usearch's recall@30 against the exact answer.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from sourcetrace.link.candidates import VectorIndex


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vectors", required=True)
    ap.add_argument("--sizes", type=int, nargs="+", default=[5_000, 20_000, 100_000])
    ap.add_argument("--k", type=int, default=30)
    args = ap.parse_args()
    base = np.load(args.vectors)["vectors"].astype(np.float32)
    rng = np.random.default_rng(0)
    for n in args.sizes:
        reps = -(-n // len(base))
        x = np.concatenate([base + (rng.normal(0, 0.02, base.shape).astype(np.float32) if r else 0) for r in range(reps)])[:n]
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        keys = list(range(n))
        few = x[rng.choice(n, max(1, n // 100), replace=False)]
        row = [f"n={n:>6}"]
        answers = {}
        for name, ann_from in (("numpy", n + 1), ("usearch", 0)):
            t = time.perf_counter()
            index = VectorIndex(keys, x, ann_from=ann_from)
            build = time.perf_counter() - t
            t = time.perf_counter()
            answers[name] = index.nearest(few, args.k)
            q1 = time.perf_counter() - t
            t = time.perf_counter()
            index.nearest(x[: min(n, 20_000)], args.k)
            qall = (time.perf_counter() - t) * n / min(n, 20_000)
            row.append(f"{name}: build {build:.2f}s, 1% queries {q1:.2f}s, all queries {qall:.1f}s")
        recall = np.mean([len(set(a) & set(b)) / len(b) for a, b in zip(answers["usearch"], answers["numpy"])])
        print(" | ".join(row) + f" | usearch recall@{args.k} {recall:.3f}", flush=True)


if __name__ == "__main__":
    main()
