import json

from typer.testing import CliRunner

from sourcetrace.cli import app
from sourcetrace.eval.failures import document_failures
from sourcetrace.eval.polnear import GoldAttribution

TEXT = "Ann said it rained. Bob thinks taxes rise. Cal noted costs."


def at(text, **roles):
    """A GoldAttribution with each role given as the words it covers."""
    spans = {}
    for role, words in roles.items():
        start = text.index(words)
        spans[role] = [(start, start + len(words))]
    return GoldAttribution(id="x", **spans)


def test_each_miss_and_false_attribution_says_how_far_it_got():
    gold = [at(TEXT, cue="said", content="it rained"), at(TEXT, cue="thinks", content="taxes rise"), at(TEXT, cue="noted", content="costs")]
    predicted = [
        at(TEXT, cue="said", content="it rained"),  # matched
        at(TEXT, cue="said", content="it rained"),  # a second prediction for the same gold attribution
        at(TEXT, source="Bob", cue="thinks", content="Bob"),  # right cue, wrong content
        at(TEXT, cue="Ann", content="Cal"),  # no gold cue there
    ]
    records = document_failures("doc", TEXT, gold, predicted)
    found = [(r["kind"], r["why"], r["cue"], r["content"]) for r in records]
    assert found == [
        ("missed", "content", "thinks", "taxes rise"),
        ("missed", "cue", "noted", "costs"),
        ("false", "taken", "said", "it rained"),
        ("false", "content", "thinks", "Bob"),
        ("false", "cue", "Ann", "Cal"),
    ]
    assert records[3]["source"] == "Bob" and records[3]["cue_spans"] == [[TEXT.index("thinks"), TEXT.index("thinks") + 6]]
    # the reverse: two gold attributions, one prediction
    twice = document_failures("doc", TEXT, gold[:1] * 2, predicted[:1])
    assert [(r["kind"], r["why"]) for r in twice] == [("missed", "taken")]
    assert document_failures("doc", TEXT, gold, gold) == []


def test_eval_writes_the_failures_of_a_predictions_file(tmp_path):
    root = tmp_path / "split"
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "a.txt").write_text(TEXT, encoding="utf-8")
    s, c = TEXT.index("noted"), TEXT.index("costs")
    (root / "attributions" / "a_x.ann").write_text(
        f"T1\tCue {s} {s + 5}\tnoted\nT2\tContent {c} {c + 5}\tcosts\nE1\tAttribution:T1 Cue:T1 Content:T2\n", encoding="utf-8")
    predictions = tmp_path / "p.jsonl"
    a = TEXT.index("Ann")
    predictions.write_text(json.dumps({"article": "a", "attributions": [{"cue": [[a, a + 3]], "content": [[c, c + 5]]}]}) + "\n")
    out = tmp_path / "failures.jsonl"
    result = CliRunner().invoke(app, ["eval", str(root), "--score-predictions", str(predictions), "--failures", str(out), "--json"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["article"], r["kind"], r["why"], r["cue"]) for r in records] == [("a", "missed", "cue", "noted"), ("a", "false", "cue", "Ann")]
