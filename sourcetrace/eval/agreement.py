"""How far PolNeAR's own annotators agree: the human ceiling for every score ``sourcetrace eval`` reports.

A few PolNeAR articles were annotated twice (``NAME_<annotator>.ann`` twice
over). Scoring the second annotator's file against the first, which is the one
``sourcetrace eval`` takes as gold, with the same metrics, tells how much of a
model's error is disagreement about the task itself, e.g. where a cue ends.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .metrics import Scores, score_documents
from .polnear import parse_ann, read_text


def doubly_annotated(split_dir: str | Path) -> list[tuple[Path, list[Path]]]:
    """``(text file, [annotation files])`` for each article with two or more annotators, in name order."""
    split_dir = Path(split_dir)
    if not (split_dir / "text").is_dir():
        raise FileNotFoundError(f"{split_dir} is not a PolNeAR split: expected {split_dir}/text/*.txt")
    by_article: dict[str, list[Path]] = defaultdict(list)
    for ann in sorted((split_dir / "attributions").glob("*_*.ann")):
        by_article[ann.stem.rsplit("_", 1)[0]].append(ann)
    return [
        (split_dir / "text" / f"{stem}.txt", files)
        for stem, files in sorted(by_article.items())
        if len(files) > 1 and (split_dir / "text" / f"{stem}.txt").is_file()
    ]


def agreement(split_dirs: list[str | Path]) -> Scores:
    """The second annotator scored against the first over every doubly annotated article of the splits."""

    def pairs():
        for split_dir in split_dirs:
            for txt, (first, second, *_) in doubly_annotated(split_dir):
                text = read_text(txt)
                yield (text, *(parse_ann(f.read_text(encoding="utf-8", errors="replace"), len(text)) for f in (first, second)))

    return score_documents(pairs())
