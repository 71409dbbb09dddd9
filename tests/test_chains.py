"""Chains: nesting, hand-on cues ("citing"), recipients ("told X"), possessives, headlines."""

import pytest
from claims_support import att, chain_names, enrich, source_of

from sourcetrace.model import SourceType


def test_citing_hands_the_claim_on_to_its_origin():
    text = ("Reuters, citing two unnamed diplomats, reported that the ceasefire talks had collapsed. "
            "The diplomats told Reuters that a new round was unlikely before spring. "
            "Reuters' sources also said mediators had left Cairo.")
    art = enrich(text, [
        att(text, "a1", "Reuters", "reported", "the ceasefire talks had collapsed"),
        att(text, "a2", "The diplomats", "told", "a new round was unlikely before spring"),
        att(text, "a3", "Reuters' sources", "said", "mediators had left Cairo"),
    ])
    assert chain_names(art, "a1") == ["Reuters", "two unnamed diplomats"]
    assert art.attributions[0].chain[-1].type == SourceType.anonymous
    assert source_of(art, "a2").name == "two unnamed diplomats"
    assert chain_names(art, "a2") == ["Reuters", "two unnamed diplomats"]
    assert source_of(art, "a3").id == source_of(art, "a2").id
    assert chain_names(art, "a3") == ["Reuters", "two unnamed diplomats"]


def test_nested_attribution_chains_through_its_parent():
    text = "The BBC said the mayor told reporters that the bridge was safe."
    art = enrich(text, [
        att(text, "a1", "The BBC", "said", "the mayor told reporters that the bridge was safe"),
        att(text, "a2", "the mayor", "told", "the bridge was safe"),
    ])
    nested = art.attributions[1]
    assert nested.parent_id == "a1"
    assert chain_names(art, "a2") == ["BBC", "mayor"]
    assert art.profile.deepest_chain == 2


def test_extractor_parent_is_kept_and_cycles_do_not_hang():
    text = "Ann said Bob said it rained."
    a1 = att(text, "a1", "Ann", "said", "Bob said it rained")
    a2 = att(text, "a2", "Bob", "said", "it rained", near="Bob")
    a1.parent_id, a2.parent_id = "a2", "a1"  # a broken extractor
    art = enrich(text, [a1, a2])
    assert all(len(a.chain) <= 2 for a in art.attributions)


def test_headline_with_reporting_verb_is_an_attribution():
    text = "CNN reports: Storm closes airports across Texas\n\nThe storm closed four airports on Monday."
    art = enrich(text, [])
    head = next(a for a in art.attributions if a.extractor == "headline")
    assert [link.name for link in head.chain] == ["CNN"]
    assert head.content[0].text == "Storm closes airports across Texas"
    own = next(s for s in art.statements if s.span.text.startswith("The storm"))
    assert own.own_voice and own.certainty.value == "asserted"


def test_unsourced_attribution_has_no_chain():
    text = "It is understood that the minister will resign."
    art = enrich(text, [att(text, "a1", None, "It is understood", "the minister will resign")])
    a = art.attributions[0]
    assert a.source_id is None and a.chain == []
    assert art.statements[0].own_voice is False


def test_relay_read_as_its_own_claim_is_folded_into_a_hand_on_link():
    # An extractor that reads "X has claimed, citing Y" as (X, citing, Y) and misses "has claimed".
    text = "The mine will close next year, the Daily Mail has claimed, citing two unnamed executives."
    relay = att(text, "a1", "the Daily Mail", "citing", "two unnamed executives")
    art = enrich(text, [relay])
    (a,) = art.attributions
    assert a.cue[0].text == "has claimed"
    assert a.content[0].text == "The mine will close next year"
    assert chain_names(art, "a1") == ["Daily Mail", "two unnamed executives"]


def test_relay_beside_the_main_claim_only_adds_the_origin():
    text = "Reuters, quoting a senior official, said the plant would reopen."
    art = enrich(text, [
        att(text, "a1", "Reuters", "said", "the plant would reopen"),
        att(text, "a2", "Reuters", "quoting", "a senior official"),
    ])
    assert [a.id for a in art.attributions] == ["a1"]
    assert chain_names(art, "a1") == ["Reuters", "a senior official"]


def test_participle_cue_speaks_for_the_subject_it_hangs_on():
    text = "The mayor warned that the levee might fail, adding that crews were ready."
    art = enrich(text, [
        att(text, "a1", "The mayor", "warned", "the levee might fail"),
        att(text, "a2", "the levee might fail", "adding", "crews were ready", near="the levee"),
    ])
    assert source_of(art, "a2").id == source_of(art, "a1").id


