"""Find the spans that overlap or contain a range without comparing every pair.

The hybrid extractor and the claim stage relate attributions to each other
(cue against cue, anchor inside content). Comparing all pairs is quadratic in
the number of attributions, which one long text of many reporting clauses
makes large (issue #11). Spans sorted by start, and the longest span's length,
bound the candidates to those near the range.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Generic, TypeVar

from ..model import Span

T = TypeVar("T")


class SpanIndex(Generic[T]):
    """``(span, item)`` pairs; queries answer items in the order they were given, each once."""

    def __init__(self, pairs: Iterable[tuple[Span, T]]):
        self._build((s.start, s.end, item) for s, item in pairs)

    def _build(self, ranges: Iterable[tuple[int, int, T]]) -> None:
        entries = sorted(((s, e, k, item) for k, (s, e, item) in enumerate(ranges)), key=lambda e: e[0])
        self._starts = [e[0] for e in entries]
        self._entries = entries
        self._longest = max((e[1] - e[0] for e in entries), default=0)

    @classmethod
    def of(cls, items: Iterable[T], spans_of) -> SpanIndex[T]:
        """Every span ``spans_of(item)`` gives, for each item."""
        return cls((s, item) for item in items for s in spans_of(item))

    @classmethod
    def of_ranges(cls, ranges: Iterable[tuple[int, int, T]]) -> SpanIndex[T]:
        """``(start, end, item)`` triples, for offsets that are not :class:`~sourcetrace.model.Span` objects."""
        index = cls.__new__(cls)
        index._build(ranges)
        return index

    def _near(self, start: int, end: int):
        lo = bisect.bisect_left(self._starts, start - self._longest)
        hi = bisect.bisect_left(self._starts, end)
        return self._entries[lo:hi]

    def _ordered(self, entries) -> list[T]:
        seen: dict[int, T] = {}
        for _, _, k, item in sorted(entries, key=lambda e: e[2]):
            seen.setdefault(id(item), item)
        return list(seen.values())

    def overlapping(self, spans: Iterable[Span]) -> list[T]:
        """Items with a span overlapping one of ``spans``."""
        return self._ordered(
            e for s in spans for e in self._near(s.start, s.end) if e[0] < s.end and s.start < e[1]
        )

    def overlapping_range(self, start: int, end: int) -> list[T]:
        """Items with a span overlapping ``[start, end)``."""
        return self._ordered(e for e in self._near(start, end) if e[0] < end and start < e[1])

    def containing(self, start: int, end: int) -> list[T]:
        """Items with a span that holds ``[start, end)``."""
        return self._ordered(e for e in self._near(start, end) if e[0] <= start and end <= e[1])
