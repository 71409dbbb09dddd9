"""Trace benchmark: provenance of every claim over 10k, 30k and 100k stored statements.

    PYTHONPATH=. python benchmarks/trace_bench.py --dir /tmp/trace-bench
    PYTHONPATH=. python benchmarks/trace_bench.py --dir /tmp/trace-bench --pg postgresql://postgres@127.0.0.1:PORT/postgres

What it measures is ``sourcetrace trace --json`` over the whole corpus (reading
stories, claims, chains, denials, figures and cached vectors, and computing the
provenance of every claim), not analysis or linking. The corpus: the story
samples (samples/stories, 17 articles) are analysed and linked once by the real
pipeline; that store is then copied row by row (articles, attributions,
statements, quantities, stories, claims, cached vectors) under new ids, URLs
and outlet names ("The Ledger 12") until it holds the wanted number of
statements. Each size runs in a fresh process, so the peak memory (ru_maxrss)
is that run's alone. Prints wall time, peak memory, and the growth factor of
time between sizes (linear: the same factor as the statements).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, func, insert, make_url, select, text

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("articles", "attributions", "statements", "quantities", "stories", "story_articles", "claims", "claim_statements",
          "link_statements")


def seed(db: str) -> None:
    from sourcetrace import link
    from sourcetrace.analyze import annotate_many
    from sourcetrace.ingest.batch import item_to_article
    from sourcetrace.store import Store

    store = Store.open(db)
    rows = [json.loads(line) for f in sorted((ROOT / "samples" / "stories").glob("*.jsonl"))
            for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    for article in annotate_many([item_to_article(r) for r in rows]):
        store.save(article)
    link.update(store)
    store.close()


def fill(seed_db: str, db: str, statements_wanted: int) -> int:
    """Copy the seed store into ``db`` until it holds ``statements_wanted`` statements; returns how many it holds."""
    from sourcetrace.store import Store
    from sourcetrace.store import schema as s

    Store.open(db).close()  # migrate
    src, dst = Store.open(seed_db), create_engine(Store.open(db).engine.url)
    with src.engine.connect() as c:
        data = {t: [dict(r) for r in c.execute(select(s.metadata.tables[t])).mappings()] for t in COPIED}
        entities = [dict(r) for r in c.execute(select(s.entities)).mappings()]
    per_copy = len(data["statements"])
    copies = -(-statements_wanted // per_copy)
    step = {t: max((r.get("id") or 0) for r in data[t]) if data[t] and "id" in data[t][0] else 0 for t in COPIED}
    with dst.begin() as conn:
        conn.execute(insert(s.entities), entities)
        for k in range(copies):
            conn.execute(insert(s.articles), [{**r, "id": r["id"] + k * step["articles"], "key": f"{r['key']}#{k}",
                                               "url": f"{r['url']}#{k}" if r["url"] else None,
                                               "outlet": f"{r['outlet']} {k}" if r["outlet"] else None} for r in data["articles"]])
            shift = lambda r, **cols: {**r, **{c: (r[c] + k * step[t]) if r[c] is not None else None for c, t in cols.items()}}
            conn.execute(insert(s.attributions), [{**shift(r, id="attributions", article_id="articles"), "source_row_id": None}
                                                  for r in data["attributions"]])
            conn.execute(insert(s.statements), [shift(r, id="statements", article_id="articles", attribution_id="attributions")
                                                for r in data["statements"]])
            conn.execute(insert(s.quantities), [shift(r, id="quantities", article_id="articles", attribution_id="attributions")
                                                for r in data["quantities"]])
            conn.execute(insert(s.stories), [{**r, "id": f"{r['id']}-{k}"} for r in data["stories"]])
            conn.execute(insert(s.story_articles), [{**shift(r, article_id="articles"), "story_id": f"{r['story_id']}-{k}"}
                                                    for r in data["story_articles"]])
            conn.execute(insert(s.claims), [{**r, "id": f"{r['id']}-{k}", "story_id": f"{r['story_id']}-{k}" if r["story_id"] else None}
                                            for r in data["claims"]])
            conn.execute(insert(s.claim_statements), [{**shift(r, statement_id="statements", article_id="articles"),
                                                       "claim_id": f"{r['claim_id']}-{k}"} for r in data["claim_statements"]])
            conn.execute(insert(s.link_statements), [shift(r, statement_id="statements", article_id="articles")
                                                     for r in data["link_statements"]])
        if conn.dialect.name == "postgresql":  # keep the sequences past the copied ids
            for t in ("articles", "attributions", "statements", "quantities"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"))
        n = conn.execute(select(func.count()).select_from(s.statements)).scalar_one()
    src.close()
    dst.dispose()
    return n


def run_trace(db: str) -> dict:
    """One whole-corpus trace in this process: seconds, peak RSS, claims."""
    from sourcetrace.link.provenance import trace
    from sourcetrace.store import Store

    store = Store.open(db)
    t0 = time.perf_counter()
    result = trace(store)
    out = result.model_dump_json()
    seconds = time.perf_counter() - t0
    store.close()
    return {"seconds": round(seconds, 2), "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "claims": len(result.claims), "stories": len(result.stories), "json_mib": round(len(out) / 2**20, 1)}


def databases(args, size: int) -> list[tuple[str, str]]:
    out = [("sqlite", str(Path(args.dir) / f"trace-{size}.db"))]
    if args.pg:
        admin = make_url(args.pg).set(drivername="postgresql+psycopg")
        name = f"st_trace_{size}_{uuid.uuid4().hex[:6]}"
        with create_engine(admin, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        out.append(("postgresql", admin.set(database=name).render_as_string(hide_password=False).replace("+psycopg", "")))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", required=True, help="A folder for the SQLite files (created).")
    ap.add_argument("--pg", help="A PostgreSQL admin URL: also run on a fresh database there (dropped afterwards).")
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000], help="Statements to store per run.")
    ap.add_argument("--one", nargs=1, help=argparse.SUPPRESS)  # internal: trace one db in this process
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_trace(args.one[0])))
        return
    Path(args.dir).mkdir(parents=True, exist_ok=True)
    seed_db = str(Path(args.dir) / "seed.db")
    if not Path(seed_db).exists():
        seed(seed_db)
    results = []
    for size in args.sizes:
        for backend, db in databases(args, size):
            if backend == "sqlite" and Path(db).exists():
                Path(db).unlink()
            n = fill(seed_db, db, size)
            proc = subprocess.run([sys.executable, __file__, "--dir", args.dir, "--one", db], capture_output=True, text=True, check=True)
            row = {"backend": backend, "statements": n, **json.loads(proc.stdout.strip().splitlines()[-1])}
            results.append(row)
            print(json.dumps(row), flush=True)
            if backend == "postgresql":
                admin = make_url(args.pg).set(drivername="postgresql+psycopg")
                with create_engine(admin, isolation_level="AUTOCOMMIT").connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(db).database}" WITH (FORCE)'))
    for backend in ("sqlite", "postgresql"):
        rows = [r for r in results if r["backend"] == backend]
        for a, b in zip(rows, rows[1:]):
            print(f"{backend}: {a['statements']} -> {b['statements']} statements (x{b['statements'] / a['statements']:.1f}): "
                  f"time x{b['seconds'] / a['seconds']:.2f}, peak memory x{b['peak_mib'] / a['peak_mib']:.2f}")


if __name__ == "__main__":
    main()
