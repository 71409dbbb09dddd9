"""The hybrids: learned attributions (transformer cues by default, CRF in hybrid-crf) completed by the rules."""

from __future__ import annotations

import pytest

from sourcetrace.nlp.extractor import DEFAULT_EXTRACTOR, get_extractor
from sourcetrace.nlp.hybrid import UNSURE
from sourcetrace.nlp.pipeline import load_pipeline


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline("hybrid")


def test_hybrid_is_the_default():
    assert DEFAULT_EXTRACTOR == "hybrid"
    assert get_extractor("default").name == "hybrid"


@pytest.mark.parametrize("name", ["hybrid", "hybrid-crf"])
def test_every_confident_learned_attribution_is_kept(name):
    nlp = load_pipeline(name)
    doc = nlp(
        'The mayor said the bridge would reopen in June. "We are ready," the contractor told reporters. '
        "According to the council, repairs will cost more than expected."
    )
    learned = [a for a in get_extractor(get_extractor(name).learned_name)(doc) if a.confidence >= UNSURE]
    hybrid = doc._.attributions
    assert learned, "the learned extractor found nothing: this test needs a sentence it reads"
    learned_cues = {tuple((s.start, s.end) for s in a.cue) for a in learned}
    hybrid_cues = {tuple((s.start, s.end) for s in a.cue) for a in hybrid}
    assert learned_cues <= hybrid_cues


def test_no_two_attributions_share_a_cue_word_and_ids_are_unique(nlp):
    doc = nlp(
        "The Courier, citing two people familiar with the talks, reported that the deal was close. "
        'Officials said the plan was sound. "It works," the minister added.'
    )
    atts = doc._.attributions
    ids = [a.id for a in atts]
    assert len(ids) == len(set(ids))
    assert all(a.parent_id in ids for a in atts if a.parent_id)
    cues = [(s.start, s.end) for a in atts for s in a.cue]
    for i, (s1, e1) in enumerate(cues):
        for s2, e2 in cues[i + 1 :]:
            assert not (s1 < e2 and s2 < e1), f"overlapping cues {doc.text[s1:e1]!r} / {doc.text[s2:e2]!r}"


def test_relay_from_the_rules_survives(nlp):
    """'X, citing Y, reported ...' hands the claim on: the chain needs the 'citing' attribution."""
    doc = nlp("The Courier, citing two people familiar with the talks, reported that the deal was close.")
    cues = [" ".join(s.text for s in a.cue).lower() for a in doc._.attributions]
    assert any("citing" in c for c in cues), cues
    assert any("reported" in c for c in cues), cues


TEXT = "Officials said the bridge is safe and will reopen in June, he added."


def _att(id_, cue, content, confidence=None, source=None, extractor="crf"):
    from sourcetrace.model import Attribution, Span

    spans = lambda words: [Span.of(TEXT, TEXT.index(w), TEXT.index(w) + len(w)) for w in words]  # noqa: E731
    return Attribution(
        id=id_, cue=spans(cue), content=spans(content), source=spans(source or []),
        confidence=confidence, extractor=extractor,
    )


def test_rules_lengthen_a_learned_content_on_the_same_cue():
    from sourcetrace.nlp.hybrid import combine

    learned = _att("a1", ["said"], ["the bridge is safe"], 0.9, ["Officials"])
    rule = _att("a1", ["said"], ["the bridge is safe and will reopen in June"], extractor="rules")
    (out,) = combine([learned], [rule])
    assert [s.text for s in out.content] == ["the bridge is safe and will reopen in June"]
    assert [s.text for s in out.source] == ["Officials"] and out.extractor == "crf"


def test_a_shorter_or_unrelated_rule_content_leaves_the_learned_one():
    from sourcetrace.nlp.hybrid import combine

    learned = _att("a1", ["said"], ["the bridge is safe and will reopen in June"], 0.9)
    shorter = _att("a1", ["said"], ["the bridge is safe"], extractor="rules")
    assert [s.text for s in combine([learned], [shorter])[0].content] == [learned.content[0].text]
    elsewhere = _att("a1", ["said"], ["he added"], extractor="rules")
    out = combine([learned], [elsewhere])
    assert [s.text for s in out[0].content] == [learned.content[0].text]


def test_an_unsure_learned_cue_needs_the_rules_to_agree():
    from sourcetrace.nlp.hybrid import UNSURE, combine

    unsure = _att("a1", ["added"], ["the bridge is safe"], UNSURE / 2)
    sure = _att("a2", ["said"], ["the bridge is safe"], 0.95)
    assert [a.cue[0].text for a in combine([unsure, sure], [])] == ["said"]
    confirmed = combine([unsure, sure], [_att("r1", ["added"], ["the bridge is safe"], extractor="rules")])
    assert sorted(a.cue[0].text for a in confirmed) == ["added", "said"]
    assert [a.id for a in confirmed] == ["a1", "a2"]


def test_a_relay_takes_the_cited_party_as_its_source(nlp):
    """'X, citing Y, said ...': the cited party stands behind the content; the chain runs X <- Y."""
    doc = nlp("Mayor Jane Ortiz, citing a city audit, said the budget was balanced.")
    by_cue = {" ".join(s.text for s in a.cue).lower(): a for a in doc._.attributions}
    assert " ".join(s.text for s in by_cue["citing"].source) == "a city audit"
    assert " ".join(s.text for s in by_cue["said"].source) == "Mayor Jane Ortiz"


