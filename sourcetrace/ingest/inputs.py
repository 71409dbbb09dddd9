"""Turn what ``ingest`` is given (paths, folders, URLs, feeds, JSONL and WARC files) into work items.

Each :class:`Item` has a stable ``ref`` (what a failure is recorded under) and
loads its Article lazily. Files, folders, JSONL and WARC files go through the
readers of ``sourcetrace batch`` (:mod:`sourcetrace.ingest.items`), so a
document that one command refuses the other refuses with the same message
(``ingest`` also reads a file of any other name as one article, where ``batch``
refuses it). A bad document fails alone; an article whose URL is known before
loading (given directly, by a feed, a JSONL line or a WARC record) is skipped
before it is fetched or parsed when the store already holds it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import ingest as _ingest
from ..errors import FetchError, InputError
from ..model import Article
from .batch import article_files
from .items import RawItem, input_kind, load_raw, read_file, read_raw


@dataclass
class Item:
    ref: str
    load: Callable[[], Article]
    url: str | None = None  # the article's URL when known before loading: the store can skip it unfetched


def _failing(exc: BaseException) -> Callable[[], Article]:
    def load() -> Article:
        raise exc

    return load


def load_url(url: str, *, allow_private: bool = False, **meta) -> Article:
    """Fetch and read one article URL (refusing private addresses unless ``allow_private``).

    Never a file path: a URL comes from a caller or a feed, who must not name files on this machine.
    """
    if not _ingest.is_url(url):
        raise FetchError(f"{url[:200]!r} is not a web address: give an http:// or https:// URL.")
    return _ingest.load(url, allow_private=allow_private, **meta)


def url_item(url: str, *, allow_private: bool = False, **meta) -> Item:
    return Item(url, lambda: load_url(url, allow_private=allow_private, **meta), url=url)


def path_items(path: Path, *, allow_private: bool = False, kind: str | None = None) -> Iterator[Item]:
    """One item per document in a file, folder, JSONL(.gz) or WARC(.gz) file; any other file is one article.

    ``kind="jsonl"`` reads the file as JSONL whatever its name.
    """
    if not path.exists():
        yield Item(str(path), _failing(InputError(f"{path} does not exist: check the path.")))
        return
    try:
        kind = kind or input_kind(path)
    except InputError as exc:
        # a file of another kind is read as one article, as `analyze` reads it
        yield Item(str(path), (lambda: _ingest.load(path)) if path.is_file() else _failing(exc))
        return
    if kind in ("folder", "file"):  # each file read when its item is loaded: a folder is never held in memory
        for f in article_files(path) if kind == "folder" else [path]:
            yield Item(str(f), lambda f=f: load_raw(read_file(f), allow_private=allow_private))
        return
    try:  # JSONL lines and WARC pages, read as the items are made (a WARC streams: see `ingest`'s progress)
        for raw in read_raw(path, kind=kind):
            yield Item(raw.where, lambda raw=raw: load_raw(raw, allow_private=allow_private), url=_known_url(raw))
    except (OSError, InputError) as exc:  # the file itself could not be opened: one failed item, the rest go on
        message = f"Cannot read {path}: {exc.strerror}." if isinstance(exc, OSError) else str(exc)
        yield Item(str(path), _failing(InputError(message)))


def _known_url(raw: RawItem) -> str | None:
    """The URL the item's article will carry, when the raw item already names it (a JSONL line's ``url``, a
    WARC record's target): a rerun then skips what is stored without fetching or parsing it again."""
    if raw.kind == "warc":
        return raw.data.url
    if raw.kind == "jsonl":
        try:
            record = json.loads(raw.data)
        except ValueError:
            return None
        url = record.get("url") if isinstance(record, dict) else None
        return url if isinstance(url, str) and url else None
    return None


def feed_items(feed: str, *, allow_private: bool = False, max_bytes: int | None = None, force: bool = False) -> Iterator[Item]:
    """One item per entry of an RSS/Atom feed (a URL or a file); the feed's metadata fills the articles'.

    ``max_bytes`` caps the feed and each article; ``force`` analyses articles that do not look English.
    """
    from .feeds import read_feed
    from .fetch import fetch

    if _ingest.is_url(feed):
        data = fetch(feed, allow_private=allow_private, max_bytes=max_bytes).body
    else:
        try:
            data = Path(feed).read_bytes()
        except OSError as exc:
            raise InputError(f"Could not read the feed {feed}: {exc.strerror}.") from None
    for entry in read_feed(data, max_bytes=max_bytes):
        meta = {"title": entry.title, "published": entry.published, "authors": entry.authors, "outlet": entry.outlet}
        meta = {k: v for k, v in meta.items() if v}
        if max_bytes is not None or force:
            meta.update(max_bytes=max_bytes, force=force)
        yield url_item(entry.url, allow_private=allow_private, **meta)


def expand(
    paths: list[str] = (),
    *,
    feeds: list[str] = (),
    jsonl: list[str] = (),
    allow_private: bool = False,
) -> Iterator[Item]:
    """Work items for everything given, in order: each ``paths`` entry may be a file, a folder or a URL."""
    for p in paths:
        if _ingest.is_url(p):
            yield url_item(p, allow_private=allow_private)
        else:
            yield from path_items(Path(p), allow_private=allow_private)
    for f in jsonl:
        yield from path_items(Path(f), allow_private=allow_private, kind="jsonl")
    for feed in feeds:
        try:
            yield from feed_items(feed, allow_private=allow_private)
        except Exception as exc:  # noqa: BLE001 - the feed itself failed: record it as one bad item
            yield Item(feed, _failing(exc))
