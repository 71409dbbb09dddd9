"""Store benchmark: ingest rate and search latency with ~100k stored attributions.

    PYTHONPATH=. python benchmarks/store_bench.py --db /tmp/bench.db
    PYTHONPATH=. python benchmarks/store_bench.py --db postgresql://postgres@127.0.0.1:PORT/bench

1. ingest: ``--texts`` distinct articles (samples/, ../shared/examples, PolNeAR
   train+dev texts) through the real ingest path (load, analyse, store):
   end-to-end articles/s, with the analysis share reported apart.
2. fill: the analysed articles are stored again under distinct URLs, outlets
   and dates until ``--attributions`` are stored: store-only articles/s.
3. search: ``--queries`` runs of each query shape (full text, source, outlet,
   certainty, date range, combined, deep page): p50/p95 latency in ms.

The database must be empty (a new file, or a freshly created PostgreSQL db).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from pathlib import Path

from sourcetrace.ingest import from_text
from sourcetrace.model import Certainty
from sourcetrace.store import SearchQuery, Store, search
from sourcetrace.store.inputs import Item
from sourcetrace.store.runner import ingest

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")
OUTLETS = ["Daily Planet", "Morning Star", "Harbour News", "The Courier", "Evening Post", "World Desk",
           "The Ledger", "Capital Times", "Northern Echo", "The Observer", "Metro Daily", "Wire Service"]


def texts(polnear: Path, limit: int) -> list[tuple[str, str]]:
    files = sorted(ROOT.joinpath("samples").glob("*.txt")) + sorted((SHARED / "examples").glob("*.txt"))
    for split in ("train", "dev"):
        files += sorted((polnear / split / "text").glob("*.txt"))
    return [(f.name, f.read_text(encoding="utf-8", errors="replace")) for f in files[:limit]]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--texts", type=int, default=200, help="distinct articles analysed in the ingest phase")
    ap.add_argument("--attributions", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=100, help="runs per query shape")
    ap.add_argument("--polnear", type=Path, default=SHARED / "data" / "polnear")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--search-only", action="store_true", help="reuse a filled database: run only the search phase")
    args = ap.parse_args()

    store = Store.open(args.db)
    rng = random.Random(7)
    if args.search_only:
        results = {"database": store.dialect, "counts": store.counts()}
        search_phase(store, args, rng, results)
        return
    if store.counts()["articles"]:
        sys.exit("The benchmark needs an empty database.")
    corpus = texts(args.polnear, args.texts)
    results: dict = {"database": store.dialect, "texts": len(corpus)}

    # 1. Real ingest: load + analyse + store, one transaction per article.
    items = []
    for i, (name, body) in enumerate(corpus):
        meta = {"url": f"https://bench.example/0/{i}", "outlet": OUTLETS[i % len(OUTLETS)],
                "published": dt.date(2024, 1, 1) + dt.timedelta(days=i % 300), "title": name}
        items.append(Item(name, lambda b=body, m=meta: from_text(b, language="en", **m)))
    t0 = time.perf_counter()
    report = ingest(store, items, batch_size=32)
    t_ingest = time.perf_counter() - t0
    results["ingest"] = {"articles": report.stored, "failed": report.failed, "seconds": round(t_ingest, 1),
                         "articles_per_s": round(report.stored / t_ingest, 2)}
    if report.failed:
        print("  failures:", report.errors[:5], flush=True)
    print(f"ingest: {report.stored} articles in {t_ingest:.1f}s = {report.stored / t_ingest:.2f} art/s (failed {report.failed})", flush=True)

    # 2. Fill to the target volume with copies under distinct URLs, outlets and dates.
    originals = [store.get_article(i) for i in report.ids]
    originals = [a for a in originals if a is not None]
    stored_atts = store.counts()["attributions"]
    copies, t_store, r = 0, 0.0, 0
    while stored_atts < args.attributions:
        r += 1
        for i, a in enumerate(originals):
            copy = a.model_copy(update={
                "id": None,
                "url": f"https://bench.example/{r}/{i}",
                "outlet": OUTLETS[(i + r) % len(OUTLETS)],
                "published": dt.date(2023, 1, 1) + dt.timedelta(days=(i * 7 + r * 13) % 700),
            })
            t0 = time.perf_counter()
            store.save(copy)
            t_store += time.perf_counter() - t0
            copies += 1
            stored_atts += len(a.attributions)
            if stored_atts >= args.attributions:
                break
        print(f"  fill round {r}: {stored_atts} attributions, {copies / t_store:.1f} art/s", flush=True)
    counts = store.counts()
    results["fill"] = {"articles": copies, "seconds": round(t_store, 1),
                       "articles_per_s": round(copies / t_store, 1) if t_store else None}
    results["counts"] = counts
    print(f"store only: {copies} articles in {t_store:.1f}s = {results['fill']['articles_per_s']} art/s; {counts}", flush=True)

    search_phase(store, args, rng, results)


def search_phase(store: Store, args, rng: random.Random, results: dict) -> None:
    """3. Search latency, per query shape."""
    words = ["president", "campaign", "said", "police", "election", "tax", "war", "court", "economy", "health",
             "immigration", "vote", "democrats", "security", "police officers", "trade deal", "foreign policy"]
    top_sources = [e.name for e in store.list_entities(per_page=30).items]
    shapes = {
        "text": lambda: SearchQuery(q=rng.choice(words)),
        "text+source": lambda: SearchQuery(q=rng.choice(words), source=rng.choice(top_sources)),
        "source (all statements)": lambda: SearchQuery(source=rng.choice(top_sources), sort="newest"),
        "outlet+dates": lambda: SearchQuery(outlet=rng.choice(OUTLETS), date_from=dt.date(2023, 6, 1), date_to=dt.date(2023, 9, 30), sort="newest"),
        "anonymous+certainty": lambda: SearchQuery(anonymous=True, certainty=[Certainty.hedged, Certainty.reported], sort="newest"),
        "text, page 20": lambda: SearchQuery(q=rng.choice(words), page=20, per_page=20),
    }
    results["search_ms"] = {}
    for name, make in shapes.items():
        times = []
        for _ in range(args.queries):
            q = make()
            t0 = time.perf_counter()
            search(store, q)
            times.append((time.perf_counter() - t0) * 1000)
        results["search_ms"][name] = {"p50": round(statistics.median(times), 1), "p95": round(pct(times, 95), 1)}
        print(f"search {name:26s} p50 {results['search_ms'][name]['p50']:7.1f} ms   p95 {results['search_ms'][name]['p95']:7.1f} ms", flush=True)
    store.close()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
