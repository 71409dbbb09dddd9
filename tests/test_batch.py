"""Batch readers (JSONL, folders, feeds): every item becomes an Article or an error record, in order."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from local_http import local_server  # noqa: F401  (pytest fixture)

from sourcetrace.errors import InputError
from sourcetrace.ingest.batch import BatchError, read_batch, read_feed_articles, read_folder, read_jsonl
from sourcetrace.ingest.feeds import looks_like_feed, read_feed
from sourcetrace.model import Article

DATA = Path(__file__).parent / "data"
ENGLISH = "The council said on Wednesday that the bridge would stay closed until June, the mayor told reporters."
PAGE = (DATA / "atacms-kursk.html").read_text(encoding="utf-8")


def _write_jsonl(path: Path, lines: list) -> Path:
    path.write_bytes(b"\n".join(x if isinstance(x, bytes) else (x if isinstance(x, str) else json.dumps(x)).encode() for x in lines))
    return path


def test_jsonl_good_and_bad_lines(tmp_path):
    path = _write_jsonl(
        tmp_path / "batch.jsonl",
        [
            {"id": 1, "text": ENGLISH, "outlet": "Gazette", "published": "2024-03-14", "authors": "Ann Lee"},
            "{not json",
            {"id": "empty", "text": "   "},
            "",
            "# a comment",
            {"id": "page", "html": PAGE},
            {"text": ENGLISH, "colour": "red"},
            ["not", "an", "object"],
            {"id": "de", "text": "Die Regierung hat am Montag erklärt, dass die Brücke nicht vor Juni geöffnet wird, sagte er."},
            {"id": "ssrf", "url": "http://169.254.169.254/latest/meta-data/"},
            {"id": "bad-date", "text": ENGLISH, "published": "last week"},
            b"\xff\xfe{\"text\": 1}",
            {"id": "both", "text": ENGLISH, "html": PAGE},
            {"id": "nothing", "title": "Just a title"},
            {"id": "last", "text": ENGLISH},
        ],
    )
    items = list(read_jsonl(path))
    assert [type(i).__name__ for i in items] == [
        "Article", "BatchError", "BatchError", "Article", "BatchError", "BatchError", "BatchError",
        "BatchError", "BatchError", "BatchError", "BatchError", "BatchError", "Article",
    ]
    first, page, last = (i for i in items if isinstance(i, Article))
    assert (first.id, first.outlet, first.published, first.authors) == ("1", "Gazette", dt.date(2024, 3, 14), ["Ann Lee"])
    assert page.id == "page" and page.outlet == "World Desk" and "cookies" not in page.text
    assert last.id == "last"
    errors = {e.where.rsplit(":", 1)[1]: e for e in items if isinstance(e, BatchError)}
    assert "not valid JSON" in errors["2"].message
    assert "empty" in errors["3"].message and errors["3"].id == "empty"
    assert "colour" in errors["7"].message
    assert "JSON object" in errors["8"].message
    assert "English" in errors["9"].message
    assert "non-public" in errors["10"].message and errors["10"].id == "ssrf"
    assert "YYYY-MM-DD" in errors["11"].message
    assert "UTF-8" in errors["12"].message
    assert "only one" in errors["13"].message
    assert "none of text, html or url" in errors["14"].message
    assert str(errors["2"]).startswith(f"{path}:2: ")


def test_jsonl_urls_are_fetched_when_allowed(tmp_path, local_server):
    path = _write_jsonl(tmp_path / "urls.jsonl", [{"id": "a", "url": f"{local_server}/article.html"}, {"url": f"{local_server}/missing"}])
    refused = list(read_jsonl(path))
    assert all(isinstance(i, BatchError) and "loopback" in i.message for i in refused)
    article, missing = read_jsonl(path, allow_private=True)
    assert isinstance(article, Article) and article.id == "a"
    assert article.url == f"{local_server}/article.html"  # the address fetched, not the page's own claim
    assert isinstance(missing, BatchError) and "404" in missing.message


def test_missing_batch_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="Could not open"):
        list(read_jsonl(tmp_path / "nope.jsonl"))


def test_folder_of_files(tmp_path):
    (tmp_path / "a-article.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "b-page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "c-image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "d-empty.html").write_text("", encoding="utf-8")
    (tmp_path / "notes.png").write_bytes(b"\x89PNG")
    sub = tmp_path / "more"
    sub.mkdir()
    (sub / "e-latin1.txt").write_bytes(("The café owner said the council had ignored him. " * 3).encode("latin-1"))
    items = list(read_folder(tmp_path))
    assert [Path(i.where).name if isinstance(i, BatchError) else i.id for i in items] == [
        "a-article", "b-page", "c-image.txt", "d-empty.html", "e-latin1",
    ]
    assert "PNG" in items[2].message and "empty" in items[3].message
    assert "café" in items[4].text
    assert [i.id for i in read_folder(tmp_path, recursive=False) if isinstance(i, Article)] == ["a-article", "b-page"]


RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Port Alder Gazette</title>
<item><title>Bridge stays shut</title><link>https://gazette.example/bridge</link>
<pubDate>Thu, 14 Mar 2024 08:00:00 GMT</pubDate><author>news@gazette.example (Ann Lee)</author></item>
<item><title>No link here</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>World Desk</title>
<entry><title>Kursk strikes</title><link href="https://worlddesk.example/kursk"/><updated>2024-11-24T09:15:00Z</updated>
<author><name>Jane Roe</name></author><author><name>Max Mustermann</name></author></entry>
</feed>"""


def test_rss_and_atom_feeds():
    assert looks_like_feed(RSS) and looks_like_feed(ATOM.encode()) and not looks_like_feed(PAGE)
    (entry,) = read_feed(RSS)
    assert (entry.url, entry.title, entry.published, entry.outlet) == (
        "https://gazette.example/bridge", "Bridge stays shut", dt.date(2024, 3, 14), "Port Alder Gazette",
    )
    assert entry.authors and "Ann Lee" in entry.authors[0]
    (entry,) = read_feed(ATOM.encode())
    assert entry.url == "https://worlddesk.example/kursk" and entry.authors == ["Jane Roe", "Max Mustermann"]
    assert entry.published == dt.date(2024, 11, 24)


def test_a_string_is_never_treated_as_a_url_or_path_by_feedparser(tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_text(RSS, encoding="utf-8")
    with pytest.raises(InputError, match="not an RSS or Atom feed"):
        read_feed(str(secret))
    with pytest.raises(InputError, match="not an RSS or Atom feed"):
        read_feed("Just some text, not a feed.")


def test_feed_entries_are_fetched_one_by_one(tmp_path, local_server):
    from local_http import FEED

    feed = tmp_path / "feed.xml"
    feed.write_text(FEED.format(base=local_server), encoding="utf-8")
    items = list(read_batch(feed, allow_private=True))
    assert [type(i).__name__ for i in items] == ["Article", "Article", "BatchError"]
    assert items[0].title == "Kursk strikes" and items[0].published == dt.date(2024, 11, 24)
    assert items[1].outlet == "World Desk" and items[1].url == f"{local_server}/plain.txt"
    assert items[2].where == f"{local_server}/missing" and "404" in items[2].message
    refused = list(read_feed_articles(f"{local_server}/feed.xml", allow_private=True))
    assert len(refused) == 3
