"""Ingest into the store: idempotent, bad documents recorded without stopping the batch, resumable after a kill."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from dbfixtures import db_url  # noqa: F401  (fixture)
from local_http import local_server  # noqa: F401  (fixture)
from sourcetrace.cli import app
from sourcetrace.store import SearchQuery, Store, search
from sourcetrace.ingest.inputs import expand
from sourcetrace.store.runner import ingest
from sourcetrace.store.schema import articles

ROOT = Path(__file__).resolve().parents[1]
from fixture_files import data_dir  # noqa: E402

DATA = data_dir()


@pytest.fixture
def folder(tmp_path):
    """Three good articles and three bad files (binary, empty, undecodable) in a folder."""
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(DATA / "harbour-bridge.txt", d / "a-harbour.txt")
    shutil.copy(DATA / "atacms-kursk.html", d / "b-kursk.html")
    shutil.copy(DATA / "atacms-kursk-2024-11-24.txt", d / "c-kursk.txt")
    (d / "x-binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (d / "y-empty.txt").write_text("   \n")
    (d / "z-notes.pdf").write_bytes(b"%PDF-1.4")  # not an article type: not picked up
    return d


def run(store, *refs, **kw):
    return ingest(store, list(expand(list(refs), **kw)))


def test_folder_ingest_records_bad_files_and_goes_on(db_url, folder):  # noqa: F811
    with Store.open(db_url) as store:
        report = run(store, str(folder))
        assert (report.stored, report.skipped, report.failed) == (3, 0, 2)
        failures = {Path(f.ref).name: f.error for f in store.failures()}
        assert set(failures) == {"x-binary.txt", "y-empty.txt"}
        assert all(msg for msg in failures.values())
        stored = store.list_articles(per_page=10)
        assert stored.total == 3 and sum(a.attributions for a in stored.items) > 0
        assert search(store, SearchQuery(q="bridge")).total > 0


def test_ingesting_twice_stores_once(db_url, folder):  # noqa: F811
    with Store.open(db_url) as store:
        run(store, str(folder))
        before = store.counts()
        again = run(store, str(folder), str(folder / "a-harbour.txt"))
        assert (again.stored, again.skipped, again.failed) == (0, 4, 2)
        after = store.counts()
        assert {k: v for k, v in after.items() if k != "failures"} == {k: v for k, v in before.items() if k != "failures"}
        assert [f.attempts for f in store.failures()] == [2, 2]


def test_jsonl_duplicates_and_bad_lines(db_url, tmp_path):  # noqa: F811
    text = (DATA / "harbour-bridge.txt").read_text()
    lines = [
        json.dumps({"text": text, "outlet": "Harbour News", "url": "https://harbour.example/1"}),
        json.dumps({"text": text, "outlet": "Harbour News", "url": "https://harbour.example/1?utm_source=feed"}),
        "{not json",
        json.dumps({"title": "no body"}),
        json.dumps({"text": text, "outlet": "Other Paper", "url": "https://other.example/1"}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n\n")
    with Store.open(db_url) as store:
        report = ingest(store, list(expand(jsonl=[str(path)])))
        assert (report.stored, report.skipped, report.failed) == (2, 1, 2)
        assert {f.ref for f in store.failures()} == {f"{path}:3", f"{path}:4"}
        assert {a.outlet for a in store.list_articles().items} == {"Harbour News", "Other Paper"}


def test_feed_ingest_fetches_entries(db_url, local_server):  # noqa: F811
    with Store.open(db_url) as store:
        report = ingest(store, list(expand(feeds=[f"{local_server}/feed.xml"], allow_private=True)))
        assert (report.stored, report.failed) == (2, 1)
        assert store.failures()[0].ref.endswith("/missing")
        again = ingest(store, list(expand(feeds=[f"{local_server}/feed.xml"], allow_private=True)))
        assert (again.stored, again.skipped) == (0, 2)


def test_urls_to_private_addresses_are_refused_unless_allowed(db_url, local_server):  # noqa: F811
    with Store.open(db_url) as store:
        refused = run(store, f"{local_server}/plain.txt")
        assert refused.failed == 1 and "Refused" in store.failures()[0].error
        allowed = run(store, f"{local_server}/plain.txt", allow_private=True)
        assert allowed.stored == 1 and store.failures() == []


def test_cli_ingest_and_search(db_url, folder):  # noqa: F811
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(folder), "--db", db_url, "--quiet"])
    assert result.exit_code == 1, result.output  # two bad files
    assert "stored 3" in result.output and "x-binary.txt" in result.output
    result = runner.invoke(app, ["ingest", str(folder / "a-harbour.txt"), "--db", db_url, "-q"])
    assert result.exit_code == 0 and "already stored 1" in result.output
    result = runner.invoke(app, ["search", "bridge", "--db", db_url, "--json"])
    assert result.exit_code == 0, result.output
    page = json.loads(result.output)
    assert page["total"] > 0 and all("bridge" in h["text"].lower() for h in page["items"])
    bad = runner.invoke(app, ["search", "bridge", "--db", db_url, "--from", "2024-05-01", "--to", "2024-01-01"])
    assert bad.exit_code == 2 and "swap" in bad.output


def _stored_count(db: str) -> int:
    try:
        with Store.open(db) as store, store.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(articles)).scalar_one()
    except Exception:  # noqa: BLE001 - the child may still be creating the schema
        return 0


def test_killed_ingest_resumes_without_loss_or_duplicates(db_url, tmp_path):  # noqa: F811
    d = tmp_path / "batch"
    d.mkdir()
    bodies = [(DATA / "harbour-bridge.txt").read_text(), (DATA / "atacms-kursk-2024-11-24.txt").read_text()]
    for i in range(40):  # 40 distinct articles
        (d / f"story-{i:02d}.txt").write_text(f"{bodies[i % 2]}\n\nThe desk said the story number {i} was checked.\n")
    files = sorted(d.glob("*.txt"))
    cmd = [sys.executable, "-m", "sourcetrace", "ingest", str(d), "--db", db_url, "--batch-size", "1", "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while _stored_count(db_url) < 3 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    at_kill = _stored_count(db_url)
    assert 3 <= at_kill < 40, f"the kill should land mid-batch (stored {at_kill} of 40)"

    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"already stored {at_kill}" in done.stderr or f"already stored {at_kill + 1}" in done.stderr
    with Store.open(db_url) as store, store.engine.connect() as conn:
        rows = conn.execute(select(articles.c.key, articles.c.origin)).all()
        assert len(rows) == 40
        assert len({k for k, _ in rows}) == 40
        assert {Path(o).name for _, o in rows} == {f.name for f in files}
        assert store.counts()["failures"] == 0


def test_cli_feed_ingest_needs_allow_private_for_local_hosts(db_url, local_server):  # noqa: F811
    runner = CliRunner()
    refused = runner.invoke(app, ["ingest", "--feed", f"{local_server}/feed.xml", "--db", db_url, "-q"])
    assert refused.exit_code == 1 and "Refused" in refused.output
    allowed = runner.invoke(app, ["ingest", "--feed", f"{local_server}/feed.xml", "--db", db_url, "-q", "--allow-private"])
    assert "stored 2" in allowed.output and allowed.exit_code == 1  # the feed's third entry is a 404


def test_ingest_reads_what_batch_reads_jsonl_gz_and_warc(tmp_path):
    """`ingest` and `batch` share one reader: gzipped JSONL (a cut-short tail is one failure) and WARC files."""
    import gzip

    from batch_support import write_warc

    text = (DATA / "harbour-bridge.txt").read_text()
    lines = [json.dumps({"text": text, "outlet": "Harbour News", "url": f"https://harbour.example/{n}"}) for n in range(2)]
    packed = gzip.compress(("\n".join(lines) + "\n").encode())
    (tmp_path / "batch.jsonl.gz").write_bytes(packed)
    (tmp_path / "cut.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    built = write_warc(tmp_path / "crawl.warc.gz")
    with Store.open(str(tmp_path / "s.db")) as store:
        report = run(store, str(tmp_path / "batch.jsonl.gz"), str(tmp_path / "cut.jsonl.gz"), str(tmp_path / "crawl.warc.gz"))
        failures = {f.ref: f.error for f in store.failures()}
    # two from the JSONL, the WARC's readable pages (its other records are skipped, its broken ones fail)
    assert report.stored == 2 + built["html"]
    assert any(ref.startswith(str(tmp_path / "cut.jsonl.gz")) and "gzip" in msg for ref, msg in failures.items())
    assert sum(ref.startswith(f"{tmp_path / 'crawl.warc.gz'}@") for ref in failures) == built["broken"] + built["bad_page"]


def test_jsonl_option_reads_any_file_name_as_jsonl(tmp_path):
    text = (DATA / "harbour-bridge.txt").read_text()
    path = tmp_path / "export.txt"  # named like an article, given as --jsonl
    path.write_text(json.dumps({"text": text, "url": "https://harbour.example/x"}) + "\n")
    with Store.open(str(tmp_path / "s.db")) as store:
        report = ingest(store, list(expand(jsonl=[str(path)])))
        assert (report.stored, report.failed) == (1, 0)
        assert store.list_articles().items[0].url == "https://harbour.example/x"


def test_a_known_url_is_skipped_before_fetching_under_the_key_it_was_stored_with(tmp_path):
    """The key checked before a fetch is the stored article's key, long and tracking-laden URLs included."""
    from sourcetrace.ingest.inputs import Item
    from sourcetrace.model import Article

    text = (DATA / "harbour-bridge.txt").read_text()
    long_url = "https://harbour.example/" + "a" * 900 + "?utm_source=feed"
    with Store.open(str(tmp_path / "s.db")) as store:
        first = ingest(store, [Item("stored", lambda: Article(text=text, url=long_url))], analyse=False)
        assert first.stored == 1

        def never():
            raise AssertionError("a stored URL was loaded again")

        again = ingest(store, [Item(long_url, never, url=long_url.replace("?utm_source=feed", ""))], analyse=False)
        assert (again.skipped, again.failed) == (1, 0)


