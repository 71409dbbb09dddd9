"""Turn what ``ingest`` is given (paths, folders, URLs, feeds, JSONL files) into work items.

Each :class:`Item` has a stable ``ref`` (what a failure is recorded under) and
loads its Article lazily with the ingest stage's readers
(:func:`sourcetrace.ingest.load`, :func:`~sourcetrace.ingest.batch.item_to_article`,
:func:`~sourcetrace.ingest.feeds.read_feed`), so a bad document fails alone
and an already-stored URL is skipped before it is fetched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import ingest as _ingest
from ..errors import FetchError, InputError
from ..ingest.batch import ARTICLE_SUFFIXES, item_to_article
from ..model import Article
from .keys import canonical_url


@dataclass
class Item:
    ref: str
    load: Callable[[], Article]
    key: str | None = None  # the store key when known before loading (URLs)


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
    key = None
    try:
        key = "url:" + canonical_url(url)
    except ValueError:
        pass
    return Item(url, lambda: load_url(url, allow_private=allow_private, **meta), key=key)


def path_items(path: Path, *, allow_private: bool = False) -> Iterator[Item]:
    if not path.exists():
        yield Item(str(path), _failing(InputError(f"{path} does not exist: check the path.")))
    elif path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES):
            yield Item(str(child), lambda c=child: _ingest.load(c))
    elif path.suffix.lower() == ".jsonl":
        yield from jsonl_items(path, allow_private=allow_private)
    else:
        yield Item(str(path), lambda: _ingest.load(path))


def jsonl_items(path: Path, *, allow_private: bool = False) -> Iterator[Item]:
    """One item per non-blank line; the line is parsed when the item is loaded."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Item(str(path), _failing(InputError(f"Cannot read {path}: {exc.strerror}.")))
        return
    with handle:
        for n, line in enumerate(handle, 1):
            if not line.strip() or line.lstrip().startswith(b"#"):
                continue
            ref = f"{path}:{n}"

            def load(line=line) -> Article:  # the item's ref names the line in every error
                try:
                    record = json.loads(line.decode("utf-8"))
                except UnicodeDecodeError:
                    raise InputError("the line is not valid UTF-8 (JSONL files must be UTF-8).") from None
                except json.JSONDecodeError as exc:
                    raise InputError(f"not valid JSON ({exc.msg}).") from None
                return item_to_article(record, allow_private=allow_private)

            yield Item(ref, load)


def feed_items(feed: str, *, allow_private: bool = False) -> Iterator[Item]:
    """One item per entry of an RSS/Atom feed (a URL or a file); the feed's metadata fills the articles'."""
    from ..ingest import is_url
    from ..ingest.feeds import read_feed
    from ..ingest.fetch import fetch

    if is_url(feed):
        data = fetch(feed, allow_private=allow_private).body
    else:
        try:
            data = Path(feed).read_bytes()
        except OSError as exc:
            raise InputError(f"Could not read the feed {feed}: {exc.strerror}.") from None
    for entry in read_feed(data):
        meta = {"title": entry.title, "published": entry.published, "authors": entry.authors, "outlet": entry.outlet}
        yield url_item(entry.url, allow_private=allow_private, **{k: v for k, v in meta.items() if v})


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
        yield from jsonl_items(Path(f), allow_private=allow_private)
    for feed in feeds:
        try:
            yield from feed_items(feed, allow_private=allow_private)
        except Exception as exc:  # noqa: BLE001 - the feed itself failed: record it as one bad item
            yield Item(feed, _failing(exc))
