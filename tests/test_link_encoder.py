"""The sentence encoder: pinned by hash, unit vectors, batching changes nothing, paraphrases land close."""

from __future__ import annotations

import numpy as np
import pytest

from sourcetrace.errors import ModelNotFound
from sourcetrace.link.encoder import DIM, Encoder, default_encoder
from sourcetrace.link.features import number_value, statement_terms

TEXTS = [
    "The defence minister approved the strikes on Tuesday.",
    "On Tuesday the minister of defence gave the go-ahead for the attacks.",
    "Heavy rain is expected in the capital over the weekend, forecasters said.",
    "Twelve people were injured.",
    "",
    "A much longer sentence about the harbour bridge, which the city council said would reopen after repairs "
    "costing 12 million euros, paid for by the regional government and two private donors.",
]


def test_vectors_are_unit_and_batching_changes_nothing():
    enc = default_encoder()
    batched = enc.encode(TEXTS)
    one_by_one = enc.encode(TEXTS, batch=1)
    assert batched.shape == (len(TEXTS), DIM)
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    assert np.abs(batched - one_by_one).max() < 1e-5
    assert enc.encode([]).shape == (0, DIM)


def test_paraphrase_is_closer_than_an_unrelated_sentence():
    v = default_encoder().encode(TEXTS[:3])
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_a_model_file_that_is_not_the_pinned_one_is_refused(tmp_path):
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not the model")
    with pytest.raises(ModelNotFound, match="pinned"):
        Encoder(fake)


def test_numbers_are_normalised_in_statement_terms():
    assert number_value("twelve") == number_value("12") == number_value("12.0") == "12"
    assert number_value("1,200") == "1200"
    assert statement_terms("Twelve people died in Oslo") == statement_terms("12 people died in Oslo")


def test_two_threads_give_the_same_vectors():
    one = default_encoder().encode(TEXTS)
    two = Encoder(threads=2).encode(TEXTS)
    assert np.abs(one - two).max() < 1e-5


def test_a_demonym_meets_its_place_and_an_outlet_naming_itself_is_dropped():
    import datetime as dt

    from sourcetrace.link.features import article_terms
    from sourcetrace.model import Article

    denial = article_terms(Article(text="The Kalvarian minister denied the report, she told the Morning Courier.",
                                   outlet="The Morning Courier"))
    assert "n:kalvaria" in denial and "n:kalvarian" not in denial
    assert not {"n:morning", "n:courier"} & set(denial)
    assert "n:japan" in article_terms(Article(text="Japan said so, AP reported.", outlet="AP"))  # whole words only
    day = article_terms(Article(text="Kalvaria moved tanks.", published=dt.date(2025, 3, 5)))
    later = article_terms(Article(text="Kalvaria moved tanks.", published=dt.date(2025, 3, 7)))
    months = article_terms(Article(text="Kalvaria moved tanks.", published=dt.date(2025, 6, 5)))
    shared = lambda a, b: {t for t in a if t.startswith("p:")} & {t for t in b if t.startswith("p:")}  # noqa: E731
    assert shared(day, later) and not shared(day, months)


def test_idf_in_a_small_store_keeps_the_story_names():
    from sourcetrace.link.stories import DocFreq

    one_story = DocFreq([{"n:kalvaria": 3.0, "n:linden": 3.0}] + [{"n:kalvaria": 3.0}] * 6)
    assert one_story.idf("n:kalvaria") > 0.5 * one_story.idf("n:linden")  # every article has it, yet it counts


def test_claim_terms_weigh_words_by_rarity_within_the_story():
    from sourcetrace.link.claims import story_weights

    terms = {1: ["w:halvorsen", "w:injur"], 2: ["w:halvorsen", "w:injur"], 3: ["w:halvorsen", "w:gas"], 4: ["w:halvorsen"]}
    weights = story_weights(terms, {1: 10, 2: 11, 3: 12, 4: 13})
    assert weights["w:gas"] > weights["w:injur"] > weights["w:halvorsen"]
    assert statement_terms("Toxic gas leaked") == statement_terms("toxic gas leaked")
