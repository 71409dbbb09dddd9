"""Pathological inputs cost work linear in the text (issue #11), asserted by counting, not by timing.

One sentence of 1,000 reporting clauses used to take minutes and gigabytes;
50 runs of 5,000 quotation marks too. Timings are in BENCHMARKS.md
(``python benchmarks/pathological.py``).
"""

from __future__ import annotations

import numpy as np
import pytest

from sourcetrace import ingest
from sourcetrace.analyze import annotate
from sourcetrace.claims import chains
from sourcetrace.model import Attribution, Span
from sourcetrace.nlp import hybrid
from sourcetrace.nlp.crf_features import MAX_WINDOW_SIDE, DocView, role_window
from sourcetrace.nlp.cue_model import MAX_PIECES_PER_TOKEN, _bounded_pieces
from sourcetrace.nlp.paragraphs import MAX_SENTENCE_TOKENS
from sourcetrace.nlp.pipeline import load_pipeline
from sourcetrace.nlp.span_index import SpanIndex


def clause_chain(n: int) -> str:
    return "The mayor said that the plan would fail, " + ", and ".join(
        "the official said that the plan would fail" for _ in range(n)
    ) + "."


@pytest.fixture(scope="module")
def chain_doc():
    return load_pipeline("rules")(clause_chain(300))


def test_no_sentence_is_longer_than_the_limit(chain_doc):
    assert max(len(s) for s in chain_doc.sents) <= MAX_SENTENCE_TOKENS


def test_role_windows_are_bounded(chain_doc):
    view = DocView(chain_doc)
    said = [t.i for t in chain_doc if t.text == "said"]
    assert len(said) == 301
    for i in said:
        lo, hi = role_window(view, i, i + 1, 1, 1)
        assert hi - lo <= 2 * MAX_WINDOW_SIDE + 1


def test_ordinary_paragraphs_are_not_cut():
    text = " ".join(f"The official number {k} said the plan would fail." for k in range(15))  # ~150 tokens
    doc = load_pipeline("rules")(text)
    starts = [s.start for s in doc.sents]
    assert all(doc[i - 1].text == "." for i in starts[1:])  # every start follows a full stop


def test_a_run_of_quotation_marks_is_one_token():
    doc = load_pipeline("rules").make_doc(('"' * 5000 + " ") * 3 + "said the mayor.")
    assert len(doc) == 3 + 4


def test_wordpieces_per_token_are_capped():
    token_starts = np.array([0, 5000, 5006])
    piece_starts = np.r_[np.arange(5000), [5000, 5006, 5008]]  # one token of 5,000 pieces, then words
    keep = _bounded_pieces(piece_starts, token_starts)
    assert keep.sum() == MAX_PIECES_PER_TOKEN + 3 and keep[:MAX_PIECES_PER_TOKEN].all() and keep[-3:].all()
    assert _bounded_pieces(np.array([0, 2, 5]), np.array([0, 5])) is None  # ordinary words: nothing cut


def _att(i: int, cue: tuple[int, int], content: tuple[int, int], text: str) -> Attribution:
    return Attribution(id=f"a{i}", cue=[Span.of(text, *cue)], content=[Span.of(text, *content)], source=[])


def _spread(n: int) -> tuple[str, list[Attribution]]:
    text = "x" * (20 * n + 20)
    return text, [_att(i, (20 * i, 20 * i + 4), (20 * i + 5, 20 * i + 15), text) for i in range(n)]


def test_hybrid_compares_only_nearby_cues(monkeypatch):
    calls = 0
    real = hybrid._overlaps

    def counting(a, b):
        nonlocal calls
        calls += 1
        return real(a, b)

    monkeypatch.setattr(hybrid, "_overlaps", counting)
    text, learned = _spread(400)
    for a in learned:
        a.confidence = 0.9
    rules = [a.model_copy(update={"cue": [Span.of(text, a.cue[0].start + 1, a.cue[0].end)]}) for a in learned]
    merged = hybrid.combine(learned, rules)
    assert len(merged) == 400
    assert calls <= 4 * 400  # all pairs was 160,000


def test_parents_come_from_an_index_not_all_pairs(monkeypatch):
    calls = 0
    real = chains.inside

    def counting(*args):
        nonlocal calls
        calls += 1
        return real(*args)

    monkeypatch.setattr(chains, "inside", counting)
    _, atts = _spread(400)
    chains.infer_parents(atts)
    assert all(a.parent_id is None for a in atts)
    assert calls <= 4 * 400


def test_span_index_answers_as_all_pairs():
    text = "y" * 200
    spans = [(s, min(200, s + w)) for s, w in ((3, 5), (0, 200), (50, 10), (52, 3), (199, 1), (10, 40))]
    items = list(range(len(spans)))
    index = SpanIndex((Span.of(text, *spans[i]), i) for i in items)
    for qs in range(0, 200, 7):
        for qe in (qs + 1, qs + 9):
            qe = min(qe, 200)
            assert index.containing(qs, qe) == [i for i in items if spans[i][0] <= qs and qe <= spans[i][1]]
            assert index.overlapping([Span.of(text, qs, qe)]) == [
                i for i in items if spans[i][0] < qe and qs < spans[i][1]
            ]


def test_the_clause_chain_is_analysed():
    article = annotate(ingest.from_text(clause_chain(200), language="en"))
    assert len(article.attributions) >= 150


def test_chains_of_answering_quotes_stay_short():
    # 300 quotes that each carry on the last: parent chains grew with the text (cubic work, issue #11)
    text = " ".join('"Yes," he said. "No," she said.' for _ in range(150))
    article = annotate(ingest.from_text(text, language="en"))
    assert len(article.attributions) >= 250
    assert max(len(a.chain) for a in article.attributions) <= chains.MAX_CHAIN + 3
