"""Lone surrogates in references, ids and texts (issue #11): one form for keys, hashes and stored text.

A failure was recorded under the hash of the escaped reference (``\\ud800`` written out) but cleared
under the hash of the raw one, so a document that later went in kept its failure row; ``"\\ud800"``
could not be hashed at all ("surrogates not allowed"), and Arrow refused such a string, losing the
batch's whole partition for one non-UTF-8 file name.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from sourcetrace import ingest
from sourcetrace.batch.partitions import partitions
from sourcetrace.batch.work import Options, analyse_partition
from sourcetrace.store import Store
from sourcetrace.store.keys import article_key, ref_hash, storable, text_hash

ENGLISH = "The council said on Wednesday that the bridge would stay closed until June, the mayor told reporters."
ODD = ["\ud800", "a\udcffb", "x\udce9.txt", "\udbff\udfff"]  # lone high, escaped bytes, a file name, a reversed pair


@pytest.mark.parametrize("ref", ODD)
def test_a_reference_hashes_the_same_raw_or_stored(ref):
    assert "\\u" in storable(ref) or "\\U" in storable(ref)
    assert ref_hash(ref) == ref_hash(storable(ref)) == hashlib.sha256(storable(ref).encode("utf-8")).hexdigest()
    assert text_hash(ref) == text_hash(storable(ref))


def test_well_formed_text_keeps_its_hash():
    for ref in ("https://example.org/a?b=1", "folder/café.txt", "batch.jsonl:12", "日本語"):
        assert ref_hash(ref) == hashlib.sha256(ref.encode("utf-8")).hexdigest()
        assert storable(ref) == ref
    assert text_hash(ENGLISH) == hashlib.sha256(ENGLISH.encode("utf-8")).hexdigest()


def test_an_url_with_a_lone_surrogate_has_a_storable_key():
    article = ingest.from_text(ENGLISH, language="en")
    article.url = "https://example.org/\ud800"
    key = article_key(article)
    assert key == storable(key) and key.startswith("url:https://example.org/")


@pytest.mark.parametrize("ref", ODD)
def test_a_stored_article_clears_the_failure_of_its_reference(tmp_path, ref):
    store = Store.open(str(tmp_path / "s.db"))
    store.record_failure(ref, "could not be fetched")
    assert [f.ref for f in store.failures()] == [storable(ref)]
    store.save(ingest.from_text(ENGLISH, language="en"), origin=ref)
    assert store.failures() == []
    store.record_failure(ref, "again")
    store.clear_failure(ref)
    assert store.failures() == []
    store.close()


def test_a_partition_with_lone_surrogates_loses_nothing_else(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text(ENGLISH, encoding="utf-8")  # not a UTF-8 file name
    (folder / "plain.txt").write_text(ENGLISH + " It will reopen in July.", encoding="utf-8")
    lines = [
        {"id": "x\ud800", "text": ENGLISH + " Again."},
        {"id": "ok", "text": ENGLISH + " Once more."},
        {"id": "y", "text": ENGLISH + " \ud800 more."},
    ]
    (folder / "b.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    inputs = [folder, folder / "b.jsonl"]
    analysed, failed = [], []
    for part in partitions(inputs, 10):
        result = analyse_partition(part.id, part.items, Options(extractor="rules"))
        analysed += [r["where"] for r in result.tables["articles"].to_pylist()]
        failed += [r["where"] for r in result.tables["failures"].to_pylist()]
    assert {Path(w).name for w in analysed} == {"plain.txt", "b.jsonl:2"}
    assert len(failed) == 3
    assert all(w == storable(w) for w in failed) and any("\\udce9" in w for w in failed)
