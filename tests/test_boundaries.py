"""Content boundaries (sourcetrace/nlp/boundaries.py): PolNeAR's conventions for where a content stops. Issue #13."""

import pytest
from boundaries_support import attribution as _att, nlp  # noqa: F401  (nlp: fixture)
from sourcetrace.model import Span
from sourcetrace.nlp.boundaries import tidy_contents


def _tidy(nlp, text, cue, *contents):
    (a,) = tidy_contents(nlp(text), [_att(text, cue, *contents)])
    return [s.text for s in a.content]


def test_trailing_comma_of_a_postposed_clause_goes(nlp):
    text = "Crops are withering in the Marshall Islands, officials said."
    assert _tidy(nlp, text, "said", "Crops are withering in the Marshall Islands,") == ["Crops are withering in the Marshall Islands"]


def test_a_quote_keeps_its_own_comma(nlp):
    text = '"We love you," Melanie said.'
    assert _tidy(nlp, text, "said", '"We love you,"') == ['"We love you,"']


def test_narration_after_a_quote_frame_is_not_content(nlp):
    text = '"We love you," Melanie said, and soon the balloons were dropping.'
    assert _tidy(nlp, text, "said", '"We love you,"', "and soon the balloons were dropping") == ['"We love you,"']


def test_more_quotation_after_the_frame_stays(nlp):
    text = '"We love you," Melanie said, "and we always will."'
    assert len(_tidy(nlp, text, "said", '"We love you,"', '"and we always will."')) == 2


def test_addressee_before_a_that_clause_is_not_content(nlp):
    text = "Trump told a veterans group that the military is depleted."
    assert _tidy(nlp, text, "told", "a veterans group that the military is depleted") == ["that the military is depleted"]


def test_non_restrictive_clause_on_an_object_is_not_content(nlp):
    text = "Clinton questioned the health of Donald Trump, who is 70."
    assert _tidy(nlp, text, "questioned", "the health of Donald Trump, who is 70") == ["the health of Donald Trump"]


def test_clause_content_keeps_its_relative_clause(nlp):
    text = "She said the plan failed, which surprised nobody."
    assert _tidy(nlp, text, "said", "the plan failed, which surprised nobody") == ["the plan failed, which surprised nobody"]


def _interrupted(nlp, text, source, cue, *contents):
    a = _att(text, cue, *contents)
    s = text.index(source)
    a = a.model_copy(update={"source": [Span.of(text, s, s + len(source))]})
    (out,) = tidy_contents(nlp(text), [a])
    return out.source[0].text, [c.text for c in out.content]


def test_an_attribution_inside_its_content_gives_the_subject_back_to_the_content(nlp):
    # the tagger takes "The convoy," into the speaker, whom the parser hangs on it as an apposition
    text = "The convoy, a spokesperson for the aid group said, was turned back at the second checkpoint."
    assert _interrupted(nlp, text, "The convoy, a spokesperson for the aid group", "said", "was turned back at the second checkpoint") == (
        "a spokesperson for the aid group", ["The convoy", "was turned back at the second checkpoint"])


def test_words_after_the_cue_before_the_predicate_are_neither_source_nor_content(nlp):
    text = "The ceasefire, the foreign ministry said in a statement, had been broken four times overnight."
    assert _interrupted(nlp, text, "The ceasefire, the foreign ministry", "said", "statement, had been broken four times overnight") == (
        "the foreign ministry", ["The ceasefire", "had been broken four times overnight"])


def test_the_predicate_after_an_interrupting_attribution_is_content(nlp):
    text = "The plan, Mayor Tom Reyes told reporters, was never in doubt."
    assert _interrupted(nlp, text, "Mayor Tom Reyes", "told", "The plan") == ("Mayor Tom Reyes", ["The plan", "was never in doubt"])


def test_a_speaker_in_apposition_is_not_an_interruption(nlp):
    text = "Rendell, a Clinton surrogate, said the race was close."
    source, content = _interrupted(nlp, text, "Rendell, a Clinton surrogate", "said", "the race was close")
    assert source.startswith("Rendell, a Clinton surrogate") and content == ["the race was close"]


