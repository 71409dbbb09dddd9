"""Analyse work items and store them: idempotent, resumable, one bad document never stops a batch.

Items are loaded, checked against the store (already there: skipped, before
any analysis), analysed in batches with ``annotate_many`` and saved one
article per transaction. A run that is killed loses at most the articles in
flight; rerunning it skips everything already stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice

from .. import deadline
from ..analyze import annotate_many
from ..errors import AnalysisStopped
from ..ingest.inputs import Item
from ..model import Article
from .keys import article_key, url_key
from .repository import Store


@dataclass
class IngestReport:
    stored: int = 0
    skipped: int = 0  # already in the store
    failed: int = 0
    ids: list[int] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (ref, message)

    @property
    def seen(self) -> int:
        return self.stored + self.skipped + self.failed


def _chunks(items: Iterable[Item], size: int):
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def ingest(
    store: Store,
    items: Iterable[Item],
    *,
    extractor: str = "default",
    batch_size: int = 16,
    analyse: bool = True,
    on_item: Callable[[Item, str, int | None, str | None], None] | None = None,
) -> IngestReport:
    """Load, analyse and store ``items``.

    ``on_item(item, outcome, article_id, error)`` hears of each item as it is
    done: outcome "stored", "skipped" (already stored) or "failed". Under a
    time budget (``sourcetrace.deadline``) a spent budget raises AnalysisStopped
    between items or inside an analysis: no item fails for it, and what was
    stored stays stored (running the same items again skips those).
    """
    report = IngestReport()

    def done(item: Item, outcome: str, error: BaseException | None = None, article_id: int | None = None):
        if outcome == "failed":
            report.failed += 1
            report.errors.append((item.ref, str(error)))
            store.record_failure(item.ref, error)
        elif outcome == "stored":
            report.stored += 1
            report.ids.append(article_id)
        else:
            report.skipped += 1
            if article_id is not None:
                report.ids.append(article_id)
        if on_item:
            on_item(item, outcome, article_id, str(error) if error is not None else None)

    for chunk in _chunks(items, batch_size):
        pending: list[tuple[Item, Article]] = []
        keys: set[str] = set()
        for item in chunk:
            deadline.check()
            if (key := _known_key(item)) and (existing := store.find_key(key)) is not None:
                done(item, "skipped", article_id=existing)
                continue
            try:
                article = item.load()
                key = article_key(article)
            except AnalysisStopped:
                raise
            except Exception as exc:  # noqa: BLE001 - any loader error is this document's, recorded and reported
                done(item, "failed", exc)
                continue
            existing = store.find_key(key)
            if existing is not None or key in keys:
                done(item, "skipped", article_id=existing)
                continue
            keys.add(key)
            pending.append((item, article))
        if not pending:
            continue
        for item, article, error in _analyse(pending, extractor, analyse):
            if error is not None:
                done(item, "failed", error)
                continue
            try:
                result = store.save(article, origin=item.ref)
            except Exception as exc:  # noqa: BLE001
                done(item, "failed", exc)
                continue
            done(item, "stored" if result.created else "skipped", article_id=result.id)
    return report


def _analyse(pending: list[tuple[Item, Article]], extractor: str, analyse: bool):
    """Yield (item, analysed article, None) or (item, None, error); a failing batch is retried one by one."""
    if not analyse:
        for item, article in pending:
            yield item, article, None
        return
    try:
        results = list(annotate_many([a for _, a in pending], extractor=extractor))
    except AnalysisStopped:
        raise  # the time is up for every item, not a fault of one
    except Exception:  # noqa: BLE001 - find the culprit below
        results = None
    if results is not None:
        for (item, _), article in zip(pending, results):
            yield item, article, None
        return
    for item, article in pending:
        try:
            yield item, next(annotate_many([article], extractor=extractor)), None
        except AnalysisStopped:
            raise
        except Exception as exc:  # noqa: BLE001
            yield item, None, exc


def _known_key(item: Item) -> str | None:
    """The store key of an item whose URL is known before loading it (None otherwise, or for an unreadable URL)."""
    if not item.url:
        return None
    try:
        return url_key(item.url)
    except ValueError:
        return None
