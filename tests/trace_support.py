"""Helpers for the provenance tests: ingest the story samples, and write claims by hand.

``hand_link`` writes stories and claims named by the tests themselves (article URL
and a phrase of the statement), so provenance is tested on a known grouping,
whatever the linker does; the linker's own grouping is tested separately.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import delete, insert, select

from sourcetrace.analyze import annotate_many
from sourcetrace.ingest.batch import item_to_article
from sourcetrace.store import Store
from sourcetrace.store.schema import articles, claim_statements, claims, statements, stories
from sourcetrace.store.schema import story_articles as story_articles_t

ROOT = Path(__file__).parents[1]
STORIES = ROOT / "samples" / "stories"

def story_items(*names: str) -> list[dict]:
    rows = []
    for name in names:
        rows += [json.loads(line) for line in (STORIES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def ingest_stories(store: Store, *names: str) -> dict[str, int]:
    """Analyse and store the named sample stories; url → article id."""
    arts = annotate_many([item_to_article(r) for r in story_items(*names)])
    return {a.url: store.save(a).id for a in arts}


def statement_id(store: Store, article_id: int, phrase: str) -> int:
    """The statement of that article containing ``phrase`` (the longest chain wins ties later)."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(statements.c.id, statements.c.text).where(statements.c.article_id == article_id)).all()
    found = [sid for sid, text in rows if phrase.casefold() in text.casefold()]
    assert found, f"no statement with {phrase!r} in article {article_id}: {[t for _, t in rows]}"
    return found


def hand_link(store: Store, urls: dict[str, int], story_claims: dict[str, dict[str, list[tuple[str, str]]]],
              story_articles: dict[str, list[str]]) -> None:
    """Replace the store's stories and claims by these: stories (story id → article URLs) and claims
    (story id → claim id → [(url, phrase)])."""
    now = dt.datetime.now(dt.timezone.utc)
    t = {"stories": stories, "story_articles": story_articles_t, "claims": claims, "claim_statements": claim_statements}
    with store.engine.begin() as conn:
        for table in (claim_statements, claims, story_articles_t, stories):
            conn.execute(delete(table))
        for sid, members in story_articles.items():
            conn.execute(insert(t["stories"]).values(id=sid, created_at=now, updated_at=now, n_articles=len(members)))
            for url in members:
                conn.execute(insert(t["story_articles"]).values(story_id=sid, article_id=urls[url]))
    for sid, cl in story_claims.items():
        for cid, members in cl.items():
            rows = []
            for url, phrase in members:
                rows += [dict(claim_id=cid, statement_id=s, article_id=urls[url]) for s in statement_id(store, urls[url], phrase)]
            with store.engine.begin() as conn:
                conn.execute(insert(t["claims"]).values(id=cid, story_id=sid, summary=members[0][1], n_carriers=len(rows)))
                conn.execute(insert(t["claim_statements"]), rows)


def article_ids(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {url: aid for aid, url in conn.execute(select(articles.c.id, articles.c.url))}