def test_a_speaker_with_a_relative_clause_and_a_quote_after_the_cue_stay(nlp):
    text = 'David Axelrod, who ran the campaign, said of Sanders: "The question is, will he do the same?"'
    source, content = _interrupted(nlp, text, "David Axelrod, who ran the campaign", "said", '"The question is, will he do the same?"')
    assert source.startswith("David Axelrod") and content == ['"The question is, will he do the same?"']


def test_a_cue_inside_a_description_holding_its_content_is_no_interruption(nlp):
    text = "Our Principles PAC, a group set up to highlight his past positions, took in $4.8 million last month."
    source, content = _interrupted(nlp, text, "Our Principles PAC, a group", "highlight", "his past positions")
    assert source == "Our Principles PAC, a group" and content == ["his past positions"]


def test_without_that_the_clause_after_the_addressee_is_the_content(nlp):
    text = 'Mr Sunak told the BBC it was "the right decision" and that further sanctions would follow.'
    assert _tidy(nlp, text, "told", 'the BBC it was "the right decision" and that further sanctions would follow') == [
        'it was "the right decision" and that further sanctions would follow']


def test_a_told_object_that_is_the_content_stays(nlp):
    text = "She told the story of her grandmother's escape."
    assert _tidy(nlp, text, "told", "the story of her grandmother's escape") == ["the story of her grandmother's escape"]


def test_a_reason_for_anonymity_ends_the_content(nlp):
    text = "Jobs will go, two sources said, declining to be identified because the plans are not public."
    assert _tidy(nlp, text, "said", "Jobs will go", "declining to be identified because the plans are not public") == ["Jobs will go"]


def test_a_nested_attribution_has_no_piece_holding_the_outer_cue(nlp):
    text = "The Guardian reported that, according to two people familiar with the matter, the deal collapsed last week."
    doc = nlp(text)
    outer = _att(text, "reported", "that, according to two people familiar with the matter, the deal collapsed last week")
    inner = _att(text, "according to", "The Guardian reported that", "the deal collapsed last week").model_copy(update={"id": "a2"})
    _, tidied = tidy_contents(doc, [outer, inner])
    assert [s.text for s in tidied.content] == ["the deal collapsed last week"]


def test_a_relative_clause_on_someone_in_the_content_is_no_reason_for_anonymity(nlp):
    text = "Police said a 34-year-old man, who asked not to be identified, was robbed on Main Street."
    content = "a 34-year-old man, who asked not to be identified, was robbed on Main Street"
    assert _tidy(nlp, text, "said", content) == [content]


def test_a_quotation_keeps_what_it_says_about_anonymity(nlp):
    text = '"The boss, who asked not to be named, was furious," she said.'
    assert _tidy(nlp, text, "said", '"The boss, who asked not to be named, was furious,"') == ['"The boss, who asked not to be named, was furious,"']


def test_a_list_of_speakers_is_not_split_as_an_interruption(nlp):
    text = "The deal, Britain, France and Germany said, would not survive the sanctions."
    assert _interrupted(nlp, text, "Britain, France and Germany", "said", "The deal", "would not survive the sanctions") == (
        "Britain, France and Germany", ["The deal", "would not survive the sanctions"])


def test_a_dateline_or_time_stamp_opening_the_paragraph_is_not_content(nlp):
    text = "OTTAWA — The federal government will not extend the deadline, Finance Minister Chrystia Freeland said."
    assert _tidy(nlp, text, "said", "OTTAWA — The federal government will not extend the deadline") == [
        "The federal government will not extend the deadline"]
    text = "WASHINGTON ― The convoy was turned back, a spokesperson said."  # HuffPost's horizontal bar
    assert _tidy(nlp, text, "said", "WASHINGTON ― The convoy was turned back") == ["The convoy was turned back"]
    text = "11:15 - The convoy was turned back, a spokesperson said."
    assert _tidy(nlp, text, "said", "11:15 - The convoy was turned back") == ["The convoy was turned back"]
    text = "Officials said the PARIS - LONDON route would close."  # not where a paragraph opens
    assert _tidy(nlp, text, "said", "the PARIS - LONDON route would close") == ["the PARIS - LONDON route would close"]


