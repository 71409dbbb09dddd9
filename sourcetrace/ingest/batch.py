"""Batch input: JSONL lines and feeds to Articles, and readers that yield an Article or an error per item.

Each reader yields, per item, either an :class:`~sourcetrace.model.Article` or a
:class:`BatchError` saying where (line number, path or URL) and what went wrong,
so one bad item never stops the rest of the batch.

JSONL: one JSON object per line with exactly one of ``text``, ``html`` or
``url``, plus optional metadata ``id``, ``title``, ``outlet``, ``url``,
``published`` (YYYY-MM-DD), ``authors`` (list or string) and ``language``.
Blank lines and lines starting with ``#`` are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError, SourcetraceError
from ..model import Article
from . import from_html, from_text, load
from .text import check_size

ARTICLE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml")
_META_KEYS = ("id", "title", "outlet", "url", "published", "authors")


@dataclass
class BatchError:
    where: str  # "batch.jsonl:12", a file path or a URL
    message: str
    id: str | None = None  # the item's id when it had one

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


BatchItem = Article | BatchError


def _message(exc: Exception) -> str:
    if isinstance(exc, SourcetraceError):
        return str(exc)
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or "item"
        return f"invalid {field}: {first.get('msg')}"
    return f"{exc.__class__.__name__}: {exc}"


def _guard(where: str, make, item_id: str | None = None) -> BatchItem:
    try:
        return make()
    except (SourcetraceError, ValidationError, ValueError, TypeError, OSError) as exc:
        return BatchError(where, _message(exc), item_id)


def item_to_article(item: dict, *, allow_private: bool = False, force: bool = False) -> Article:
    """One JSONL object to an Article (raises InputError / FetchError)."""
    if not isinstance(item, dict):
        raise InputError("each line must be a JSON object with text, html or url")
    bodies = [k for k in ("text", "html") if item.get(k) is not None]
    if len(bodies) > 1:
        raise InputError("give only one of text or html per line")
    unknown = set(item) - {"text", "html", "language", *_META_KEYS}
    if unknown:
        raise InputError(f"unknown field(s) {', '.join(sorted(unknown))}; allowed: text, html, url, {', '.join(_META_KEYS[:-1])}, authors, language")
    meta = {k: item[k] for k in _META_KEYS if item.get(k) not in (None, "", [])}
    language = item.get("language")
    if item.get("id") is not None:
        meta["id"] = str(item["id"])
    for key in ("text", "html"):
        if key in bodies and not isinstance(item[key], str):
            raise InputError(f"{key} must be a string")
    if "text" in bodies:
        return from_text(item["text"], language=language, force=force, **meta)
    if "html" in bodies:
        return from_html(item["html"], language=language, force=force, **meta)
    if meta.get("url"):
        return load(str(meta.pop("url")), allow_private=allow_private, language=language, force=force, **meta)
    raise InputError("the line has none of text, html or url")


def read_jsonl(
    path: str | Path, *, allow_private: bool = False, force: bool = False, max_bytes: int | None = None
) -> Iterator[BatchItem]:
    """Articles from a JSONL (or JSONL.gz) file, one per line; a bad line becomes a BatchError with its line number."""
    from .items import raw_to_article, read_raw

    path = Path(path)
    try:
        for raw in read_raw(path, max_bytes=max_bytes, kind="jsonl"):
            yield raw_to_article(raw, allow_private=allow_private, force=force, max_bytes=max_bytes)
    except OSError as exc:
        raise InputError(f"Could not open the batch file {path}: {exc.strerror}.") from None


def jsonl_line_to_article(
    raw: bytes | str, *, allow_private: bool = False, force: bool = False, max_bytes: int | None = None
) -> Article | None:
    """One JSONL line to an Article (raises InputError / FetchError saying why); None for a blank or ``#`` line."""
    if isinstance(raw, bytes):
        check_size(len(raw), max_bytes)
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("the line is not valid UTF-8 (JSONL files must be UTF-8)") from None
    line = raw.strip()
    if not line or line.startswith("#"):
        return None
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    return item_to_article(item, allow_private=allow_private, force=force)


def article_files(folder: Path, *, recursive: bool = True) -> list[Path]:
    """The .txt/.html files in ``folder``, sorted by path: what a folder input holds."""
    files = folder.rglob("*") if recursive else folder.glob("*")
    return sorted(p for p in files if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)


def read_folder(
    folder: str | Path, *, force: bool = False, max_bytes: int | None = None, recursive: bool = True
) -> Iterator[BatchItem]:
    """Articles from every .txt/.html file in ``folder`` (sorted by path); other files are skipped."""
    from .items import raw_to_article, read_file

    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder.")
    for path in article_files(folder, recursive=recursive):
        yield raw_to_article(read_file(path, max_bytes), force=force, max_bytes=max_bytes)


def read_feed_articles(
    ref: str | Path, *, allow_private: bool = False, force: bool = False, max_bytes: int | None = None
) -> Iterator[BatchItem]:
    """Fetch every article a feed (URL or file) links to; the feed's title, date and authors fill the metadata."""
    from .inputs import feed_items

    for item in feed_items(str(ref), allow_private=allow_private, max_bytes=max_bytes, force=force):
        yield _guard(item.ref, item.load)


def read_batch(ref: str | Path, **opts) -> Iterator[BatchItem]:
    """Dispatch on what ``ref`` is: a feed (URL or .xml/.rss/.atom file), else what ``sourcetrace batch`` reads
    (a folder, a .jsonl(.gz) or .warc(.gz) file, an article file)."""
    from . import is_url
    from .items import raw_to_article, read_raw

    ref_s = str(ref)
    if is_url(ref_s) or Path(ref_s).suffix.lower() in (".xml", ".rss", ".atom"):
        yield from read_feed_articles(ref_s, **opts)
        return
    for raw in read_raw(ref_s, max_bytes=opts.get("max_bytes")):
        yield raw_to_article(raw, **opts)


__all__ = [
    "BatchError",
    "BatchItem",
    "item_to_article",
    "read_batch",
    "read_feed_articles",
    "read_folder",
    "read_jsonl",
    "jsonl_line_to_article",
]
