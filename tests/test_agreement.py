import json

from typer.testing import CliRunner

from sourcetrace.cli import app
from sourcetrace.eval.agreement import agreement, doubly_annotated

TEXT = "The mayor said on Monday the bridge would reopen."
FIRST = (
    "T1\tSource 0 9\tThe mayor\nT2\tCue 10 14\tsaid\nT3\tContent 25 49\tthe bridge would reopen\n"
    "E1\tAttribution:T2 Cue:T2 Source:T1 Content:T3\n"
)
# Same attribution, but this annotator takes "said on Monday" as the cue.
SECOND = FIRST.replace("T2\tCue 10 14\tsaid", "T2\tCue 10 24\tsaid on Monday")


def make_split(root, anns):
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "a.txt").write_text(TEXT)
    for annotator, ann in anns.items():
        (root / "attributions" / f"a_{annotator}.ann").write_text(ann)
    return root


def test_identical_annotations_agree_fully(tmp_path):
    split = make_split(tmp_path / "s", {"x1": FIRST, "x2": FIRST})
    scores = agreement([split])
    assert scores.documents == 1
    assert scores.cue.exact.f1 == 1.0 and scores.attribution.f1 == 1.0


def test_a_cue_boundary_disagreement_costs_cue_exact_but_not_attribution(tmp_path):
    split = make_split(tmp_path / "s", {"x1": FIRST, "x2": SECOND})
    scores = agreement([split])
    assert scores.cue.exact.f1 == 0.0
    assert scores.source.exact.f1 == 1.0
    assert scores.attribution.f1 == 1.0  # cue and content still overlap


def test_singly_annotated_articles_are_left_out(tmp_path):
    split = make_split(tmp_path / "s", {"x1": FIRST})
    assert doubly_annotated(split) == []
    assert agreement([split]).documents == 0


def test_cli_reports_agreement_and_refuses_splits_without_pairs(tmp_path):
    runner = CliRunner()
    paired = make_split(tmp_path / "p", {"x1": FIRST, "x2": SECOND})
    result = runner.invoke(app, ["agreement", str(paired), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["cue"]["exact"]["f1"] == 0.0
    single = make_split(tmp_path / "s", {"x1": FIRST})
    result = runner.invoke(app, ["agreement", str(single)])
    assert result.exit_code == 1 and "two annotation files" in result.output
    result = runner.invoke(app, ["agreement", str(tmp_path / "missing")])
    assert result.exit_code == 1 and "not a PolNeAR split" in result.output
