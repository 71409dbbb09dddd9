"""Ranking kept? The top 20 of a fixed set of queries, saved from one store and compared with another.

    PYTHONPATH=. python benchmarks/search_ranking.py --db STORE --out /tmp/after.json
    PYTHONPATH=. python benchmarks/search_ranking.py --db STORE --out /tmp/after.json --compare /tmp/before.json

Run it once on a store with the old code (``PYTHONPATH=<old checkout>``) and
once after the change, on the same rows (ids are compared): it prints, per
query, how many of the 20 best statements both runs share, and the mean.
Only ``SearchQuery`` and ``search`` are used, so any version of the store runs it.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from sourcetrace.store import SearchQuery, Store, search

QUERIES = Path(__file__).with_name("search_queries.txt")


def top_ids(store: Store, queries: list[str], k: int = 20) -> dict[str, list[int]]:
    return {q: [h.id for h in search(store, SearchQuery(q=q, per_page=k)).items] for q in queries}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--queries", type=Path, default=QUERIES)
    ap.add_argument("--out", type=Path, required=True, help="write {query: [top ids]} here")
    ap.add_argument("--compare", type=Path, help="a file an earlier run wrote: print the overlap with it")
    args = ap.parse_args()
    queries = [line.strip() for line in args.queries.read_text(encoding="utf-8").splitlines() if line.strip()]
    with Store.open(args.db) as store:
        now = top_ids(store, queries)
    args.out.write_text(json.dumps(now, indent=1) + "\n")
    if args.compare:
        before = json.loads(args.compare.read_text())
        shared = []
        for q in queries:
            n = len(set(before[q]) & set(now[q]))
            shared.append(n)
            print(f"{n:3d} / {min(len(before[q]), len(now[q])):2d}  {q}")
        print(f"mean shared in the top 20: {statistics.mean(shared):.2f} over {len(queries)} queries")


if __name__ == "__main__":
    main()
