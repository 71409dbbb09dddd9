"""Accuracy gate: every extractor pinned in benchmarks/accuracy_floor.json must hold its dev scores.

Fails when a score drops more than the floor's tolerance (0.005) below its pin,
or when the dev data differ from those pinned. Re-pin deliberately with
``sourcetrace eval ../shared/data/polnear/dev --extractor NAME --write-floor benchmarks/accuracy_floor.json``.
"""

import os
from pathlib import Path

import pytest

from sourcetrace.eval import floor
from sourcetrace.eval.runner import evaluate_many, find_shared_split

ROOT = Path(__file__).resolve().parents[1]
FLOOR_FILE = ROOT / "benchmarks" / "accuracy_floor.json"
FLOOR = floor.load_floor(FLOOR_FILE)


def dev_split() -> Path:
    """``SOURCETRACE_POLNEAR_DEV``, else ``shared/data/polnear/dev`` beside the clone (or beside a folder above it)."""
    if os.environ.get("SOURCETRACE_POLNEAR_DEV"):
        return Path(os.environ["SOURCETRACE_POLNEAR_DEV"])
    found = find_shared_split("dev", ROOT.parent)
    if found is not None:
        return found
    pytest.fail(
        "PolNeAR dev split not found: expected ../shared/data/polnear/dev beside the repository "
        "or SOURCETRACE_POLNEAR_DEV=/path/to/dev", pytrace=False
    )


@pytest.fixture(scope="module")
def dev_results():
    split = dev_split()
    # One parse of dev, shared by every pinned extractor.
    return split, floor.split_digest(split), evaluate_many(split, list(FLOOR["extractors"]))


def test_floor_file_pins_at_least_one_extractor():
    assert FLOOR["extractors"], f"{FLOOR_FILE} pins no extractor"
    for name, pinned in FLOOR["extractors"].items():
        assert pinned["scores"], f"{name} has no pinned scores"


@pytest.mark.parametrize("extractor", sorted(FLOOR["extractors"]))
def test_extractor_holds_its_pinned_dev_scores(dev_results, extractor):
    split, digest, results = dev_results
    problems = floor.regressions(FLOOR["extractors"][extractor], results[extractor].scores, digest, FLOOR["tolerance"])
    assert not problems, f"{extractor} on {split} fails its accuracy floor:\n  " + "\n  ".join(problems)
