"""The learned content-end model (nlp/content_ends.py, train_content_ends.py) and how boundaries.py uses it. Issue #13."""

import json

import pytest

from sourcetrace.eval.polnear import GoldAttribution, GoldDoc
from sourcetrace.model import Attribution, Span
from sourcetrace.nlp import boundaries, content_ends
from sourcetrace.nlp.content_ends import ContentEndModel, candidates, features, shipped_model
from sourcetrace.nlp.pipeline import load_pipeline
from sourcetrace.nlp.train_content_ends import examples, fit


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline("rules")


def _att(text, cue, content):
    c, s = text.index(cue), text.index(content)
    return Attribution(id="a1", cue=[Span.of(text, c, c + len(cue))], content=[Span.of(text, s, s + len(content))])


def _end(nlp, text, cue, content, model):
    doc = nlp(text)
    a = _att(text, cue, content)
    s, e = boundaries._end_by_model(doc, text, a.content[0].start, a.content[0].end, a, model)
    return text[s:e]


TEXT = "The mayor said the bridge would reopen in May, adding that repairs were on schedule."


def test_candidates_are_punctuation_and_right_hung_subtrees_not_quotes(nlp):
    doc = nlp('The mayor said "the bridge would reopen in May, and soon."')
    first = next(t for t in doc if t.text == "the")
    found = [t.text for t in candidates(doc, first, doc[-1])]
    assert "," in found and "and" in found
    assert '"' not in found and "the" not in found


def test_features_name_the_word_its_attachment_and_the_cue(nlp):
    doc = nlp(TEXT)
    comma = next(t for t in doc if t.text == ",")
    said = next(t for t in doc if t.text == "said")
    names = features(doc, comma, doc[3], said)
    assert "w=," in names and "cue=say" in names and "first=the" in names
    assert any(n.startswith("natt|nd=") for n in names)


def test_a_sure_stop_cuts_the_content_at_the_first_candidate(nlp):
    always = ContentEndModel({"w=,": 20.0, "b": -10.0}, {"cut": 0.9, "extend": -1})
    assert _end(nlp, TEXT, "said", "the bridge would reopen in May, adding that repairs were on schedule", always) == (
        "the bridge would reopen in May"
    )


def test_an_unsure_model_leaves_the_taggers_end(nlp):
    unsure = ContentEndModel({}, {"cut": 0.9, "extend": 0.1})  # P(stop) = 0.5 everywhere
    content = "the bridge would reopen in May, adding that repairs were on schedule"
    assert _end(nlp, TEXT, "said", content, unsure) == content


def test_a_stop_the_model_rejects_runs_on_to_the_next_likely_one(nlp):
    # never stop at "in", stop at the comma
    model = ContentEndModel({"w=in": -10.0, "w=,": 20.0, "b": -10.0}, {"cut": 1.01, "extend": 0.1})
    assert _end(nlp, TEXT, "said", "the bridge would reopen", model) == "the bridge would reopen in May"


def test_a_content_before_its_cue_is_left_alone(nlp):
    text = "The bridge would reopen in May, the mayor said."
    always = ContentEndModel({"b": 10.0}, {"cut": 0.5, "extend": -1})
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
    model = ContentEndModel(weights, {})
    assert weights["w=,"] > 0 > weights["w=and"]
    assert model.weights == weights


def test_the_shipped_model_loads_with_its_thresholds():
    model = shipped_model()
    assert model is not None, "sourcetrace/nlp/models/content-ends is missing: run `sourcetrace train-content-ends`"
    meta = json.loads((content_ends.MODEL_DIR / "meta.json").read_text())
    assert model.cut == meta["cut"] and model.extend == meta["extend"]
    assert len(model.weights) > 100
