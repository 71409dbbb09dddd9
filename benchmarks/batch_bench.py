"""Batch benchmark: articles/s on Dask with 1 and 2 workers, against analysis in one process; WARC streaming memory.

    .venv/bin/python benchmarks/batch_bench.py                       # scaling, default extractor, 120 articles
    .venv/bin/python benchmarks/batch_bench.py --texts 40 -e rules   # a quick check that it works
    .venv/bin/python benchmarks/batch_bench.py --warc-gb 1.0 --skip-scaling   # 1 GB WARC.gz streaming check
    .venv/bin/python benchmarks/batch_bench.py --warc-gb 1.0 --skip-scaling --warc-file /tmp/big.warc.gz --keep

Scaling: the same ``--texts`` PolNeAR texts (train + dev, read from ../shared at
run time, copied to a temporary folder as .txt files) go through

1. one process: ``ingest.load`` + ``annotate_many`` (what ``sourcetrace analyze``
   and ``ingest`` run), after one warm-up article;
2. ``run_batch`` on a local cluster of 1 worker, then of 2 workers (one thread
   each), after every worker has loaded the models and analysed one article.

It prints articles/s of each, 2 workers / 1 worker, 1 worker / one process,
and the peak RSS of each worker process (VmHWM). Then it stores the 2-worker dataset into
empty stores (SQLite, and PostgreSQL with --pg-admin) twice: with ``load`` (one transaction per
partition, COPY on PostgreSQL) and with ``Store.save`` one article at a time; articles/s of each.

WARC: writes a synthetic WARC.gz of ``--warc-gb`` GB (invented HTML pages and
images, one gzip member per record) under --tmp, then, in a child process,
reads it through the batch's reader and partitioner (every record parsed, every
partition built and dropped, as the driver does) and prints the child's peak
RSS, its resident memory after each tenth of the file, and MB/s; then analyses the first ``--warc-sample`` HTML records with
``run_batch`` on one worker. The file is deleted afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")


def corpus(folder: Path, n: int) -> list[Path]:
    files = []
    for split in ("dev", "train"):
        files += sorted((SHARED / "data" / "polnear" / split / "text").glob("*.txt"))
    if len(files) < n:
        sys.exit(f"only {len(files)} PolNeAR texts under {SHARED}; ask for fewer --texts")
    folder.mkdir(parents=True, exist_ok=True)
    for f in files[:n]:
        shutil.copy(f, folder / f.name)
    return sorted(folder.glob("*.txt"))


def in_process(paths: list[Path], extractor: str) -> dict:
    from sourcetrace import analyze, annotate_many, ingest

    analyze("The mayor said the bridge would reopen in June.", extractor=extractor)  # load and warm the models
    t0, c0 = time.perf_counter(), time.process_time()
    articles = [ingest.load(p, force=True) for p in paths]
    done = sum(1 for _ in annotate_many(articles, extractor=extractor))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"articles": done, "seconds": round(seconds, 2), "articles_per_s": round(done / seconds, 2),
            "cpu_seconds": round(cpu, 2), "articles_per_cpu_s": round(done / cpu, 3), "peak_rss_mib": round(_peak_rss_mib())}


def _warm(extractor: str) -> int:
    from sourcetrace import analyze

    analyze("The mayor said the bridge would reopen in June.", extractor=extractor)
    return os.getpid()


def _peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent that spawned it)."""
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024


def on_cluster(inputs: list[Path], out: Path, workers: int, extractor: str, partition_size: int, dashboard: str) -> dict:
    from sourcetrace.batch.cluster import connect
    from sourcetrace.batch.runner import run_batch
    from sourcetrace.batch.work import Options

    with connect(workers=workers, dashboard=dashboard) as client:
        client.run(_warm, extractor)
        cpu0 = client.run(time.process_time)
        t0 = time.perf_counter()
        report = run_batch(inputs, out, client=client, options=Options(extractor=extractor, force=True),
                           partition_size=partition_size)
        seconds = time.perf_counter() - t0
        cpu = sum(c - cpu0[w] for w, c in client.run(time.process_time).items())
        rss = sorted(client.run(_peak_rss_mib).values())
    return {"workers": workers, "articles": report.analysed, "failed": report.failed, "seconds": round(seconds, 2),
            "articles_per_s": round(report.analysed / seconds, 2), "worker_cpu_seconds": round(cpu, 2),
            "articles_per_worker_cpu_s": round(report.analysed / cpu, 3), "worker_peak_rss_mib": [round(r) for r in rss]}


# -- store loading ---------------------------------------------------------------------------

