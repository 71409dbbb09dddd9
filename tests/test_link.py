"""Stories and claims on SQLite and PostgreSQL: grouping, incremental updates that keep ids, rebuilds, bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from articles_factory import Claim, build
from dbfixtures import db_url  # noqa: F401  (fixture)
from sourcetrace import link
from sourcetrace.cli import app
from sourcetrace.store import Store
from sourcetrace.store.schema import claim_statements, claims, statements, story_articles

QUAKE = [
    dict(outlet="Andes Herald", claims=[Claim("Chile's emergency office ONEMI", "a magnitude 7.1 earthquake struck near Antofagasta on Tuesday")],
         own=["At least 12 people were injured in Antofagasta, the regional governor Marta Rojas said.", "The port of Antofagasta was closed."]),
    dict(outlet="Pacific Wire", claims=[Claim("ONEMI", "a 7.1-magnitude quake hit Antofagasta in northern Chile on Tuesday")],
         own=["Twelve people were hurt in Antofagasta.", "Governor Marta Rojas visited the damaged port of Antofagasta."]),
    dict(outlet="Valley Times", claims=[Claim("Governor Marta Rojas", "the port of Antofagasta would reopen on Friday")],
         own=["A 7.1 magnitude earthquake shook Antofagasta, Chile, on Tuesday, injuring 12."]),
]
BRIDGE = [
    dict(outlet="Nordic Post", claims=[Claim("Oslo police", "the Lysaker bridge collapsed under a lorry on Sunday")],
         own=["Two drivers were rescued from the Lysaker river by firefighters in Oslo."]),
    dict(outlet="Fjord Daily", claims=[Claim("police in Oslo", "a lorry brought down the Lysaker bridge on Sunday")],
         own=["Firefighters pulled two drivers out of the Lysaker river in Oslo."]),
]


def article(spec, day=1, url=None):
    return build(spec["claims"], own_voice=spec["own"], outlet=spec["outlet"], published=dt.date(2024, 3, day),
                 url=url or f"https://{spec['outlet'].lower().replace(' ', '')}.example/{day}", title=spec["own"][0])


@pytest.fixture
def store(db_url):  # noqa: F811
    s = Store.open(db_url)
    yield s
    s.close()


def stories_of(store) -> dict[int, str]:
    with store.engine.connect() as conn:
        return dict(conn.execute(select(story_articles.c.article_id, story_articles.c.story_id)).all())


def claims_of(store) -> dict[int, str]:
    with store.engine.connect() as conn:
        return dict(conn.execute(select(claim_statements.c.statement_id, claim_statements.c.claim_id)).all())


def texts(store) -> dict[int, str]:
    with store.engine.connect() as conn:
        return dict(conn.execute(select(statements.c.id, statements.c.text)).all())


def test_articles_group_into_stories_and_paraphrases_into_claims(store):
    ids = [store.save(article(spec, day)).id for day, spec in enumerate(QUAKE + BRIDGE, 1)]
    report = link.update(store)
    assert report.articles == 5 and report.stories_created == 2
    story = stories_of(store)
    assert len({story[i] for i in ids[:3]}) == 1 and len({story[i] for i in ids[3:]}) == 1
    assert story[ids[0]] != story[ids[3]]
    members, txt = claims_of(store), texts(store)
    by_text = {txt[s]: c for s, c in members.items()}
    # paraphrases across outlets share a claim; different propositions of the story do not
    assert by_text["a magnitude 7.1 earthquake struck near Antofagasta on Tuesday"] == by_text[
        "a 7.1-magnitude quake hit Antofagasta in northern Chile on Tuesday"]
    assert by_text["Two drivers were rescued from the Lysaker river by firefighters in Oslo."] == by_text[
        "Firefighters pulled two drivers out of the Lysaker river in Oslo."]
    assert by_text["the port of Antofagasta would reopen on Friday"] != by_text[
        "a magnitude 7.1 earthquake struck near Antofagasta on Tuesday"]
    with store.engine.connect() as conn:
        # every claim's statements come from one story
        rows = conn.execute(text(
            "SELECT c.id, c.story_id, sa.story_id FROM claims c JOIN claim_statements cs ON cs.claim_id = c.id "
            "JOIN story_articles sa ON sa.article_id = cs.article_id")).all()
        assert rows and all(r[1] == r[2] for r in rows)
        n = conn.execute(select(claims.c.n_carriers).where(claims.c.id == by_text["Firefighters pulled two drivers out of the Lysaker river in Oslo."])).scalar()
        assert n == 2


def test_incremental_update_keeps_ids_and_links_only_new_articles(store):
    first = [store.save(article(spec, day)).id for day, spec in enumerate(QUAKE[:2] + BRIDGE[:1], 1)]
    link.update(store)
    before_stories, before_claims = stories_of(store), claims_of(store)
    late = [store.save(article(QUAKE[2], 9)).id, store.save(article(BRIDGE[1], 9)).id]
    report = link.update(store)
    assert report.articles == 2 and report.stories_created == 0 and report.stories_joined == 2
    after_stories, after_claims = stories_of(store), claims_of(store)
    assert {a: after_stories[a] for a in first} == before_stories
    assert {s: after_claims[s] for s in before_claims} == before_claims
    assert after_stories[late[0]] == before_stories[first[0]]
    assert after_stories[late[1]] == before_stories[first[2]]
    assert link.update(store).articles == 0  # nothing new


def test_rebuild_reproduces_the_incremental_grouping(store):
    for day, spec in enumerate(QUAKE + BRIDGE, 1):
        store.save(article(spec, day))
    link.update(store)
    stories_a, claims_a = stories_of(store), claims_of(store)
    report = link.rebuild(store)
    assert report.articles == 5 and report.encoded == 0  # vectors are cached
    assert stories_of(store) == stories_a and claims_of(store) == claims_a
    assert link.rebuild(store, reencode=True).encoded > 0
    assert stories_of(store) == stories_a


def test_relinking_given_articles_moves_nothing_else(store):
    ids = [store.save(article(spec, day)).id for day, spec in enumerate(QUAKE + BRIDGE, 1)]
    link.update(store)
    before = stories_of(store)
    report = link.update(store, article_ids=[ids[1]])
    assert report.articles == 1
    assert stories_of(store) == before


def test_empty_store_single_article_and_missing_metadata(store):
    assert link.update(store).articles == 0
    assert link.rebuild(store).articles == 0
    bare = build([Claim("officials", "the talks would resume")], outlet=None, published=None, url=None)
    store.save(bare)
    report = link.update(store)
    assert report.articles == 1 and report.stories_created == 1
    assert len(set(claims_of(store).values())) == len(claims_of(store))  # one article: every claim is its own


def test_deleting_an_article_removes_it_from_stories_and_claims(store):
    ids = [store.save(article(spec, day)).id for day, spec in enumerate(QUAKE, 1)]
    link.update(store)
    assert store.delete_article(ids[0])
    with store.engine.connect() as conn:
        assert conn.execute(select(story_articles.c.article_id).where(story_articles.c.article_id == ids[0])).first() is None
        assert conn.execute(select(claim_statements.c.article_id).where(claim_statements.c.article_id == ids[0])).first() is None


def test_cli_link_and_ingest_links_what_it_stores(db_url, tmp_path):  # noqa: F811
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("The mayor of Harbourton said the harbour bridge would reopen on Monday after repairs.\n")
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(folder), "--db", db_url, "-q", "--no-link"])
    assert result.exit_code == 0, result.output
    with Store.open(db_url) as s:
        assert stories_of(s) == {}
    result = runner.invoke(app, ["link", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "linked 1 articles" in result.output
    (folder / "b.txt").write_text("Harbourton's mayor told reporters the harbour bridge will reopen on Monday.\n")
    result = runner.invoke(app, ["ingest", str(folder), "--db", db_url, "-q"])
    assert result.exit_code == 0, result.output
    assert "linked 1 articles" in result.output
    with Store.open(db_url) as s:
        assert len(stories_of(s)) == 2
    result = runner.invoke(app, ["link", "--db", db_url, "--rebuild"])
    assert result.exit_code == 0 and "linked 2 articles" in result.output
