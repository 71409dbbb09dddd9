"""Batch partitions, part files and CLI refusals (issue 12), without a cluster."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from batch_support import write_corpus, write_warc
from typer.testing import CliRunner

from sourcetrace.batch.dataset import Dataset
from sourcetrace.batch.partitions import partitions
from sourcetrace.batch.tables import SCHEMAS, TABLES
from sourcetrace.batch.work import Options, analyse_partition
from sourcetrace.cli import app
from sourcetrace.errors import InputError


def test_partitions_are_deterministic_and_cover_every_document(tmp_path):
    inputs = write_corpus(tmp_path, paragraphs=1) + [tmp_path / "crawl.warc.gz"]
    built = write_warc(inputs[-1])
    first = [(p.id, [i.where for i in p.items]) for p in partitions(inputs, 3)]
    again = [(p.id, [i.where for i in p.items]) for p in partitions(inputs, 3)]
    assert first == again
    assert len({pid for pid, _ in first}) == len(first)
    wheres = [w for _, ws in first for w in ws]
    in_warc = built["html"] + built["bad_page"] + built["broken"]
    assert len(wheres) == len(set(wheres)) == 9 + 7 + in_warc  # folder files, JSONL lines, WARC pages and broken records
    assert {pid for pid, _ in first}.isdisjoint(p.id for p in partitions(inputs, 4))  # another size, other ids
    sizes = sum(p.bytes for p in partitions(inputs[1:], 3))
    assert sizes == sum(p.stat().st_size for p in inputs[1:])


def test_part_files_are_complete_or_absent_and_typed(tmp_path):
    dataset = Dataset(tmp_path / "out")
    dataset.prepare({"extractor": "rules", "partition_size": 2})
    items = next(partitions(write_corpus(tmp_path, paragraphs=1)[:1], 4)).items  # empty, german, photo, one story
    result = analyse_partition("p-000000", items, Options(extractor="rules"))
    assert not dataset.is_done("p-000000")
    dataset.write("p-000000", result.tables)
    assert dataset.is_done("p-000000") and dataset.counts("p-000000") == (1, 3)
    for table in TABLES:
        assert pq.read_schema(dataset.part(table, "p-000000")).equals(SCHEMAS[table], check_metadata=False)
    assert not list((tmp_path / "out").rglob(".*"))  # no temporary files left behind


def test_output_folder_of_another_run_is_refused(tmp_path):
    Dataset(tmp_path / "out").prepare({"extractor": "rules", "partition_size": 2})
    with pytest.raises(InputError, match="partition_size=2"):
        Dataset(tmp_path / "out").prepare({"extractor": "rules", "partition_size": 64})
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not empty"):
        Dataset(tmp_path / "other").prepare({"extractor": "rules", "partition_size": 2})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere/", "--out", "OUT"], "does not exist"),
        (["notes.csv", "--out", "OUT"], "unknown input type"),
        (["docs", "--out", "OUT", "--extractor", "nope"], "nope"),
    ],
)
def test_batch_refuses_bad_arguments_with_one_error_line(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.csv").write_text("a,b\n")
    (tmp_path / "docs").mkdir()
    result = CliRunner().invoke(app, ["batch", *args, "-q"])
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and message in result.output
    assert not (tmp_path / "OUT").exists()


def test_run_batch_in_process_reads_an_input_given_twice_once(tmp_path):
    """run_batch on an in-process Dask cluster (threads): the same folder twice is one input; a rerun skips it all."""
    from distributed import Client, LocalCluster

    from sourcetrace.batch.runner import run_batch

    docs = write_corpus(tmp_path, n_folder=3, paragraphs=1)[0]
    steps = []
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address="127.0.0.1:0", scheduler_port=0) as cluster, \
            Client(cluster) as client:
        report = run_batch([docs, tmp_path / "docs" / ".." / "docs"], tmp_path / "out", client=client,
                           options=Options(extractor="rules"), partition_size=2, on_progress=steps.append)
        again = run_batch([docs], tmp_path / "out", client=client, options=Options(extractor="rules"), partition_size=2)
    assert (report.analysed, report.failed, report.skipped, report.written) == (3, 3, 0, 3)
    assert sum(s.analysed for s in steps) == 3 and sum(s.bytes for s in steps) > 0
    assert (again.analysed, again.failed, again.skipped, again.done_before) == (0, 0, 6, 3)


def test_unique_inputs_keep_each_file_or_folder_once_in_order(tmp_path):
    from sourcetrace.batch.partitions import unique_inputs
    from sourcetrace.ingest.items import input_size

    docs = write_corpus(tmp_path, n_folder=2, paragraphs=1)[0]
    jsonl = next(p for p in tmp_path.iterdir() if p.name.endswith(".jsonl.gz"))
    given = [docs, jsonl, tmp_path / "docs" / ".." / "docs", str(jsonl)]
    assert unique_inputs(given) == [docs, jsonl]
    # the batch command's progress total: what is really read, not the duplicate again
    assert sum(input_size(Path(p)) for p in unique_inputs(given)) == input_size(docs) + input_size(jsonl)


def test_run_batch_loads_the_store_from_the_tables_it_wrote_and_a_rerun_from_the_files(tmp_path, monkeypatch):
    from distributed import Client, LocalCluster

    from sourcetrace.batch import dataset as dataset_module
    from sourcetrace.batch.runner import run_batch
    from sourcetrace.store import Store

    docs = write_corpus(tmp_path, n_folder=3, paragraphs=1)[0]
    reads, read_table = [], pq.read_table
    monkeypatch.setattr(dataset_module.pq, "read_table", lambda *a, **k: reads.append(a) or read_table(*a, **k))
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address="127.0.0.1:0", scheduler_port=0) as cluster, \
            Client(cluster) as client, Store.open(tmp_path / "s.db") as store:
        report = run_batch([docs], tmp_path / "out", client=client, options=Options(extractor="rules"), partition_size=2, store=store)
        assert reads == [] and report.analysed == 3
        assert store.counts()["articles"] == 3 and store.counts()["failures"] == 3
        again = run_batch([docs], tmp_path / "out", client=client, options=Options(extractor="rules"), partition_size=2, store=store)
        assert again.done_before == 3 and len(reads) == 2 * 3  # partitions written before: read from their files
        assert store.counts()["articles"] == 3
