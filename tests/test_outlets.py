"""The out-of-domain passage set (tests/data/outlets) and its scorer (sourcetrace/eval/outlets.py).

The set is a test, never training or tuning data: the floor below pins what the
default extractor scores on it, so a change that loses quotations, speakers or
precision on other outlets' house styles fails here. Issue #13.
"""

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sourcetrace.cli import app
from sourcetrace.errors import InputError
from sourcetrace.eval.outlets import evaluate_outlets, load_passages, match, normalise_name, sprung
from sourcetrace.model import Article, Attribution, ChainLink, Source, Span

ROOT = Path(__file__).resolve().parents[1]
OUTLETS = ROOT / "tests" / "data" / "outlets"
FLOOR = json.loads((ROOT / "benchmarks" / "outlets_floor.json").read_text(encoding="utf-8"))
CONVENTIONS = {
    "continuation", "stop-quote", "inverted", "mid-sentence", "present", "infinitive", "colon", "dash", "post",
    "headline", "action-verb", "determiner", "citing-reason", "one-source", "abbreviation", "office-holder",
    "description-person",
}
TYPES = {"person", "organisation", "government", "media", "anonymous", "document"}


@pytest.fixture(scope="module")
def passages():
    return load_passages(OUTLETS)


def test_outlets_set_is_large_and_varied(passages):
    assert len(passages) >= 200
    assert len({p["style"] for p in passages}) >= 8
    assert len({p["id"] for p in passages}) == len(passages)


def test_outlets_set_covers_every_convention_ten_times(passages):
    counts = Counter(c for p in passages for c in p["conventions"])
    assert set(counts) == CONVENTIONS
    assert min(counts.values()) >= 10, counts


def test_outlets_spans_point_at_their_text(passages):
    for p in passages:
        for att in p["expected"] + p.get("optional", []):
            for span in att["source"] + att["cue"] + att["content"]:
                assert p["text"][span["start"] : span["end"]] == span["text"], p["id"]
        for att in p["expected"]:
            assert att["name"] and att["type"] in TYPES, p["id"]
            assert att["cue"] or att["inferred"], p["id"]
        for trap in p["traps"]:
            assert trap["kind"] in {"cue", "source", "chain", "duplicate"}, p["id"]


def test_outlets_every_passage_expects_or_traps_something(passages):
    assert all(p["expected"] or p["traps"] or p["optional"] for p in passages)


@pytest.mark.parametrize(
    "name,same", [("The lawyer", "lawyer"), ("Her lawyer", "the lawyer"), ("council’s report", "council's report")]
)
def test_normalise_name_ignores_determiners_and_apostrophes(name, same):
    assert normalise_name(name) == normalise_name(same)


TEXT = "Officials said the plan, approved on Monday, was dead."


def _att(id_, cue, content, source=None, chain=(), source_id=None):
    def span(word):
        start = TEXT.index(word)
        return Span.of(TEXT, start, start + len(word))

    return Attribution(
        id=id_, cue=[span(cue)], content=[span(content)], source=[span(source)] if source else [],
        chain=[ChainLink(source_id=n, name=n) for n in chain], source_id=source_id,
    )


def _expected(cue, content):
    def span(word):
        start = TEXT.index(word)
        return {"start": start, "end": start + len(word), "text": word}

    return {"cue": [span(cue)] if cue else [], "content": [span(content)]}


def test_match_needs_the_cue_and_half_the_content_words():
    good = _att("a1", "said", "the plan, approved on Monday, was dead")
    wrong_cue = _att("a2", "approved", "the plan, approved on Monday, was dead")
    assert match([_expected("said", "the plan, approved on Monday, was dead")], [wrong_cue, good]) == {0: 1}
    assert match([_expected("said", "the plan, approved on Monday, was dead")], [_att("a3", "said", "Monday")]) == {}


def test_match_is_one_to_one():
    one = _att("a1", "said", "the plan, approved on Monday, was dead")
    assert len(match([_expected("said", "the plan, approved on Monday"), _expected("said", "approved on Monday, was dead")], [one])) == 1


def test_traps_spring_on_cue_source_chain_and_duplicate():
    article = Article(
        text=TEXT,
        attributions=[
            _att("a1", "approved", "the plan", source="Officials", chain=["Officials", "plan"], source_id="s1"),
            _att("a2", "approved", "the plan"),
        ],
        sources=[Source(id="s1", name="Officials")],
    )
    start = TEXT.index("approved")
    assert sprung({"kind": "cue", "start": start, "end": start + 8}, article)
    assert sprung({"kind": "source", "text": "officials"}, article)
    assert sprung({"kind": "chain", "names": ["Officials", "plan"]}, article)
    assert not sprung({"kind": "chain", "names": ["plan", "Officials"]}, article)
    assert sprung({"kind": "duplicate", "start": start, "end": start + 8}, article)
    said = TEXT.index("said")
    assert not sprung({"kind": "cue", "start": said, "end": said + 4}, article)


def test_load_passages_names_the_bad_line(tmp_path):
    (tmp_path / "bad.jsonl").write_text('{"text": "x", "expected": []}\n', encoding="utf-8")
    with pytest.raises(InputError, match="bad.jsonl, line 1"):
        load_passages(tmp_path)
    with pytest.raises(InputError, match="No \\*.jsonl"):
        load_passages(tmp_path / "empty")


@pytest.fixture(scope="module")
def default_scores():
    return evaluate_outlets(OUTLETS, "default")


@pytest.mark.parametrize("figure", sorted(FLOOR["scores"]))
def test_default_extractor_holds_its_outlets_floor(default_scores, figure):
    measured = default_scores.flat()[figure]
    assert measured >= FLOOR["scores"][figure] - FLOOR["tolerance"], (
        f"{figure} on tests/data/outlets is {measured:.4f}, below its floor {FLOOR['scores'][figure]:.4f}; "
        "see `sourcetrace eval-outlets --failures`"
    )


def test_cli_eval_outlets_prints_the_figures(tmp_path):
    lines = [line for line in (OUTLETS / "wire.jsonl").read_text(encoding="utf-8").splitlines()[:3]]
    (tmp_path / "few.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval-outlets", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["passages"] == 3 and 0.0 <= data["quotation_recall"] <= 1.0
    assert "continuation" in data["by_convention"]


def test_cli_eval_outlets_fails_cleanly_without_passages(tmp_path):
    result = CliRunner().invoke(app, ["eval-outlets", str(tmp_path)])
    assert result.exit_code == 1
    assert "No *.jsonl" in result.output
