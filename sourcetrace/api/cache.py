"""Whole answers to read requests, kept until anything is written to the store (issue #11, load).

A search or an article page costs milliseconds of SQL, pydantic and Jinja2;
answering it again from memory costs microseconds. An answer is kept under the
store's *generation*, a value that changes whenever any connection of any
process commits to the database, and the generation is read before every
request, so a cached answer is never served after a write:

- SQLite: ``PRAGMA data_version`` on a connection of our own that never
  writes. Its value changes when any other connection commits, in this
  process or another (``serve --workers N``).
- PostgreSQL: ``txid_current_snapshot()``. Every commit of a writing
  transaction changes it (its xid leaves the in-progress list or moves
  ``xmax``). The snapshot covers the whole server, so writes to other
  databases only cost misses.

Each worker process keeps its own cache, at most ``max_bytes`` of answers,
least recently used dropped first. Answers carry an ``ETag``;
``If-None-Match`` with that tag gets 304.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from typing import Callable

import anyio
from sqlalchemy import Engine

from ..store.db import in_memory

log = logging.getLogger(__name__)

DEFAULT_CACHE_BYTES = 64 * 2**20  # per worker process
# Read endpoints whose 200 answers depend only on the request's URL and the store.
CACHED_PREFIXES = (
    "/search", "/articles", "/sources", "/stories", "/claims",
    "/web/search", "/web/articles", "/web/sources", "/web/stories", "/web/claims",
)
_GENERATION_SQL = {"sqlite": "PRAGMA data_version", "postgresql": "SELECT txid_current_snapshot()::text"}


class StoreGeneration:
    """Callable: the store's current generation, or None when it cannot be read (then nothing is cached).

    It holds one connection of its own, outside the engine's pool, that only
    ever reads the generation.
    """

    def __init__(self, engine: Engine):
        self.engine = engine
        self.sql = _GENERATION_SQL.get(engine.dialect.name)
        if in_memory(engine.url):
            self.sql = None  # each connection has its own in-memory database: no shared generation
        # a PostgreSQL round trip is read in a worker thread, not in the event loop; SQLite's pragma takes microseconds
        self.in_thread = engine.dialect.name == "postgresql"
        self._conn = None
        self._lock = threading.Lock()

    def __call__(self) -> object | None:
        if self.sql is None:
            return None
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = self._connect()
                cur = self._conn.cursor()
                cur.execute(self.sql)
                value = cur.fetchone()[0]
                cur.close()
                return value
            except Exception as exc:  # a lost connection: answer uncached, and reconnect next time
                log.warning("cannot read the store's generation (%s): answering without the cache", exc)
                self.close()
                return None

    def _connect(self):
        raw = self.engine.raw_connection()  # the engine's own connect settings (SQLite pragmas, PG URL)
        conn = raw.driver_connection
        raw.detach()  # ours alone: it never returns to the pool
        if self.engine.dialect.name == "postgresql":
            conn.autocommit = True  # no transaction left open between requests
        return conn

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # already gone
                pass
            self._conn = None


class ResponseCache:
    """Pure ASGI middleware: 200 answers to GETs of :data:`CACHED_PREFIXES`, per generation of the store."""

    def __init__(self, app, generation: Callable[[], object | None], max_bytes: int = DEFAULT_CACHE_BYTES):
        self.app = app
        self.generation = generation
        self.max_bytes = max_bytes
        self.max_entry = max_bytes // 8  # one huge answer cannot empty the cache
        self.entries: OrderedDict[tuple, tuple[list, bytes]] = OrderedDict()
        self.size = 0
        self.current: object | None = None
        self.hits = self.misses = 0

    async def __call__(self, scope, receive, send):
        if (scope["type"] != "http" or scope["method"] != "GET" or self.max_bytes <= 0
                or not scope["path"].startswith(CACHED_PREFIXES)):
            return await self.app(scope, receive, send)
        if getattr(self.generation, "in_thread", False):
            generation = await anyio.to_thread.run_sync(self.generation)
        else:
            generation = self.generation()
        if generation is None:
            return await self.app(scope, receive, send)
        if generation != self.current:  # something was written: every kept answer is out of date
            self.entries.clear()
            self.size = 0
            self.current = generation
        headers = dict(scope["headers"])
        key = (generation, scope.get("scheme"), headers.get(b"host"), scope.get("root_path", ""),
               scope["path"], scope.get("query_string", b""))
        entry = self.entries.get(key)
        if entry is not None:
            self.hits += 1
            self.entries.move_to_end(key)
            return await _answer(send, entry, headers.get(b"if-none-match"))
        self.misses += 1
        await self._fill(scope, receive, send, key, headers.get(b"if-none-match"))

    async def _fill(self, scope, receive, send, key: tuple, if_none_match: bytes | None) -> None:
        """Run the app; a complete 200 answer in one body message is kept (with an ETag) and sent."""
        start: dict | None = None
        passing = False

        async def capture(message):
            nonlocal start, passing
            if passing or message["type"] not in ("http.response.start", "http.response.body"):
                return await send(message)  # the rest of a passed answer, or a test client's debug message
            if message["type"] == "http.response.start":
                start = message
                if message["status"] != 200 or any(k.lower() == b"set-cookie" for k, _ in message.get("headers", [])):
                    passing = True
                    await send(message)
                return None
            body = message.get("body", b"")
            if message.get("more_body") or len(body) > self.max_entry:  # streamed or too big: not kept
                passing = True
                await send(start)
                return await send(message)
            etag = b'"' + hashlib.blake2b(body, digest_size=16).hexdigest().encode() + b'"'
            entry = ([*start.get("headers", []), (b"etag", etag), (b"cache-control", b"no-cache")], body)
            self._keep(key, entry)
            passing = True
            return await _answer(send, entry, if_none_match)

        await self.app(scope, receive, capture)

    def _keep(self, key: tuple, entry: tuple[list, bytes]) -> None:
        if key[0] != self.current:
            return  # written meanwhile: the answer may already be out of date
        self.entries[key] = entry
        self.size += len(entry[1])
        while self.size > self.max_bytes and self.entries:
            _, (_, body) = self.entries.popitem(last=False)
            self.size -= len(body)


async def _answer(send, entry: tuple[list, bytes], if_none_match: bytes | None) -> None:
    headers, body = entry
    etag = next(v for k, v in headers if k == b"etag")
    if if_none_match is not None and etag in (tag.strip() for tag in if_none_match.split(b",")):
        kept = [(k, v) for k, v in headers if k in (b"etag", b"cache-control")]
        await send({"type": "http.response.start", "status": 304, "headers": kept})
        return await send({"type": "http.response.body", "body": b""})
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
