from sourcetrace.eval import floor
from sourcetrace.eval.metrics import PRF, Scores


def make_split(root, ann="T1\tCue 4 8\tsaid\nE1\tAttribution:T1 Cue:T1\n"):
    (root / "text").mkdir(parents=True, exist_ok=True)
    (root / "attributions").mkdir(exist_ok=True)
    (root / "text" / "a.txt").write_text("Bob said hi.", encoding="utf-8")
    (root / "attributions" / "a_x.ann").write_text(ann, encoding="utf-8")
    return root


def scores(correct: int) -> Scores:
    return Scores(documents=1, cue=dict(exact=PRF(correct=correct, predicted=1000, gold=1000)))


def test_digest_changes_with_annotations_but_not_with_unused_files(tmp_path):
    split = make_split(tmp_path / "s")
    before = floor.split_digest(split)
    (split / "notes.txt").write_text("not part of the split")
    assert floor.split_digest(split) == before
    (split / "attributions" / "a_x.ann").write_text("T1\tCue 4 7\tsai\nE1\tAttribution:T1 Cue:T1\n")
    assert floor.split_digest(split) != before


def test_regressions_allow_half_a_point_and_flag_more(tmp_path):
    path = tmp_path / "floor.json"
    pinned = floor.pin(path, "x", scores(800), "sha256:abc", "polnear/dev")["extractors"]["x"]
    assert pinned["scores"]["cue.exact.f1"] == 0.8
    assert floor.regressions(pinned, scores(796), "sha256:abc") == []  # 0.004 below
    assert floor.regressions(pinned, scores(900), "sha256:abc") == []
    problems = floor.regressions(pinned, scores(790), "sha256:abc")  # 0.010 below
    assert sorted(p.split(":")[0] for p in problems) == ["cue.exact.f1", "cue.exact.precision", "cue.exact.recall"]
    assert "below its floor 0.8000" in problems[0]


def test_regressions_refuse_to_compare_scores_on_other_data(tmp_path):
    pinned = floor.pin(tmp_path / "floor.json", "x", scores(800), "sha256:abc", "polnear/dev")["extractors"]["x"]
    (problem,) = floor.regressions(pinned, scores(800), "sha256:def")
    assert "data changed" in problem and "--write-floor" in problem


def test_pin_keeps_other_extractors(tmp_path):
    path = tmp_path / "floor.json"
    floor.pin(path, "a", scores(1), "sha256:1", "polnear/dev")
    floor.pin(path, "b", scores(2), "sha256:1", "polnear/dev")
    assert sorted(floor.load_floor(path)["extractors"]) == ["a", "b"]
