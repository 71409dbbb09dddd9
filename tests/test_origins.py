"""Origins and outlet matching on hand-built rows: cycles end, every carrier rests on something, names match."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from sourcetrace.link.figures import conflicts, thing_key
from sourcetrace.link.origins import OriginResolver, OutletIndex, norm_name
from sourcetrace.link.rows import ArticleRow, StatementRow

OUTLETS = ["The Ledger", "The Morning Courier", "Harbour Post", "Northern Herald"]


def _row(i, chain, *, own_voice=False):
    return StatementRow(i, i, f"claim {i}", chain[0]["name"] if chain else None, chain[0]["type"] if chain else None, None,
                        bool(chain) and chain[-1]["type"] == "anonymous", own_voice or not chain, "reported", "said", 0, 8, None, chain)


def _resolver(chains, outlets=OUTLETS):
    arts = {i: ArticleRow(i, f"https://x.example/{i}", outlets[i % len(outlets)], dt.date(2025, 1, 1), None) for i in range(len(chains))}
    rows = [_row(i, c) for i, c in enumerate(chains)]
    return OriginResolver(rows, arts, OutletIndex(outlets)), rows


def test_outlet_names_match_without_the_article_case_or_possessive():
    index = OutletIndex(OUTLETS)
    assert norm_name("The Ledger's") == "ledger"
    assert index.match("the LEDGER") == "ledger" and index.match("Courier") == "morning courier"
    assert index.match("Post") == "harbour post" and index.match("the Times") is None and index.match("") is None
    assert OutletIndex(["City Post", "Harbour Post"]).match("the Post") is None  # two outlets end that way: no guess


def test_two_outlets_citing_each_other_end_on_the_cited_name():
    resolver, rows = _resolver([[{"name": "Morning Courier", "type": "media"}], [{"name": "Ledger", "type": "media"}]])
    for r in rows:
        res = resolver.resolve(r)
        assert res.origins and res.cites


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(["Ledger", "Courier", "Harbour Post", "Herald", "officials", "Petra Linden"]),
                                   st.sampled_from(["media", "anonymous", "person", "unknown"])), max_size=4), min_size=1, max_size=8))
def test_every_carrier_rests_on_at_least_one_origin(chains):
    resolver, rows = _resolver([[{"name": n, "type": t} for n, t in chain] for chain in chains])
    for r in rows:
        res = resolver.resolve(r)
        assert res.origins, (r.chain, res)
        assert all(o.name and o.type for o in res.origins)


def test_things_counted_compare_by_singular_head_noun():
    assert thing_key("battle tanks") == thing_key("tank") == "tank"
    assert thing_key("persons") == thing_key("people") == "people" and thing_key("casualties") == "casualty"
    assert thing_key(None) is None
    assert conflicts([(120, "tanks"), (150, "battle tanks"), (8, "people"), (8, "persons"), (3, None)]) == [("tank", [120.0, 150.0])]
