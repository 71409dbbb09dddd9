"""The content re-ranker (nlp/content_rerank.py, train_content_rerank.py) and how boundaries.py uses it. Issue #13."""

import json

from boundaries_support import attribution as _att, nlp  # noqa: F401  (nlp: fixture)
from sourcetrace.eval.polnear import GoldAttribution, GoldDoc
from sourcetrace.nlp import boundaries, content_rerank
from sourcetrace.nlp.content_bounds import ContentBoundsModel
from sourcetrace.nlp.content_rerank import ContentRerankModel, end_options, start_options
from sourcetrace.nlp.train_content_rerank import fit, groups

TEXT = "The mayor said the bridge would reopen in May, adding that repairs were on schedule."
LONG = "the bridge would reopen in May, adding that repairs were on schedule"


def _rerank(nlp, text, cue, content, model):
    doc = nlp(text)
    a = _att(text, cue, content)
    pieces = [(a.content[0].start, a.content[0].end)]
    ((s, e),) = boundaries.reranked(doc, text, pieces, a, boundaries._cue_span(doc, a), model)
    return text[s:e]


def test_the_first_end_option_is_the_taggers_end_and_the_others_say_what_they_cross(nlp):
    doc = nlp(TEXT)
    s, e = TEXT.index(LONG), TEXT.index(LONG) + len(LONG)
    said = next(t for t in doc if t.text == "said")
    options = end_options(doc, TEXT, s, e, said)
    assert options[0].keep and options[0].at == e and "keep" in options[0].features
    cut = next(o for o in options if TEXT[s : o.at] == "the bridge would reopen in May")
    assert "xcw=," in cut.features and any(f.startswith("mv=cut|") for f in cut.features)
    assert all(not o.keep for o in options[1:]) and len({o.at for o in options}) == len(options)


def test_a_model_that_prefers_the_comma_cuts_there_and_one_that_prefers_the_tagger_keeps_it(nlp):
    cutter = ContentRerankModel({"w=,": 5.0}, {}, {"end_margin": 0.0, "start_margin": 0.0})
    assert _rerank(nlp, TEXT, "said", LONG, cutter) == "the bridge would reopen in May"
    keeper = ContentRerankModel({"w=,": 5.0, "keep": 6.0}, {}, {"end_margin": 0.0, "start_margin": 0.0})
    assert _rerank(nlp, TEXT, "said", LONG, keeper) == LONG


def test_a_move_must_beat_the_taggers_option_by_the_margin(nlp):
    cutter = ContentRerankModel({"w=,": 5.0}, {}, {"end_margin": 5.5, "start_margin": 0.0})
    assert _rerank(nlp, TEXT, "said", LONG, cutter) == LONG


def test_a_start_moves_back_towards_the_cue_where_the_model_prefers(nlp):
    text = "The senator described the deal as toothless."
    model = ContentRerankModel({}, {"w=the": 3.0}, {"end_margin": 99.0, "start_margin": 0.0})
    assert _rerank(nlp, text, "described", "as toothless", model) == "the deal as toothless"
    doc = nlp(text)
    cue = next(t for t in doc if t.text == "described")
    s = text.index("as toothless")
    options = start_options(doc, text, s, len(text) - 1, cue, cue)
    assert options[0].at == s and any("mv=back|" in f for o in options for f in o.features)


def test_a_content_before_its_cue_is_left_alone(nlp):
    text = "The bridge would reopen in May, the mayor said."
    model = ContentRerankModel({"b": 5.0, "w=,": 5.0}, {"b": 5.0}, {"end_margin": 0.0, "start_margin": 0.0})
    assert _rerank(nlp, text, "said", "The bridge would reopen in May", model) == "The bridge would reopen in May"


