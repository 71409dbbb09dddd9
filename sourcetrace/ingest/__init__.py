"""Ingest: turn text, HTML, files, URLs, feeds and batch files into Articles (text + metadata).

Every entry point ends in an :class:`~sourcetrace.model.Article` whose text is
clean English prose, or raises :class:`~sourcetrace.errors.InputError` /
:class:`~sourcetrace.errors.FetchError` with a message a user can act on.

Common keywords:

* ``language`` / ``force``: sourcetrace reads English. Text that does not look
  English is refused unless ``language="en"`` (the caller vouches for it) or
  ``force=True`` (analyse anyway; the Article gets a warning).
* ``max_bytes``: input size cap (default 10 MiB, or $SOURCETRACE_MAX_INPUT_BYTES).
* ``allow_private``: let :func:`load` fetch URLs on private/loopback addresses.
* metadata (``title``, ``outlet``, ``url``, ``published``, ``authors``, ``id``)
  given by the caller wins over what is read from the input.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Article
from .html import extract_html, looks_like_html
from .text import (
    check_language,
    check_length,
    check_not_binary,
    check_size,
    check_unicode,
    clean_text,
    decode,
    require_text,
)

__all__ = ["from_text", "from_html", "from_bytes", "load", "is_url", "looks_like_html"]

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_META = ("id", "title", "outlet", "url", "published", "authors")


def _merge(found: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    unknown = set(meta) - set(_META) - {"language"}
    if unknown:
        raise TypeError(f"Unknown article metadata: {', '.join(sorted(unknown))}")
    out = {k: v for k, v in found.items() if v not in (None, [], "")}
    out.update({k: v for k, v in meta.items() if v not in (None, [], "")})
    if isinstance(out.get("published"), str):
        try:
            out["published"] = dt.date.fromisoformat(out["published"][:10])
        except ValueError:
            raise InputError(f"published must be a date as YYYY-MM-DD, not {out['published']!r}.") from None
    if isinstance(out.get("authors"), str):
        out["authors"] = [out["authors"]]
    return out


def _article(text: str, found: dict[str, Any], meta: dict[str, Any], *, language: str | None, force: bool) -> Article:
    check_length(text)
    check_unicode(text, "text")
    for key, value in meta.items():  # a lone surrogate in a title or author cannot be stored or sent back as JSON
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                check_unicode(item, key)
    code, warnings = check_language(text, language=language, force=force)
    fields = _merge({**found, "language": code}, meta)
    fields.pop("text", None)
    return Article(text=text, warnings=warnings, **fields)


def from_text(
    text: str,
    *,
    language: str | None = None,
    force: bool = False,
    clean: bool = True,
    max_bytes: int | None = None,
    **meta,
) -> Article:
    """An Article from plain text: dateline to ``published``, headline to ``title``, boilerplate lines dropped.

    ``clean=False`` keeps the text exactly as given (offsets then match the caller's string).
    """
    require_text(text)
    check_size(len(text.encode("utf-8", "surrogatepass")), max_bytes)
    check_not_binary(text)
    if clean:
        cleaned = clean_text(text)
        found = {"title": cleaned.title, "published": cleaned.published}
        text = cleaned.text
        require_text(text)
    else:
        found = {}
    return _article(text, found, meta, language=language, force=force)


def from_html(
    html: str | bytes, *, language: str | None = None, force: bool = False, max_bytes: int | None = None, **meta
) -> Article:
    """An Article from an HTML page: main text, title, date, authors, site name, URL and language."""
    found = extract_html(html, url=meta.get("url"), max_bytes=max_bytes)
    found.pop("language", None)  # the page's lang attribute is often a template default: the text decides
    return _article(found["text"], found, meta, language=language, force=force)


def from_bytes(
    data: bytes,
    *,
    html: bool | None = None,
    encoding: str | None = None,
    max_bytes: int | None = None,
    language: str | None = None,
    force: bool = False,
    **meta,
) -> Article:
    """An Article from raw bytes (a file, an upload, a response body); ``html=None`` sniffs the markup."""
    if html is None:
        html = looks_like_html(data)
    if html and not encoding:
        declared = _META_CHARSET.search(data[:4096])
        encoding = declared.group(1).decode("ascii") if declared else None
    text = decode(data, max_bytes=max_bytes, encoding=encoding)
    if html:
        return from_html(text, language=language, force=force, max_bytes=max_bytes, **meta)
    return from_text(text, language=language, force=force, max_bytes=max_bytes, **meta)


def is_url(ref: str) -> bool:
    return "://" in ref[:20] or ref.lower().startswith(("http:", "https:"))


def load(
    ref: str | Path,
    *,
    allow_private: bool = False,
    html: bool | None = None,
    max_bytes: int | None = None,
    language: str | None = None,
    force: bool = False,
    **meta,
) -> Article:
    """An Article from a path, ``-`` (stdin) or an http(s) URL.

    Text vs HTML: ``html`` when given, else the URL's content type, else the
    file extension (.html/.htm/.xhtml), else a sniff of the bytes.
    """
    opts = {"max_bytes": max_bytes, "language": language, "force": force}
    ref_s = str(ref)
    if isinstance(ref, str) and is_url(ref_s):
        from .fetch import fetch
        from .feeds import read_feed

        page = fetch(ref_s, allow_private=allow_private, max_bytes=max_bytes)
        kind = page.kind if html is None else ("html" if html else "text")
        meta.setdefault("url", page.url)
        if kind == "feed":
            n = len(read_feed(page.body, max_bytes=max_bytes))
            raise InputError(
                f"{page.url} is an RSS/Atom feed with {n} entries, not an article; "
                "analyse one of its entries' URLs, or read it with sourcetrace.ingest.feeds.read_feed."
            )
        if kind == "other":
            raise InputError(
                f"{page.url} is {page.content_type or 'of unknown type'}, not an article page; give an HTML or text URL."
            )
        return from_bytes(page.body, html=kind == "html", encoding=page.charset, **opts, **meta)
    if ref_s == "-":
        data = sys.stdin.buffer.read(_cap(max_bytes) + 1)
    else:
        path = Path(ref_s)
        if not path.exists():
            raise InputError(f"No such file: {ref_s}. Give a path, a URL, or - for standard input.")
        if path.is_dir():
            raise InputError(f"{ref_s} is a folder; give one article file (folders are read by the batch reader).")
        if not path.is_file():
            raise InputError(f"{ref_s} is not a regular file (a device, pipe or socket); give an article file.")
        check_size(path.stat().st_size, max_bytes)
        try:
            with path.open("rb") as fh:  # bounded: the size on disk can change under us
                data = fh.read(_cap(max_bytes) + 1)
        except OSError as exc:
            raise InputError(f"Could not read {ref_s}: {exc.strerror}.") from None
        if html is None and path.suffix.lower() in (".html", ".htm", ".xhtml"):
            html = True
        elif html is None and path.suffix.lower() in (".txt", ".text", ".md"):
            html = False
    return from_bytes(data, html=html, **opts, **meta)


def _cap(max_bytes: int | None) -> int:
    from .text import max_input_bytes

    return max_input_bytes(max_bytes)
