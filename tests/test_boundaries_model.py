"""The learned content-end model (nlp/content_bounds.py, train_content_bounds.py) and how boundaries.py uses it. Issue #13."""

import json

import pytest

from boundaries_support import attribution as _att, nlp  # noqa: F401  (nlp: fixture)
from sourcetrace.eval.polnear import GoldAttribution, GoldDoc
from sourcetrace.model import Attribution, Span
from sourcetrace.nlp import boundaries, content_bounds
from sourcetrace.nlp.content_bounds import ContentBoundsModel, end_candidates, end_features, shipped_model
from sourcetrace.nlp.train_content_bounds import examples, fit


def _end(nlp, text, cue, content, model):
    doc = nlp(text)
    a = _att(text, cue, content)
    s, e = boundaries._end_by_model(doc, text, a.content[0].start, a.content[0].end, a, boundaries._cue_span(doc, a), model)
    return text[s:e]


TEXT = "The mayor said the bridge would reopen in May, adding that repairs were on schedule."


def test_candidates_are_punctuation_and_right_hung_subtrees_not_quotes(nlp):
    doc = nlp('The mayor said "the bridge would reopen in May, and soon."')
    first = next(t for t in doc if t.text == "the")
    found = [t.text for t in end_candidates(doc, first, doc[-1])]
    assert "," in found and "and" in found
    assert '"' not in found and "the" not in found


def test_features_name_the_word_its_attachment_and_the_cue(nlp):
    doc = nlp(TEXT)
    comma = next(t for t in doc if t.text == ",")
    said = next(t for t in doc if t.text == "said")
    names = end_features(doc, comma, doc[3], said)
    assert "w=," in names and "cue=say" in names and "first=the" in names
    assert any(n.startswith("natt|nd=") for n in names)


def test_a_sure_stop_cuts_the_content_at_the_first_candidate(nlp):
    always = ContentBoundsModel({"w=,": 20.0, "b": -10.0}, {}, {"cut": 0.9, "extend": -1})
    assert _end(nlp, TEXT, "said", "the bridge would reopen in May, adding that repairs were on schedule", always) == (
        "the bridge would reopen in May"
    )


def test_an_unsure_model_leaves_the_taggers_end(nlp):
    unsure = ContentBoundsModel({}, {}, {"cut": 0.9, "extend": 0.1})  # P(stop) = 0.5 everywhere
    content = "the bridge would reopen in May, adding that repairs were on schedule"
    assert _end(nlp, TEXT, "said", content, unsure) == content


def test_a_stop_the_model_rejects_runs_on_to_the_next_likely_one(nlp):
    # never stop at "in", stop at the comma
    model = ContentBoundsModel({"w=in": -10.0, "w=,": 20.0, "b": -10.0}, {}, {"cut": 1.01, "extend": 0.1})
    assert _end(nlp, TEXT, "said", "the bridge would reopen", model) == "the bridge would reopen in May"


def test_a_content_before_its_cue_is_left_alone(nlp):
    text = "The bridge would reopen in May, the mayor said."
    always = ContentBoundsModel({"b": 10.0}, {}, {"cut": 0.5, "extend": -1})
    assert _end(nlp, text, "said", "The bridge would reopen in May", always) == "The bridge would reopen in May"


def test_training_examples_label_the_gold_end_and_what_the_content_ran_past(nlp):
    text = "The mayor said the bridge would reopen in May, adding that repairs were on schedule."
    s = text.index("the bridge")
    e = text.index(", adding")
    c = text.index("said")
    gold = GoldDoc(name="x", text=text, attributions=[GoldAttribution(id="E1", cue=[(c, c + 4)], content=[(s, e)])])
    rows = list(examples([gold], [nlp(text)]))
    labels = [label for _, label in rows]
    assert labels[-1] == 1 and sum(labels) == 1 and len(labels) >= 2
    assert "w=," in rows[-1][0]


