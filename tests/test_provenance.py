"""Provenance on the multi-outlet story samples (samples/stories), analysed by the real pipeline.

The claims here are grouped by hand (trace_support.hand_link: article URL + a phrase
of the statement), so every provenance field is tested on a known grouping; the
linker's own grouping of the same samples is tested in test_trace_linked.py.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dbfixtures import db_url  # noqa: F401  (fixture)
from sourcetrace.link.provenance import _first, get_claim, get_story, get_story_with_claims, list_claims, trace, verdict
from sourcetrace.link.rows import ArticleRow, StatementRow
from sourcetrace.store import Store
from trace_support import hand_link, ingest_stories, story_items

K = [r["url"] for r in story_items("kalvaria-border")]
LEDGER, COURIER, POST, HERALD, TRIBUNE, OBSERVER, WIRE = K
B = [r["url"] for r in story_items("brenmouth-explosion")]
ECHO, COASTAL, STANDARD, SENTINEL, COURIER_GAS, ECHO_DENIAL = B

TANKS = [(LEDGER, "120 tanks"), (COURIER, "120 tanks"), (POST, "150 tanks"), (HERALD, "120 tanks"), (TRIBUNE, "150 tanks"),
         (OBSERVER, "120 tanks")]
INJURED = [(ECHO, "injured 8"), (COASTAL, "Fourteen"), (STANDARD, "Eight people"), (SENTINEL, "injured 14")]
GAS = [(STANDARD, "toxic gas had leaked"), (COURIER_GAS, "Toxic gas leaked")]


def link_samples(store, urls):
    hand_link(store, urls, {"s-kalvaria": {"c-tanks": TANKS}, "s-brenmouth": {"c-injured": INJURED, "c-gas": GAS}},
              {"s-kalvaria": K, "s-brenmouth": B})


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("prov") / "store.db")
    urls = ingest_stories(store, "kalvaria-border", "brenmouth-explosion")
    link_samples(store, urls)
    result = trace(store)
    yield store, urls, {c.id: c for c in result.claims}, result
    store.close()


def test_relayed_claim_rests_on_one_anonymous_origin_via_the_ledger(traced):
    _, _, claims, _ = traced
    tanks = claims["c-tanks"]
    assert tanks.independent_origins == 1 and tanks.single_origin
    [origin] = tanks.origins
    assert (origin.name, origin.type, origin.anonymous, origin.via) == ("people familiar with the matter", "anonymous", True, "The Ledger")
    assert sorted(origin.carriers) == sorted(url for url, _ in TANKS)
    assert tanks.outlets == 6
    assert tanks.verdict == "6 outlets, 1 independent origin: people familiar with the matter (anonymous) via The Ledger"


def test_first_is_the_earliest_dated_carrier_and_undated_ones_come_last(traced):
    _, urls, claims, _ = traced
    tanks = claims["c-tanks"]
    assert tanks.first.url == LEDGER and tanks.first.published == "2025-03-03" and tanks.first.outlet == "The Ledger"
    assert [c.url for c in tanks.carriers][-1] == TRIBUNE  # undated
    assert [c.published for c in tanks.carriers][:-1] == sorted(c.published for c in tanks.carriers if c.published)


def test_outlet_citation_graph_links_carriers_to_the_cited_outlets_articles(traced):
    _, urls, claims, _ = traced
    edges = {(e.citing_article_id, e.cited_article_id) for e in claims["c-tanks"].citations}
    assert edges == {(urls[COURIER], urls[LEDGER]), (urls[POST], urls[LEDGER]), (urls[HERALD], urls[LEDGER]),
                     (urls[OBSERVER], urls[LEDGER]), (urls[TRIBUNE], urls[COURIER])}
    tribune = next(c for c in claims["c-tanks"].carriers if c.url == TRIBUNE)
    assert tribune.cites_outlets == ["The Morning Courier"]
    assert tribune.chain == ["Riverside Tribune", "Morning Courier", "Ledger"]


def test_named_minister_denying_in_another_outlet_contradicts_the_claim(traced):
    _, urls, claims, _ = traced
    contra = claims["c-tanks"].contradicted_by
    assert {(d.article_id, d.source) for d in contra} == {(urls[WIRE], "Petra Linden")}
    texts = [d.statement.text for d in contra]
    assert any("denied" in d.reason for d in contra)
    assert any(t.startswith("that any tanks had been moved") for t in texts)
    assert any("The report is false" in t for t in texts)


def test_drifting_figures_conflict_with_who_gives_them(traced):
    _, _, claims, _ = traced
    tanks = claims["c-tanks"]
    assert tanks.conflicting_figures
    assert [(c.unit_or_thing, c.values) for c in tanks.figure_conflicts] == [("tank", [120.0, 150.0])]
    by_outlet = {f.outlet: (f.value, f.source) for f in tanks.figures}
    assert by_outlet["Harbour Post"] == (150.0, "Ledger")
    assert by_outlet["The Ledger"] == (120.0, "people familiar with the matter")


def test_outlets_citing_no_one_and_named_sources_are_independent_origins(traced):
    _, _, claims, _ = traced
    injured = claims["c-injured"]
    assert not injured.single_origin and injured.independent_origins == 4
    assert {(o.name, o.type, o.anonymous) for o in injured.origins} == {
        ("Brenmouth Echo", "media", False), ("Daily Sentinel", "media", False),
        ("Tomas Reyes", "person", False), ("regional health authority", "government", False)}
    assert injured.conflicting_figures and [(c.unit_or_thing, c.values) for c in injured.figure_conflicts] == [("people", [8.0, 14.0])]
    assert injured.contradicted_by == []  # the company's denial is about gas, not the injuries
    # Same day, nobody cites either: the one stored first wins, as documented.
    assert injured.first.url == ECHO


def test_denials_in_the_story_attach_to_the_claim_they_deny(traced):
    _, urls, claims, _ = traced
    gas = claims["c-gas"]
    assert {(d.article_id, d.source) for d in gas.contradicted_by} == {(urls[SENTINEL], "Halvorsen Chemicals"),
                                                                      (urls[ECHO_DENIAL], "Halvorsen Chemicals")}
    # "residents" heard by two outlets are two origins, not one
    assert gas.independent_origins == 2 and {o.via for o in gas.origins} == {"Valley Standard", "The Morning Courier"}
    assert not gas.conflicting_figures


def test_statement_offsets_point_into_the_stored_article_text(traced):
    store, _, claims, _ = traced
    for claim in claims.values():
        for item in [*claim.carriers, *claim.contradicted_by]:
            text = store.get_article(item.article_id).text
            assert text[item.statement.start:item.statement.end] == item.statement.text


def test_stories_list_their_articles_by_date(traced):
    _, _, _, result = traced
    story = next(s for s in result.stories if s.id == "s-kalvaria")
    assert [a.url for a in story.articles][0] == LEDGER and story.articles[-1].published is None
    assert story.claims == ["c-tanks"]


@pytest.mark.parametrize("per_page", [1, 100])
def test_a_story_with_its_claims_is_the_story_and_its_first_claims_page_read_once(traced, per_page):
    from sqlalchemy import event

    store = traced[0]
    expected = (get_story(store, "s-brenmouth"), list_claims(store, story_id="s-brenmouth", per_page=per_page))
    reads = []

    def count(conn, cursor, statement, *args):
        if re.search(r"\bFROM claims\b", statement):
            reads.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        story, claims = get_story_with_claims(store, "s-brenmouth", per_page=per_page)
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert (story, claims) == expected and claims.total == 2 and len(claims.items) == min(per_page, 2)
    assert len(reads) == 1
    assert get_story_with_claims(store, "s-nope") is None


def test_own_voice_restatement_rests_on_the_articles_attribution(traced):
    store, urls, _, _ = traced
    hand_link(store, urls, {"s": {"c": [(LEDGER, "120 tanks"), (TRIBUNE, "150 tanks"), (TRIBUNE, "share a border")]}}, {"s": K})
    try:
        claim = get_claim(store, "c")
        assert claim.single_origin and claim.origins[0].via == "The Ledger"
    finally:
        link_samples(store, urls)


def test_first_tie_goes_to_the_most_cited_then_the_lowest_id():
    day = dt.date(2025, 1, 1)
    arts = {i: ArticleRow(i, None, f"O{i}", day if i < 4 else None, None) for i in range(1, 5)}
    rows = [StatementRow(i, i, "x", None, None, None, False, True, "asserted", None, 0, 1, None) for i in range(1, 5)]
    assert _first(rows, arts, {}).article_id == 1
    assert _first(rows, arts, {3: 2, 2: 1}).article_id == 3
    assert _first(rows[3:], arts, {}).article_id == 4  # only undated: still a first
    arts[4] = ArticleRow(4, None, "O4", dt.date(2024, 12, 31), None)
    assert _first(rows, arts, {3: 5}).article_id == 4  # an earlier date beats being cited


def test_verdict_states_the_single_origin_case_plainly():
    from sourcetrace.link.tracemodel import Origin

    o = Origin(name="anonymous officials", type="anonymous", anonymous=True, via="The Ledger")
    assert verdict(7, [o]) == "7 outlets, 1 independent origin: anonymous officials (anonymous) via The Ledger"


def test_trace_reads_the_same_on_sqlite_and_postgres(db_url):  # noqa: F811
    store = Store.open(db_url)
    try:
        urls = ingest_stories(store, "kalvaria-border")
        hand_link(store, urls, {"s-kalvaria": {"c-tanks": TANKS}}, {"s-kalvaria": K})
        result = trace(store, query="tanks Dresna")
        [claim] = result.claims
        assert claim.single_origin and claim.first.url == LEDGER and claim.conflicting_figures
        assert {d.source for d in claim.contradicted_by} == {"Petra Linden"}
        assert trace(store, query="no-such-word").claims == []
        assert [s.id for s in trace(store, story_id="s-kalvaria").stories] == ["s-kalvaria"]
    finally:
        store.close()


def _row(i, text, *, article=1, certainty="reported", cue="said", source="X"):
    return StatementRow(i, article, text, source, "person", None, False, False, certainty, cue, 0, len(text), None)


def test_a_denial_contradicts_the_claim_it_is_about_and_no_other():
    from sourcetrace.link.contradictions import contradictions

    gas = [_row(1, "Toxic gas leaked from the Halvorsen plant in Brenmouth after Tuesday's explosion")]
    injured = [_row(2, "An explosion at the Halvorsen chemical plant in Brenmouth injured 8 people")]
    denials = [
        _row(3, "that toxic gas had leaked from its Brenmouth plant", article=2, certainty="denied", cue="denied"),
        _row(4, "that the Halvorsen plant would close for good", article=2, certainty="denied", cue="denied"),
        _row(5, "that any poisonous fumes had escaped from the site", article=3, certainty="denied", cue="rejected"),
    ]
    assert [d.id for d, _ in contradictions(gas, denials)] == [3]
    assert contradictions(injured, denials) == []
    # The encoder's similarity (given as a function of two statements) catches the paraphrase words miss.
    close = {(5, 1): 0.82}
    found = contradictions(gas, denials, similarity=lambda d, c: close.get((d.id, c.id), 0.0))
    assert [d.id for d, _ in found] == [3, 5] and found[1][1] == "cue: rejected"


def test_a_denial_claim_is_not_contradicted_by_its_own_speakers_generic_denial():
    from sourcetrace.link.contradictions import contradictions

    linden = [_row(1, "that any tanks had been moved to the border with Dresna", certainty="denied", cue="denied")]
    generic = [_row(2, '"The report is false," … "Our forces are in their barracks."', certainty="denied", cue="told")]
    assert contradictions(linden, generic) == []
    relay = [_row(3, "Kalvaria has moved 120 tanks to its border with Dresna", article=1)]
    relay[0].chain = [{"name": "Ledger", "type": "media"}]
    assert [d.id for d, _ in contradictions(relay, generic)] == [2]  # in an article that carries the report, it does
    ministry = [_row(4, "routine exercises were taking place near the northern city of Varn")]
    assert contradictions(ministry, generic) == []  # the ministry's own statement is not "the report"
