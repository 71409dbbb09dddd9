"""The store on SQLite and PostgreSQL: migrations, idempotent saves, entity merging, search filters, pages."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine, insert, inspect, select, text

from articles_factory import Claim, build
from dbfixtures import db_url  # noqa: F401  (fixture)
from sourcetrace.errors import InputError
from sourcetrace.model import Certainty, SourceType
from sourcetrace.store import SearchQuery, Store, outlets_for, search
from sourcetrace.store.entities import Resolver, clean_name, resolve
from sourcetrace.store.migrate import current_revision, head_revision
from sourcetrace.store.schema import entities, entity_aliases, metadata


@pytest.fixture
def store(db_url):  # noqa: F811
    s = Store.open(db_url)
    yield s
    s.close()


def test_open_migrates_to_head_and_reopen_is_a_no_op(db_url):  # noqa: F811
    with Store.open(db_url) as s:
        assert current_revision(s.engine) == head_revision()
        tables = set(inspect(s.engine).get_table_names())
        assert {"articles", "attributions", "sources", "entities", "statements", "quantities", "certainty_markers"} <= tables
        s.save(build([Claim("Jane Doe", "the bridge is safe")]))
    with Store.open(db_url) as s:
        assert s.counts()["articles"] == 1


def test_sqlite_file_is_in_wal_mode(tmp_path):
    with Store.open(tmp_path / "wal.db") as s, s.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_same_article_is_stored_once(store):
    a = build([Claim("Jane Doe", "the bridge is safe")], url="https://news.example/story?id=7&utm_source=x#top")
    first = store.save(a)
    again = store.save(a.model_copy())
    same_url = store.save(build([Claim("Jane Doe", "other words")], url="HTTPS://News.Example/story?id=7"))
    assert first.created and not again.created and not same_url.created
    assert again.id == first.id == same_url.id
    no_url = build([Claim("John Roe", "the tunnel is closed")], url=None)
    assert store.save(no_url).created
    assert not store.save(build([Claim("John Roe", "the tunnel is closed")], url=None)).created
    assert store.save(build([Claim("John Roe", "the tunnel is open")], url=None)).created
    assert store.counts()["articles"] == 3


def test_article_json_comes_back_exactly(store):
    a = build([Claim("Jane Doe", "42 tanks crossed", certainty=Certainty.hedged, cue="claimed")], own_voice=["The sky is blue."])
    saved = store.save(a)
    back = store.get_article(saved.id)
    assert back.id == str(saved.id)
    assert back.model_dump(exclude={"id"}) == a.model_dump(exclude={"id"})
    assert store.get_article(saved.id + 999) is None
    counts = store.counts()
    assert counts["quantities"] == 1 and counts["certainty_markers"] == 1
    assert counts["statements"] == 2  # the claim and the own-voice sentence


@pytest.mark.parametrize(
    "raw,type_,expected",
    [
        ("Russian President Vladimir Putin", "person", "Vladimir Putin"),
        ("Russian President Vladimir Putin", "government", "Vladimir Putin"),
        ("President Putin", "person", "Putin"),
        ("Secretary of State John Kerry", "person", "John Kerry"),
        ("Trump's campaign manager Kellyanne Conway", "person", "Kellyanne Conway"),
        ("the Defence Ministry", "government", "Defence Ministry"),
        ("The New York Times", "media", "New York Times"),
        ("Jordan Peterson", "person", "Jordan Peterson"),  # a first name that ends like a demonym
        ("Kremlin spokesman Dmitry Peskov", "person", "Dmitry Peskov"),
    ],
)
def test_clean_name_strips_titles_not_names(raw, type_, expected):
    assert clean_name(raw, type_) == expected


def test_sources_are_merged_across_articles(store):
    store.save(build([Claim("Russian President Vladimir Putin", "the war goes well")], outlet="A", url="https://a.example/1"))
    store.save(build([Claim("Putin", "talks are possible", entity_name="Putin")], outlet="B", url="https://b.example/1"))
    store.save(build([Claim("Vladimir Putin", "sanctions failed")], outlet="C", url="https://c.example/1"))
    store.save(build([Claim("President Putin", "the West is weak")], outlet="A", url="https://a.example/2"))
    page = store.list_entities(name="Putin")
    assert page.total == 1
    putin = page.items[0]
    assert putin.name == "Vladimir Putin" and putin.statements == 4 and putin.articles == 4
    for form in ("putin", "Vladimir Putin", "Russian President Vladimir Putin"):
        assert search(store, SearchQuery(source=form)).total == 4


def test_bare_surname_widens_to_full_name_later(store):
    store.save(build([Claim("Zelensky", "aid is urgent")], url="https://a.example/z1"))
    store.save(build([Claim("Ukrainian President Volodymyr Zelensky", "the front holds")], url="https://a.example/z2"))
    page = store.list_entities(name="Zelensky")
    assert page.total == 1 and page.items[0].name == "Volodymyr Zelensky" and page.items[0].statements == 2


def test_a_name_repeated_in_an_article_is_one_entity_whose_type_and_aliases_grow_later(store):
    unknown = SourceType.unknown
    store.save(build([Claim("Maria Lopez", "rents rose", type=unknown), Claim("Maria Lopez", "wages fell", type=unknown)],
                     url="https://a.example/l1"))
    [entity] = store.list_entities(name="Maria Lopez").items
    assert (entity.type, entity.statements) == ("unknown", 2)
    assert search(store, SearchQuery(source="Lopez")).total == 0  # no surname alias for a name of unknown type
    store.save(build([Claim("Maria Lopez", "the council must act")], url="https://a.example/l2"))
    [entity] = store.list_entities(name="Maria Lopez").items
    assert (entity.type, entity.statements) == ("person", 3)
    assert search(store, SearchQuery(source="Lopez")).total == 3


def test_shared_surname_is_not_guessed(store):
    store.save(build([Claim("Boris Johnson", "Brexit is done")], url="https://a.example/j1"))
    store.save(build([Claim("Lyndon Johnson", "the war is winnable")], url="https://a.example/j2"))
    store.save(build([Claim("Johnson", "something")], url="https://a.example/j3"))
    names = {e.name for e in store.list_entities(per_page=50).items}
    assert {"Boris Johnson", "Lyndon Johnson", "Johnson"} <= names
    assert search(store, SearchQuery(source="Boris Johnson")).total == 1


def _entity_tables(engine):
    with engine.connect() as conn:
        return (conn.execute(select(entities.c.id, entities.c.key, entities.c.name, entities.c.type).order_by(entities.c.id)).all(),
                conn.execute(select(entity_aliases).order_by(entity_aliases.c.alias, entity_aliases.c.entity_id)).all())


def test_resolving_through_a_resolver_is_resolving_each_name_afresh():
    """The per-article Resolver remembers answers, but only until it writes: ids and tables are as without it."""
    names = [("Johnson", "person"), ("Lyndon Johnson", "person"), ("Johnson", "person"), ("Putin", "unknown"),
             ("President Vladimir Putin", "unknown"), ("Putin", "person"), ("Johnson", "unknown"),
             ("President Lyndon Johnson", "unknown"), ("Johnson", "unknown"), ("Maria Lopez", "unknown"),
             ("Maria Lopez", "person"), ("Lopez", "person"), ("Defence Ministry", "government"), ("Defence Ministry", "government")]
    runs = []
    for remembering in (False, True):
        engine = create_engine("sqlite://")
        metadata.create_all(engine, tables=[entities, entity_aliases])
        with engine.begin() as conn:
            conn.execute(insert(entities).values(key="boris johnson", name="Boris Johnson", type="person", anonymous=False))
            conn.execute(insert(entity_aliases), [{"alias": a, "entity_id": 1} for a in ("boris johnson", "johnson")])
        with engine.begin() as conn:
            ask = Resolver(conn) if remembering else (lambda name, type_: resolve(conn, name, type_))
            ids = [ask(name, type_) for name, type_ in names]
        runs.append((ids, _entity_tables(engine)))
    assert runs[0] == runs[1]
    ids = runs[0][0]
    assert ids[0] == 1 and ids[2] not in (1, ids[1])  # "Johnson" is Boris until Lyndon makes it ambiguous


@pytest.fixture
def corpus(store):
    """Four articles, three outlets, a spread of dates, types, certainty and anonymity."""
    store.save(
        build(
            [
                Claim("Russian President Vladimir Putin", "the bridge will be rebuilt by spring", type=SourceType.government),
                Claim("officials", "the bridges were hit twice", type=SourceType.anonymous, anonymous=True, cue="claimed", certainty=Certainty.hedged),
            ],
            own_voice=["The bridge carried 40 trains a day."],
            outlet="Daily Planet",
            published=dt.date(2024, 1, 10),
            url="https://planet.example/1",
        )
    )
    store.save(
        build(
            [
                Claim("Putin", "sanctions have failed", entity_name="Putin"),
                Claim("the Pentagon", "the missile struck a depot", type=SourceType.government, certainty=Certainty.denied, cue="denied"),
            ],
            outlet="Morning Star",
            published=dt.date(2024, 3, 5),
            url="https://star.example/1",
        )
    )
    store.save(
        build(
            [Claim("a senior official", "the bridge talks collapsed", type=SourceType.anonymous, anonymous=True)],
            outlet="daily planet",
            published=dt.date(2024, 6, 1),
            url="https://planet.example/2",
        )
    )
    store.save(
        build(
            [Claim("Jane Doe", "the harbour bridge reopens Monday", type=SourceType.person, certainty=Certainty.predicted, cue="expects")],
            outlet="Harbour News",
            published=None,
            url="https://harbour.example/1",
        )
    )
    return store


def texts(page):
    return sorted(h.text for h in page.items)


def test_full_text_uses_stemming_and_ranks(corpus):
    page = search(corpus, SearchQuery(q="bridge"))
    assert texts(page) == sorted(
        [
            "the bridge will be rebuilt by spring",
            "the bridges were hit twice",
            "The bridge carried 40 trains a day.",
            "the bridge talks collapsed",
            "the harbour bridge reopens Monday",
        ]
    )
    assert all(h.score is not None for h in page.items)
    assert search(corpus, SearchQuery(q="depot")).items[0].source == "the Pentagon"


def test_query_language_phrases_or_and_not(corpus):
    assert texts(search(corpus, SearchQuery(q='"harbour bridge"'))) == ["the harbour bridge reopens Monday"]
    assert texts(search(corpus, SearchQuery(q="sanctions OR depot"))) == ["sanctions have failed", "the missile struck a depot"]
    assert "the harbour bridge reopens Monday" not in texts(search(corpus, SearchQuery(q="bridge -harbour")))
    assert search(corpus, SearchQuery(q="bridge spring")).total == 1  # all words must match
    with pytest.raises(InputError):
        search(corpus, SearchQuery(q="the of"))


def test_filter_by_source_name_and_entity(corpus):
    page = search(corpus, SearchQuery(source="Putin"))
    assert texts(page) == ["sanctions have failed", "the bridge will be rebuilt by spring"]
    entity_id = page.items[0].entity_id
    assert search(corpus, SearchQuery(entity_id=entity_id)).total == 2
    assert search(corpus, SearchQuery(source="Nobody Atall")).total == 0
    assert texts(search(corpus, SearchQuery(q="bridge", source="Putin"))) == ["the bridge will be rebuilt by spring"]


def test_filter_by_source_type_and_anonymity(corpus):
    assert texts(search(corpus, SearchQuery(source_type=SourceType.government))) == [
        "the bridge will be rebuilt by spring",
        "the missile struck a depot",
    ]
    anon = search(corpus, SearchQuery(anonymous=True))
    assert texts(anon) == ["the bridge talks collapsed", "the bridges were hit twice"]
    named = search(corpus, SearchQuery(anonymous=False, own_voice=False))
    assert named.total == 4 and all(not h.anonymous for h in named.items)
    assert texts(search(corpus, SearchQuery(own_voice=True))) == ["The bridge carried 40 trains a day."]


def test_filter_by_outlet_ignores_case(corpus):
    page = search(corpus, SearchQuery(outlet="DAILY PLANET", own_voice=False))
    assert texts(page) == ["the bridge talks collapsed", "the bridge will be rebuilt by spring", "the bridges were hit twice"]


def test_filter_by_certainty(corpus):
    assert texts(search(corpus, SearchQuery(certainty=[Certainty.hedged]))) == ["the bridges were hit twice"]
    both = search(corpus, SearchQuery(certainty=[Certainty.denied, Certainty.predicted]))
    assert texts(both) == ["the harbour bridge reopens Monday", "the missile struck a depot"]


def test_filter_by_date_range(corpus):
    page = search(corpus, SearchQuery(date_from=dt.date(2024, 2, 1), date_to=dt.date(2024, 6, 1)))
    assert texts(page) == ["sanctions have failed", "the bridge talks collapsed", "the missile struck a depot"]
    assert search(corpus, SearchQuery(date_from=dt.date(2025, 1, 1))).total == 0
    with pytest.raises(ValueError):
        SearchQuery(date_from=dt.date(2024, 2, 1), date_to=dt.date(2024, 1, 1))


def test_sort_by_date(corpus):
    newest = search(corpus, SearchQuery(sort="newest", own_voice=False)).items
    dates = [h.published for h in newest if h.published]
    assert dates == sorted(dates, reverse=True) and newest[-1].published is None  # undated last
    oldest = [h.published for h in search(corpus, SearchQuery(sort="oldest")).items if h.published]
    assert oldest == sorted(oldest)


def test_pagination_is_complete_and_disjoint(corpus):
    full = search(corpus, SearchQuery(per_page=200, sort="newest"))
    assert full.total == 7
    seen = []
    for page_no in range(1, 5):
        page = search(corpus, SearchQuery(per_page=2, page=page_no, sort="newest"))
        assert page.total == 7
        seen += [h.id for h in page.items]
    assert seen == [h.id for h in full.items]
    assert search(corpus, SearchQuery(per_page=2, page=9)).items == []


def test_outlets_carrying_a_source(corpus):
    rows = outlets_for(corpus, source="Vladimir Putin")
    assert {(r.outlet, r.statements) for r in rows} == {("Daily Planet", 1), ("Morning Star", 1)}
    assert outlets_for(corpus, source="nobody here") == []


def test_failures_are_recorded_then_cleared_on_success(store):
    store.record_failure("bad.txt", ValueError("broken"))
    store.record_failure("bad.txt", ValueError("still broken"))
    [f] = store.failures()
    assert f.ref == "bad.txt" and f.attempts == 2 and f.error == "still broken"
    store.save(build([Claim("Jane Doe", "fixed now")]), origin="bad.txt")
    assert store.failures() == []


def test_delete_article_removes_its_rows(store):
    saved = store.save(build([Claim("Jane Doe", "42 tanks crossed", certainty=Certainty.hedged)]))
    assert store.delete_article(saved.id)
    counts = store.counts()
    assert counts["articles"] == counts["statements"] == counts["attributions"] == counts["quantities"] == 0
    assert search(store, SearchQuery(q="tanks")).total == 0


def test_concurrent_writers_store_each_article_and_entity_once(store):
    from concurrent.futures import ThreadPoolExecutor

    batch = [build([Claim("Ursula von der Leyen", f"point {i} stands"), Claim("Olaf Scholz", f"point {i} fails")], url=f"https://eu.example/{i}") for i in range(6)]

    def write_all(_):
        return [store.save(a.model_copy(deep=True)).id for a in batch]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(write_all, range(4)))
    assert all(r == results[0] for r in results)
    counts = store.counts()
    assert counts["articles"] == 6 and counts["attributions"] == 12 and counts["entities"] == 2


def test_migrations_match_the_table_definitions(store):
    """schema.py and the migrations must describe the same tables (besides the full-text extras)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from sourcetrace.store.schema import metadata

    extras = {"tsv", "tags", "ix_statements_tsv", "ix_statements_newest", "ix_entities_lower_name"}

    def named(obj) -> str:
        return getattr(obj, "name", "") or ""

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    flat = [d for group in diff for d in (group if isinstance(group, list) else [group])]
    real = [d for d in flat if not any(named(part) in extras or named(part).startswith(("statements_fts", "statements_tags")) for part in d if hasattr(part, "name"))]
    assert real == []
