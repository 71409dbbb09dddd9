"""Ranking kept? The top 20 of a fixed set of queries, saved from one store and compared with another.

    PYTHONPATH=. python benchmarks/search_ranking.py --db STORE --out /tmp/after.json
    PYTHONPATH=. python benchmarks/search_ranking.py --db STORE --out /tmp/after.json --compare /tmp/before.json

Run it once on a store with the old code (``PYTHONPATH=<old checkout>``) and
once after the change, on the same rows: it prints, per query, how many of the
20 best statements both runs share, by id and by text (a store filled with
copies of the same articles, as store_bench.py's is, holds many statements with
equal text and equal score), and the means.
Only ``SearchQuery`` and ``search`` are used, so any version of the store runs it.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import Counter
from pathlib import Path

from sourcetrace.store import SearchQuery, Store, search
from sourcetrace.store.db import make_engine

QUERIES = Path(__file__).with_name("search_queries.txt")


def top(store: Store, queries: list[str], k: int = 20) -> dict[str, dict]:
    out = {}
    for q in queries:
        page = search(store, SearchQuery(q=q, per_page=k))
        out[q] = {"total": page.total, "ids": [h.id for h in page.items], "texts": [h.text for h in page.items]}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--queries", type=Path, default=QUERIES)
    ap.add_argument("--out", type=Path, required=True, help="write {query: {total, ids, texts}} here")
    ap.add_argument("--compare", type=Path, help="a file an earlier run wrote: print the overlap with it")
    ap.add_argument("--no-migrate", action="store_true",
                    help="read the store as it is (older code on a store that newer migrations added indexes to)")
    args = ap.parse_args()
    queries = [line.strip() for line in args.queries.read_text(encoding="utf-8").splitlines() if line.strip()]
    with (Store(make_engine(args.db)) if args.no_migrate else Store.open(args.db)) as store:
        now = top(store, queries)
    args.out.write_text(json.dumps(now, indent=1) + "\n")
    if args.compare:
        before = json.loads(args.compare.read_text())
        by_id, by_text = [], []
        print(" ids  texts  matches  query")
        for q in queries:
            b, a = before[q], now[q]
            by_id.append(len(set(b["ids"]) & set(a["ids"])))
            by_text.append(sum((Counter(b["texts"]) & Counter(a["texts"])).values()))
            print(f"{by_id[-1]:4d}  {by_text[-1]:5d}  {a['total']:7d}  {q}")
        print(f"mean shared in the top 20 over {len(queries)} queries: {statistics.mean(by_id):.2f} by id, "
              f"{statistics.mean(by_text):.2f} by text")


if __name__ == "__main__":
    main()