# issue #13: a paragraph that is only a quotation carries on the speaker before it
def test_quotation_paragraph_is_split_from_the_learned_content_and_inferred(nlp):
    text = 'Mayor Ellen Strand spoke. "We did everything we promised," Strand said.\n"We waited three years for this."\n'
    atts = nlp(text)._.attributions
    said = [a for a in atts if [s.text for s in a.cue] == ["said"]]
    inferred = [a for a in atts if a.inferred]
    assert len(said) == 1 and [s.text for s in said[0].content] == ['"We did everything we promised,"']
    assert len(inferred) == 1 and [s.text for s in inferred[0].source] == ["Strand"]
    assert [s.text for s in inferred[0].content] == ['"We waited three years for this."']


def test_a_quote_sentence_after_a_long_apposition_still_carries_the_speaker_on(nlp):
    text = ("“Now is the time for all good political leaders to come to the aid of their party,” said Don Fowler, who led "
            "the national committee from 1995 to 1997, during the Clinton presidency, and has backed Clinton since her "
            "2008 presidential bid. “I think the plan should be developed by 6 o’clock this afternoon.”\n\n"
            "Fowler expects a quick recovery.\n")
    atts = nlp(text)._.attributions
    (said,) = [a for a in atts if [s.text for s in a.cue] == ["said"]]
    assert [s.text for s in said.content][-1] == "“I think the plan should be developed by 6 o’clock this afternoon.”"


# issue #13: an act is not a reporting cue
@pytest.mark.parametrize(
    "text,verb",
    [
        ("The defence ministry quietly approved the sale of two frigates to a private buyer.", "approved"),
        ("The regional government signed a ten-year contract with a Dutch shipbuilder on Friday.", "signed"),
    ],
)
def test_action_verb_with_a_thing_for_content_is_no_attribution(nlp, text, verb):
    assert not any(verb in s.text for a in nlp(text)._.attributions for s in a.cue)


def test_is_action_keeps_stance_verbs_and_clauses():
    from sourcetrace.model import Attribution, Span
    from sourcetrace.nlp.hybrid import is_action
    from sourcetrace.nlp.rules import load_lexicon

    nlp = load_pipeline("rules")
    text = "The senator backed the bill. The board approved that the plant would close."
    doc = nlp(text)

    def att(cue, content):
        c, t = text.index(cue), text.index(content)
        return Attribution(id="x", cue=[Span.of(text, c, c + len(cue))], content=[Span.of(text, t, t + len(content))])

    assert not is_action(doc, att("backed", "the bill"), load_lexicon())
    assert not is_action(doc, att("approved", "that the plant would close"), load_lexicon())


# wire copy: the reason a source stays unnamed is neither a cue nor part of what they said
@pytest.mark.parametrize(
    "text,content",
    [
        ("The company is preparing to cut about 2,000 jobs, two sources familiar with the matter said, "
         "declining to be identified because the plans are not public.", "The company is preparing to cut about 2,000 jobs"),
        ("The talks have stalled, one diplomat said, speaking on condition of anonymity.", "The talks have stalled"),
    ],
)
def test_the_reason_for_anonymity_is_no_attribution_and_no_content(nlp, text, content):
    atts = nlp(text)._.attributions
    assert [[s.text for s in a.content] for a in atts] == [[content]]


def test_who_asked_goes_unnamed(nlp):
    # PolNeAR: every sentence-initial "Asked ..." cue in train has no source; the speaker was asked
    atts = nlp('Asked whether the government would resign, Ms Ardern said: "Absolutely not."')._.attributions
    asked = [a for a in atts if [s.text for s in a.cue] == ["Asked"]]
    assert asked and asked[0].source == []
    assert any([s.text for s in a.source] == ["Ms Ardern"] for a in atts)


# wire copy: "X was quoted by Y as saying Z" is X's statement, come through Y
@pytest.mark.parametrize(
    "text,source,cue,content",
    [
        ("The minister was quoted by Reuters as saying the decision was final.",
         "The minister", "was quoted by Reuters as saying", "the decision was final"),
        ("The official was quoted as saying by the state news agency IRNA that talks would resume.",
         "The official", "was quoted as saying", "that talks would resume"),
        ('Putin was quoted by RIA Novosti as saying: "We are ready."', "Putin", "was quoted by RIA Novosti as saying", '"We are ready."'),
    ],
)
def test_quoted_as_saying_is_one_attribution_of_the_one_quoted(nlp, text, source, cue, content):
    atts = nlp(text)._.attributions
    assert [([s.text for s in a.source], [s.text for s in a.cue], [s.text for s in a.content]) for a in atts] == [
        ([source], [cue], [content])]


def test_a_speaker_label_the_learned_tagger_left_without_a_speaker_gets_the_rules_one(nlp):
    text = '17:45 - Coach Lara Benn in a post on Instagram: "Proud of every single one of you."'
    (a,) = nlp(text)._.attributions
    assert [s.text for s in a.source] == ["Coach Lara Benn"] and [s.text for s in a.content] == ['"Proud of every single one of you."']


def test_quoted_as_saying_keeps_the_whole_speaker(nlp):
    text = "A spokesman for the foreign ministry was quoted by Interfax as saying the talks would continue."
    (a,) = nlp(text)._.attributions
    assert [s.text for s in a.source] == ["A spokesman for the foreign ministry"]