def load_rates(dataset: Path, sqlite_dir: Path, pg_admin: str | None) -> dict:
    """Articles/s storing the dataset with ``load`` (COPY on PostgreSQL) and with ``Store.save`` one by one, into empty stores."""
    import uuid

    import pyarrow.parquet as pq
    from sqlalchemy import create_engine, make_url, text

    from sourcetrace.model import Article
    from sourcetrace.store import Store
    from sourcetrace.batch.dataset import load_dataset

    rows = pq.ParquetDataset(dataset / "articles").read(columns=["where", "article_json"]).to_pylist()
    articles = [(r["where"], Article.model_validate_json(r["article_json"])) for r in rows]
    targets = {"sqlite": lambda tag: str(sqlite_dir / f"load-{tag}.db")}
    admin = None
    if pg_admin:
        admin = create_engine(make_url(pg_admin).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
        created = []

        def pg(tag: str) -> str:
            name = f"batch_bench_{tag}_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            created.append(name)
            return make_url(pg_admin).set(database=name).render_as_string(hide_password=False)

        targets["postgresql"] = pg
    out = {}
    try:
        for kind, make in targets.items():
            with Store.open(make("load")) as store:
                t0 = time.perf_counter()
                report = load_dataset(store, dataset)
                bulk = time.perf_counter() - t0
            with Store.open(make("save")) as store:
                t0 = time.perf_counter()
                for where, article in articles:
                    store.save(article, origin=where)
                one_by_one = time.perf_counter() - t0
            out[kind] = {"articles": report.stored, "load_articles_per_s": round(report.stored / bulk, 1),
                         "save_articles_per_s": round(len(articles) / one_by_one, 1)}
            print(f"store {kind}: load {out[kind]['load_articles_per_s']} art/s, "
                  f"Store.save one by one {out[kind]['save_articles_per_s']} art/s ({report.stored} articles)", flush=True)
    finally:
        if admin is not None:
            with admin.connect() as conn:
                for name in created:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    return out


# -- WARC --------------------------------------------------------------------------------------

WORDS = ("council mayor said bridge reopen june officials told reporters residents ferry repairs million budget "
         "minister according statement spokesperson week river road school hospital police court election vote "
         "report figures percent increase decline market company workers union strike talks agreement").split()


def write_big_warc(path: Path, gigabytes: float, seed: int = 7) -> dict:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(seed)
    target = int(gigabytes * 1024**3)
    counts = {"html": 0, "image": 0}
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        n = 0
        while fh.tell() < target:
            n += 1
            if n % 10 == 0:
                body, ctype = b"\x89PNG\r\n\x1a\n" + rng.randbytes(20_000), "image/png"
                counts["image"] += 1
            else:
                paras = "".join(
                    "<p>" + " ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + ", the council said.</p>"
                    for _ in range(12)
                )
                body = f"<html><head><title>Report {n}</title></head><body><article><h1>Report {n}</h1>{paras}</article></body></html>".encode()
                ctype = "text/html; charset=utf-8"
                counts["html"] += 1
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://bench.example/{n}", "response",
                                                          payload=io.BytesIO(body), http_headers=http))
    return counts


def stream_child(path: str, partition_size: int) -> None:
    """Child process: read + partition the whole WARC.gz as the batch driver does; print JSON with the peak RSS."""
    from sourcetrace.batch.partitions import partitions
    from sourcetrace.ingest.warc import WarcStats

    stats = WarcStats()
    size = Path(path).stat().st_size
    t0 = time.perf_counter()
    n_parts = n_items = 0
    rss_by_tenth: list[int] = []  # resident MiB each time another tenth of the file has been read
    for part in partitions([path], partition_size, warc_stats=stats):
        n_parts += 1
        n_items += len(part.items)
        if stats.bytes_read >= size * (len(rss_by_tenth) + 1) / 10:
            rss_by_tenth.append(round(_current_rss_mib()))
    seconds = time.perf_counter() - t0
    print(json.dumps({"partitions": n_parts, "html_records": n_items, "other_records": stats.skipped,
                      "seconds": round(seconds, 1), "peak_rss_mib": round(_peak_rss_mib()), "rss_mib_by_tenth": rss_by_tenth}))


def _current_rss_mib() -> float:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:")) / 1024


