"""Per-thread CRF taggers against one lock around them: words/s of the full pipeline with 2 threads (issue #11).

    PYTHONPATH=. .venv/bin/python benchmarks/taggers_threads.py --texts 30

The shipped code opens one pycrfsuite Tagger per thread (nlp/learned.py: ThreadTaggers). "lock" emulates
the alternative: one shared pair of taggers and one lock around the CRF extractor's whole call. Both runs
check that the threads' answers equal the sequential ones.
"""

from __future__ import annotations

import argparse
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sourcetrace import ingest
from sourcetrace.analyze import annotate
from sourcetrace.nlp import learned

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"


def use_one_lock() -> None:
    lock, shared = threading.RLock(), {}
    learned.ThreadTaggers.get = lambda self: shared.setdefault(self.path, learned._open_tagger(self.path))
    call = learned.CRFExtractor.__call__

    def locked(self, doc):
        with lock:
            return call(self, doc)

    learned.CRFExtractor.__call__ = locked


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--texts", type=int, default=30)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--mode", choices=["per-thread", "lock"], nargs="+", default=["per-thread", "lock"])
    args = ap.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt"))[: args.texts]]
    words = sum(len(t.split()) for t in texts)
    run = lambda t: annotate(ingest.from_text(t, language="en")).model_dump_json()  # noqa: E731
    for mode in args.mode:
        if mode == "lock":
            use_one_lock()
        alone = [run(t) for t in texts]
        t0 = time.perf_counter()
        with ThreadPoolExecutor(args.threads) as pool:
            together = list(pool.map(run, texts * 2))
        seconds = time.perf_counter() - t0
        differ = sum(a != b for a, b in zip(together, alone * 2))
        print(f"{mode:<10} {2 * words / seconds:7.0f} words/s with {args.threads} threads; {differ} answers differ")


if __name__ == "__main__":
    main()
