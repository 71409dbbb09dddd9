"""The accuracy floor: pinned dev scores per extractor, and the check against them.

``benchmarks/accuracy_floor.json`` holds, for each extractor, every score of
:meth:`Scores.flat` measured on the dev split and a sha256 digest of the files
that produced them (texts plus the annotation file read for each). A later
run fails the gate when any score drops more than :data:`TOLERANCE` below its
pin, or when the data differ (scores on other data cannot be compared).
Re-pin deliberately with ``sourcetrace eval DIR --extractor NAME --write-floor FILE``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from .metrics import Scores
from .polnear import annotation_file

TOLERANCE = 0.005  # half a point: one flipped span on dev moves an F1 by ~0.0005


def split_digest(split_dir: str | Path) -> str:
    """sha256 over each text file and the annotation file the reader uses for it, by relative path."""
    split_dir = Path(split_dir)
    sha = hashlib.sha256()
    files = []
    for txt in sorted((split_dir / "text").glob("*.txt")):
        files.append(txt)
        ann = annotation_file(split_dir, txt.stem)
        if ann is not None:
            files.append(ann)
    for path in files:
        data = path.read_bytes()
        sha.update(f"{path.relative_to(split_dir).as_posix()}\0{len(data)}\0".encode())
        sha.update(data)
    return f"sha256:{sha.hexdigest()}"


def split_name(split_dir: str | Path) -> str:
    """A machine-independent label for a split: its last two path parts ("polnear/dev")."""
    return "/".join(Path(split_dir).resolve().parts[-2:])


def load_floor(path: str | Path) -> dict:
    path = Path(path)
    if not path.exists():
        return {"tolerance": TOLERANCE, "extractors": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def pin(path: str | Path, extractor: str, scores: Scores, digest: str, split: str) -> dict:
    """Write (or replace) ``extractor``'s pinned scores in the floor file; other pins are kept."""
    floor = load_floor(path)
    floor.setdefault("tolerance", TOLERANCE)
    floor.setdefault("extractors", {})[extractor] = {
        "split": split,
        "digest": digest,
        "documents": scores.documents,
        "gold_attributions": scores.gold_attributions,
        "predicted_attributions": scores.predicted_attributions,
        "pinned": dt.date.today().isoformat(),
        "scores": {name: round(value, 4) for name, value in scores.flat().items()},
    }
    floor["extractors"] = dict(sorted(floor["extractors"].items()))
    Path(path).write_text(json.dumps(floor, indent=2) + "\n", encoding="utf-8")
    return floor


def regressions(pinned: dict, scores: Scores, digest: str, tolerance: float = TOLERANCE) -> list[str]:
    """What is wrong with ``scores`` against one extractor's pin; empty when the gate passes."""
    if pinned["digest"] != digest:
        return [
            f"the evaluation data changed (digest {digest}, pinned {pinned['digest']}): "
            "scores are not comparable; if the change is intended, re-pin with --write-floor"
        ]
    measured = scores.flat()
    problems = []
    for name, floor_value in pinned["scores"].items():
        value = measured.get(name)
        if value is None:
            problems.append(f"{name}: pinned at {floor_value:.4f} but no longer measured")
        elif value < floor_value - tolerance:
            problems.append(f"{name}: {value:.4f} is {floor_value - value:.4f} below its floor {floor_value:.4f}")
    return problems
