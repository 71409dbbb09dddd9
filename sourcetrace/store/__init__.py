"""The article store: SQLite (default) or PostgreSQL, migrated on open, searchable.

    >>> from sourcetrace.store import Store, SearchQuery, search
    >>> store = Store.open("articles.db")
    >>> store.save(article)
    >>> search(store, SearchQuery(q="bridge", source="Putin")).items
"""

from .repository import ArticleSummary, EntitySummary, Failure, Page, SaveResult, Store
from .search import Hit, OutletCount, SearchQuery, Sort, outlets_for, search

__all__ = [
    "ArticleSummary",
    "EntitySummary",
    "Failure",
    "Hit",
    "OutletCount",
    "Page",
    "SaveResult",
    "SearchQuery",
    "Sort",
    "Store",
    "outlets_for",
    "search",
]