def test_fit_learns_which_feature_predicts_a_stop():
    rows = [(["b", "w=,"], 1)] * 20 + [(["b", "w=and"], 0)] * 20 + [(["b", "w=,"], 0)] * 2
    weights = fit(rows, min_freq=1, l2=1e-4, iterations=200, lr=0.1)
    model = ContentBoundsModel(weights, {}, {})
    assert weights["w=,"] > 0 > weights["w=and"]
    assert model.end_weights == weights


def test_the_shipped_model_loads_with_its_thresholds():
    model = shipped_model()
    assert model is not None, "sourcetrace/nlp/models/content-bounds is missing: run `sourcetrace train-content-bounds`"
    meta = json.loads((content_bounds.MODEL_DIR / "meta.json").read_text())
    assert (model.cut, model.extend, model.back, model.skip) == (meta["cut"], meta["extend"], meta["back"], meta["skip"])
    assert len(model.end_weights) > 100 and len(model.start_weights) > 100


def _start(nlp, text, cue, content, model):
    doc = nlp(text)
    a = _att(text, cue, content)
    ((s, e),) = boundaries._start_by_model(doc, [(a.content[0].start, a.content[0].end)], a, boundaries._cue_span(doc, a), model)
    return text[s:e]


def test_a_sure_start_moves_the_content_back_towards_the_cue(nlp):
    text = "The senator described the deal as toothless."
    model = ContentBoundsModel({}, {"w=the": 10.0}, {"back": 0.9})
    assert _start(nlp, text, "described", "as toothless", model) == "the deal as toothless"


def test_a_start_the_model_rejects_moves_on_to_the_next_likely_one(nlp):
    text = "The senator described the deal as toothless."
    model = ContentBoundsModel({}, {"w=the": -10.0, "w=as": 10.0}, {"back": 1.01, "skip": 0.1})
    assert _start(nlp, text, "described", "the deal as toothless", model) == "as toothless"


def test_a_start_never_moves_before_the_cue_or_an_earlier_piece(nlp):
    text = '"It is over," the senator said, "and it was toothless."'
    doc = nlp(text)
    model = ContentBoundsModel({}, {"b": 10.0}, {"back": 0.5})
    a = _att(text, "said", '"and it was toothless."')
    first = (1, text.index(",") + 1)
    pieces = [first, (a.content[0].start, a.content[0].end)]
    moved = boundaries._start_by_model(doc, pieces, a, boundaries._cue_span(doc, a), model)
    assert moved[0] == first and moved[1][0] > text.index("said")


@pytest.mark.parametrize(
    "text,source,expected",
    [
        ("Rendell, a Clinton surrogate, said the race was close.", "Rendell, a Clinton surrogate", "Rendell, a Clinton surrogate,"),
        ("Rendell said the race was close.", "Rendell", "Rendell"),
        ("In Ohio, Rendell said the race was close.", "Rendell", "Rendell"),
    ],
)
def test_a_source_in_apposition_takes_its_closing_comma(nlp, text, source, expected):
    s = text.index(source)
    a = _att(text, "said", "the race was close").model_copy(update={"source": [Span.of(text, s, s + len(source))]})
    (tidied,) = boundaries.tidy_contents(nlp(text), [a])
    assert tidied.source[0].text == expected


def test_a_text_that_is_one_long_sentence_is_tidied_within_bounded_windows(nlp):
    # a hostile "sentence" of thousands of words: candidates and quote look-backs stay windowed
    text = "The mayor said " + ", ".join(f'"part {i}" of the plan' for i in range(600)) + "."
    doc = nlp(text)
    s = text.index('"part 0"')
    a = Attribution(id="a1", cue=[Span.of(text, 10, 14)], content=[Span.of(text, s, len(text) - 1)])
    (tidied,) = boundaries.tidy_contents(doc, [a])
    (piece,) = tidied.content
    assert piece.start >= s - 1 and piece.end <= len(text) and piece.text
    first = next(t for t in doc if t.idx == s)
    middle = doc[len(doc) // 2]
    found = end_candidates(doc, first, middle)
    assert found and max(t.i for t in found) <= middle.i + content_bounds.END_WINDOW
