"""``sourcetrace batch`` on a real Dask cluster (issue 12).

A ``dask scheduler`` and two ``dask worker`` processes run on loopback ports
(18310-18319) for the whole module; the tests run the CLI against them, kill a
worker and the command itself with SIGKILL, and read the output with DuckDB.
The extractor is ``rules`` except in the spot-check against ``analyze``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pyarrow.parquet as pq
import pytest
from batch_support import expected_counts, write_corpus, write_warc
from fixture_files import data_dir

import sourcetrace
from sourcetrace.batch.tables import TABLES
from sourcetrace.model import Article
from sourcetrace.store import Store

BIN = Path(sys.executable).parent
SCHEDULER_PORT = 18310
SCHEDULER = f"tcp://127.0.0.1:{SCHEDULER_PORT}"
PARTITIONS = 9  # write_corpus at --partition-size 2: 9 documents in the folder, 7 lines in the JSONL


def _spawn(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(args, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two single-thread workers (no nanny: a SIGKILL takes the worker down for good)."""
    from distributed import Client

    logs = tmp_path_factory.mktemp("dask-logs")
    procs = [
        _spawn([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(SCHEDULER_PORT),
                "--dashboard-address", "127.0.0.1:18311"], logs / "scheduler.log")
    ]
    workers = {}
    try:
        for n, port in ((1, 18312), (2, 18313)):
            workers[n] = _spawn([str(BIN / "dask"), "worker", SCHEDULER, "--nthreads", "1", "--no-nanny", "--name", f"w{n}",
                                 "--host", "127.0.0.1", "--worker-port", str(port), "--no-dashboard"], logs / f"w{n}.log")
            procs.append(workers[n])
        with Client(SCHEDULER, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield workers
    finally:
        for proc in reversed(procs):
            _stop(proc)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus"))


def _batch(inputs, out, *extra) -> list[str]:
    return [str(BIN / "sourcetrace"), "batch", *map(str, inputs), "--out", str(out), "-q", *extra]


def _run(args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kw)


def _rows(out: Path) -> dict[str, list[dict]]:
    """Every table's rows, in a canonical order."""
    tables = {}
    for table in TABLES:
        rows = pq.ParquetDataset(out / table).read().to_pylist()
        tables[table] = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))
    return tables


@pytest.fixture(scope="module")
def uninterrupted(cluster, corpus, tmp_path_factory):
    """One whole run on the two workers: the reference the other runs must equal."""
    out = tmp_path_factory.mktemp("run") / "out"
    result = _run(_batch(corpus, out, "--scheduler", SCHEDULER, "-e", "rules", "--partition-size", "2"))
    return out, result


def test_batch_on_dask_cluster_writes_every_table(uninterrupted, corpus):
    out, result = uninterrupted
    analysed, failed = expected_counts()
    assert result.returncode == 1, result.stderr  # some documents failed: exit status says so
    assert result.stdout.strip().splitlines()[-1] == f"analysed {analysed}, skipped 0 (already done), failed {failed}"
    rows = _rows(out)
    assert len(rows["articles"]) == analysed and len({r["key"] for r in rows["articles"]}) == analysed
    assert {r["where"].rsplit("/", 1)[-1] for r in rows["failures"]} == {"empty.txt", "german.txt", "photo.txt", "more.jsonl.gz:3"}
    assert rows["attributions"] and {r["key"] for r in rows["attributions"]} <= {r["key"] for r in rows["articles"]}
    assert all(r["key"] for t in TABLES if t != "failures" for r in rows[t])
    # a rerun does nothing and says so
    again = _run(_batch(corpus, out, "--scheduler", SCHEDULER, "-e", "rules", "--partition-size", "2"))
    assert again.stdout.strip().splitlines()[-1] == f"analysed 0, skipped {analysed + failed} (already done), failed 0"
    assert again.returncode == 0


def test_duckdb_reads_the_dataset(uninterrupted):
    out, _ = uninterrupted
    con = duckdb.connect()
    per_article = con.sql(
        f"""select a.key, a.n_attributions, count(t.attribution_id) as n
            from read_parquet('{out}/articles/*.parquet') a
            left join read_parquet('{out}/attributions/*.parquet') t using (key)
            group by a.key, a.n_attributions"""
    ).fetchall()
    assert len(per_article) == expected_counts()[0]
    assert all(n_attributions == n > 0 for _, n_attributions, n in per_article)
    sources = con.sql(f"select count(*) from read_parquet('{out}/sources/*.parquet') where name = 'Ann Lee'").fetchall()[0][0]
    assert sources >= 1


