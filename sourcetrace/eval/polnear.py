"""Reading PolNeAR splits: ``DIR/text/*.txt`` plus brat standoff ``DIR/attributions/*_<annotator>.ann``.

The annotation files are not perfectly clean: a few lines are truncated or
spill their text onto the next line, and some attributions lack a role (no
source, or no content). The reader keeps every attribution it can and never
fails on a malformed line; offsets always come from the ``.txt`` file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

Spans = list[tuple[int, int]]

_TEXTBOUND = re.compile(r"^(T\d+)\t([A-Za-z][\w-]*) (\d+ \d+(?:;\d+ \d+)*)(?:\t|$)")
_EVENT = re.compile(r"^(E\d+)\t(.*)$")
ROLES = ("source", "cue", "content")


@dataclass
class GoldAttribution:
    id: str
    source: Spans = field(default_factory=list)
    cue: Spans = field(default_factory=list)
    content: Spans = field(default_factory=list)

    def spans(self, role: str) -> Spans:
        return getattr(self, role)


@dataclass
class GoldDoc:
    name: str  # file stem of the .txt
    text: str
    attributions: list[GoldAttribution]
    annotator: str | None = None


def _parse_offsets(raw: str) -> Spans:
    spans = []
    for part in raw.split(";"):
        start, end = part.split()
        spans.append((int(start), int(end)))
    return spans


def parse_ann(ann: str, text_length: int | None = None) -> list[GoldAttribution]:
    """Attributions from the text of one ``.ann`` file; tolerant of broken lines."""
    bounds: dict[str, Spans] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for line in ann.splitlines():
        if m := _TEXTBOUND.match(line):
            spans = _parse_offsets(m.group(3))
            if text_length is not None:
                spans = [(s, min(e, text_length)) for s, e in spans if s < text_length]
            bounds[m.group(1)] = [(s, e) for s, e in spans if e > s]
        elif m := _EVENT.match(line):
            args = []
            for arg in m.group(2).split():
                if ":" in arg:
                    role, ref = arg.split(":", 1)
                    args.append((role, ref))
            events.append((m.group(1), args))
    attributions = []
    for event_id, args in events:
        if not args or not args[0][0].startswith("Attribution"):
            continue
        gold = GoldAttribution(id=event_id)
        for role, ref in args[1:]:
            name = role.rstrip("0123456789").lower()
            if name in ROLES and ref in bounds:
                gold.spans(name).extend(bounds[ref])
        for name in ROLES:
            gold.spans(name).sort()
        attributions.append(gold)
    return attributions


def read_text(path: Path) -> str:
    # newline="" keeps offsets exact: brat counts characters as they are on disk.
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def annotation_file(split_dir: Path, stem: str) -> Path | None:
    """The lexicographically first annotator's file for an article, if any."""
    candidates = sorted((split_dir / "attributions").glob(f"{stem}_*.ann"))
    return candidates[0] if candidates else None


def read_split(split_dir: str | Path) -> list[GoldDoc]:
    split_dir = Path(split_dir)
    text_dir = split_dir / "text"
    if not text_dir.is_dir():
        raise FileNotFoundError(f"{split_dir} is not a PolNeAR split: expected {text_dir}/*.txt")
    docs = []
    for txt in sorted(text_dir.glob("*.txt")):
        text = read_text(txt)
        ann_path = annotation_file(split_dir, txt.stem)
        attributions: list[GoldAttribution] = []
        annotator = None
        if ann_path is not None:
            attributions = parse_ann(ann_path.read_text(encoding="utf-8", errors="replace"), len(text))
            annotator = ann_path.stem.rsplit("_", 1)[-1]
        docs.append(GoldDoc(name=txt.stem, text=text, attributions=attributions, annotator=annotator))
    return docs
