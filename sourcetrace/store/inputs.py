"""Turn what ``ingest`` is given (paths, folders, URLs, feeds, JSONL files) into work items.

Each :class:`Item` has a stable ``ref`` (what a failure is recorded under) and
loads its Article lazily, so a bad document fails alone and an already-stored
URL is skipped before it is fetched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import ingest as _ingest
from ..errors import InputError, InputTooLarge
from ..model import Article
from .keys import canonical_url

MAX_DOC_BYTES = 5_000_000
TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".xhtml"}


@dataclass
class Item:
    ref: str
    load: Callable[[], Article]
    key: str | None = None  # the store key when known before loading (URLs)


def _failing(exc: BaseException) -> Callable[[], Article]:
    def load() -> Article:
        raise exc

    return load


def _decode(data: bytes, ref: str) -> str:
    if len(data) > MAX_DOC_BYTES:
        raise InputTooLarge(f"{ref} is {len(data)} bytes; the limit is {MAX_DOC_BYTES}. Split it or give the article alone.")
    if b"\x00" in data[:8192]:
        raise InputError(f"{ref} looks binary, not text or HTML: give a .txt or .html article.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise InputError(f"{ref} is in no text encoding we can read: save it as UTF-8.") from None
        return str(best)


def article_from_html(html: str, **meta) -> Article:
    """Main text and metadata of an HTML page (trafilatura); given ``meta`` wins over the page's."""
    if hasattr(_ingest, "from_html"):
        return _ingest.from_html(html, **meta)
    import trafilatura

    raw = trafilatura.extract(html, output_format="json", with_metadata=True, url=meta.get("url"))
    if not raw:
        raise InputError("No article text could be found in this HTML page.")
    data = json.loads(raw)
    found = {
        "title": data.get("title"),
        "outlet": data.get("sitename") or data.get("source-hostname") or data.get("hostname"),
        "published": data.get("date"),
        "authors": [a.strip() for a in (data.get("author") or "").split(";") if a.strip()],
        "language": data.get("language"),
    }
    found = {k: v for k, v in found.items() if v}
    found.update({k: v for k, v in meta.items() if v is not None})
    return _ingest.from_text(data.get("text") or "", **found)


def article_from_document(text: str, **meta) -> Article:
    head = text.lstrip()[:1000].lower()
    if head.startswith("<") and ("<html" in head or "<!doctype" in head or "<body" in head or "<p" in head or "<article" in head):
        return article_from_html(text, **meta)
    return _ingest.from_text(text, **meta)


def load_path(path: Path) -> Article:
    if hasattr(_ingest, "load"):
        return _ingest.load(str(path))
    text = _decode(path.read_bytes(), str(path))
    meta = {"title": path.stem.replace("-", " ").replace("_", " ")} if path.suffix.lower() in (".txt", ".text", ".md") else {}
    return article_from_document(text, **meta)


def load_url(url: str, *, allow_private: bool = False) -> Article:
    from ..netsafety import fetch

    resp = fetch(url, allow_private=allow_private, max_bytes=MAX_DOC_BYTES)
    text = _decode(resp.content, url)
    if "html" in resp.headers.get("content-type", "") or text.lstrip().startswith("<"):
        return article_from_html(text, url=url)
    return _ingest.from_text(text, url=url)


def article_from_record(record: object, ref: str) -> Article:
    """One JSONL record: an Article's fields, with ``html`` accepted instead of ``text``."""
    if not isinstance(record, dict):
        raise InputError(f"{ref}: each JSONL line must be a JSON object with at least a 'text' or 'html' field.")
    record = dict(record)
    html = record.pop("html", None)
    if html is not None and not record.get("text"):
        if not isinstance(html, str):
            raise InputError(f"{ref}: 'html' must be a string.")
        meta = {k: v for k, v in record.items() if k in ("title", "outlet", "url", "published", "authors", "language", "id")}
        return article_from_html(html, **meta)
    if not isinstance(record.get("text"), str) or not record["text"].strip():
        raise InputError(f"{ref}: the record has no 'text' (or 'html') to analyse.")
    try:
        return Article.model_validate(record)
    except Exception as exc:
        raise InputError(f"{ref}: not a valid article: {exc}".splitlines()[0]) from None


def path_items(path: Path) -> Iterator[Item]:
    if not path.exists():
        yield Item(str(path), _failing(InputError(f"{path} does not exist: check the path.")))
        return
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES):
            yield Item(str(child), lambda c=child: load_path(c))
        return
    if path.suffix.lower() == ".jsonl":
        yield from jsonl_items(path)
        return
    yield Item(str(path), lambda: load_path(path))


def jsonl_items(path: Path) -> Iterator[Item]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Item(str(path), _failing(InputError(f"Cannot read {path}: {exc.strerror}.")))
        return
    with handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            ref = f"{path}:{n}"

            def load(line=line, ref=ref):
                try:
                    record = json.loads(_decode(line, ref))
                except json.JSONDecodeError as exc:
                    raise InputError(f"{ref}: not valid JSON ({exc.msg}).") from None
                return article_from_record(record, ref)

            yield Item(ref, load)


def url_item(url: str, *, allow_private: bool = False) -> Item:
    return Item(url, lambda: load_url(url, allow_private=allow_private), key="url:" + canonical_url(url))


def feed_items(feed_url: str, *, allow_private: bool = False) -> Iterator[Item]:
    """One item per entry link of an RSS/Atom feed."""
    import feedparser

    from ..netsafety import fetch

    resp = fetch(feed_url, allow_private=allow_private)
    parsed = feedparser.parse(resp.content)
    if parsed.bozo and not parsed.entries:
        raise InputError(f"{feed_url} is not an RSS or Atom feed.")
    for entry in parsed.entries:
        link = entry.get("link")
        if link:
            yield url_item(link, allow_private=allow_private)


def expand(
    paths: list[str] = (),
    *,
    feeds: list[str] = (),
    jsonl: list[str] = (),
    allow_private: bool = False,
) -> Iterator[Item]:
    """Work items for everything given, in order: each ``paths`` entry may be a file, a folder or a URL."""
    for p in paths:
        if p.startswith(("http://", "https://")):
            yield url_item(p, allow_private=allow_private)
        else:
            yield from path_items(Path(p))
    for f in jsonl:
        yield from jsonl_items(Path(f))
    for feed in feeds:
        try:
            yield from feed_items(feed, allow_private=allow_private)
        except Exception as exc:  # the feed itself failed: record it as one bad item
            yield Item(feed, _failing(exc))
