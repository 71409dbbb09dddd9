"""HTML in: the article's main text and metadata, without the page around it.

trafilatura does the hard part (main-content detection, dropping navigation,
menus, cookie banners, footers, comments; title, date, author and site name
from meta tags and JSON-LD). We ask it for precision, leave out images and
tables, then run the same line cleaning as plain text so photo credits and
"Read more" lines inside the article body go too.
"""

from __future__ import annotations

import datetime as dt
import re

import trafilatura
from lxml.etree import ParserError

from ..errors import InputError
from .text import check_not_binary, check_size, clean_text, decode, is_boilerplate

_TAG = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|meta|title|article|div|p|section|main)\b", re.IGNORECASE)


def looks_like_html(data: bytes | str) -> bool:
    """Cheap sniff: does the start of ``data`` carry HTML tags?"""
    head = data[:4096]
    if isinstance(head, str):
        head = head.encode("utf-8", "ignore")
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return bool(_TAG.search(head)) and (head.startswith(b"<") or len(_TAG.findall(head)) >= 2)


def _page_language(html: str) -> str | None:
    m = re.search(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)", html[:4096], re.IGNORECASE)
    return m.group(1).lower() if m else None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _authors(value: str | None) -> list[str]:
    if not value:
        return []
    parts = re.split(r"\s*(?:;|\||,?\s+and\s+|&)\s*", value)
    return [p.strip() for p in parts if p.strip()]


def extract_html(html: bytes | str, *, url: str | None = None, max_bytes: int | None = None) -> dict:
    """The article in ``html`` as a dict of Article fields (text, title, published, authors, outlet, url, language).

    Raises :class:`InputError` when the page holds no article text.
    """
    if isinstance(html, bytes):
        text = decode(html, max_bytes=max_bytes)
    else:
        check_size(len(html.encode("utf-8", "surrogatepass")), max_bytes)
        text = check_not_binary(html)
    if not text.strip():
        raise InputError("The HTML page is empty: give a page that holds an article.")
    doc = None
    # Precision first (keeps chrome out); recall only when that finds nothing, e.g. on a very short article.
    for mode in ({"favor_precision": True}, {"favor_recall": True}):
        try:
            doc = trafilatura.bare_extraction(
                text,
                url=url,
                with_metadata=True,
                include_comments=False,
                include_images=False,
                include_tables=False,
                include_formatting=False,
                include_links=False,
                **mode,
            )
        except (ParserError, ValueError, TypeError, AssertionError) as exc:
            # lxml refusing a document it cannot build a tree from; AssertionError: htmldate dropping the root
            # element of an XML-declared page whose root is <svg> (found by the fuzzer, issue #11)
            raise InputError(
                f"The HTML could not be parsed ({exc or type(exc).__name__}); give a complete HTML page or the plain text."
            ) from None
        if doc is not None and doc.text and len(doc.text.split()) >= 5:
            break
    body = (doc.text if doc is not None else "") or ""
    # trafilatura puts one paragraph per line; rebuild blank-line-separated paragraphs and drop credits/chrome.
    paragraphs = [ln.strip() for ln in body.split("\n") if ln.strip() and not is_boilerplate(ln)]
    cleaned = clean_text("\n\n".join(paragraphs))
    if not cleaned.text.strip() or len(cleaned.text.split()) < 5:
        raise InputError(
            "No article text was found in this HTML page (it may be an index page, a paywall, or built by "
            "JavaScript); give the article's own URL or paste its text."
        )
    page_title = doc.title if doc is not None else None
    return {
        "text": cleaned.text,
        "title": (page_title or cleaned.title or None),
        "published": _date(doc.date) or cleaned.published,
        "authors": _authors(doc.author),
        "outlet": doc.sitename or None,
        "url": doc.url or url,
        "language": _page_language(text),
    }

