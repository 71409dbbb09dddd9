"""Search with words and filters through the full-text index's tags (migration 0004), facets, and the upgrade path."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import random

import pytest
from alembic import command
from sqlalchemy import text

from articles_factory import Claim, build
from dbfixtures import db_url  # noqa: F401  (fixture)
from sourcetrace.model import Certainty, SourceType
from sourcetrace.store import SearchQuery, Store, facets, search, search_with_facets
from sourcetrace.store.db import make_engine
from sourcetrace.store.fulltext import cheaper_groups, complement, date_tags, fts5_match, tag_groups, tsquery_tags
from sourcetrace.store.migrate import alembic_config, current_revision, head_revision

OUTLETS = ["Daily Planet", "Morning Star", "Le Monde — Édition du soir", None]
WORDS = ["bridge", "sanctions", "missile", "harbour", "talks", "election"]
SOURCES = [
    ("Vladimir Putin", SourceType.person, False),
    ("the Pentagon", SourceType.government, False),
    ("officials", SourceType.anonymous, True),
    ("Jane Doe", SourceType.person, False),
]


def _article(rng: random.Random, i: int):
    claims = []
    for _ in range(rng.randint(1, 4)):
        name, type_, anon = rng.choice(SOURCES)
        words = " ".join(rng.sample(WORDS, 2))
        claims.append(Claim(name, f"the {words} story {i}", type=type_, anonymous=anon, certainty=rng.choice(list(Certainty))))
    published = None if i % 7 == 0 else dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 500))
    return build(claims, own_voice=[f"The {rng.choice(WORDS)} was news {i}."], outlet=OUTLETS[i % len(OUTLETS)],
                 published=published, url=f"https://example.org/{i}")


@pytest.fixture
def store(db_url):  # noqa: F811
    s = Store.open(db_url)
    rng = random.Random(14)
    for i in range(40):
        s.save(_article(rng, i))
    yield s
    s.close()


def ids(store, **kw) -> set[int]:
    page = search(store, SearchQuery(per_page=200, **kw))
    assert page.total == len(page.items)
    return {h.id for h in page.items}


FILTERS = [
    {"source": "Putin"},
    {"source_type": SourceType.government},
    {"anonymous": True},
    {"anonymous": False, "own_voice": False},
    {"own_voice": True},
    {"certainty": [Certainty.hedged, Certainty.denied]},
    {"outlet": "le monde — édition du soir"},
    {"outlet": "DAILY PLANET", "certainty": [Certainty.reported]},
    {"date_from": dt.date(2024, 3, 15), "date_to": dt.date(2024, 9, 2)},  # months tagged, boundaries partial
    {"date_from": dt.date(2024, 6, 1)},
    {"source": "Jane Doe", "date_to": dt.date(2024, 12, 31), "anonymous": False},
]


def test_words_and_filters_find_exactly_the_rows_each_finds_alone(store):
    """The tags in the full-text index only narrow: words + filters = words ∩ filters, on every filter."""
    for q, f in itertools.product(["bridge", "talks OR harbour", "missile -sanctions", '"bridge sanctions"'], FILTERS):
        both = ids(store, q=q, **f)
        assert both == ids(store, q=q) & ids(store, **f), (q, f)
    assert ids(store, q="bridge", **FILTERS[6])  # the unusual outlet is really exercised


def test_relevance_order_is_the_same_with_and_without_filters(store):
    """Filters carried as tags must not change the score of the rows they keep."""
    plain = search(store, SearchQuery(q="bridge", per_page=200)).items
    filtered = search(store, SearchQuery(q="bridge", anonymous=False, per_page=200)).items
    kept = {h.id for h in filtered}
    assert [h.id for h in filtered] == [h.id for h in plain if h.id in kept]
    assert [h.score for h in filtered] == pytest.approx([h.score for h in plain if h.id in kept])
    assert all(a.score >= b.score for a, b in itertools.pairwise(plain))


def test_relevance_scores_are_bm25_over_the_words_alone(store):
    """Tags never enter the score: it is FTS5's bm25 over statements_fts, the index the words always had."""
    hits = search(store, SearchQuery(q="bridge", per_page=200)).items
    if store.dialect == "sqlite":
        with store.engine.connect() as conn:
            bm25 = dict(conn.execute(text("SELECT rowid, -bm25(statements_fts) FROM statements_fts WHERE statements_fts MATCH 'bridge'")).all())
    else:
        with store.engine.connect() as conn:
            bm25 = dict(conn.execute(text("SELECT id, ts_rank(tsv, websearch_to_tsquery('english', 'bridge')) FROM statements"
                                          " WHERE tsv @@ websearch_to_tsquery('english', 'bridge')")).all())
    assert {h.id: h.score for h in hits} == pytest.approx(bm25)