def test_training_groups_label_the_option_at_the_gold_end(nlp):
    s, e, c = TEXT.index(LONG), TEXT.index(", adding"), TEXT.index("said")
    gold = GoldDoc(name="x", text=TEXT, attributions=[GoldAttribution(id="E1", cue=[(c, c + 4)], content=[(s, e)])])
    predicted = {0: [_att(TEXT, "said", LONG)]}
    rows = groups([gold], [nlp(TEXT)], predicted)
    ((options, right),) = rows["end"]
    assert right > 0 and "xcw=," in options[right]  # the gold stops before the comma the tagger ran past
    assert rows["start"] == [] or all(r == 0 for _, r in rows["start"])  # the tagger's start is the gold start


def test_fit_is_deterministic_and_ranks_the_right_option_first():
    rows = [([["keep", "w=and"], ["w=,"], ["w=in"]], 1)] * 20 + [([["keep", "w=,"], ["w=and"]], 0)] * 15
    w1 = fit(rows, min_freq=1, l2=1e-4, iterations=200, lr=0.1)
    w2 = fit(rows, min_freq=1, l2=1e-4, iterations=200, lr=0.1)
    assert w1 == w2
    assert w1["w=,"] > w1["w=and"] and w1["w=,"] > w1.get("w=in", 0.0)


def test_with_the_content_bounds_model_each_option_carries_its_scores_and_gated_choice(nlp):
    doc = nlp(TEXT)
    s, e = TEXT.index(LONG), TEXT.index(LONG) + len(LONG)
    said = next(t for t in doc if t.text == "said")
    bounds = ContentBoundsModel({"w=,": 20.0, "b": -10.0}, {}, {"cut": 0.8, "extend": -1.0})
    options = end_options(doc, TEXT, s, e, said, bounds)
    gated = [o for o in options if "gated" in o.features]
    assert [TEXT[s : o.at] for o in gated] == ["the bridge would reopen in May"]
    assert "pe=1" in gated[0].features and all(any(f.startswith("ll=") for f in o.features) for o in options[1:])
    assert not any(f.startswith("pe=") for f in end_options(doc, TEXT, s, e, said)[1].features)


def test_the_shipped_model_loads_with_its_margins():
    model = content_rerank.shipped_model()
    assert model is not None, "sourcetrace/nlp/models/content-rerank is missing: run `sourcetrace train-content-rerank`"
    meta = json.loads((content_rerank.MODEL_DIR / "meta.json").read_text())
    assert (model.end_margin, model.start_margin) == (meta["end_margin"], meta["start_margin"])
    assert (model.uses_bounds, model.start_by_bounds) == (meta["uses_bounds"], meta["start_by_bounds"])
    assert len(model.end_weights) > 100 and (model.start_by_bounds or len(model.start_weights) > 100)
    assert meta["end_groups"] > 1000 and meta["folds"] >= 2


def test_tidy_contents_applies_the_shipped_re_ranker_within_the_cue_s_sentence(nlp):
    (tidied,) = boundaries.tidy_contents(nlp(TEXT), [_att(TEXT, "said", LONG)])
    (piece,) = tidied.content
    assert piece.start >= TEXT.index("said") + 4 and piece.end <= len(TEXT) and piece.text.startswith("the bridge")


def test_a_content_is_not_run_on_over_another_attributions_cue(nlp):
    text = "Washington refused, with Pentagon officials citing limited stockpiles and White House officials fearing escalation."
    doc = nlp(text)
    a = _att(text, "citing", "limited stockpiles")
    pieces = [(a.content[0].start, a.content[0].end)]
    runs_on = ContentRerankModel({"keep": -5.0}, {}, {"end_margin": 0.0, "start_margin": 0.0})
    ((_, e),) = boundaries.reranked(doc, text, pieces, a, boundaries._cue_span(doc, a), runs_on)
    assert e > pieces[0][1]  # nothing in the way: the model runs the content on
    ((_, e),) = boundaries.reranked(doc, text, pieces, a, boundaries._cue_span(doc, a), runs_on, cues=[text.index("fearing")])
    assert text[pieces[0][0] : e] == "limited stockpiles"
