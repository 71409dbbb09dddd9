"""Cut inputs into partitions with stable ids: same inputs and size, same partitions, same ids.

A partition is ``size`` consecutive documents of one input (a folder, a JSONL
file, a WARC file), read in the input's fixed order. Its id names the input
(its stem and a hash of its absolute path and the partition size) and its
index, so a rerun finds the part files an earlier run wrote and skips them.
Partitions are produced lazily: reading a 1 GB WARC.gz holds one partition's
documents in memory at a time.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..ingest.items import RawItem, input_kind, read_raw
from ..ingest.warc import WarcStats

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass
class Partition:
    id: str
    input: str
    index: int
    items: list[RawItem]
    bytes: int  # bytes of the input on disk this partition covers (progress, ETA)


def input_tag(path: Path, size: int) -> str:
    """``<stem>-<hash>``: readable, and distinct for distinct inputs and partition sizes."""
    resolved = str(path.resolve())
    digest = hashlib.sha256(f"{resolved}\0{size}".encode("utf-8", "surrogateescape")).hexdigest()[:10]
    stem = _UNSAFE.sub("_", path.name.split(".")[0] or "input")[:40]
    return f"{stem}-{digest}"


def unique_inputs(inputs: list[str | Path]) -> list[str | Path]:
    """``inputs`` with each file or folder once (the same one given twice, or by two paths, is read once)."""
    unique: dict[Path, str | Path] = {}
    for ref in inputs:
        unique.setdefault(Path(ref).resolve(), ref)
    return list(unique.values())


def partitions(
    inputs: list[str | Path], size: int, *, max_bytes: int | None = None, warc_stats: WarcStats | None = None
) -> Iterator[Partition]:
    """Every partition of every input, in order."""
    for ref in inputs:
        path = Path(ref)
        input_kind(path)  # refuse an unknown or missing input before reading anything
        tag = input_tag(path, size)
        index, batch, start = 0, [], 0
        for item in read_raw(path, max_bytes=max_bytes, warc_stats=warc_stats):
            batch.append(item)
            if len(batch) == size:
                yield Partition(f"{tag}-{index:06d}", str(path), index, batch, item.pos - start)
                index, batch, start = index + 1, [], item.pos
        if batch:
            yield Partition(f"{tag}-{index:06d}", str(path), index, batch, batch[-1].pos - start)