def test_killed_command_then_rerun_equals_uninterrupted_run(uninterrupted, corpus, tmp_path):
    """SIGKILL the whole command (on a local cluster) mid-run: no worker outlives it, and a rerun completes the dataset."""
    reference, _ = uninterrupted
    out = tmp_path / "out"
    proc = subprocess.Popen(_batch(corpus, out, "--workers", "1", "-e", "rules", "--partition-size", "2",
                                   "--dashboard", "127.0.0.1:18314"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: len(list((out / "articles").glob("*.parquet"))) >= 1, proc)
        children = psutil.Process(proc.pid).children(recursive=True)
        written = len(list((out / "articles").glob("*.parquet")))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert children, "the local cluster's worker process should have been a child of the command"
    _, alive = psutil.wait_procs(children, timeout=30)
    assert not alive, f"orphan processes left after SIGKILL: {[p.pid for p in alive]}"
    assert written < PARTITIONS, "the command was killed after the run had finished: nothing was interrupted"
    rerun = _run(_batch(corpus, out, "--scheduler", SCHEDULER, "-e", "rules", "--partition-size", "2"))
    last = rerun.stdout.strip().splitlines()[-1]
    assert "skipped 0 " not in last, last
    assert _rows(out) == _rows(reference)


def test_batch_equals_analyze_with_the_default_extractor(cluster, tmp_path):
    """Spot check: the same article through batch (on the cluster) and through analyze gives the same attributions."""
    folder = tmp_path / "one"
    folder.mkdir()
    src = data_dir() / "atacms-kursk-2024-11-24.txt"
    (folder / src.name).write_bytes(src.read_bytes())
    result = _run(_batch([folder], tmp_path / "out", "--scheduler", SCHEDULER))
    assert result.returncode == 0, result.stderr
    row = pq.read_table(next((tmp_path / "out" / "articles").glob("*.parquet"))).to_pylist()[0]
    batched = Article.model_validate_json(row["article_json"])
    direct = sourcetrace.analyze(src.read_text(encoding="utf-8"), id=src.stem)
    assert len(direct.attributions) > 10
    assert [a.model_dump() for a in batched.attributions] == [a.model_dump() for a in direct.attributions]
    assert batched == direct


def test_warc_batch_counts(cluster, tmp_path):
    path = tmp_path / "crawl.warc.gz"
    built = write_warc(path)
    db = tmp_path / "store.db"
    result = _run(_batch([path], tmp_path / "out", "--scheduler", SCHEDULER, "-e", "rules", "--partition-size", "3", "--db", db))
    failed = built["broken"] + built["bad_page"]
    assert result.stdout.strip().splitlines()[-1] == f"analysed {built['html']}, skipped 0 (already done), failed {failed}"
    assert f"ignored {built['other'] + 1} WARC records" in result.stderr
    rows = _rows(tmp_path / "out")
    assert sorted(r["url"] for r in rows["articles"]) == [f"https://news.example.org/story-{n}" for n in range(5)]
    assert sum("malformed WARC record" in r["error"] for r in rows["failures"]) == built["broken"]
    with Store.open(db) as store:  # --db: loaded by the one writer as the partitions came in
        assert store.counts()["articles"] == built["html"] and store.counts()["failures"] == failed
    assert f"linked {built['html']} articles" in result.stderr  # and linked at the end


def test_killed_worker_loses_and_doubles_nothing(cluster, corpus, tmp_path):
    """SIGKILL one of the two workers mid-run: Dask reruns its tasks on the other; every article is there once."""
    out = tmp_path / "out"
    proc = subprocess.Popen(_batch(corpus, out, "--scheduler", SCHEDULER, "-e", "rules", "--partition-size", "1"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: len(list((out / "articles").glob("*.parquet"))) >= 1, proc)
        written = len(list((out / "articles").glob("*.parquet")))
        cluster[2].send_signal(signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    analysed, failed = expected_counts()
    assert written < analysed + failed, "the worker was killed after the run had finished"
    assert stdout.strip().splitlines()[-1] == f"analysed {analysed}, skipped 0 (already done), failed {failed}", stderr
    keys = [r["key"] for r in pq.ParquetDataset(out / "articles").read(columns=["key"]).to_pylist()]
    assert len(keys) == len(set(keys)) == analysed


def _wait_for(condition, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, "the batch command ended before the test could interrupt it"
        assert time.monotonic() < deadline, "timed out waiting for the batch to write its first partition"
        time.sleep(0.05)