def test_a_quote_another_speaker_frames_in_its_own_sentence_is_theirs(nlp):
    text = 'Witnesses said the bus was overloaded. "It was carrying more than 70 people," said Mary Wanjiru.'
    witnesses = _att(text, "said the bus", "the bus was overloaded", '"It was carrying more than 70 people,"')
    witnesses = witnesses.model_copy(update={"cue": [Span.of(text, text.index("said"), text.index("said") + 4)]})
    framed = _att(text, "said Mary", '"It was carrying more than 70 people,"').model_copy(update={"id": "a2"})
    framed = framed.model_copy(update={"cue": [Span.of(text, text.index("said Mary"), text.index("said Mary") + 4)]})
    first, second = tidy_contents(nlp(text), [witnesses, framed])
    assert [s.text for s in first.content] == ["the bus was overloaded"]
    assert [s.text for s in second.content] == ['"It was carrying more than 70 people,"']


def test_a_piece_holding_another_attribution_whole_stays(nlp):
    # nested: the first speaker's content holds the second attribution, cue and all
    text = 'Aides said the plan was sound. Later, "we will win," Smith said, they added.'
    outer = _att(text, "Aides said", "the plan was sound", '"we will win," Smith said').model_copy(
        update={"cue": [Span.of(text, 6, 10)]})
    inner = _att(text, "Smith said", '"we will win,"').model_copy(
        update={"id": "a2", "cue": [Span.of(text, text.index("said, they"), text.index("said, they") + 4)]})
    first, _ = tidy_contents(nlp(text), [outer, inner])
    assert len(first.content) == 2


def test_narration_after_a_quote_frame_goes_even_with_an_apostrophe(nlp):
    # an apostrophe is a quote mark to the earlier cut, which keeps any piece holding one
    text = '"You should resign," Warren told Stumpf, after he admitted under Warren’s grilling that nobody was fired.'
    got = _tidy(nlp, text, "told", '"You should resign,"', "after he admitted under Warren’s grilling that nobody was fired")
    assert got == ['"You should resign,"']


def test_a_complement_after_a_quote_frame_is_the_content_of_its_cue(nlp):
    # the quotation before belongs to "said"; "adding" reports the that-clause
    text = '"We will win," Trump said, adding that the polls were wrong.'
    assert _tidy(nlp, text, "adding", '"We will win,"', "that the polls were wrong") == ["that the polls were wrong"]


def test_quotation_going_on_after_a_conjunction_stays(nlp):
    text = '"You know, I love Larry," she said, but "when it comes to energy, Larry has a history."'
    got = _tidy(nlp, text, "said", '"You know, I love Larry,"', 'but "when it comes to energy, Larry has a history."')
    assert len(got) == 2


def _with_source(nlp, text, source, cue, *contents):
    a = _att(text, cue, *contents)
    s = text.index(source)
    (out,) = tidy_contents(nlp(text), [a.model_copy(update={"source": [Span.of(text, s, s + len(source))]})])
    return [c.text for c in out.content]


def test_a_content_stops_where_its_own_source_starts(nlp):
    text = '"It is an invasion of the state regulatory domain," Scott Pruitt, the attorney general of Oklahoma, said.'
    got = _with_source(nlp, text, "Scott Pruitt, the attorney general of Oklahoma,", "said",
                       '"It is an invasion of the state regulatory domain," Scott Pruitt')
    assert got == ['"It is an invasion of the state regulatory domain,"']


def test_a_content_never_holds_its_own_source(nlp):
    # passive: the agent is the source; a content running through it loses it, and the pieces either side stay
    text = "Oz has been called a charlatan by fellow physicians for promoting quack cures."
    got = _with_source(nlp, text, "fellow physicians", "has been called", "a charlatan by fellow physicians for promoting quack cures")
    assert "fellow physicians" not in " ".join(got) and got[0].startswith("a charlatan")


def test_a_content_piece_that_is_the_source_stays(nlp):
    # PolNeAR: "Ronald Reagan was once asked how the Cold War would end" has "Ronald Reagan" in the content
    text = "Ronald Reagan was once asked how the Cold War would end."
    got = _with_source(nlp, text, "Ronald Reagan", "was once asked", "Ronald Reagan", "how the Cold War would end")
    assert got == ["Ronald Reagan", "how the Cold War would end"]