def test_headline_naming_an_outlet_before_a_colon():
    text = "Reuters: Port strike ends after two weeks\n\nDock workers returned on Monday."
    art = enrich(text, [])
    head = next(a for a in art.attributions if a.extractor == "headline")
    assert [link.name for link in head.chain] == ["Reuters"]
    plain = enrich("Breaking: Port strike ends\n\nDock workers returned.", [])
    assert not any(a.extractor == "headline" for a in plain.attributions)


def test_citing_a_report_by_an_outlet():
    text = "The Guardian, citing a report by the BBC, said the talks had failed."
    art = enrich(text, [att(text, "a1", "The Guardian", "said", "the talks had failed")])
    chain = art.attributions[0].chain
    assert [link.name for link in chain] == ["The Guardian", "a report by the BBC"]
    assert [link.type.value for link in chain] == ["media", "media"]


def test_citing_a_reason_is_not_a_source():
    text = "The union backed the mayor, citing her record on housing."
    relay = att(text, "a1", "her record on housing", "citing", "The union backed the mayor")
    art = enrich(text, [att(text, "a0", "The union", "backed", "the mayor"), relay])
    assert [a.id for a in art.attributions] == ["a0"]
    assert chain_names(art, "a0") == ["union"]


def test_a_quoting_relay_inside_the_source_becomes_a_link_of_the_chain():
    text = ("The Harbour Courier, quoting a nurse who asked not to be named, reported that the ward was closed "
            "on Monday.")
    src = "The Harbour Courier, quoting a nurse"
    art = enrich(text, [
        att(text, "a1", src, "quoting", "who asked not to be named"),
        att(text, "a2", src, "reported", "that the ward was closed on Monday"),
    ])
    assert [a.id for a in art.attributions] == ["a2"]
    a2 = art.attributions[0]
    assert a2.source[0].text == "The Harbour Courier"
    assert [(link.name, link.type) for link in a2.chain] == [
        ("Harbour Courier", SourceType.media),
        ("a nurse who asked not to be named", SourceType.anonymous),
    ]


def test_a_comma_alone_does_not_cut_a_source():
    text = "Dana Lee, a nurse, said the ward was closed."
    art = enrich(text, [att(text, "a1", "Dana Lee, a nurse", "said", "the ward was closed")])
    assert art.attributions[0].source[0].text == "Dana Lee, a nurse"


def test_an_interview_with_an_outlet_makes_it_a_link_of_the_chain():
    text = ("In an interview with CNN, Senator Paul Hurst said the bill was dead. "
            "Speaking to the BBC on Monday, Mayor Ruth Adler said the bridge would reopen. "
            "In an interview with his lawyer, Governor Tom Reyes said nothing had changed.")
    art = enrich(text, [
        att(text, "a1", "Senator Paul Hurst", "said", "the bill was dead"),
        att(text, "a2", "Mayor Ruth Adler", "said", "the bridge would reopen"),
        att(text, "a3", "Governor Tom Reyes", "said", "nothing had changed"),
    ])
    assert chain_names(art, "a1") == ["CNN", "Paul Hurst"]
    assert chain_names(art, "a2") == ["BBC", "Ruth Adler"]
    assert chain_names(art, "a3") == ["Tom Reyes"]  # a lawyer is no outlet


def test_an_outlet_named_after_a_press_noun_is_the_recipient():
    text = "Kremlin spokesman Dmitry Peskov later told state news agency TASS that no talks were planned."
    art = enrich(text, [att(text, "a1", "Kremlin spokesman Dmitry Peskov", "told", "no talks were planned")])
    assert chain_names(art, "a1") == ["TASS", "Dmitry Peskov"]


def test_citing_read_as_the_cue_gives_the_verb_as_cue_and_the_cited_as_origin():
    text = "The New York Times reported on Sunday, citing two U.S. officials, that the drone was Iranian-made."
    art = enrich(text, [att(text, "a1", "The New York Times", "citing", "that the drone was Iranian-made")])
    a = art.attributions[0]
    assert [c.text for c in a.cue] == ["reported"]
    assert chain_names(art, "a1") == ["New York Times", "two U.S. officials"]


def test_a_cited_noun_with_a_participle_is_still_a_relay():
    text = "The Guardian reported, citing leaked emails, that the minister had lobbied for the contract."
    art = enrich(text, [
        att(text, "a1", "The Guardian", "reported", "that the minister had lobbied for the contract"),
        att(text, "a2", "The Guardian", "citing", "leaked emails"),
    ])
    assert len(art.attributions) == 1
    assert chain_names(art, "a1") == ["The Guardian", "leaked emails"]


