"""RSS and Atom feeds: the list of articles a newsroom publishes, read with feedparser.

Feeds are always handed to feedparser as an in-memory stream: given a string
it would fetch URLs or open local files by itself, outside the safety rules of
:mod:`sourcetrace.ingest.fetch`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

import feedparser

from ..errors import InputError
from .text import check_size

_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)


def looks_like_feed(data: bytes | str) -> bool:
    head = data[:2048]
    if isinstance(head, str):
        head = head.encode("utf-8", "ignore")
    return bool(_FEED_ROOT.search(head))


@dataclass
class FeedEntry:
    url: str
    title: str | None = None
    published: dt.date | None = None
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None  # the feed's own title


def _entry_date(entry) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
            except (ValueError, AttributeError):
                continue
    return None


def _entry_authors(entry) -> list[str]:
    names = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
    if not names and entry.get("author"):
        names = [entry["author"]]
    return [n.strip() for n in names if n and n.strip()]


def read_feed(data: bytes | str, *, max_bytes: int | None = None) -> list[FeedEntry]:
    """The entries of an RSS/Atom document that link to an article. Raises InputError when it is no feed."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    check_size(len(raw), max_bytes)
    parsed = feedparser.parse(io.BytesIO(raw))
    if not parsed.get("version") and not parsed.entries:
        reason = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        raise InputError(f"This is not an RSS or Atom feed{reason}; give the feed's XML or its URL.")
    outlet = (parsed.feed.get("title") or "").strip() or None
    entries = []
    for entry in parsed.entries:
        link = entry.get("link") or next((ln.get("href") for ln in entry.get("links", []) if ln.get("href")), None)
        if not link:
            continue
        entries.append(
            FeedEntry(
                url=link,
                title=(entry.get("title") or "").strip() or None,
                published=_entry_date(entry),
                authors=_entry_authors(entry),
                outlet=outlet,
            )
        )
    return entries