def _all(nlp, text, *atts):
    return tidy_contents(nlp(text), list(atts))


def test_a_later_quotation_goes_to_the_cue_that_opens_the_sentence(nlp):
    # PolNeAR gives the quotation to "said", not to the nested "referring to"
    text = 'Mr. Hedge said, referring to the loophole. "We have to close it before the vote."'
    said = _att(text, "said").model_copy(update={"id": "a1"})
    referring = _att(text, "referring to", "the loophole", '"We have to close it before the vote."').model_copy(update={"id": "a2"})
    out = {a.id: [c.text for c in a.content] for a in _all(nlp, text, said, referring)}
    assert out == {"a1": ['"We have to close it before the vote."'], "a2": ["the loophole"]}


def test_a_later_quotation_without_a_cue_before_becomes_an_inferred_attribution(nlp):
    text = 'She criticised the plan. "It will fail, and everyone knows it."'
    s = text.index("She")
    a = _att(text, "criticised", "the plan", '"It will fail, and everyone knows it."')
    a = a.model_copy(update={"source": [Span.of(text, s, s + 3)]})
    first, second = _all(nlp, text, a)
    assert [c.text for c in first.content] == ["the plan"] and not first.inferred
    assert [c.text for c in second.content] == ['"It will fail, and everyone knows it."']
    assert second.inferred and not second.cue and [x.text for x in second.source] == ["She"] and second.id == "a1.2"


def test_a_later_sentence_that_is_not_a_quotation_is_dropped(nlp):
    text = "She criticised the plan. Analysts expect it to fail within a year."
    (a,) = _all(nlp, text, _att(text, "criticised", "the plan", "Analysts expect it to fail within a year"))
    assert [c.text for c in a.content] == ["the plan"]


@pytest.mark.parametrize("text, content, expected", [
    # after its cue, a reported clause ends at a semicolon outside quotation marks
    ("A spokesman said the timing was not intentional; aides only learned of the deal on Friday.",
     "the timing was not intentional; aides only learned of the deal on Friday", "the timing was not intentional"),
    ('She said the plan was "bold; even reckless" and would pass.',
     'the plan was "bold; even reckless" and would pass', 'the plan was "bold; even reckless" and would pass'),
    # a content before its cue starts after a sentence adverb and its comma; a bare "But" stays
    ("However, slower growth in rich nations is being offset by faster growth elsewhere, the fund said.",
     "However, slower growth in rich nations is being offset by faster growth elsewhere",
     "slower growth in rich nations is being offset by faster growth elsewhere"),
    ("But the plan will fail, the minister said.", "But the plan will fail", "But the plan will fail"),
])
def test_semicolons_and_sentence_adverbs(nlp, text, content, expected):
    assert _tidy(nlp, text, "said", content) == [expected]


@pytest.mark.parametrize("after", ["when asked about the plan", "to loud applause from the party's base", "who leads the party's campaign"])
def test_a_quotation_stays_the_content_when_narration_follows_its_frame(nlp, after):
    text = f'"We will win this fight," Smith said, {after}.'
    assert _tidy(nlp, text, "said", '"We will win this fight,"', after) == ['"We will win this fight,"']


def test_a_semicolon_inside_a_quotation_does_not_hide_one_outside(nlp):
    text = 'She said the plan was "bold; even reckless" and would pass; the vote is on Monday.'
    got = _tidy(nlp, text, "said", 'the plan was "bold; even reckless" and would pass; the vote is on Monday')
    assert got == ['the plan was "bold; even reckless" and would pass']


def test_a_later_quotation_two_contents_lose_becomes_one_inferred_attribution(nlp):
    text = 'She criticised the plan and he mocked the budget. "It will fail, and everyone knows it."'
    quote = '"It will fail, and everyone knows it."'
    first = _att(text, "criticised", "the plan", quote)
    second = _att(text, "mocked", "the budget", quote).model_copy(update={"id": "a2"})
    out = _all(nlp, text, first, second)
    assert [[c.text for c in a.content] for a in out if not a.inferred] == [["the plan"], ["the budget"]]
    assert [[c.text for c in a.content] for a in out if a.inferred] == [[quote]]