def test_a_folder_is_read_one_file_at_a_time(tmp_path, monkeypatch):
    """Listing a folder's items reads no file (a large folder is never held in memory); loading one reads one."""
    import sourcetrace.ingest.inputs as inputs

    for n in range(3):
        shutil.copy(DATA / "harbour-bridge.txt", tmp_path / f"{n}.txt")
    reads = []
    real = inputs.read_file
    monkeypatch.setattr(inputs, "read_file", lambda path, *a, **k: reads.append(path) or real(path, *a, **k))
    items = list(expand([str(tmp_path)]))
    assert len(items) == 3 and reads == []
    assert "bridge" in items[1].load().text.lower() and reads == [tmp_path / "1.txt"]


def test_an_unreadable_warc_fails_alone(tmp_path, monkeypatch):
    from batch_support import write_warc

    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc)
    good = tmp_path / "a.txt"
    shutil.copy(DATA / "harbour-bridge.txt", good)
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self == warc:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with Store.open(str(tmp_path / "s.db")) as store:
        report = run(store, str(warc), str(good))
        assert (report.stored, report.failed) == (1, 1)
        assert [f.ref for f in store.failures()] == [str(warc)] and "Permission denied" in store.failures()[0].error


def test_a_rerun_skips_stored_jsonl_and_warc_items_without_loading_them(tmp_path, monkeypatch):
    """JSONL lines with a url and WARC pages name their URL before loading: a resumed ingest skips them unparsed."""
    import sourcetrace.ingest.inputs as inputs
    from batch_support import write_warc

    text = (DATA / "harbour-bridge.txt").read_text()
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps({"text": text, "url": f"https://harbour.example/{n}"}) for n in range(2)) + "\n")
    built = write_warc(tmp_path / "crawl.warc.gz")
    refs = [str(batch), str(tmp_path / "crawl.warc.gz")]
    with Store.open(str(tmp_path / "s.db")) as store:
        first = run(store, *refs)
        assert first.stored == 2 + built["html"]

        def never(*args, **kwargs):
            raise AssertionError("a stored item was loaded again")

        monkeypatch.setattr(inputs, "load_raw", never)
        again = ingest(store, [i for i in expand(refs) if i.url])
        # every stored one skipped unloaded; only the page that failed the first time is tried again
        assert (again.stored, again.skipped, again.failed) == (0, 2 + built["html"], built["bad_page"])
