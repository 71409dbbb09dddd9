"""The article store: SQLite (default) or PostgreSQL, migrated on open, searchable.

    >>> from sourcetrace.store import Store, SearchQuery, search
    >>> store = Store.open("articles.db")
    >>> store.save(article)
    >>> search(store, SearchQuery(q="bridge", source="Putin")).items
"""

from .repository import ArticleSummary, EntitySummary, Failure, Page, SaveResult, Store
from .search import FacetCount, Facets, Hit, OutletCount, SearchPage, SearchQuery, Sort, facets, outlets_for, search, search_with_facets

__all__ = [
    "ArticleSummary",
    "EntitySummary",
    "FacetCount",
    "Facets",
    "Failure",
    "Hit",
    "OutletCount",
    "Page",
    "SaveResult",
    "SearchPage",
    "SearchQuery",
    "Sort",
    "Store",
    "facets",
    "outlets_for",
    "search",
    "search_with_facets",
]
