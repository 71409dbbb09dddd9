"""Incremental linking against a rebuild: the same stories whatever the order and steps articles come in, and the
stored state an update reads (term vectors, story sums, document frequencies) always equal to a recount."""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest
from sqlalchemy import select, update

from dbfixtures import db_url  # noqa: F401  (fixture)
from sourcetrace import link
from sourcetrace.analyze import annotate_many
from sourcetrace.ingest.batch import item_to_article
from sourcetrace.link import stories as story_settings
from sourcetrace.store import Store
from sourcetrace.store import linkstate
from sourcetrace.link.claims import story_terms
from sourcetrace.store.schema import (
    articles, claim_statements, claims, link_articles, link_statements, link_terms, stories, story_articles,
)
from test_eval_links import split  # noqa: F401  (fixture: a tiny split in ECB+'s format)
from trace_support import story_items

SAMPLES = ("kalvaria-border", "ostrov-parade", "brenmouth-explosion", "carrow-mill-fire")


@pytest.fixture(scope="module")
def analysed():
    return list(annotate_many([item_to_article(r) for r in story_items(*SAMPLES)]))


@pytest.fixture
def store(db_url):  # noqa: F811
    s = Store.open(db_url)
    yield s
    s.close()


def partition(store) -> set[frozenset[str]]:
    """The stories as sets of article URLs."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(story_articles.c.story_id, link_articles.c.article_id)
                            .join(link_articles, link_articles.c.article_id == story_articles.c.article_id)).all()
        url_of = dict(conn.execute(select(articles.c.id, articles.c.url)).all())
    groups: dict[str, set] = {}
    for sid, aid in rows:
        groups.setdefault(sid, set()).add(url_of[aid])
    return {frozenset(g) for g in groups.values()}


def assert_state_matches_a_recount(store) -> None:
    """Story sums = the sum of their members' stored vectors; document frequencies = a count over linked articles;
    n_articles and n_carriers = counts."""
    with store.engine.connect() as conn:
        vectors = {a: json.loads(v) for a, v in conn.execute(select(link_articles.c.article_id, link_articles.c.term_vector)
                                                            .where(link_articles.c.term_vector.is_not(None)))}
        members = conn.execute(select(story_articles.c.story_id, story_articles.c.article_id)).all()
        linked_terms = [json.loads(t) for a, t in conn.execute(select(link_articles.c.article_id, link_articles.c.terms)) if a in vectors]
        df = dict(conn.execute(select(link_terms.c.term, link_terms.c.df)).all())
        totals = {sid: (json.loads(t), n) for sid, t, n in conn.execute(select(stories.c.id, stories.c.term_total, stories.c.n_articles))}
        carriers = dict(conn.execute(select(claims.c.id, claims.c.n_carriers)).all())
        carried = conn.execute(select(claim_statements.c.claim_id, claim_statements.c.article_id)).all()
    assert {a for _, a in members} == set(vectors)  # every linked article has its vector, and only those
    by_story: dict[str, list[int]] = {}
    for sid, aid in members:
        by_story.setdefault(sid, []).append(aid)
    assert set(by_story) == set(totals)
    for sid, aids in by_story.items():
        total, n = totals[sid]
        assert n == len(aids)
        expected = story_settings.total_of(vectors[a] for a in aids)
        assert set(t for t, v in expected.items() if abs(v) > 1e-9) == set(total)
        assert all(abs(total[t] - expected[t]) < 1e-6 for t in total)
    recount: Counter = Counter()
    for terms in linked_terms:
        recount.update(terms.keys())
    assert df == dict(recount)
    # claims follow their articles: a claim's statements come from its own story's articles (also after regrouping)
    story_of = {aid: sid for sid, aid in members}
    with store.engine.connect() as conn:
        claim_story = dict(conn.execute(select(claims.c.id, claims.c.story_id)).all())
    assert set(claim_story.values()) <= set(totals)
    assert all(claim_story[cid] == story_of.get(aid) for cid, aid in carried)
    with store.engine.connect() as conn:
        counted = {sid: (t and json.loads(t), b) for sid, t, b in conn.execute(select(stories.c.id, stories.c.claim_terms, stories.c.claim_basis))}
        stmt_rows = conn.execute(select(link_statements.c.statement_id, link_statements.c.article_id, link_statements.c.terms,
                                        link_statements.c.claim_vector)).all()
    for sid, aids in by_story.items():  # the claim test's term counts: a recount over the story's statements
        terms = {r.statement_id: json.loads(r.terms) for r in stmt_rows if r.article_id in set(aids)}
        counts, basis = counted[sid]
        if basis is not None:
            assert counts == story_terms(terms, {r.statement_id: r.article_id for r in stmt_rows if r.statement_id in terms})
    assert any(r.claim_vector is not None for r in stmt_rows)
    per_claim: dict[str, set] = {}
    for cid, aid in carried:
        per_claim.setdefault(cid, set()).add(aid)
    assert carriers == {cid: len(a) for cid, a in per_claim.items()}


def linked_in_steps(store, steps) -> set[frozenset[str]]:
    for step in steps:
        for a in step:
            store.save(a.model_copy(deep=True))
        report = link.update(store)
        assert report.articles == len(step)
        assert_state_matches_a_recount(store)
    incremental = partition(store)
    link.rebuild(store)
    assert_state_matches_a_recount(store)
    expected = {frozenset(r["url"] for r in story_items(name)) for name in SAMPLES}
    assert partition(store) == expected  # the rebuild keeps the samples' stories as written
    return incremental


def test_samples_ingested_story_by_story_give_the_rebuilds_stories(store, analysed):
    files = {name: {r["url"] for r in story_items(name)} for name in SAMPLES}
    steps = [[a for a in analysed if a.url in files[name]] for name in ("carrow-mill-fire", "kalvaria-border",
                                                                        "brenmouth-explosion", "ostrov-parade")]
    assert linked_in_steps(store, steps) == partition(store)


def pair_f1(a: set[frozenset], b: set[frozenset]) -> float:
    pairs = lambda p: {frozenset((x, y)) for g in p for x in g for y in g if x < y}  # noqa: E731
    pa, pb = pairs(a), pairs(b)
    return 2 * len(pa & pb) / (len(pa) + len(pb))


@pytest.mark.parametrize("seed", [1, 4])
def test_samples_in_shuffled_steps_agree_closely_with_the_rebuild(store, analysed, seed):
    """Known limitation (MODEL_CARD.md): when the first articles of two similar events (the Kalvaria tanks
    and the Ostrov parade, which share the country and the tanks) arrive in one small batch, they can form
    one story before either has enough articles to tell them apart, and stories split only at the store's
    doubling refresh (here the third step), not after. Here: the pairs of articles agree at F1 >= 0.8 and no
    story of the rebuild is split."""
    order = list(analysed)
    random.Random(seed).shuffle(order)
    steps = [order[:5], order[5:9], order[9:12], order[12:15], order[15:]]  # 17 articles in five steps
    incremental = linked_in_steps(store, steps)
    rebuilt = partition(store)
    assert pair_f1(incremental, rebuilt) >= 0.8
    assert all(any(h <= g for g in incremental) for h in rebuilt)  # a rebuild's story is never split


def test_an_update_reads_the_stored_vectors_and_a_grown_store_weighs_them_again(store, analysed):
    for a in analysed[:8]:
        store.save(a)
    link.update(store)
    with store.engine.connect() as conn:
        assert linkstate.basis(conn) == 8
        first = dict(conn.execute(select(link_articles.c.article_id, link_articles.c.term_vector)).all())
    store.save(analysed[8])
    link.update(store)
    with store.engine.connect() as conn:
        assert linkstate.basis(conn) == 8  # one more article: the stored vectors are kept as they were
        kept = dict(conn.execute(select(link_articles.c.article_id, link_articles.c.term_vector)).all())
    assert {a: kept[a] for a in first} == first and len(kept) == 9
    for a in analysed[9:]:
        store.save(a)
    link.update(store)  # 17 >= 2 x 8: every stored vector is weighted again with the grown store's idf
    with store.engine.connect() as conn:
        assert linkstate.basis(conn) == len(analysed)
        now = dict(conn.execute(select(link_articles.c.article_id, link_articles.c.term_vector)).all())
    assert any(now[a] != kept[a] for a in kept)
    assert_state_matches_a_recount(store)


def test_a_store_linked_before_vectors_were_stored_is_brought_up_to_date(store, analysed):
    for a in analysed[:10]:
        store.save(a)
    link.update(store)
    before = partition(store)
    with store.engine.begin() as conn:  # what a store linked by the 0004 linker holds after migration 0006
        conn.execute(update(link_articles).values(term_vector=None))
        conn.execute(update(stories).values(term_total=None, claim_terms=None, claim_basis=None))
        conn.execute(update(link_statements).values(claim_vector=None))
        conn.execute(link_terms.delete())
        linkstate.set_basis(conn, None)
    for a in analysed[10:]:
        store.save(a)
    link.update(store)
    assert_state_matches_a_recount(store)
    assert all(any(g <= h for h in partition(store)) for g in before)  # nothing already linked moved


def test_deleting_an_article_recounts_its_story_and_claims(store, analysed):
    kalvaria = [a for a in analysed if a.url in {r["url"] for r in story_items("kalvaria-border")}]
    ids = [store.save(a).id for a in kalvaria]
    link.update(store)
    with store.engine.connect() as conn:
        sid = conn.execute(select(story_articles.c.story_id).where(story_articles.c.article_id == ids[0])).scalar()
        n_before = conn.execute(select(stories.c.n_articles).where(stories.c.id == sid)).scalar()
        shared = conn.execute(select(claims.c.id, claims.c.n_carriers).join(claim_statements, claim_statements.c.claim_id == claims.c.id)
                              .where(claim_statements.c.article_id == ids[0], claims.c.n_carriers > 1)).first()
    assert n_before == len(ids) and shared is not None
    assert store.delete_article(ids[0])
    with store.engine.connect() as conn:
        assert conn.execute(select(stories.c.n_articles).where(stories.c.id == sid)).scalar() == n_before - 1
        assert conn.execute(select(claims.c.n_carriers).where(claims.c.id == shared.id)).scalar() == shared.n_carriers - 1
    assert_state_matches_a_recount(store)
    for aid in ids[1:]:
        store.delete_article(aid)
    with store.engine.connect() as conn:  # a story or claim left with no article goes
        assert conn.execute(select(stories.c.id)).first() is None
        assert conn.execute(select(claims.c.id)).first() is None
        assert conn.execute(select(link_terms.c.term)).first() is None


def test_an_article_with_a_huge_word_links_on_both_databases(store, analysed):
    """A term longer than an index entry (a hostile page's 5,000-letter "word") is left out of the stored counts."""
    from articles_factory import Claim, build

    for a in analysed[:3]:
        store.save(a.model_copy(deep=True))
    link.update(store)
    odd = build([Claim("officials", "the Halvorsen plant " + "x" * 5000 + " would reopen")], own_voice=["Z" * 5000 + " said."])
    store.save(odd)
    assert link.update(store).articles == 1
    with store.engine.connect() as conn:
        assert max(len(t) for t in conn.execute(select(link_terms.c.term)).scalars()) <= linkstate.MAX_TERM


def test_eval_links_can_link_in_steps(tmp_path):
    """``eval-links --steps N --first F``: the articles split into N updates, F of them in the first."""
    from sourcetrace.eval.links import _steps

    order = list(range(100))
    assert [len(c) for c in _steps(order, 1, None)] == [100]
    assert [len(c) for c in _steps(order, 4, None)] == [25] * 4
    chunks = _steps(order, 11, 0.9)
    assert [len(c) for c in chunks] == [90] + [1] * 10 and sum(chunks, []) == order


def test_eval_links_in_steps_on_a_tiny_split(split, tmp_path):  # noqa: F811
    from sourcetrace.eval.links import predict

    stepped = predict(split, cache_dir=tmp_path / "cache", steps=4)  # one article per update
    assert sorted(stepped["documents"]) == [["1_1ecb", "1_2ecb"], ["2_1ecb", "2_2ecb"]]
    assert stepped["sentences"]  # paraphrases placed one article at a time still meet in claims


def story_ids(store) -> dict[str, frozenset[str]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(story_articles.c.story_id, articles.c.url).join(articles, articles.c.id == story_articles.c.article_id)).all()
    groups: dict[str, set] = {}
    for sid, url in rows:
        groups.setdefault(sid, set()).add(url)
    return {sid: frozenset(g) for sid, g in groups.items()}


@pytest.mark.parametrize("regroup", [True, False])
def test_the_doubling_refresh_regroups_the_stories_as_a_rebuild_would_keeping_their_ids(store, analysed, monkeypatch, regroup):
    """Two twin events (the Kalvaria tanks, the Ostrov parade) whose first articles arrive alone make one story;
    once the store has doubled, the refresh groups every article again, and each old story's id goes to the
    story that holds most of its articles. Without regrouping (the linker before it), the merged story stays."""
    from sourcetrace.link import linker

    if not regroup:
        monkeypatch.setattr(linker, "_regroups", lambda pool, n: False)
    urls = {name: [r["url"] for r in story_items(name)] for name in SAMPLES}
    early = set(urls["kalvaria-border"][:2] + urls["ostrov-parade"][:2])
    steps = [[a for a in analysed if a.url in early], [a for a in analysed if a.url not in early]]
    for a in steps[0]:
        store.save(a.model_copy(deep=True))
    link.update(store)
    before = story_ids(store)
    for a in steps[1]:
        store.save(a.model_copy(deep=True))
    report = link.update(store)  # 17 articles >= 2 x 4: every vector is weighed again (and the stories regrouped)
    assert report.articles == len(steps[1])
    after = story_ids(store)
    assert_state_matches_a_recount(store)
    link.rebuild(store)
    rebuilt = partition(store)
    assert rebuilt == {frozenset(u) for u in urls.values()}
    if not regroup:
        assert len(before) == 1 and set(after.values()) != rebuilt  # the early merge stays
        return
    assert set(after.values()) == rebuilt
    for sid, old in before.items():  # an old id stays with the regrouped story that holds most of its articles
        best = max(len(old & members) for members in after.values())
        assert sid in after and len(old & after[sid]) == best
