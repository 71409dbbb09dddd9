"""The cache of read answers (``api/cache.py``): same answers as without it, never stale after a write (issue #11, load)."""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from articles_factory import Claim, build
from dbfixtures import db_url  # noqa: F401  (fixture)
from sourcetrace.api import create_app
from sourcetrace.api.cache import ResponseCache, StoreGeneration
from sourcetrace.store import Store

TOKEN = "t0k"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
READS = ["/search?q=bridge", "/search?source=Putin", "/search/facets?q=bridge", "/articles", "/sources",
         "/articles/1", "/web/articles/1", "/web/search?q=bridge", "/stories", "/claims"]


def _article(n: int, *, source: str = "Putin", content: str = "the bridge will be rebuilt"):
    return build([Claim(source, f"{content} {n}")], url=f"https://planet.example/{n}")


def _cache_of(app) -> ResponseCache:
    layer = app.middleware_stack
    while not isinstance(layer, ResponseCache):
        layer = layer.app
    return layer


@pytest.fixture
def clients(db_url):  # noqa: F811
    """A client of an app with the cache and one without it, on the same store."""
    cached, plain = create_app(db_url, token=TOKEN), create_app(db_url, token=TOKEN, cache_bytes=0)
    with TestClient(cached) as c, TestClient(plain) as p:
        yield c, p
    cached.state.store.close()
    plain.state.store.close()


def test_cache_answers_are_identical_to_uncached_ones(clients):
    cached, plain = clients
    store = cached.app.state.store
    store.save(_article(1))
    store.save(_article(2, source="officials", content="the bridge was hit"))
    for path in READS:
        first, again, direct = cached.get(path), cached.get(path), plain.get(path)
        assert first.status_code == direct.status_code == 200, (path, first.text)
        assert first.content == again.content == direct.content, path
        assert first.headers["content-type"] == again.headers["content-type"] == direct.headers["content-type"]


@pytest.mark.parametrize("write", ["api", "library", "other store"])
def test_cache_never_serves_an_answer_from_before_a_write(clients, db_url, write):  # noqa: F811
    cached, _ = clients
    store = cached.app.state.store
    store.save(_article(1))
    before = {path: cached.get(path).content for path in ("/articles", "/search?q=bridge", "/web/search?q=bridge")}
    assert all(cached.get(path).content == body for path, body in before.items())  # now answered from the cache
    if write == "api":
        resp = cached.post("/ingest", json={"articles": [{"text": "The mayor said the bridge would reopen soon."}]}, headers=AUTH)
        assert resp.json()["stored"] == 1
    elif write == "library":
        store.save(_article(2))
    else:  # another Store on the same database: what another `serve --workers N` process is
        with Store.open(db_url) as other:
            other.save(_article(2))
    assert cached.get("/articles").json()["total"] == 2
    for path, body in before.items():
        assert cached.get(path).content != body, path


def test_cache_keeps_no_error_answer(clients):
    cached, _ = clients
    assert cached.get("/web/articles/1").status_code == 404
    assert cached.get("/articles/1").status_code == 404
    first = cached.app.state.store.save(_article(1))
    page = cached.get(f"/web/articles/{first.id}")
    assert page.status_code == 200 and "rebuilt 1" in page.text
    assert cached.get(f"/articles/{first.id}").status_code == 200


def test_cache_hits_on_sqlite(tmp_path):
    app = create_app(str(tmp_path / "s.db"))
    with TestClient(app) as client:
        app.state.store.save(_article(1))
        for _ in range(3):
            assert client.get("/search?q=bridge").status_code == 200
        cache = _cache_of(app)
        assert (cache.hits, cache.misses) == (2, 1)
        client.get("/search?q=bridge&page=1")  # another request: its own answer
        assert cache.misses == 2
        client.get("/health")
        client.post("/analyze", json={"text": "The mayor said so."})
        assert (cache.hits, cache.misses) == (2, 2)  # neither is cached
    app.state.store.close()


def test_cache_etag_gets_304_until_the_store_changes(tmp_path):
    app = create_app(str(tmp_path / "s.db"))
    with TestClient(app) as client:
        app.state.store.save(_article(1))
        first = client.get("/search?q=bridge")
        tag = first.headers["etag"]
        again = client.get("/search?q=bridge", headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
        assert client.get("/search?q=bridge", headers={"If-None-Match": '"other"'}).status_code == 200
        app.state.store.save(_article(2))
        changed = client.get("/search?q=bridge", headers={"If-None-Match": tag})
        assert changed.status_code == 200 and changed.headers["etag"] != tag
        assert changed.json()["total"] == 2
    app.state.store.close()


def test_cache_keeps_within_its_bytes(tmp_path):
    app = create_app(str(tmp_path / "s.db"), cache_bytes=20_000)
    with TestClient(app) as client:
        for n in range(1, 6):
            app.state.store.save(_article(n))
        for n in range(1, 6):
            assert client.get(f"/web/articles/{n}").status_code == 200
            cache = _cache_of(app)
            assert cache.size <= cache.max_bytes == 20_000
            assert cache.size == sum(len(body) for _, body in cache.entries.values())
    app.state.store.close()


def test_cache_generation_changes_with_every_commit_only(db_url):  # noqa: F811
    with Store.open(db_url) as store, Store.open(db_url) as other:
        generation = StoreGeneration(store.engine)
        start = generation()
        assert start is not None
        store.list_articles()
        if store.dialect == "sqlite":  # a PostgreSQL snapshot also moves with other databases' writes
            assert generation() == start  # reads change nothing
        store.save(_article(1))
        after_own = generation()
        assert after_own != start
        other.save(_article(2))
        assert generation() != after_own
        generation.close()


def test_cache_off_for_an_in_memory_sqlite_store():
    with Store.open("sqlite:///:memory:") as store:
        assert StoreGeneration(store.engine)() is None


def test_page_cache_keeps_within_its_bytes_most_recent_first():
    from sourcetrace.web.routes import PageCache

    pages = PageCache(max_bytes=250)
    for n in range(5):
        pages.put((n,), bytes(100))
        pages.get((0,))  # the first page is read each time: kept
    assert pages.size == 200 <= pages.max_bytes
    assert pages.get((0,)) is not None and pages.get((4,)) is not None
    assert pages.get((1,)) is None and pages.get((3,)) is None
    pages.put((4,), bytes(50))  # the same key again replaces, and counts once
    assert pages.size == 150


def test_serve_cache_help_states_both_caches_memory():
    import re

    from typer.testing import CliRunner

    from sourcetrace.cli import app
    from sourcetrace.cli.serve import RENDER_CACHE_MB
    from sourcetrace.web.routes import PageCache

    assert PageCache().max_bytes == RENDER_CACHE_MB * 2**20  # the render cache is what --cache-mb's help says
    shown = " ".join(CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "200"}).output.split())
    shown = re.sub(r"[│|]", " ", shown)
    assert f"CACHE_MB + {RENDER_CACHE_MB} MiB" in " ".join(shown.split())
