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
