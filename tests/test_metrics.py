import json

import pytest

from sourcetrace.eval.metrics import PRF, normalize_spans, score_document, score_documents
from sourcetrace.eval.polnear import GoldAttribution
from sourcetrace.model import Attribution, Span

TEXT = '"We will win," the senator said on Monday, "and soon." Officials said the vote was close.'


def at(text, phrase, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return (start, start + len(phrase))


def attr(source=(), cue=(), content=(), id="E"):
    return GoldAttribution(id=id, source=list(source), cue=list(cue), content=list(content))


SENATOR = attr(
    source=[at(TEXT, "the senator")],
    cue=[at(TEXT, "said")],
    content=[at(TEXT, '"We will win,"'), at(TEXT, '"and soon."')],
    id="E1",
)
OFFICIALS = attr(
    source=[at(TEXT, "Officials")],
    cue=[at(TEXT, "said", 1)],
    content=[at(TEXT, "the vote was close")],
    id="E2",
)
GOLD = [SENATOR, OFFICIALS]


def test_gold_against_itself_scores_one_everywhere():
    scores = score_document(TEXT, GOLD, GOLD)
    assert set(scores.flat().values()) == {1.0}


def test_empty_predictions_have_zero_recall_and_precision():
    scores = score_document(TEXT, GOLD, [])
    for name, prf in scores.metrics().items():
        assert prf.recall == 0.0, name
        assert prf.predicted == 0
        assert prf.gold > 0
    assert scores.gold_attributions == 2 and scores.predicted_attributions == 0


def test_no_gold_and_no_predictions_is_zero_not_an_error():
    scores = score_document("Nothing attributed here.", [], [])
    assert scores.attribution == PRF()
    assert scores.attribution.f1 == 0.0


def test_exact_match_trims_whitespace():
    padded = attr(
        source=[(SENATOR.source[0][0] - 1, SENATOR.source[0][1] + 1)],  # " the senator "
        cue=SENATOR.cue,
        content=SENATOR.content,
    )
    assert TEXT[slice(*padded.source[0])] == " the senator "
    scores = score_document(TEXT, [SENATOR], [padded])
    assert scores.source.exact.correct == 1
    assert scores.attribution_exact.correct == 1


def test_exact_match_rejects_a_boundary_off_by_one_word_but_overlap_gives_credit():
    short = attr(source=[at(TEXT, "senator")], cue=SENATOR.cue, content=SENATOR.content)
    scores = score_document(TEXT, [SENATOR], [short])
    assert scores.source.exact.correct == 0
    assert scores.source.exact.predicted == 1 and scores.source.exact.gold == 1
    # Citron overlap on tokens: "senator" (1 token) inside "the senator" (2 tokens).
    assert scores.source.overlap.precision == 1.0
    assert scores.source.overlap.recall == 0.5
    assert scores.attribution.correct == 1  # cue and content still overlap
    assert scores.attribution_exact.correct == 0


def test_discontinuous_content_must_match_every_piece_exactly():
    first_piece_only = attr(source=SENATOR.source, cue=SENATOR.cue, content=SENATOR.content[:1])
    scores = score_document(TEXT, [SENATOR], [first_piece_only])
    assert scores.content.exact.correct == 0
    # One discontinuous content is one unit on each side.
    assert scores.content.exact.predicted == 1 and scores.content.exact.gold == 1
    assert scores.content.overlap.precision == 1.0
    assert 0.0 < scores.content.overlap.recall < 1.0
    assert scores.attribution.correct == 1


def test_pieces_split_only_by_whitespace_equal_one_span():
    start, end = at(TEXT, "the vote was close")
    split = attr(source=OFFICIALS.source, cue=OFFICIALS.cue, content=[(start, start + 8), (start + 9, end)])
    assert normalize_spans(split.content, TEXT) == ((start, end),)
    assert score_document(TEXT, [OFFICIALS], [split]).content.exact.correct == 1


def test_missing_source_on_both_sides_is_not_counted():
    unsourced_gold = attr(cue=OFFICIALS.cue, content=OFFICIALS.content)
    scores = score_document(TEXT, [unsourced_gold], [unsourced_gold])
    assert scores.source.exact == PRF()
    assert scores.source.overlap == PRF()
    assert scores.attribution.f1 == 1.0
    assert scores.attribution_exact.f1 == 1.0


def test_predicted_source_where_gold_has_none_is_a_false_positive():
    unsourced_gold = attr(cue=OFFICIALS.cue, content=OFFICIALS.content)
    scores = score_document(TEXT, [unsourced_gold], [OFFICIALS])
    assert scores.source.exact.predicted == 1 and scores.source.exact.gold == 0
    assert scores.source.exact.precision == 0.0
    assert scores.attribution.correct == 1  # attribution match needs cue + content only
    assert scores.attribution_exact.correct == 0


def test_missing_predicted_content_does_not_match_gold_with_content():
    no_content = attr(source=OFFICIALS.source, cue=OFFICIALS.cue)
    scores = score_document(TEXT, [OFFICIALS], [no_content])
    assert scores.content.exact.gold == 1 and scores.content.exact.predicted == 0
    assert scores.attribution.correct == 0


def test_two_predictions_cannot_both_match_one_gold():
    scores = score_document(TEXT, [OFFICIALS], [OFFICIALS, OFFICIALS])
    assert scores.attribution.correct == 1
    assert scores.attribution.precision == 0.5
    assert scores.attribution_exact.correct == 1
    for role in ("source", "cue", "content"):
        assert getattr(scores, role).exact.correct == 1
        assert getattr(scores, role).exact.predicted == 2


def test_matching_is_maximum_not_greedy():
    # P1 overlaps both golds (and G1 most), P2 overlaps only G1: a greedy match
    # of P1→G1 would leave P2 unmatched; the maximum matching pairs both.
    text = "Alice said one two three four. Bob said five."
    g1 = attr(cue=[at(text, "said")], content=[at(text, "one two three four")])
    g2 = attr(cue=[at(text, "said", 1)], content=[at(text, "five")])
    p1 = attr(cue=[(at(text, "said")[0], at(text, "said", 1)[1])], content=[at(text, "one two three four. Bob said five")])
    p2 = attr(cue=[at(text, "said")], content=[at(text, "four")])
    scores = score_document(text, [g1, g2], [p1, p2])
    assert scores.attribution.correct == 2


def test_overlap_does_not_double_count_nested_gold_contents():
    text = "Smith said Jones claimed taxes rose."
    outer = attr(source=[at(text, "Smith")], cue=[at(text, "said")], content=[at(text, "Jones claimed taxes rose")])
    inner = attr(source=[at(text, "Jones")], cue=[at(text, "claimed")], content=[at(text, "taxes rose")])
    # Predicting only the outer content: every predicted token is gold, but the nested one is missed.
    scores = score_document(text, [outer, inner], [outer])
    assert scores.content.overlap.precision == 1.0
    assert scores.content.overlap.recall == pytest.approx(4 / 6)


def test_model_attributions_with_span_objects_are_accepted():
    predicted = [
        Attribution(
            id="a1",
            source=[Span.of(TEXT, *OFFICIALS.source[0])],
            cue=[Span.of(TEXT, *OFFICIALS.cue[0])],
            content=[Span.of(TEXT, *OFFICIALS.content[0])],
        )
    ]
    scores = score_document(TEXT, GOLD, predicted)
    assert scores.attribution.precision == 1.0
    assert scores.attribution.recall == 0.5


def test_scores_are_micro_averaged_over_documents():
    pooled = score_documents([(TEXT, GOLD, GOLD), (TEXT, GOLD, [])])
    assert pooled.documents == 2
    assert pooled.attribution.precision == 1.0
    assert pooled.attribution.recall == 0.5
    assert pooled.cue.exact.gold == 4


def test_scores_dump_to_json_with_derived_measures():
    data = json.loads(score_document(TEXT, GOLD, GOLD[:1]).model_dump_json())
    assert data["attribution"]["recall"] == 0.5
    assert data["content"]["exact"]["f1"] == pytest.approx(2 / 3)
    assert "attribution" in str(score_document(TEXT, GOLD, GOLD))
