"""Long id lists cut into pieces of one ``IN (...)`` list each.

Here, in the store, so both the store's own modules and the linker can import
it (``link`` imports ``store``; the other way round would be a cycle).
"""

from __future__ import annotations

from collections.abc import Iterable

#: Ids per ``IN (...)`` list: well under SQLite's and PostgreSQL's bound-parameter limits.
CHUNK = 500


def chunks(items: Iterable, size: int = CHUNK):
    """``items`` in lists of at most ``size``, in order."""
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]
