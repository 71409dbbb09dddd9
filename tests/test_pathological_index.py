"""The rule extractor and the claim stage find what they relate by index, not by comparing every pair
(issue #11), and answer exactly what the scans answered.

``"Yes," he said. "No," she said.`` repeated was quadratic: every candidate was compared with every
quote, every attribution and every entity of the document. The cost is counted here in function
calls, not timed (timings are in BENCHMARKS.md, ``python benchmarks/pathological.py``).
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from sourcetrace import ingest
from sourcetrace.analyze import annotate
from sourcetrace import claims
from sourcetrace.claims import chains, sources
from sourcetrace.eval.runner import find_shared_split
from sourcetrace.nlp import rules
from sourcetrace.nlp.pipeline import load_pipeline

ROOT = Path(__file__).resolve().parents[1]


def answering_quotes(n: int) -> str:
    return " ".join('"Yes," he said. "No," she said.' for _ in range(n))


_bench = importlib.util.spec_from_file_location("pathological", ROOT / "benchmarks" / "pathological.py")
pathological = importlib.util.module_from_spec(_bench)
_bench.loader.exec_module(pathological)
_calls = pathological._calls  # function calls made: a count of work that the machine's load does not change


def test_answering_quotes_cost_grows_linearly():
    load_pipeline("rules")
    small, large = (
        _calls(lambda n=n: annotate(ingest.from_text(answering_quotes(n), language="en"), extractor="rules"))
        for n in (100, 400)
    )
    # four times the text: 3.9 times the calls now; the scans made it 8.9 times
    assert large / small < 5.0


def _random_quotes(rng: random.Random, length: int) -> list[tuple[int, int]]:
    out, pos = [], rng.randrange(3)
    while pos < length - 2:
        end = min(length, pos + rng.randrange(2, 12))
        out.append((pos, end))
        pos = end + rng.randrange(0, 6)
    return out


@pytest.mark.parametrize("seed", range(5))
def test_quote_lookups_answer_as_a_scan(seed):
    rng = random.Random(seed)
    spans = _random_quotes(rng, 200)
    quotes = rules.Quotes(spans)
    for s in range(0, 205):
        assert quotes.holding(s) == next(((qs, qe) for qs, qe in spans if qs <= s < qe), None)
        for e in (s, s + 1, s + 7, s + 40):
            assert quotes.overlapping(s, e) == [(qs, qe) for qs, qe in spans if max(s, qs) < min(e, qe)]
    assert quotes.starts == {qs for qs, _ in spans} and quotes.ends == {qe for _, qe in spans}


@pytest.mark.parametrize("seed", range(5))
def test_coverage_answers_as_a_scan(seed):
    rng = random.Random(seed)
    spans = [(s, s + rng.randrange(0, 15)) for s in (rng.randrange(100) for _ in range(25))]
    covered = rules._Coverage(spans)
    assert all((pos in covered) == any(s <= pos < e for s, e in spans) for pos in range(-2, 120))


def _enclosing_by_scan(built) -> dict[int, object]:
    """What ``_finish`` did before: every cue against every other content piece."""
    out = {}
    for c, cue, _source, _content in built:
        if not cue:
            continue
        best, best_len = None, None
        for other, _ocue, _osrc, ocontent in built:
            if other is c:
                continue
            for s, e in ocontent:
                if s <= cue[0][0] < e and (best_len is None or e - s < best_len):
                    best, best_len = other, e - s
        if best is not None:
            out[id(c)] = best
    return out


@pytest.mark.parametrize("seed", range(8))
def test_enclosing_answers_as_a_scan(seed):
    rng = random.Random(seed)
    built = []
    for _ in range(40):
        cue = [] if rng.random() < 0.1 else [(rng.randrange(300), 0)]
        content = [(s, s + rng.randrange(1, 60)) for s in (rng.randrange(300) for _ in range(rng.randrange(1, 4)))]
        built.append((object(), cue, [], content))
    built.sort(key=lambda b: (b[1] or b[3])[0])
    assert rules._enclosing(built) == _enclosing_by_scan(built)


def _dev_texts(n: int) -> list[str]:
    split = find_shared_split("dev", ROOT.parent)
    if split is None:
        pytest.skip("PolNeAR dev split not found beside the repository")
    paths = sorted((split / "text").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths[:: max(1, len(paths) // n)][:n]]


class _ScannedQuotes(rules.Quotes):
    """The quote lookups as the scans they replaced."""

    def overlapping(self, s, e):
        return [(qs, qe) for qs, qe in self if max(s, qs) < min(e, qe)]

    def holding(self, pos):
        return next(((qs, qe) for qs, qe in self if qs <= pos < qe), None)


class _ScannedCoverage:
    def __init__(self, intervals):
        self._intervals = list(intervals)

    def __contains__(self, pos):
        return any(s <= pos < e for s, e in self._intervals)


def _one_source_per_statement_by_scan(atts):
    """``one_source_per_statement`` as it was: every attribution against every kept one (only the search for the
    twin differs; folding it in is the stage's own)."""
    kept, merged = [], {}
    for a in sorted(atts, key=chains.first_start):
        twin = next((k for k in kept if a.cue and chains._cue_key(k) == chains._cue_key(a) and chains._shared_content(k, a)), None)
        if twin is None:
            kept.append(a)
            continue
        kept[kept.index(twin)] = chains._fold_twin(a, twin, merged)
    chains._repoint_parents(kept, merged)
    return kept


def _recent_by_scan(self, pos, accept, types=None):
    before = [e for e in self.entities if e.last <= pos and accept(e)]
    return max(before, key=lambda e: e.last) if before else None


def _analyse(texts: list[str]) -> list[dict]:
    return [annotate(ingest.from_text(t, language="en"), extractor="rules").model_dump(mode="json") for t in texts]


def test_dev_texts_are_analysed_as_with_the_scans(monkeypatch):
    texts = _dev_texts(6) + [answering_quotes(40) + '\n"And so on," he said.\n"More."']
    indexed = _analyse(texts)
    monkeypatch.setattr(rules, "Quotes", _ScannedQuotes)
    monkeypatch.setattr(rules, "_Coverage", _ScannedCoverage)
    monkeypatch.setattr(rules, "_enclosing", _enclosing_by_scan)
    monkeypatch.setattr(claims, "one_source_per_statement", _one_source_per_statement_by_scan)
    monkeypatch.setattr(sources.Registry, "_recent", _recent_by_scan)
    scanned = _analyse(texts)
    for a, b in zip(indexed, scanned):
        a.pop("id", None), b.pop("id", None)
        assert a == b