@pytest.mark.parametrize("word", ["casserted", "tperson", "a1", "e1", "m202403", "v0"])
def test_words_never_match_the_tags(store, word):
    assert search(store, SearchQuery(q=word)).total == 0


def test_deep_pages_with_words_are_complete_and_disjoint(store):
    total = search(store, SearchQuery(q="bridge OR talks")).total
    seen = []
    for n in range(1, total // 7 + 2):
        seen += [h.id for h in search(store, SearchQuery(q="bridge OR talks", per_page=7, page=n)).items]
    assert len(seen) == len(set(seen)) == total


def test_tags_follow_updates_and_deletes(store):
    hit = search(store, SearchQuery(q="bridge", certainty=[Certainty.reported])).items[0]
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE statements SET certainty = 'denied' WHERE id = :id"), {"id": hit.id})
    assert hit.id not in ids(store, q="bridge", certainty=[Certainty.reported])
    assert hit.id in ids(store, q="bridge", certainty=[Certainty.denied])
    store.delete_article(hit.article_id)
    assert hit.id not in ids(store, q="bridge", certainty=[Certainty.denied])
    assert hit.id not in ids(store, q="bridge")


def test_facets_count_what_search_finds(store):
    query = dict(q="bridge OR missile", anonymous=False)
    hits = search(store, SearchQuery(per_page=200, **query)).items
    got = facets(store, SearchQuery(**query))
    assert got.total == len(hits)
    for field, counts in (("outlet", got.outlets), ("source_type", got.source_types), ("certainty", got.certainties)):
        expected = {}
        for h in hits:
            value = getattr(h, field)
            value = value.casefold() if field == "outlet" and value else value
            expected[value] = expected.get(value, 0) + 1
        assert {c.value: c.statements for c in counts} == expected, field
        assert [c.statements for c in counts] == sorted((c.statements for c in counts), reverse=True)
    assert facets(store, SearchQuery(q="bridge", source="Nobody Atall")).total == 0
    assert len(facets(store, SearchQuery(q="bridge"), limit=2).outlets) == 2


def test_search_with_facets_plans_once_and_answers_as_search_and_facets_do(store, monkeypatch):
    search_module = importlib.import_module("sourcetrace.store.search")  # the package rebinds the name to the function

    query = SearchQuery(q="bridge OR missile", anonymous=False, per_page=7)
    alone, counts = search(store, query), facets(store, query, limit=3)
    plans = []
    planner = search_module._plan
    monkeypatch.setattr(search_module, "_plan", lambda *a: plans.append(a) or planner(*a))
    page, got = search_with_facets(store, query, limit=3)
    assert len(plans) == 1
    assert page == alone and got == counts and page.total == got.total > 0
    assert search_with_facets(store, SearchQuery(q="bridge", source="Nobody Atall")) == (search(store, SearchQuery(q="bridge", source="Nobody Atall")), None)
    # where search estimates its total (broad PostgreSQL queries), the facets' exact count replaces it
    monkeypatch.setattr(search_module, "_page_ids", lambda *a: (10**6, False, []))
    page, got = search_with_facets(store, query)
    assert (page.total, page.total_exact) == (counts.total, True)


@pytest.mark.parametrize(
    "first, last, expected",
    [
        (dt.date(2023, 11, 30), dt.date(2024, 2, 1), ["d20231130", "m202312", "m202401", "d20240201"]),
        (dt.date(2023, 12, 1), dt.date(2025, 1, 31), ["m202312", "y2024", "m202501"]),
        (dt.date(2024, 2, 1), dt.date(2024, 2, 29), ["m202402"]),
        (dt.date(2024, 3, 5), dt.date(2024, 3, 4), []),
    ],
)
def test_date_tags_cover_a_range_exactly(first, last, expected):
    assert date_tags(first, last) == expected


def test_filters_become_one_tag_group_each():
    groups = tag_groups(entity_ids=[1, 2], anonymous=False, dates=(dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
    assert groups == [["e1", "e2"], ["a0"], ["y2024"]]
    assert fts5_match('"bridge"', groups[:1]) == 'text : ("bridge") AND tags : ("e1" OR "e2")'


def test_upgrade_from_0002_indexes_existing_statements_and_downgrade_restores(db_url):  # noqa: F811
    engine = make_engine(db_url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
    # Rows written under revision 0002 (its triggers / generated column fill its own full-text index).
    old = Store(engine)
    rng = random.Random(3)
    for i in range(12):
        old.save(_article(rng, i))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert current_revision(engine) == head_revision()
    store = Store(engine)
    for f in FILTERS:
        assert ids(store, q="bridge", **f) == ids(store, q="bridge") & ids(store, **f), f
    n_bridge = len(ids(store, q="bridge"))
    assert n_bridge
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
        if engine.dialect.name == "sqlite":
            found = conn.execute(text("SELECT count(*) FROM statements_fts WHERE statements_fts MATCH 'bridge'")).scalar_one()
        else:
            found = conn.execute(text("SELECT count(*) FROM statements WHERE tsv @@ to_tsquery('english', 'bridge')")).scalar_one()
        assert found == n_bridge
    engine.dispose()


def test_facets_in_the_api_and_beside_web_results(store):
    import re

    from fastapi.testclient import TestClient

    from sourcetrace.api.app import create_app

    client = TestClient(create_app(store=store))
    got = client.get("/search/facets", params={"q": "bridge", "anonymous": "false"}).json()
    assert got["total"] == client.get("/search", params={"q": "bridge", "anonymous": "false"}).json()["total"] > 0
    assert sum(c["statements"] for c in got["certainties"]) == got["total"]
    page = client.get("/web/search", params={"q": "bridge"}).text
    shown = {k: int(v) for k, v in re.findall(r'certainty=(\w+)">\w+</a> <span class="count" data-facet="certainty">(\d+)<', page)}
    assert shown == {c.value: c.statements for c in facets(store, SearchQuery(q="bridge")).certainties}
    link = re.search(r'href="([^"]*certainty=denied)"', page).group(1).replace("&amp;", "&")
    narrowed = client.get(link).text
    assert int(re.search(r'data-count="hits">(\d+)<', narrowed).group(1)) == shown["denied"]
    assert "data-facets" not in client.get("/web/search", params={"anonymous": "yes"}).text  # no words: no facets


@pytest.mark.parametrize("filters", [{}, {"anonymous": False}, {"source": "Putin", "certainty": [Certainty.reported, Certainty.hedged]}])
def test_relevance_runs_block_by_block_of_the_newest_matches(store, monkeypatch, filters):
    """Matching statements, newest first, are cut into blocks of RANK_WINDOW; results run through them, each block best first."""
    import importlib

    search_module = importlib.import_module("sourcetrace.store.search")
    q = "bridge OR talks"
    exact = search(store, SearchQuery(q=q, per_page=200, **filters)).items  # fits the default block: ranked over all
    score = {h.id: h.score for h in exact}
    newest = sorted(score, reverse=True)
    expected = []
    for start in range(0, len(newest), 3):
        expected += sorted(newest[start : start + 3], key=lambda i: (-score[i], i))
    monkeypatch.setattr(search_module, "RANK_WINDOW", 3)
    got = []
    for page_no in range(1, len(exact) // 2 + 2):
        page = search(store, SearchQuery(q=q, per_page=2, page=page_no, **filters))
        assert page.total == len(exact) > 6
        got += [h.id for h in page.items]
    assert got == expected


@pytest.mark.parametrize("prefer", ["required", "excluded"])
def test_filters_read_as_none_of_their_complement_find_the_same_rows(store, monkeypatch, prefer):
    """A closed filter (anonymity, own voice, certainty, dates) asked as "none of the other values" finds exactly the same rows."""
    import importlib

    search_module = importlib.import_module("sourcetrace.store.search")
    chosen = []

    def spy(groups, share, outside=None):
        keep, drop = [], []
        for g in groups:
            other = complement(g, outside)
            if prefer == "excluded" and other is not None:
                drop.append(other)
            else:
                keep.append(g)
        chosen.append(bool(drop))
        return keep, drop

    monkeypatch.setattr(search_module, "cheaper_groups", spy)
    for q, f in itertools.product(["bridge", "talks OR harbour", "missile -sanctions"], FILTERS):
        assert ids(store, q=q, **f) == ids(store, q=q) & ids(store, **f), (q, f)
    assert any(chosen) == (prefer == "excluded")


def test_cheaper_groups_excludes_the_complement_when_it_is_rarer():
    common = {"a0": 0.95, "a1": 0.05, "creported": 0.5, "chedged": 0.03, "m202403": 0.1, "y2023": 0.6, "y0": 0.0}
    share = lambda tag: common.get(tag, 0.01)  # noqa: E731
    groups = tag_groups(entity_ids=[7], anonymous=False, certainty=[Certainty.hedged],
                        dates=(dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
    keep, drop = cheaper_groups(groups, share, outside_dates=["y0", "y2023"])
    assert keep == [["e7"], ["chedged"], ["y2024"]]  # entities have no complement; hedged is rarer than the rest
    assert drop == [["a1"]]
    assert complement(["casserted", "creported"]) == ["chedged", "cconditional", "cdenied", "cpredicted"]
    assert complement(["e1"]) is None and complement(["tperson"]) is None
    assert fts5_match('"bridge"', keep[:1], drop) == '(text : ("bridge") AND tags : ("e7")) NOT tags : ("a1")'
    assert tsquery_tags(keep[:2], drop + [[]]) == "(e7) & (chedged) & !(a1)"
