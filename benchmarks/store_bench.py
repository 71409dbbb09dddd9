"""Store benchmark: ingest rate and search latency with ~100k stored attributions, or a million statements.

    PYTHONPATH=. python benchmarks/store_bench.py --db /tmp/bench.db
    PYTHONPATH=. python benchmarks/store_bench.py --db postgresql://postgres@127.0.0.1:PORT/bench
    PYTHONPATH=. python benchmarks/store_bench.py --db /tmp/1m.db --statements 1000000
    PYTHONPATH=. python benchmarks/store_bench.py --db postgresql://.../bench1m --clone-from /tmp/1m.db
    PYTHONPATH=. python benchmarks/store_bench.py --db /tmp/1m.db --search-only     # rerun phase 3

1. ingest: ``--texts`` distinct articles (samples/, ../shared/examples, PolNeAR
   train+dev texts) through the real ingest path (load, analyse, store):
   end-to-end articles/s, with the analysis share reported apart.
2. fill: the analysed articles are stored again under distinct URLs, outlets
   and dates until ``--attributions`` are stored: store-only articles/s.
3. search: ``--queries`` runs of each query shape (full text, source, outlet,
   certainty, date range, combined, deep page), facet counts, and the web
   pages /web/search and /web/sources/{id} (in process, one client):
   p50/p95 latency in ms.

``--statements N`` fills until N statements are stored instead of
``--attributions``. ``--clone-from DB`` fills by copying another filled store's
rows (fast; no write rate measured), so both backends can hold the same data.
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

from sqlalchemy import func, inspect, select, text

from sourcetrace.ingest import from_text
from sourcetrace.model import Certainty
from sourcetrace.store import SearchQuery, Store, search
from sourcetrace.store.db import make_engine
from sourcetrace.ingest.inputs import Item
from sourcetrace.store.runner import ingest
from sourcetrace.store.schema import metadata, statements

try:  # facet counts are new in the store; the benchmark still runs on a store without them
    from sourcetrace.store import facets
except ImportError:
    facets = None

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
    ap.add_argument("--statements", type=int, help="fill until this many statements are stored (instead of --attributions)")
    ap.add_argument("--clone-from", help="fill by copying every row of this filled store (same data on a second backend)")
    ap.add_argument("--queries", type=int, default=100, help="runs per query shape")
    ap.add_argument("--polnear", type=Path, default=SHARED / "data" / "polnear")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--search-only", action="store_true", help="reuse a filled database: run only the search phase")
    ap.add_argument("--no-migrate", action="store_true",
                    help="with --search-only: open the store as it is (older code on a store newer migrations added indexes to)")
    ap.add_argument("--shapes", help="only these query shapes, comma-separated (e.g. 'outlet+dates,text, page 20'): names may hold commas")
    args = ap.parse_args()

    store = Store(make_engine(args.db)) if args.no_migrate and args.search_only else Store.open(args.db)
    if args.search_only:
        results = {"database": store.dialect, "counts": store.counts()}
        search_phase(store, args, results)
        return
    if store.counts()["articles"]:
        sys.exit("The benchmark needs an empty database.")
    if args.clone_from:
        t0 = time.perf_counter()
        clone(Store.open(args.clone_from), store)
        results = {"database": store.dialect, "cloned_from": args.clone_from, "counts": store.counts(),
                   "clone_seconds": round(time.perf_counter() - t0, 1)}
        print(f"cloned {results['counts']} in {results['clone_seconds']}s", flush=True)
        search_phase(store, args, results)
        return
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
    originals = [(i, store.get_article(i)) for i in report.ids]
    originals = [(i, a) for i, a in originals if a is not None]
    counts = store.counts()
    stored_atts, stored_stmts = counts["attributions"], counts["statements"]
    with store.engine.connect() as conn:
        per_article = dict(conn.execute(select(statements.c.article_id, func.count()).group_by(statements.c.article_id)).all())

    def full() -> bool:
        return stored_stmts >= args.statements if args.statements else stored_atts >= args.attributions

    copies, t_store, r = 0, 0.0, 0
    while not full():
        r += 1
        for i, (orig_id, a) in enumerate(originals):
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
            stored_stmts += per_article.get(orig_id, 0)
            if full():
                break
        print(f"  fill round {r}: {stored_atts} attributions, {stored_stmts} statements, {copies / t_store:.1f} art/s", flush=True)
    counts = store.counts()
    results["fill"] = {"articles": copies, "seconds": round(t_store, 1),
                       "articles_per_s": round(copies / t_store, 1) if t_store else None}
    results["counts"] = counts
    print(f"store only: {copies} articles in {t_store:.1f}s = {results['fill']['articles_per_s']} art/s; {counts}", flush=True)

    search_phase(store, args, results)


def clone(src: Store, dst: Store, batch: int = 5000) -> None:
    """Copy every row of a filled store into an empty one, ids kept (COPY on PostgreSQL)."""
    present = set(inspect(src.engine).get_table_names())
    for table in metadata.sorted_tables:
        if table.name not in present:  # a store filled before this table's migration (e.g. stories, claims)
            print(f"  skipped {table.name}: not in the source store", flush=True)
            continue
        names = ", ".join(f'"{c.name}"' for c in table.columns)
        with src.engine.connect() as s, dst.engine.begin() as d:
            rows = s.execution_options(yield_per=batch).execute(select(table))
            if dst.dialect == "postgresql":
                with d.connection.driver_connection.cursor().copy(f"COPY {table.name} ({names}) FROM STDIN") as cp:
                    for row in rows:
                        cp.write_row(tuple(row))
            else:
                for part in rows.partitions():
                    d.execute(table.insert(), [dict(r._mapping) for r in part])
            if dst.dialect == "postgresql" and "id" in table.c:
                d.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), coalesce(max(id), 1)) FROM {table.name}"))
        print(f"  cloned {table.name}", flush=True)
    if dst.dialect == "postgresql":
        with dst.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as d:
            d.execute(text("VACUUM ANALYZE"))


def pick_shapes(spec: str, names: list[str]) -> set[str]:
    """The shapes named in a comma-separated ``spec``; a name may hold commas itself ("text, page 20").

    Names are matched whole, longest first, between commas; anything left over is an error naming the shapes.
    """
    rest, wanted = "," + spec + ",", set()
    for name in sorted(names, key=len, reverse=True):
        if "," + name + "," in rest:
            wanted.add(name)
            rest = rest.replace("," + name + ",", ",", 1)
    if rest.strip(", "):
        sys.exit(f"Unknown shape(s) in --shapes: {rest.strip(', ')!r}. Shapes: {', '.join(repr(n) for n in names)}")
    return wanted


WORDS = ["president", "campaign", "said", "police", "election", "tax", "war", "court", "economy", "health",
         "immigration", "vote", "democrats", "security", "police officers", "trade deal", "foreign policy"]


def search_phase(store: Store, args, results: dict) -> None:
    """3. Search latency, per query shape."""
    top = store.list_entities(per_page=30).items
    top_sources = [e.name for e in top]
    hedged = [Certainty.hedged, Certainty.reported]
    # Each shape draws from its own seeded generator, so adding a shape never changes another's queries.
    shapes = {
        "text": lambda r: SearchQuery(q=r.choice(WORDS)),
        "text+source": lambda r: SearchQuery(q=r.choice(WORDS), source=r.choice(top_sources)),
        "text+filters": lambda r: SearchQuery(q=r.choice(WORDS), anonymous=r.choice([True, False]), certainty=hedged,
                                              date_from=dt.date(2023, 3, 1)),
        "source (all statements)": lambda r: SearchQuery(source=r.choice(top_sources), sort="newest"),
        "outlet+dates": lambda r: SearchQuery(outlet=r.choice(OUTLETS), date_from=dt.date(2023, 6, 1), date_to=dt.date(2023, 9, 30), sort="newest"),
        "anonymous+certainty": lambda r: SearchQuery(anonymous=True, certainty=hedged, sort="newest"),
        "text, page 20": lambda r: SearchQuery(q=r.choice(WORDS), page=20, per_page=20),
    }
    calls = {name: (lambda make=make, r=random.Random(f"7:{name}"): search(store, make(r))) for name, make in shapes.items()}
    if facets is not None:
        r_facets = random.Random("7:facets")
        calls["facets for text"] = lambda: facets(store, SearchQuery(q=r_facets.choice(WORDS)))
    try:
        from fastapi.testclient import TestClient

        from sourcetrace.api.app import create_app

        client = TestClient(create_app(store=store, cache_bytes=0))  # no answer cache: what a page costs to build
        r_web = random.Random("7:web")
        web = {"/web/search?q=": lambda: client.get("/web/search", params={"q": r_web.choice(WORDS)}),
               "/web/sources/{id}": lambda: client.get(f"/web/sources/{r_web.choice(top).id}")}
        for name, call in web.items():
            calls[name] = (lambda call=call: call().raise_for_status())
    except ImportError as e:  # the web page needs the api extras
        print(f"  web pages skipped: {e}", flush=True)
    if args.shapes:
        wanted = pick_shapes(args.shapes, list(calls))
        calls = {name: call for name, call in calls.items() if name in wanted}
    results["search_ms"] = {}
    for name, call in calls.items():
        call()  # warm: first-use costs (template compilation, statement caches) are not what a user waits for
        times = []
        for _ in range(args.queries):
            t0 = time.perf_counter()
            call()
            times.append((time.perf_counter() - t0) * 1000)
        results["search_ms"][name] = {"p50": round(statistics.median(times), 1), "p95": round(pct(times, 95), 1)}
        print(f"search {name:26s} p50 {results['search_ms'][name]['p50']:7.1f} ms   p95 {results['search_ms'][name]['p95']:7.1f} ms", flush=True)
    store.close()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
