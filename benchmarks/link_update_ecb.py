"""An incremental update of 1 % against a rebuild, on ECB+ dev (772 real articles), without encoding noise.

    PYTHONPATH=. python benchmarks/link_update_ecb.py [--cache-dir DIR] [--share 0.01] [--repeat 3]

Analysed articles and sentence vectors come from the ``eval-links`` cache (run
``sourcetrace eval-links ../shared/data/ecbplus/dev --cache-dir DIR`` once to fill it),
so both sides only group. The articles are stored, the first 99 % (fixed
shuffled order) linked at once, then the last 1 % with ``link.update`` (what
``sourcetrace ingest`` runs), then everything again with ``link.rebuild``.
Each repeat uses a fresh store. Printed: seconds of each and update / rebuild.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")


def run_once(data: Path, cache: Path, share: float, tmp: Path) -> tuple[float, float, float]:
    from sqlalchemy import select

    import sourcetrace.eval.links as ecb
    from sourcetrace import link
    from sourcetrace.store import Store
    from sourcetrace.store.schema import articles

    db = tmp / f"ecb-{time.monotonic_ns()}.db"
    kept = {}
    real = ecb.link_update
    ecb.link_update = lambda store, *a, encoder=None, **k: kept.setdefault("encoder", encoder)  # store only
    try:
        ecb.predict(data, cache_dir=cache, store_path=db)
    finally:
        ecb.link_update = real
    store = Store.open(str(db))
    try:
        with store.engine.connect() as conn:
            order = sorted(conn.execute(select(articles.c.id)).scalars())
        random.Random(0).shuffle(order)
        head = len(order) - max(1, round(share * len(order)))
        link.update(store, order[:head], encoder=kept["encoder"])
        t = time.perf_counter()
        report = link.update(store, order[head:], encoder=kept["encoder"])
        update_s = time.perf_counter() - t
        t = time.perf_counter()
        link.rebuild(store, encoder=kept["encoder"])
        rebuild_s = time.perf_counter() - t
    finally:
        store.close()
    return update_s, report.encode_seconds, rebuild_s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=SHARED / "data" / "ecbplus" / "dev")
    ap.add_argument("--cache-dir", type=Path, default=None, help="the eval-links cache (default: its default)")
    ap.add_argument("--share", type=float, default=0.01)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if args.cache_dir is None:
        from platformdirs import user_cache_path

        args.cache_dir = user_cache_path("sourcetrace", appauthor=False) / "ecb"
    if not (args.data / "docs.json").is_file():
        sys.exit(f"No ECB+ split at {args.data}.")
    with tempfile.TemporaryDirectory(prefix="link-update-ecb-") as tmp:
        for _ in range(args.repeat):
            update_s, prepare_s, rebuild_s = run_once(args.data, args.cache_dir, args.share, Path(tmp))
            print(f"update {100 * args.share:g} %: {update_s:.2f}s (of which reading cached vectors {prepare_s:.2f}s) | "
                  f"rebuild {rebuild_s:.2f}s | update / rebuild {100 * update_s / rebuild_s:.1f} %, "
                  f"grouping / rebuild {100 * (update_s - prepare_s) / rebuild_s:.1f} %", flush=True)


if __name__ == "__main__":
    main()