def test_documents_seen_by_an_outlet_reach_us_through_it():
    text = ("Documents seen by the Alder Gazette show that the contract was signed in 2019. "
            "Emails obtained by Reuters show that officials were warned. "
            "Letters read by the minister show that the deal was known.")
    art = enrich(text, [
        att(text, "a1", "Documents", "show", "the contract was signed in 2019"),
        att(text, "a2", "Emails", "show", "officials were warned"),
        att(text, "a3", "Letters", "show", "the deal was known"),
    ])
    assert chain_names(art, "a1") == ["Alder Gazette", "documents"]
    assert chain_names(art, "a2") == ["Reuters", "emails"]
    assert chain_names(art, "a3") == ["letters"]  # a minister is no outlet


# issue #13: one source per statement; nobody is no source


def test_same_cue_and_content_twice_is_one_statement_with_a_chain():
    from sourcetrace.analyze import analyze

    art = analyze("The Gazette, citing court records, reported that the developer owed $2 million in back taxes.", language="en")
    reported = [a for a in art.attributions if [s.text for s in a.cue] == ["reported"]]
    assert len(reported) == 1
    names = {s.id: s.name for s in art.sources}
    assert names[reported[0].source_id] == "Gazette"
    assert [link.name for link in reported[0].chain][0] == "Gazette"


def test_one_source_per_statement_keeps_the_outermost_and_moves_parents():
    from sourcetrace.claims.chains import one_source_per_statement
    from sourcetrace.model import Attribution, ChainLink, Span

    text = "The Herald reported that the plan was dropped."
    cue, content = Span.of(text, 11, 19), Span.of(text, 25, 45)
    herald = [ChainLink(source_id="s1", name="Herald")]
    via = [*herald, ChainLink(source_id="s2", name="officials")]
    inner = Attribution(id="a1", cue=[cue], content=[content], source_id="s2", chain=via)
    outer = Attribution(id="a2", cue=[cue], content=[content], source_id="s1", chain=list(herald))  # the chain lacks s2
    child = Attribution(id="a3", cue=[Span.of(text, 29, 33)], content=[Span.of(text, 34, 45)], parent_id="a1")
    kept = one_source_per_statement([inner, outer, child])
    assert [a.id for a in kept] == ["a2", "a3"]
    assert [link.name for link in kept[0].chain] == ["Herald", "officials"]
    assert kept[1].parent_id == "a2"


@pytest.mark.parametrize(
    "text",
    ["Neither side has commented on the report.", "None of the contestants has spoken about the row.", "Nobody said the vote was rigged."],
)
def test_nobody_is_never_a_source(text):
    from sourcetrace.analyze import analyze

    art = analyze(text, language="en")
    assert not any(s.text.lower().startswith(("neither", "none", "nobody")) for a in art.attributions for s in a.source)


def test_citing_a_reason_beside_a_second_group_is_no_chain():
    from sourcetrace.analyze import analyze

    art = analyze(
        "Washington long refused, with Pentagon officials citing limited stockpiles and White House officials fearing escalation.",
        language="en",
    )
    fearing = next(a for a in art.attributions if [s.text for s in a.cue] == ["fearing"])
    assert [link.name for link in fearing.chain] == ["White House officials"]
    citing = next(a for a in art.attributions if [s.text for s in a.cue] == ["citing"])
    assert [s.text for s in citing.content] == ["limited stockpiles"]


def test_a_question_put_to_the_speaker_does_not_inherit_the_speaker():
    text = 'Asked whether the government would resign, Ms Ardern said: "Absolutely not."'
    art = enrich(text, [
        att(text, "a1", None, "Asked", "whether the government would resign"),
        att(text, "a2", "Ms Ardern", "said:", '"Absolutely not."'),
    ])
    asked = next(a for a in art.attributions if a.id == "a1")
    assert asked.source == [] and asked.source_id is None
    assert source_of(art, "a2").name == "Ardern"


@pytest.mark.parametrize(
    "text,source,cue,content,chain",
    [
        ("The minister was quoted by Reuters as saying the decision was final.",
         "The minister", "was quoted by Reuters as saying", "the decision was final", ["Reuters", "minister"]),
        ("The official was quoted as saying by the state news agency IRNA that talks would resume.",
         "The official", "was quoted as saying", "that talks would resume", ["IRNA", "official"]),
    ],
)
def test_the_outlet_that_quoted_a_source_passed_the_claim_on(text, source, cue, content, chain):
    art = enrich(text, [att(text, "a1", source, cue, content)])
    assert chain_names(art, "a1") == chain


def test_the_subject_after_a_press_noun_is_not_the_outlet():
    text = "She told the newspaper Biden would resign by March."
    art = enrich(text, [att(text, "a1", "She", "told", "Biden would resign by March")])
    assert not any("Biden" in name for name in chain_names(art, "a1"))
