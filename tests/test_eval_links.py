"""``eval-links`` on a tiny split in ECB+'s format (our own fictional texts), scored by the shared scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sourcetrace.cli import app
from sourcetrace.eval.links import predict, score

SCORER = Path(__file__).parents[1].parent / "shared" / "tools" / "score_links.py"

DOCS = {
    "1_1ecb": ("1_ecb", ["A magnitude 7.1 earthquake struck Antofagasta in northern Chile on Tuesday, officials said.",
                         "Governor Marta Rojas said twelve people were injured in Antofagasta.",
                         "The port of Antofagasta was closed after the quake."]),
    "1_2ecb": ("1_ecb", ["A 7.1-magnitude quake hit Antofagasta, Chile, on Tuesday.",
                         "At least 12 people were hurt in Antofagasta, Governor Marta Rojas told reporters.",
                         "Fishermen in Antofagasta said the port was closed."]),
    "2_1ecb": ("2_ecb", ["The Lysaker bridge in Oslo collapsed under a lorry on Sunday, police said.",
                         "Firefighters rescued two drivers from the Lysaker river in Oslo."]),
    "2_2ecb": ("2_ecb", ["Police in Oslo said a lorry brought down the Lysaker bridge on Sunday.",
                         "Two drivers were pulled out of the Lysaker river in Oslo by firefighters."]),
}
# gold: sentence 0 of each quake doc report one action, sentence 1 another; bridge likewise
ACTIONS = {("1_1ecb", 0): "QUAKE", ("1_2ecb", 0): "QUAKE", ("1_1ecb", 1): "INJURE", ("1_2ecb", 1): "INJURE",
           ("2_1ecb", 0): "COLLAPSE", ("2_2ecb", 0): "COLLAPSE", ("2_1ecb", 1): "RESCUE", ("2_2ecb", 1): "RESCUE"}


@pytest.fixture
def split(tmp_path):
    if not SCORER.is_file():
        pytest.skip(f"the shared ECB+ scorer {SCORER} is not there")
    root = tmp_path / "ecb" / "data" / "ecbplus" / "dev"
    (root / "docs").mkdir(parents=True)
    docs, sents = {}, []
    for docid, (sub, lines) in DOCS.items():
        text, offsets = "", []
        for i, line in enumerate(lines):
            offsets.append([i, len(text), len(text) + len(line)])
            if (docid, i) in ACTIONS:
                sents.append({"docid": docid, "sentence_index": i, "char_start": len(text), "char_end": len(text) + len(line),
                              "event_clusters": [ACTIONS[(docid, i)]], "action_mentions": []})
            text += line + "\n"
        (root / "docs" / f"{docid}.txt").write_text(text)
        docs[docid] = {"topic": int(docid[0]), "subtopic": sub, "url_or_null": None, "n_sentences": len(lines),
                       "first_sentence_index": 0, "sentence_line_offsets": offsets}
    (root / "docs.json").write_text(json.dumps(docs))
    (root / "sentences.json").write_text(json.dumps(sents))
    return root


def test_prediction_maps_claims_to_annotated_sentences(split, tmp_path):
    pred = predict(split, cache_dir=tmp_path / "cache")
    assert sorted(pred["documents"]) == [["1_1ecb", "1_2ecb"], ["2_1ecb", "2_2ecb"]]
    for group in pred["sentences"]:
        assert len({d for d, _ in group}) > 1  # only cross-article groups are written
    result, text = score(split, pred, scorer=SCORER)
    assert result["documents"]["bcubed_f1"] == 1.0
    assert result["sentences"]["pair_p"] >= 0.5 and result["sentences"]["pair_r"] >= 0.5
    assert "B3 P/R/F1" in text
    again = predict(split, cache_dir=tmp_path / "cache")  # from the cache: same answer
    assert again == pred


def test_each_document_is_read_once(split, tmp_path, monkeypatch):
    reads: list[str] = []
    read_text = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: reads.append(self.name) or read_text(self, *a, **k))
    predict(split, cache_dir=tmp_path / "cache")
    assert sorted(r for r in reads if r.endswith("ecb.txt")) == sorted(f"{d}.txt" for d in DOCS)


def test_cli_prints_the_scorer_figures(split, tmp_path):
    out = tmp_path / "pred.json"
    result = CliRunner().invoke(app, ["eval-links", str(split), "--scorer", str(SCORER), "--no-cache", "--json",
                                      "--exclude-seminal", "--pred-out", str(out)])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["sentences"]["gold_variant"] == "exclude_seminal" and figures["documents"]["bcubed_f1"] == 1.0
    assert json.loads(out.read_text())["documents"]


def test_cli_refuses_a_folder_that_is_not_a_split(tmp_path):
    result = CliRunner().invoke(app, ["eval-links", str(tmp_path)])
    assert result.exit_code == 1
    assert "not an ECB+ split" in result.output


def test_analysis_digest_follows_the_analysis_files(tmp_path):
    from sourcetrace.eval.links import analysis_digest

    roots = []
    for name in ("a", "b"):
        root = tmp_path / name
        (root / "nlp" / "models").mkdir(parents=True)
        (root / "analyze.py").write_text("ANALYSE = 1\n")
        (root / "nlp" / "cues.json").write_text('{"said": 1}')
        (root / "nlp" / "models" / "weights.bin").write_bytes(b"\x00\x01")
        roots.append(root)
    assert analysis_digest(roots[0]) == analysis_digest(roots[1])
    (roots[1] / "nlp" / "models" / "weights.bin").write_bytes(b"\x00\x02")  # a retrained model, same version
    analysis_digest.cache_clear()
    assert analysis_digest(roots[0]) != analysis_digest(roots[1])
    (roots[1] / "nlp" / "models" / "weights.bin").write_bytes(b"\x00\x01")
    (roots[1] / "nlp" / "cues.json").write_text('{"said": 1, "claimed": 1}')  # a changed lexicon
    analysis_digest.cache_clear()
    assert analysis_digest(roots[0]) != analysis_digest(roots[1])


def test_cache_filled_by_another_analysis_is_not_reused(split, tmp_path, monkeypatch):
    from sourcetrace.eval import links

    cache = tmp_path / "cache"
    links.predict(split, cache_dir=cache)
    before = {p.name for p in cache.glob("*.json")}
    assert len(before) == len(DOCS)
    monkeypatch.setattr(links, "analysis_digest", lambda: "another-extractor")
    links.predict(split, cache_dir=cache)
    after = {p.name for p in cache.glob("*.json")}
    assert len(after) == 2 * len(DOCS) and before < after  # analysed again, under new keys
