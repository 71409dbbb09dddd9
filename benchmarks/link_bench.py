"""Linking benchmark: stories and claims over 10k / 30k / 100k stored statements, SQLite and PostgreSQL.

    PYTHONPATH=. python benchmarks/link_bench.py                       # 10k and 30k on SQLite
    PYTHONPATH=. python benchmarks/link_bench.py --sizes 10000 30000 100000 --pg postgresql://postgres@127.0.0.1:PORT/postgres

Corpus (synthesised, nothing copied into the repo): the texts of ECB+ dev
(772 articles, 35 topics) and PolNeAR train+dev (924 articles), split into
sentences. Each text is stored as 1 to 4 "outlet versions" (different outlet
and URL, dates a few days apart, each keeping a random 80 % of the sentences),
so stories have several carriers and claims repeat across outlets, as in a
news corpus; versions are added until the store holds the target number of
statements. The statements are the sentences, stored as the outlet's own voice
(the attribution analysis is not run: linking reads only the stored statements,
so its cost does not depend on it). The same seed gives the same corpus.

Per size and database, in a fresh process (so peak memory is per run):
  link      ``link.update`` on the whole store: encode every statement, stories, claims (the full cost);
  rebuild   ``link.rebuild``: stories and claims again, the cached vectors kept;
  update1%  1 % more articles stored afterwards (``Store.save``, as ``sourcetrace ingest`` does) and linked
            with ``link.update`` (what ingest runs after storing): encoding their statements, then
            placing them in stories and claims ("grouping").
Printed: wall seconds, peak RSS (MiB), the growth factor of each against the
previous size (statements grow by 3x and 3.3x: linear means the same factor),
and update1% as a share of link and of rebuild, whole and its grouping part
(rebuild reuses the cached vectors, so it encodes nothing: the encoding of the
new statements is compared with link, which encodes everything).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")
OUTLETS = [f"Outlet {c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
SENTENCE = re.compile(r"[^\n.!?]+(?:[.!?]+[\"']?|\n|$)")


def base_texts() -> list[str]:
    files = sorted((SHARED / "data" / "ecbplus" / "dev" / "docs").glob("*.txt"))
    for split in ("train", "dev"):
        files += sorted((SHARED / "data" / "polnear" / split / "text").glob("*.txt"))
    if not files:
        sys.exit(f"No ECB+ or PolNeAR texts under {SHARED / 'data'}.")
    return [f.read_text(encoding="utf-8", errors="replace") for f in files]


def sentences(text: str) -> list[str]:
    return [m.group(0).strip() for m in SENTENCE.finditer(text) if len(m.group(0).split()) >= 3]


def article(sents: list[str], outlet: str, url: str, published: dt.date):
    from sourcetrace.model import Article, Certainty, Span, Statement

    text, statements = "", []
    for i, s in enumerate(sents):
        start = len(text)
        text += s
        statements.append(Statement(id=f"t{i}", span=Span.of(text, start, len(text)), certainty=Certainty.asserted))
        text += " "
    return Article(text=text.strip(), outlet=outlet, url=url, published=published, statements=statements, language="en")


def corpus(target: int, seed: int = 7):
    """Articles until ``target`` statements: (article, n_statements), in a fixed shuffled order."""
    rng = random.Random(seed)
    bases = [s for s in (sentences(t) for t in base_texts()) if len(s) >= 3]
    out, total, round_ = [], 0, 0
    while total < target:
        for b, sents in enumerate(bases):
            for v in range(rng.randint(1, 4)):
                kept = [s for s in sents if rng.random() < 0.8] or sents[:1]
                day = dt.date(2024, 1, 1) + dt.timedelta(days=(b % 300) + v + 3 * round_)
                a = article(kept, OUTLETS[(b + v) % len(OUTLETS)], f"https://bench.example/{round_}/{b}/{v}", day)
                out.append((a, len(kept)))
                total += len(kept)
                if total >= target:
                    break
            if total >= target:
                break
        round_ += 1
    rng.shuffle(out)
    return out


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(size: int, db: str) -> dict:
    from sourcetrace import link
    from sourcetrace.store import Store

    items = corpus(size)
    n_late = max(1, len(items) // 100)
    early, late = items[:-n_late], items[-n_late:]
    store = Store.open(db)
    for a, _ in early:
        store.save(a)
    res = {"size": size, "db": store.dialect, "articles": len(items), "statements": sum(n for _, n in items)}
    t = time.perf_counter()
    r = link.update(store)
    res["link_s"] = time.perf_counter() - t
    res["stories"], res["claims"] = r.stories_created, r.claims_created
    t = time.perf_counter()
    link.rebuild(store)
    res["rebuild_s"] = time.perf_counter() - t
    for a, _ in late:
        store.save(a)
    t = time.perf_counter()
    r = link.update(store)
    res["update1_s"] = time.perf_counter() - t
    res["update1_articles"], res["update1_statements"] = r.articles, r.encoded
    res["update1_encode_s"] = r.encode_seconds  # encoding the new statements (the model is loaded already)
    res["update1_group_s"] = res["update1_s"] - r.encode_seconds  # placing them in stories and claims
    res["peak_mib"] = peak_mib()
    store.close()
    return res


def fresh_db(kind: str, pg: str | None, tmp: Path, size: int) -> tuple[str, callable]:
    if kind == "sqlite":
        path = tmp / f"link-{size}.db"
        return str(path), lambda: path.unlink(missing_ok=True)
    from sqlalchemy import create_engine, make_url, text

    admin = make_url(pg).set(drivername="postgresql+psycopg")
    name = f"st_linkbench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return admin.set(database=name).render_as_string(hide_password=False).replace("+psycopg", ""), drop


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000])
    ap.add_argument("--pg", help="a PostgreSQL admin URL: also run on PostgreSQL (a fresh database per size)")
    ap.add_argument("--no-sqlite", action="store_true", help="with --pg: run on PostgreSQL only")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--one", nargs=2, metavar=("SIZE", "DB"), help=argparse.SUPPRESS)  # child process
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(int(args.one[0]), args.one[1])))
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="link-bench-") as tmp:
        for kind in ([] if args.no_sqlite and args.pg else ["sqlite"]) + (["postgresql"] if args.pg else []):
            for size in args.sizes:
                db, cleanup = fresh_db(kind, args.pg, Path(tmp), size)
                try:
                    out = subprocess.run([sys.executable, __file__, "--one", str(size), db], check=True,
                                         capture_output=True, text=True).stdout
                finally:
                    cleanup()
                res = json.loads(out.strip().splitlines()[-1])
                results.append(res)
                print(line(res, results), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


def line(res: dict, previous: list[dict]) -> str:
    prev = [r for r in previous[:-1] if r["db"] == res["db"]]
    growth = ""
    if prev:
        p = prev[-1]
        growth = (f"  growth x{res['statements'] / p['statements']:.1f} statements: link x{res['link_s'] / p['link_s']:.2f}, "
                  f"rebuild x{res['rebuild_s'] / p['rebuild_s']:.2f}")
    return (f"{res['db']:<10} {res['statements']:>7} statements {res['articles']:>5} articles | link {res['link_s']:7.1f}s "
            f"rebuild {res['rebuild_s']:6.1f}s update1% {res['update1_s']:5.1f}s "
            f"({100 * res['update1_s'] / res['link_s']:.1f}% of link, {100 * res['update1_s'] / res['rebuild_s']:.1f}% of rebuild; "
            f"encoding {res['update1_encode_s']:.1f}s, grouping {res['update1_group_s']:.2f}s = "
            f"{100 * res['update1_group_s'] / res['rebuild_s']:.1f}% of rebuild) "
            f"| peak {res['peak_mib']:.0f} MiB | {res['stories']} stories {res['claims']} claims{growth}")


if __name__ == "__main__":
    main()
