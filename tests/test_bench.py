import json

import pytest
from typer.testing import CliRunner

from sourcetrace.cli import app
from sourcetrace.eval.bench import load_texts, run_benchmark

TEXTS = {
    "one.txt": "The mayor said the bridge would reopen on Monday.",
    "two.txt": "Critics doubted it.\nOfficials declined to comment.",
}


@pytest.fixture
def corpus(tmp_path):
    for name, text in TEXTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_load_texts_reads_a_plain_folder_or_a_split(corpus, tmp_path):
    assert load_texts(corpus) == [TEXTS["one.txt"], TEXTS["two.txt"]]
    split = tmp_path / "split"
    (split / "text").mkdir(parents=True)
    (split / "text" / "a.txt").write_text("Hello there.", encoding="utf-8")
    assert load_texts(split) == ["Hello there."]
    assert load_texts(corpus, limit=1) == [TEXTS["one.txt"]]


def test_load_texts_rejects_a_folder_without_texts(tmp_path):
    with pytest.raises(FileNotFoundError, match="No .txt files"):
        load_texts(tmp_path)


def test_benchmark_times_both_pipelines_on_the_same_words(corpus):
    result = run_benchmark(load_texts(corpus), "rules", repeats=2)
    words = sum(len(t.split()) for t in TEXTS.values())
    assert result.words == words == result.baseline.words == result.full.words
    assert len(result.baseline.seconds) == len(result.full.seconds) == 2
    assert result.baseline.words_per_second > 0 and result.full.words_per_second > 0
    assert len(result.full.cpu_seconds) == 2 and result.full.words_per_cpu_second > 0
    assert result.speed_ratio == pytest.approx(result.full.words_per_second / result.baseline.words_per_second)
    assert result.peak_rss_mib >= result.peak_rss_mib_baseline > 0
    assert result.full.name == "sourcetrace (rules)"


def test_bench_cli_prints_json(corpus):
    result = CliRunner().invoke(app, ["bench", str(corpus), "--repeats", "1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["texts"] == 2 and data["repeats"] == 1
    assert {"words_per_second", "seconds"} <= set(data["baseline"])
    assert {"speed_ratio", "cpu_speed_ratio"} <= set(data)
