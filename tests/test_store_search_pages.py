"""Keyset pagination (``after`` / ``next``) and PostgreSQL's broad-query path: same rows, same order as page numbers."""

from __future__ import annotations

import importlib

import pytest

from dbfixtures import db_url  # noqa: F401  (fixture)
from sourcetrace.errors import InputError
from sourcetrace.model import Certainty
from sourcetrace.store import SearchQuery, search
from test_store_search import store  # noqa: F401  (fixture: the 40 seeded articles those tests search)

search_module = importlib.import_module("sourcetrace.store.search")


def by_cursor(store, **kw) -> list[int]:
    seen, after = [], None
    for _ in range(200):
        page = search(store, SearchQuery(after=after, **kw))
        seen += [h.id for h in page.items]
        if page.next is None:
            return seen
        after = page.next
    raise AssertionError("the cursor never ended")


def by_number(store, per_page, **kw) -> list[int]:
    seen, n = [], 1
    while items := search(store, SearchQuery(page=n, per_page=per_page, **kw)).items:
        seen += [h.id for h in items]
        n += 1
    return seen


QUERIES = [
    {"q": "bridge OR talks"},
    {"q": "bridge OR talks", "anonymous": False},
    {"q": "harbour", "sort": "newest"},
    {"q": "harbour", "sort": "oldest"},
    {"sort": "newest"},  # 1 in 7 articles has no date: NULLs last
    {"sort": "oldest", "certainty": [Certainty.reported, Certainty.hedged]},
    {},  # no words: relevance is newest first
]


@pytest.mark.parametrize("kw", QUERIES)
def test_cursor_pages_are_the_numbered_pages(store, monkeypatch, kw):
    monkeypatch.setattr(search_module, "RANK_WINDOW", 4)  # relevance crosses blocks within a page and between pages
    expected = by_number(store, 3, **kw)
    assert len(expected) > 8
    assert by_cursor(store, per_page=3, **kw) == expected
    assert by_cursor(store, per_page=5, **kw) == expected



@pytest.mark.parametrize("kw", QUERIES[:2])
def test_the_one_block_query_gives_the_block_query_pages(store, monkeypatch, kw):
    """PostgreSQL ranks a page inside one block with a simpler statement: same ids, scores and order."""
    monkeypatch.setattr(search_module, "RANK_WINDOW", 4)
    pages = {}
    for one_block in (True, False):
        monkeypatch.setattr(search_module, "ONE_BLOCK_QUERY", one_block)
        pages[one_block] = [[(h.id, h.score) for h in search(store, SearchQuery(page=n, per_page=2, **kw)).items]
                            for n in (1, 2, 3)] + [by_cursor(store, per_page=4, **kw)]
    assert pages[True] == pages[False]
    assert all(pages[True][:3])

def test_cursor_from_another_sort_or_garbage_is_a_clear_error(store):
    words = search(store, SearchQuery(q="bridge", per_page=2)).next
    dated = search(store, SearchQuery(sort="newest", per_page=2)).next
    assert words.startswith("r") and dated.startswith("d")
    for query in (SearchQuery(q="bridge", after=dated), SearchQuery(sort="newest", after=words),
                  SearchQuery(after="drop table"), SearchQuery(sort="newest", after="d2024-02-30.5")):
        with pytest.raises(InputError, match="without `after`"):
            search(store, query)


def test_last_page_has_no_next(store):
    total = search(store, SearchQuery(q="bridge")).total
    page = search(store, SearchQuery(q="bridge", per_page=total + 1))
    assert len(page.items) == total and page.next is None


def test_api_search_gives_next_and_takes_after(store):
    from fastapi.testclient import TestClient

    from sourcetrace.api.app import create_app

    client = TestClient(create_app(store=store))
    first = client.get("/search", params={"q": "bridge OR talks", "per_page": 4}).json()
    second = client.get("/search", params={"q": "bridge OR talks", "per_page": 4, "after": first["next"]}).json()
    numbered = client.get("/search", params={"q": "bridge OR talks", "per_page": 4, "page": 2}).json()
    assert [h["id"] for h in second["items"]] == [h["id"] for h in numbered["items"]]
    assert first["total_exact"] is True and second["total"] == first["total"]
    assert client.get("/search", params={"q": "bridge", "after": "nonsense"}).status_code == 422
    # cursors of the right shape but past what a database id or a ranking block holds: 422, not an overflow (500)
    for after, sort in (("r9999999999999999999.1", None), ("r7.999999999", None), ("d.9999999999999999999", "newest")):
        params = {"q": "bridge", "after": after, **({"sort": sort} if sort else {})}
        assert client.get("/search", params=params).status_code == 422, after
    params = {p["name"] for p in client.get("/openapi.json").json()["paths"]["/search"]["get"]["parameters"]}
    assert {"after", "exact_total"} <= params


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)  # the broad-query path is PostgreSQL's
@pytest.mark.parametrize("kw", [{"q": "bridge OR talks"}, {"q": "bridge", "anonymous": False}, {"q": "talks", "source": "Putin"}])
def test_postgresql_broad_path_ranks_the_same_blocks(store, monkeypatch, kw):
    """Forced onto the path for broad queries (id ranges, widening), PostgreSQL returns the same pages in the same order."""
    assert store.dialect == "postgresql"
    monkeypatch.setattr(search_module, "RANK_WINDOW", 4)
    exact = by_number(store, 3, **kw)
    exact_total = search(store, SearchQuery(**kw)).total
    monkeypatch.setattr(search_module, "EXACT_COUNT", -1)
    monkeypatch.setattr(search_module, "MIN_SPAN", 2)  # a few ids per range: the ranges must widen to fill a block
    assert by_number(store, 3, **kw) == exact
    assert by_cursor(store, per_page=3, **kw) == exact
    first = search(store, SearchQuery(per_page=3, **kw))
    # exact only when the ranges reached the oldest id; otherwise the planner's estimate, never below what was seen
    assert first.total == exact_total if first.total_exact else first.total >= len(first.items)
    counted = search(store, SearchQuery(per_page=3, exact_total=True, **kw))
    assert counted.total_exact is True and counted.total == exact_total
    assert [h.id for h in counted.items] == exact[:3]
