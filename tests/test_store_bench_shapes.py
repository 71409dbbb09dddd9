"""benchmarks/store_bench.py --shapes: shape names are matched whole, commas inside a name included."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location("store_bench", Path(__file__).resolve().parents[1] / "benchmarks" / "store_bench.py")
store_bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(store_bench)

NAMES = ["text", "text+source", "text, page 20", "outlet+dates", "/web/sources/{id}"]


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("text, page 20", {"text, page 20"}),
        ("text,text, page 20", {"text", "text, page 20"}),
        ("text, page 20,outlet+dates", {"text, page 20", "outlet+dates"}),
        ("/web/sources/{id},text+source", {"/web/sources/{id}", "text+source"}),
    ],
)
def test_shapes_with_commas_in_their_names(spec, expected):
    assert store_bench.pick_shapes(spec, NAMES) == expected


def test_an_unknown_shape_names_the_shapes():
    with pytest.raises(SystemExit, match="Unknown shape.*'text, page 20'"):
        store_bench.pick_shapes("text,page 20", NAMES)
