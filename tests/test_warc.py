"""WARC input (issue 12): HTML responses become articles, other records are counted, broken ones are failures."""

from __future__ import annotations

import datetime as dt

import pytest
from batch_support import write_warc

from sourcetrace.ingest.batch import BatchError
from sourcetrace.ingest.items import RawItem, raw_to_article, read_raw
from sourcetrace.ingest.warc import WarcPage, WarcStats, page_to_article, read_warc
from sourcetrace.model import Article


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
def test_warc_reader_counts_pages_other_records_and_broken_ones(tmp_path, gzipped):
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    built = write_warc(path, gzipped=gzipped)
    stats = WarcStats()
    items = list(read_warc(path, stats=stats))
    pages = [i for i in items if isinstance(i, WarcPage)]
    broken = [i for i in items if isinstance(i, BatchError)]
    assert len(pages) == built["html"] + built["bad_page"]
    assert len(broken) == built["broken"]
    assert stats.skipped == built["other"] + 1  # + the warcinfo record
    assert all("malformed WARC record" in b.message and b.where.startswith(f"{path}@") for b in broken)
    # reading went on after the broken records: the last pages come after them
    assert pages[-1].url == "https://news.example.org/story-4"
    assert stats.bytes_read == path.stat().st_size


def test_warc_page_becomes_article_with_url_and_capture_date(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    first = next(p for p in read_warc(path) if isinstance(p, WarcPage))
    article = page_to_article(first)
    assert article.url == "https://news.example.org/story-0"
    assert article.published == dt.date(2024, 5, 1)  # the page gives no date: the capture date stands in
    assert "stay closed until June" in article.text and "Home | News" not in article.text


def test_warc_raw_items_parse_or_fail_alone(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    built = write_warc(path)
    parsed = [raw_to_article(item) for item in read_raw(path)]
    articles = [p for p in parsed if isinstance(p, Article)]
    failures = [p for p in parsed if isinstance(p, BatchError)]
    assert len(articles) == built["html"]
    assert len(failures) == built["broken"] + built["bad_page"]
    empty_page = next(i.where for i in read_raw(path) if i.kind == "warc" and i.data.url.endswith("/empty"))
    assert empty_page in {f.where for f in failures}


def test_oversize_warc_page_is_refused_not_held(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    page = next(p for p in read_warc(path, max_bytes=100) if isinstance(p, WarcPage))
    assert page.oversize and len(page.body) == 100
    result = raw_to_article(RawItem(page.where, "warc", page))
    assert isinstance(result, BatchError) and "over the input limit" in result.message


def test_read_batch_reads_a_warc_as_a_warc(tmp_path):
    from sourcetrace.ingest.batch import read_batch

    path = tmp_path / "crawl.warc.gz"
    built = write_warc(path)
    items = list(read_batch(path))
    errors = [i.message for i in items if isinstance(i, BatchError)]
    assert sum(isinstance(i, Article) for i in items) == built["html"], errors
    assert not any("not valid JSON" in i.message for i in items if isinstance(i, BatchError))


def test_a_gzip_member_cut_short_never_costs_the_records_after_it(tmp_path):
    """A cut member decodes on into the next members, so warcio may notice it records later: every good page
    after it must still be read, and each broken record reported once. The written bytes differ run to run
    (record ids, dates), so try many files: about one in eight lost pages before the reader looked again from
    the last good record."""
    for n in range(40):
        path = tmp_path / f"crawl-{n}.warc.gz"
        built = write_warc(path)
        items = list(read_warc(path))
        pages = [i.url for i in items if isinstance(i, WarcPage)]
        assert pages[-2:] == ["https://news.example.org/story-3", "https://news.example.org/story-4"], items
        assert len(pages) == built["html"] + built["bad_page"]
        assert sum(isinstance(i, BatchError) for i in items) == built["broken"]
