"""The content re-ranker (nlp/content_rerank.py, train_content_rerank.py) and how boundaries.py uses it. Issue #13."""

import json

import numpy as np
import pytest
from boundaries_support import attribution as _att, nlp  # noqa: F401  (nlp: fixture)
from sourcetrace.eval.polnear import GoldAttribution, GoldDoc
from sourcetrace.nlp import boundaries, content_rerank
from sourcetrace.nlp.content_bounds import ContentBoundsModel
from sourcetrace.nlp.content_rerank import ContentRerankModel, end_options, start_options
from sourcetrace.nlp import train_content_rerank
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


def _with_head(doc, ends_at: str, text: str):
    """A content head that is sure a content ends on the word ``ends_at`` and runs over everything before it."""
    probs = np.zeros((len(doc), 3), dtype=np.float32)
    stop = next(t.i for t in doc if t.idx == text.index(ends_at))
    probs[: stop + 1, 2] = 0.99
    probs[stop, 1] = 0.99
    doc.user_data[content_rerank.CONTENT_HEAD] = (np.array([t.idx for t in doc]), probs)
    return doc


def test_end_options_read_the_content_head_only_when_asked_and_given(nlp):
    s, e = TEXT.index(LONG), TEXT.index(LONG) + len(LONG)
    doc = nlp(TEXT)
    said = next(t for t in doc if t.text == "said")
    heads = lambda options: [f for o in options for f in o.features if f.startswith(("qe=", "qo=", "qd=", "qdo="))]  # noqa: E731
    assert heads(end_options(doc, TEXT, s, e, said, head=True)) == []  # no head on this document
    _with_head(doc, "May", TEXT)
    assert heads(end_options(doc, TEXT, s, e, said)) == []
    options = end_options(doc, TEXT, s, e, said, head=True)
    assert all(sum(f.startswith(("qe=", "qo=", "qd=", "qdo=")) for f in o.features) == 4 for o in options)
    at_may = next(o for o in options if TEXT[s : o.at] == "the bridge would reopen in May")
    assert "qe=1" in at_may.features and "qe=0.02" in options[0].features  # sure here, not at the tagger's end


def test_a_re_ranker_that_trusts_the_head_cuts_where_the_head_ends(nlp):
    doc = _with_head(nlp(TEXT), "May", TEXT)
    a = _att(TEXT, "said", LONG)
    pieces = [(a.content[0].start, a.content[0].end)]
    trusts = ContentRerankModel({"qe=1": 5.0}, {}, {"end_margin": 0.5, "start_margin": 99.0, "uses_head": True})
    ((s, e),) = boundaries.reranked(doc, TEXT, pieces, a, boundaries._cue_span(doc, a), trusts)
    assert TEXT[s:e] == "the bridge would reopen in May"
    blind = ContentRerankModel({"qe=1": 5.0}, {}, {"end_margin": 0.5, "start_margin": 99.0})  # reads no head
    ((s, e),) = boundaries.reranked(doc, TEXT, pieces, a, boundaries._cue_span(doc, a), blind)
    assert TEXT[s:e] == LONG


def test_documents_with_a_content_head_get_the_re_ranker_trained_with_it(nlp):
    doc = nlp(TEXT)
    plain = content_rerank.model_for(doc)
    assert plain is content_rerank.shipped_model() and not plain.uses_head
    head = content_rerank.model_for(_with_head(doc, "May", TEXT))
    assert head is content_rerank.shipped_model(head=True), "models/content-rerank-head is missing: see MODEL_CARD.md, Retrain"
    meta = json.loads((content_rerank.HEAD_MODEL_DIR / "meta.json").read_text())
    assert head.uses_head and meta["cue_folds"] and (head.end_margin, head.extend_margin) == (meta["end_margin"], meta["extend_margin"])


def test_re_ranker_training_refuses_a_missing_cue_model_or_one_too_few(tmp_path):
    from typer.testing import CliRunner

    from sourcetrace.cli import app

    split = tmp_path / "split"
    (split / "text").mkdir(parents=True)
    result = CliRunner().invoke(app, ["train-content-rerank", "--train", str(split), "--cue-fold", str(tmp_path)])
    assert result.exit_code == 1 and "holds no cue model" in result.output
    with pytest.raises(ValueError, match="one cue model per part"):
        train_content_rerank.train(split, tmp_path / "out", cue_folds=[tmp_path])


def _fold_model(path, fold, labels=("O", "B", "I", "start", "end", "inside")):
    path.mkdir()
    (path / "meta.json").write_text(json.dumps({"labels": list(labels), "params": {"fold": fold}}))
    return path


def test_cue_fold_models_must_come_in_part_order_with_the_content_head(tmp_path):
    first, second = _fold_model(tmp_path / "f0", "0/2"), _fold_model(tmp_path / "f1", "1/2")
    train_content_rerank._check_cue_folds([first, second], 2)
    with pytest.raises(ValueError, match="order of their --fold"):
        train_content_rerank._check_cue_folds([second, first], 2)
    with pytest.raises(ValueError, match="no content head"):
        train_content_rerank._check_cue_folds([first, _fold_model(tmp_path / "old", "1/2", ("O", "B", "I"))], 2)


def test_each_training_article_reads_the_head_of_the_cue_model_that_left_it_out(tmp_path, monkeypatch, nlp):
    from sourcetrace.nlp import cue_model

    class Fake:
        def __init__(self, path, threads=1):
            self.part = int(path.name)

        def token_outputs(self, text, starts, ends):
            return np.full((len(starts), 6), float(self.part), dtype=np.float32)

    monkeypatch.setattr(cue_model, "CueModel", Fake)
    docs = [nlp(f"Article {n} said so.") for n in range(5)]
    train_content_rerank.attach_content_head(docs, [tmp_path / "0", tmp_path / "1"])
    parts = [int(d.user_data[content_rerank.CONTENT_HEAD][1][0, 0]) for d in docs]
    assert parts == [0, 1, 0, 1, 0]  # article n: the model trained without part n % 2
