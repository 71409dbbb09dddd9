"""Store-only write rate: save copies of a filled store's articles into an empty one, articles/s.

    PYTHONPATH=. python benchmarks/store_write.py --from /tmp/1m.db --db /tmp/w.db --articles 400
    PYTHONPATH=<main checkout> python benchmarks/store_write.py --from /tmp/1m.db --db /tmp/w2.db --articles 400

Reads the source's article JSON with the sqlite3 module (any schema revision),
so the same command measures any version of the store code; alternate the two
and compare. The target must be empty (a new file, or a new PostgreSQL db).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import time

from sourcetrace.model import Article
from sourcetrace.store import Store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from", dest="source", required=True, help="a filled SQLite store")
    ap.add_argument("--db", required=True, help="an empty store to write into")
    ap.add_argument("--articles", type=int, default=400)
    args = ap.parse_args()
    with sqlite3.connect(f"file:{args.source}?mode=ro", uri=True) as conn:
        originals = [Article.model_validate_json(r[0]) for r in conn.execute("SELECT article_json FROM articles ORDER BY id LIMIT 200")]
    store = Store.open(args.db)
    seconds = 0.0
    for k in range(args.articles):
        copy = originals[k % len(originals)].model_copy(
            update={"id": None, "url": f"https://write.example/{k}", "published": dt.date(2023, 1, 1) + dt.timedelta(days=k % 700)}
        )
        t0 = time.perf_counter()
        store.save(copy)
        seconds += time.perf_counter() - t0
    store.close()
    print(f"{store.dialect}: {args.articles} articles in {seconds:.1f}s = {args.articles / seconds:.1f} articles/s")


if __name__ == "__main__":
    main()
