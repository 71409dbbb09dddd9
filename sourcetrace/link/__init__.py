"""Cross-article linking: stories (articles about one event) and claims (statements carrying one proposition).

    >>> from sourcetrace.store import Store
    >>> from sourcetrace import link
    >>> store = Store.open("corpus.db")
    >>> link.update(store)        # link what is new; existing stories keep their ids (once the store has doubled,
    ...                           # stories are regrouped: each old id goes to the story holding most of its articles)
    >>> link.rebuild(store)       # forget and link everything again

Stories and claims are in the store's ``stories``, ``story_articles``,
``claims`` and ``claim_statements`` tables.
"""

from .linker import LinkReport, rebuild, update

__all__ = ["LinkReport", "rebuild", "update"]
