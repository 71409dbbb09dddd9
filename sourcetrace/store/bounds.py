"""Limits the faces (API, web pages) check before a value reaches the database (issue #11).

SQLite and PostgreSQL store ids as signed 64-bit integers: a larger id in a
path or a filter raised OverflowError (a 500) instead of "not found"; a very
long name made SQLite's LIKE refuse the pattern. The checks live here, beside
the store, so that the API and the pages share them.
"""

from __future__ import annotations

from pydantic import Field

from .schema import MAX_ID
from .search import SearchQuery

MAX_NAME = 300  # characters of a source name filter, as the API's /sources takes


def id_in_range(value: int) -> bool:
    """Whether ``value`` can be a stored row's id at all (ids start at 1)."""
    return 1 <= value <= MAX_ID


class BoundedSearchQuery(SearchQuery):
    """:class:`SearchQuery` whose ids fit the database's integers (a larger one is a 422, not a 500)."""

    entity_id: int | None = Field(None, ge=1, le=MAX_ID)
    article_id: int | None = Field(None, ge=1, le=MAX_ID)
