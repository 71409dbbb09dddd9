"""WARC and WARC.gz input, read as a stream: one record in memory at a time.

Common Crawl (CC-NEWS) and most web archives ship WARC files. Each HTML
``response`` record becomes a :class:`WarcPage` (target URL, capture date,
HTTP charset and the body, capped at the input size limit); every other record
(requests, metadata, images, PDFs, redirects) is counted and skipped. A record
that cannot be parsed becomes a :class:`~sourcetrace.ingest.batch.BatchError`
with its byte offset, and reading goes on at the next record (the next gzip
member in a ``.warc.gz``, the next ``WARC/1.x`` line in a plain ``.warc``).

:func:`page_to_article` turns a page into an Article through the same HTML
ingest (and refusals) as every other input.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator

from ..errors import InputError, InputTooLarge
from ..model import Article
from .batch import BatchError
from .text import max_input_bytes

WARC_SUFFIXES = (".warc", ".warc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"\nWARC/1."
_SCAN_CHUNK = 1 << 20


@dataclass
class WarcPage:
    """One HTML response record, not yet parsed: the unit of work a batch worker receives."""

    where: str  # "crawl.warc.gz@1234" (file and byte offset of the record)
    url: str | None
    date: dt.date | None  # WARC-Date: when it was captured
    charset: str | None
    body: bytes
    oversize: bool = False  # the body was cut at the input cap


@dataclass
class WarcStats:
    """What a pass over a WARC file saw, by record kind (``response-html``, ``request``, ``broken``...)."""

    records: Counter = field(default_factory=Counter)
    bytes_read: int = 0  # position in the file on disk (compressed bytes for .warc.gz)

    @property
    def skipped(self) -> int:
        return sum(n for kind, n in self.records.items() if kind not in ("response-html", "broken"))


def is_warc(path: str | Path) -> bool:
    return str(path).lower().endswith(WARC_SUFFIXES)


def read_warc(
    path: str | Path, *, max_bytes: int | None = None, stats: WarcStats | None = None
) -> Iterator[WarcPage | BatchError]:
    """Stream the HTML responses of a WARC / WARC.gz file; a broken record is a BatchError and reading goes on."""
    path = Path(path)
    stats = stats if stats is not None else WarcStats()
    cap = max_input_bytes(max_bytes)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"Could not open the WARC file {path}: {exc.strerror}.") from None
    with handle:
        gzipped = handle.read(3) == _GZIP_MAGIC
        start = 0
        while start is not None:
            handle.seek(start)
            records = ArchiveIterator(handle)
            last = None  # where the last record read whole in this pass starts
            try:
                for record in records:
                    if record.format != "warc":  # warcio reads bytes that are no WARC record as an ARC record
                        raise ValueError(f"not a WARC record (it reads as {record.format})")
                    where = f"{path}@{records.offset}"
                    page = _page(record, where, cap, stats)
                    last = records.offset
                    stats.bytes_read = handle.tell()
                    if page is not None:
                        yield page
                start = None
            except Exception as exc:  # noqa: BLE001 - warcio and zlib raise many kinds; all mean "this record is broken"
                # warcio may notice a broken record only records later (a gzip member cut short decodes on into the
                # next members), so its offset can lie past good records: look again from what was last read
                broken_at = start if last is None else records.offset  # a pass that read nothing failed where it began
                start = _resync(handle, (broken_at if last is None else last) + 1, gzipped)
                if last is None or start is None or start > broken_at:  # no later pass will meet these bytes again
                    stats.records["broken"] += 1
                    yield BatchError(f"{path}@{broken_at}", f"malformed WARC record: {_first_line(exc)}")
            stats.bytes_read = handle.tell()


def _page(record, where: str, cap: int, stats: WarcStats) -> WarcPage | None:
    """The record as a WarcPage when it is an HTML response, else None (counted by kind)."""
    kind = record.rec_type or "unknown"
    http = record.http_headers
    content_type = (http.get_header("Content-Type") or "") if http is not None else ""
    mime = content_type.split(";")[0].strip().lower()
    if kind != "response" or http is None:
        stats.records[kind] += 1
        return None
    if not http.get_statuscode().startswith("2") or (mime and mime not in _HTML_TYPES):
        stats.records["response-other"] += 1
        return None
    body = record.content_stream().read(cap + 1)  # decodes chunked and gzip transfer encodings
    stats.records["response-html"] += 1
    charset = None
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return WarcPage(
        where=where,
        url=record.rec_headers.get_header("WARC-Target-URI"),
        date=_warc_date(record.rec_headers.get_header("WARC-Date")),
        charset=charset,
        body=body[:cap],
        oversize=len(body) > cap,
    )


def _warc_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _first_line(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


def _resync(handle: BinaryIO, offset: int, gzipped: bool) -> int | None:
    """The offset of the next record start after ``offset`` (None at end of file), scanning in bounded chunks."""
    magic = _GZIP_MAGIC if gzipped else _WARC_MAGIC
    skip = 0 if gzipped else 1  # a plain record starts after the newline the pattern begins with
    position = offset
    handle.seek(position)
    tail = b""
    while chunk := handle.read(_SCAN_CHUNK):
        data = tail + chunk
        found = data.find(magic)
        if found >= 0:
            return position - len(tail) + found + skip
        tail = data[-(len(magic) - 1) :]
        position += len(chunk)
    return None


def page_to_article(page: WarcPage, *, force: bool = False, language: str | None = None) -> Article:
    """An Article from an HTML response record: its URL, and its capture date when the page gives none."""
    from . import from_bytes

    if page.oversize:
        raise InputTooLarge(
            f"the page is over the input limit of {len(page.body):,} bytes; "
            "raise SOURCETRACE_MAX_INPUT_BYTES to analyse it."
        )
    article = from_bytes(page.body, html=True, encoding=page.charset, url=page.url, force=force, language=language)
    if article.published is None and page.date is not None:
        article.published = page.date
    return article


__all__ = ["WARC_SUFFIXES", "WarcPage", "WarcStats", "is_warc", "page_to_article", "read_warc"]