def warc_sample(path: Path, n: int, out: Path) -> Path:
    """The first ``n`` HTML records of the big file, rewritten as a small WARC.gz (bytes as they were)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.warcwriter import WARCWriter

    sample = out / "sample.warc.gz"
    kept = 0
    with path.open("rb") as src, sample.open("wb") as dst:
        writer = WARCWriter(dst, gzip=True)
        for record in ArchiveIterator(src):
            if kept >= n:
                break
            if "html" in (record.http_headers.get_header("Content-Type") or ""):
                writer.write_record(record)
                kept += 1
    return sample


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--texts", type=int, default=120)
    ap.add_argument("--extractor", "-e", default="default")
    ap.add_argument("--partition-size", type=int, default=4)
    ap.add_argument("--dashboard", default="127.0.0.1:18390")
    ap.add_argument("--tmp", type=Path, default=Path(tempfile.gettempdir()))
    ap.add_argument("--skip-scaling", action="store_true")
    ap.add_argument("--warc-gb", type=float, default=0.0, help="size of the synthetic WARC.gz (0: no WARC check)")
    ap.add_argument("--warc-sample", type=int, default=40, help="HTML records of it analysed on one worker")
    ap.add_argument("--keep", action="store_true", help="keep the WARC.gz")
    ap.add_argument("--warc-file", type=Path, help="use this WARC.gz (kept) instead of writing one")
    ap.add_argument("--pg-admin", help="a PostgreSQL URL allowed to create databases: also time loading there")
    ap.add_argument("--stream-child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stream_child:
        stream_child(args.stream_child, args.partition_size)
        return
    work = Path(tempfile.mkdtemp(prefix="batch-bench-", dir=args.tmp))
    results: dict = {"cpus": os.cpu_count(), "load_average": os.getloadavg(), "extractor": args.extractor}
    try:
        if not args.skip_scaling:
            paths = corpus(work / "texts", args.texts)
            results["one_process"] = one = in_process(paths, args.extractor)
            print(f"one process: {one['articles_per_s']} art/s, {one['articles_per_cpu_s']} art/CPU s "
                  f"({one['articles']} articles, {one['seconds']} s)", flush=True)
            for n in (1, 2):
                r = on_cluster([work / "texts"], work / f"out-{n}", n, args.extractor, args.partition_size, args.dashboard)
                results[f"workers_{n}"] = r
                print(f"{n} worker(s): {r['articles_per_s']} art/s, {r['articles_per_worker_cpu_s']} art/worker CPU s "
                      f"({r['articles']} articles, {r['seconds']} s); peak RSS per worker {r['worker_peak_rss_mib']} MiB", flush=True)
            w1, w2 = results["workers_1"]["articles_per_s"], results["workers_2"]["articles_per_s"]
            results["speedup_2_vs_1"] = round(w2 / w1, 2)
            results["worker_vs_one_process"] = round(w1 / one["articles_per_s"], 3)
            results["worker_vs_one_process_cpu"] = round(results["workers_1"]["articles_per_worker_cpu_s"] / one["articles_per_cpu_s"], 3)
            print(f"2 workers / 1 worker: {results['speedup_2_vs_1']}x (bar: >= 1.7); "
                  f"1 worker / one process: {results['worker_vs_one_process']} wall, "
                  f"{results['worker_vs_one_process_cpu']} per CPU second (bar: within 10%)", flush=True)
            results["store_load"] = load_rates(work / "out-2", work, args.pg_admin)
        if args.warc_gb:
            big = args.warc_file or args.tmp / f"batch-bench-{args.warc_gb:g}gb.warc.gz"
            if not big.exists():
                t0 = time.perf_counter()
                counts = write_big_warc(big, args.warc_gb)
                print(f"wrote {big} ({big.stat().st_size / 1024**2:.0f} MiB, {counts}) in {time.perf_counter() - t0:.0f} s", flush=True)
            child = subprocess.run([sys.executable, __file__, "--stream-child", str(big), "--partition-size", "64"],
                                   capture_output=True, text=True, check=True)
            stream = json.loads(child.stdout)
            stream["file_mib"] = round(big.stat().st_size / 1024**2)
            stream["mib_per_s"] = round(stream["file_mib"] / stream["seconds"], 1)
            results["warc_stream"] = stream
            print(f"WARC.gz stream (read + partition, whole file): {stream}", flush=True)
            sample = warc_sample(big, args.warc_sample, work)
            r = on_cluster([sample], work / "out-warc", 1, args.extractor, args.partition_size, args.dashboard)
            results["warc_sample"] = r
            print(f"WARC sample ({args.warc_sample} HTML records) on 1 worker: {r}", flush=True)
            results["driver_peak_rss_mib"] = round(_peak_rss_mib())
            if not (args.keep or args.warc_file):
                big.unlink()
        print(json.dumps(results, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
