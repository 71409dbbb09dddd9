"""Raw input items: what a batch reads from disk before any parsing, so that parsing can run elsewhere.

A distributed batch reads its inputs in one process (the bytes only: cheap,
streaming, in a fixed order) and hands the parsing, the refusals and the
analysis to workers. A :class:`RawItem` is one document not yet parsed: a
file's bytes, one JSONL line, one WARC HTML response, or an error already
found while reading (a broken WARC record, an unreadable file).
:func:`raw_to_article` runs on the worker: :func:`load_raw`, the reader
``sourcetrace ingest`` uses too (:mod:`sourcetrace.ingest.inputs`), with any
error turned into a :class:`~sourcetrace.ingest.batch.BatchError`.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..model import Article
from .batch import ARTICLE_SUFFIXES, BatchError, BatchItem, _message, article_files, jsonl_line_to_article
from .text import check_size, max_input_bytes
from .warc import WarcPage, WarcStats, is_warc, page_to_article, read_warc

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")


@dataclass
class RawItem:
    """One document as read from its input; ``pos`` is how far into the input (bytes on disk) it ends."""

    where: str  # "folder/a.html", "batch.jsonl:12", "crawl.warc.gz@1234"
    kind: str  # "file", "jsonl", "warc" or "error"
    data: bytes | WarcPage | str  # str: the error message of an "error" item
    pos: int = 0
    id: str | None = None


def input_kind(path: Path) -> str:
    """``folder``, ``warc``, ``jsonl`` or ``file``; raises InputError for anything else."""
    name = path.name.lower()
    if path.is_dir():
        return "folder"
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a regular file: give folders, .jsonl(.gz), .warc(.gz) or article files.")
    if is_warc(name):
        return "warc"
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(ARTICLE_SUFFIXES):
        return "file"
    raise InputError(
        f"{path}: unknown input type; give folders of .txt/.html, .jsonl(.gz) files or .warc(.gz) files."
    )


def input_size(path: Path) -> int:
    """Bytes on disk an input will be read through (for progress and ETA)."""
    if path.is_dir():
        return sum(p.stat().st_size for p in article_files(path))
    return path.stat().st_size


def read_raw(
    path: str | Path, *, max_bytes: int | None = None, warc_stats: WarcStats | None = None, kind: str | None = None
) -> Iterator[RawItem]:
    """Every document of one input, in a fixed order (same input, same items, same order).

    ``kind`` ("jsonl", ...) reads the input as that kind whatever its name (``ingest --jsonl``).
    """
    path = Path(path)
    kind = kind or input_kind(path)
    if kind == "folder":
        yield from _read_folder(path, max_bytes)
    elif kind == "file":
        yield read_file(path, max_bytes)
    elif kind == "jsonl":
        yield from _read_jsonl(path, max_bytes)
    else:
        stats = warc_stats if warc_stats is not None else WarcStats()
        for page in read_warc(path, max_bytes=max_bytes, stats=stats):
            if isinstance(page, BatchError):
                yield RawItem(page.where, "error", page.message, pos=stats.bytes_read)
            else:
                yield RawItem(page.where, "warc", page, pos=stats.bytes_read)


def _read_folder(folder: Path, max_bytes: int | None) -> Iterator[RawItem]:
    pos = 0
    for path in article_files(folder):
        item = read_file(path, max_bytes, pos)
        pos = item.pos
        yield item


def read_file(path: Path, max_bytes: int | None = None, pos: int = 0) -> RawItem:
    """One article file as a raw item (an error item when it cannot be read); ``pos``: bytes read before it."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            data = fh.read(max_input_bytes(max_bytes) + 1)  # bounded: check_size refuses it on the worker
    except OSError as exc:
        return RawItem(str(path), "error", f"could not read the file: {exc.strerror}", pos=pos, id=path.stem)
    return RawItem(str(path), "file", data, pos=pos + size, id=path.stem)


def _read_jsonl(path: Path, max_bytes: int | None) -> Iterator[RawItem]:
    cap = max_input_bytes(max_bytes)
    with path.open("rb") as raw:
        handle = gzip.GzipFile(fileobj=raw) if path.name.lower().endswith(".gz") else raw
        number = 0
        try:
            while line := handle.readline(cap + 2):
                number += 1
                if len(line) > cap and not line.endswith(b"\n"):
                    while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                        pass  # drop the rest of an oversize line without holding it
                    yield RawItem(f"{path}:{number}", "jsonl", line, pos=raw.tell())
                    continue
                stripped = line.strip()
                if stripped and not stripped.startswith(b"#"):
                    yield RawItem(f"{path}:{number}", "jsonl", line, pos=raw.tell())
        except (OSError, EOFError, zlib.error) as exc:
            yield RawItem(f"{path}:{number + 1}", "error", f"the file is cut short or not valid gzip ({exc})", pos=raw.tell())


def load_raw(item: RawItem, *, allow_private: bool = False, force: bool = False, max_bytes: int | None = None) -> Article:
    """Parse one raw item into an Article; raises InputError / FetchError saying why."""
    from . import from_bytes

    if item.kind == "error":
        raise InputError(str(item.data))
    if item.kind == "jsonl":
        article = jsonl_line_to_article(item.data, allow_private=allow_private, force=force, max_bytes=max_bytes)
        if article is None:
            raise InputError("blank line")
        return article
    if item.kind == "warc":
        return page_to_article(item.data, force=force)
    check_size(len(item.data), max_bytes)
    html = Path(item.where).suffix.lower() in (".html", ".htm", ".xhtml")
    return from_bytes(item.data, html=html, force=force, max_bytes=max_bytes, id=item.id)


def raw_to_article(item: RawItem, *, allow_private: bool = False, force: bool = False, max_bytes: int | None = None) -> BatchItem:
    """Parse one raw item into an Article, or a BatchError saying where and why (never raises for bad input)."""
    try:
        return load_raw(item, allow_private=allow_private, force=force, max_bytes=max_bytes)
    except Exception as exc:  # noqa: BLE001 - any reader error is this document's, reported with where it came from
        return BatchError(item.where, _message(exc), item.id if item.kind != "jsonl" else _line_id(item.data))


def _line_id(line: bytes) -> str | None:
    """The ``id`` of a JSONL line, for its error report (None when the line has none or is no JSON object)."""
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return str(record["id"]) if isinstance(record, dict) and record.get("id") is not None else None


__all__ = ["JSONL_SUFFIXES", "RawItem", "input_kind", "input_size", "load_raw", "raw_to_article", "read_raw"]
