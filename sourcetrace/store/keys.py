"""What makes two ingested articles "the same": canonical URL, else content hash."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..model import Article

_TRACKING = re.compile(r"^(utm_|fbclid$|gclid$|mc_cid$|mc_eid$|ref$|ref_src$|cmpid$|ocid$|smid$|sh$)", re.I)


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, fragment or tracking parameters, sorted query."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port and (scheme, parts.port) not in (("http", 80), ("https", 443)) else None
    netloc = f"{host}:{port}" if port else host
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)))
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    return urlunsplit((scheme, netloc, path, query, ""))


def storable(text: str) -> str:
    """``text`` with lone surrogates (a URL from JSON, a non-UTF-8 file name) written as ``\\udcff`` escapes:
    the form the store and the batch's Parquet tables keep, which neither can hold otherwise."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _utf8(text: str) -> bytes:
    """The bytes every key and hash is made from: those of :func:`storable`'s form, so that a reference hashes
    the same given as read (with surrogates) or as stored (escaped), and "\\ud800" hashes at all (issue #11)."""
    return text.encode("utf-8", "backslashreplace")


def text_hash(text: str) -> str:
    return hashlib.sha256(_utf8(" ".join(text.split()))).hexdigest()


def url_key(url: str) -> str:
    """The key of an article with this URL (raises ValueError for a URL that cannot be read, e.g. a bad port)."""
    return "url:" + storable(canonical_url(url))[:690]


def article_key(article: Article) -> str:
    if article.url:
        return url_key(article.url)
    return "sha256:" + text_hash(article.text)


def ref_hash(ref: str) -> str:
    return hashlib.sha256(_utf8(ref)).hexdigest()
