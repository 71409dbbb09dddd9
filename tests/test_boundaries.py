"""Content boundaries (sourcetrace/nlp/boundaries.py): PolNeAR's conventions for where a content stops. Issue #13."""

from boundaries_support import attribution as _att, nlp  # noqa: F401  (nlp: fixture)
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
