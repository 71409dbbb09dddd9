import json

import pytest
from typer.testing import CliRunner

from sourcetrace.cli import app
from sourcetrace.eval import evaluate, evaluate_many, floor
from sourcetrace.model import Attribution, Span
from sourcetrace.nlp.extractor import DEFAULT_EXTRACTOR
from sourcetrace.nlp.extractor import EXTRACTORS

ARTICLES = {
    "alpha": "The mayor said the bridge would reopen.\r\nCritics doubted it.",
    "beta": "Officials said on Monday that taxes would rise. Nobody else spoke.",
}
ANNS = {
    "alpha": "T1\tSource 0 9\tThe mayor\nT2\tCue 10 14\tsaid\nT3\tContent 15 38\tthe bridge would reopen\n"
    "E1\tAttribution:T2 Cue:T2 Source:T1 Content:T3\n",
    "beta": "T1\tSource 0 9\tOfficials\nT2\tCue 10 14\tsaid\nT3\tContent 30 46\ttaxes would rise\n"
    "T4\tContent 40 46\tignored\nE1\tAttribution:T2 Cue:T2 Source:T1 Content:T3\n",
}


class SaidExtractor:
    """Test extractor: '<word before> said <rest of the sentence>'."""

    name = "test-said"

    def __call__(self, doc):
        found = []
        for token in doc:
            if token.text == "said" and token.i > 0:
                source = doc[token.i - 1]
                end = token.i + 1
                while end < len(doc) and not (doc[end].is_punct or doc[end].is_space):
                    end += 1
                rest = doc[token.i + 1 : end]
                text = doc.text
                found.append(
                    Attribution(
                        id=f"a{len(found)}",
                        source=[Span.of(text, source.idx, source.idx + len(source))],
                        cue=[Span.of(text, token.idx, token.idx + len(token))],
                        content=[Span.of(text, rest.start_char, rest.end_char)],
                    )
                )
        return found


@pytest.fixture
def split(tmp_path):
    root = tmp_path / "split"
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    for stem, text in ARTICLES.items():
        (root / "text" / f"{stem}.txt").write_text(text, encoding="utf-8", newline="")
        (root / "attributions" / f"{stem}_a1.ann").write_text(ANNS[stem], encoding="utf-8")
    return root


@pytest.fixture
def said_extractor(monkeypatch):
    monkeypatch.setitem(EXTRACTORS, "test-said", SaidExtractor)
    return "test-said"


runner = CliRunner()


def test_eval_writes_predictions_jsonl_with_offsets_into_the_txt(split, said_extractor, tmp_path):
    out = tmp_path / "pred.jsonl"
    result = runner.invoke(app, ["eval", str(split), "--extractor", said_extractor, "--predictions-out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["article"] for line in lines] == ["alpha", "beta"]
    (alpha,) = lines[0]["attributions"]
    assert set(alpha) == {"source", "cue", "content"}
    text = ARTICLES["alpha"]
    assert [text[s:e] for s, e in alpha["cue"]] == ["said"]
    assert [text[s:e] for s, e in alpha["source"]] == ["mayor"]
    assert [text[s:e] for s, e in alpha["content"]] == ["the bridge would reopen"]
    beta = ARTICLES["beta"]
    assert [beta[s:e] for s, e in lines[1]["attributions"][0]["content"]] == ["on Monday that taxes would rise"]

    scores = json.loads(result.stdout)
    assert scores["extractor"] == "test-said"
    assert scores["documents"] == 2 and scores["gold_attributions"] == 2
    assert scores["cue"]["exact"]["f1"] == 1.0
    assert scores["source"]["exact"]["correct"] == 1  # "Officials" right, "mayor" short of "The mayor"
    assert scores["content"]["exact"]["correct"] == 1
    assert scores["attribution"]["f1"] == 1.0


def test_score_predictions_gives_the_same_scores_without_a_model(split, said_extractor, tmp_path):
    out = tmp_path / "pred.jsonl"
    ran = runner.invoke(app, ["eval", str(split), "-e", said_extractor, "--predictions-out", str(out), "--json"])
    scored = runner.invoke(app, ["eval", str(split), "--score-predictions", str(out), "--json"])
    assert scored.exit_code == 0, scored.output
    drop = ("extractor",)
    assert {k: v for k, v in json.loads(scored.stdout).items() if k not in drop} == {
        k: v for k, v in json.loads(ran.stdout).items() if k not in drop
    }


def test_score_predictions_rejects_articles_of_another_split(split, tmp_path):
    out = tmp_path / "other.jsonl"
    out.write_text(json.dumps({"article": "gamma", "attributions": []}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(split), "--score-predictions", str(out)])
    assert result.exit_code == 1
    assert "not in" in result.output and "gamma" in result.output


def test_eval_table_lists_every_role_and_attribution(split, said_extractor):
    result = runner.invoke(app, ["eval", str(split), "-e", said_extractor, "--limit", "1"])
    assert result.exit_code == 0, result.output
    for row in ("source", "cue", "content", "attribution"):
        assert row in result.stdout
    assert "1 articles" in result.stdout


def test_eval_write_floor_pins_scores_and_digest(split, said_extractor, tmp_path):
    floor_file = tmp_path / "floor.json"
    result = runner.invoke(app, ["eval", str(split), "-e", said_extractor, "--write-floor", str(floor_file)])
    assert result.exit_code == 0, result.output
    pinned = json.loads(floor_file.read_text())["extractors"]["test-said"]
    assert pinned["digest"] == floor.split_digest(split)
    assert pinned["scores"]["cue.exact.f1"] == 1.0
    assert pinned["documents"] == 2


def test_eval_reports_a_missing_split_and_an_unknown_extractor(tmp_path, split):
    missing = runner.invoke(app, ["eval", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "not a PolNeAR split" in missing.output
    unknown = runner.invoke(app, ["eval", str(split), "--extractor", "no-such-extractor"])
    assert unknown.exit_code == 1 and "Unknown extractor" in unknown.output


def test_evaluate_many_scores_each_extractor_from_one_parse(split, said_extractor):
    results = evaluate_many(split, [said_extractor, "default", DEFAULT_EXTRACTOR])
    assert list(results) == [said_extractor, DEFAULT_EXTRACTOR]  # "default" names the same one: scored once
    alone = evaluate(split, said_extractor)
    assert results[said_extractor].scores == alone.scores
    assert list(results[DEFAULT_EXTRACTOR].predictions) == ["alpha", "beta"]


def test_eval_reports_an_unwritable_predictions_file(split, said_extractor, tmp_path):
    result = runner.invoke(app, ["eval", str(split), "-e", said_extractor, "--predictions-out", str(tmp_path / "no" / "p.jsonl")])
    assert result.exit_code == 1 and "Cannot write" in result.output
