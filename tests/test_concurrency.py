"""The pipeline gives the same answer from many threads as from one (issue #11).

The CRF taggers are stateful (``set``/``tag`` then ``marginal``): shared by
threads, they answered with other threads' sequences or raised "position out
of range". ``benchmarks/load.py --check`` runs the full bar (10 clients x 3
rounds over every PolNeAR dev text through ``POST /analyze``); these tests use
the longest dev texts so they stay quick.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sourcetrace import ingest
from sourcetrace.analyze import annotate
from sourcetrace.eval.runner import find_shared_split
from sourcetrace.nlp.learned import CRFExtractor
from sourcetrace.nlp.pipeline import load_pipeline

ROOT = Path(__file__).resolve().parents[1]
THREADS, ROUNDS = 10, 3


def dev_texts(n: int) -> list[str]:
    split = find_shared_split("dev", ROOT.parent)
    if split is None:
        pytest.skip("PolNeAR dev split not found beside the repository")
    texts = [p.read_text(encoding="utf-8") for p in sorted((split / "text").glob("*.txt"))]
    return sorted(texts, key=len, reverse=True)[:n]  # long texts: many sentences per tagger call


@pytest.fixture
def busy_switching():
    """Switch threads as often as possible, so that a race shows up in a short test."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(old)


def _concurrently(fn, inputs: list) -> list:
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(fn, inputs * ROUNDS))


def test_crf_extractor_threads_answer_as_one_thread(busy_switching):
    nlp = load_pipeline("rules")
    docs = [nlp(text) for text in dev_texts(6)]
    extractor = CRFExtractor()
    alone = [[a.model_dump() for a in extractor(doc)] for doc in docs]
    together = _concurrently(lambda doc: [a.model_dump() for a in extractor(doc)], docs)
    assert together == alone * ROUNDS


def test_annotate_threads_answer_as_one_thread(busy_switching):
    texts = dev_texts(2)

    def run(text: str) -> str:
        return annotate(ingest.from_text(text, language="en")).model_dump_json()

    alone = [run(t) for t in texts]
    assert _concurrently(run, texts) == alone * ROUNDS
