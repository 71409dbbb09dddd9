"""The linker's stored state, kept consistent when articles are unlinked or deleted.

Besides stories and claims, the linker keeps per linked article its unit term
vector (``link_articles.term_vector``), per story the sum of its members'
vectors (``stories.term_total``), and the document frequency of every term over
the linked articles (``link_terms``), so an update reads about the new
articles only (see :mod:`sourcetrace.link.linker`). Taking an article out
(relinking it, or deleting it) must take it out of all of these and recount
``stories.n_articles`` and ``claims.n_carriers``: :func:`unlink` does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .chunks import chunks
from .schema import claim_statements, claims, link_articles, link_state, link_terms, stories, story_articles

BASIS = "idf_basis"
#: Longer terms (a 5,000-letter "word" in a hostile page) are not counted: PostgreSQL cannot index them, and a term
#: no other article shares has document frequency 1 either way.
MAX_TERM = 400


def dumps(vector: dict[str, float]) -> str:
    return json.dumps(vector, separators=(",", ":"))


def loads(text: str | None) -> dict[str, float] | None:
    return json.loads(text) if text is not None else None


def basis(conn) -> int | None:
    """How many articles the stored term vectors were all weighted over (None: never, or not since a rebuild began)."""
    return conn.execute(select(link_state.c.value).where(link_state.c.key == BASIS)).scalar()


def set_basis(conn, n: int | None) -> None:
    conn.execute(delete(link_state).where(link_state.c.key == BASIS))
    if n is not None:
        conn.execute(insert(link_state), [dict(key=BASIS, value=n)])


def doc_freq(conn, terms: Iterable[str]) -> Counter:
    """The stored document frequency of each of ``terms`` (absent ones: 0)."""
    out: Counter = Counter()
    for chunk in chunks(sorted(t for t in set(terms) if len(t) <= MAX_TERM)):
        out.update(dict(conn.execute(select(link_terms.c.term, link_terms.c.df).where(link_terms.c.term.in_(chunk))).all()))
    return out


def add_doc_freq(conn, counts: Counter) -> None:
    """Add ``counts`` (term -> number of articles, negative to take away); terms that fall to 0 go."""
    rows = [dict(term=t, df=n) for t, n in counts.items() if n and len(t) <= MAX_TERM]
    if not rows:
        return
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    for chunk in chunks(rows, 2000):
        stmt = dialect.insert(link_terms)
        conn.execute(stmt.on_conflict_do_update(index_elements=["term"], set_={"df": link_terms.c.df + stmt.excluded.df}), chunk)
    if any(n < 0 for n in counts.values()):
        conn.execute(delete(link_terms).where(link_terms.c.df <= 0))


def replace_doc_freq(conn, counts: Counter) -> None:
    conn.execute(delete(link_terms))
    for chunk in chunks([dict(term=t, df=n) for t, n in counts.items() if n and len(t) <= MAX_TERM], 5000):
        conn.execute(insert(link_terms), chunk)


def story_totals(conn, story_ids: Iterable[str]) -> dict[str, tuple[dict[str, float] | None, int]]:
    """story id -> (stored sum of its members' term vectors or None, n_articles)."""
    out = {}
    for chunk in chunks(sorted(set(story_ids))):
        for sid, total, n in conn.execute(select(stories.c.id, stories.c.term_total, stories.c.n_articles).where(stories.c.id.in_(chunk))):
            out[sid] = (loads(total), n)
    return out


def save_vectors(conn, vectors: dict[int, dict[str, float]]) -> None:
    rows = [dict(aid=aid, vec=dumps(vec)) for aid, vec in vectors.items()]
    if rows:
        conn.execute(update(link_articles).where(link_articles.c.article_id == bindparam("aid")).values(term_vector=bindparam("vec")), rows)


def save_totals(conn, totals: dict[str, dict[str, float]]) -> None:
    rows = [dict(sid=sid, total=dumps(total)) for sid, total in totals.items()]
    if rows:
        conn.execute(update(stories).where(stories.c.id == bindparam("sid")).values(term_total=bindparam("total")), rows)


def _forget_terms(conn, article_ids: list[int]) -> None:
    """Take linked articles' terms out of the document frequencies and their vectors out of their stories' sums."""
    minus: Counter = Counter()
    by_story: dict[str, list[dict]] = {}
    for chunk in chunks(article_ids):
        for terms, vec, sid in conn.execute(
            select(link_articles.c.terms, link_articles.c.term_vector, story_articles.c.story_id)
            .join(story_articles, story_articles.c.article_id == link_articles.c.article_id)
            .where(link_articles.c.article_id.in_(chunk), link_articles.c.term_vector.is_not(None))
        ):
            minus.update({t: -1 for t in json.loads(terms)})
            by_story.setdefault(sid, []).append(json.loads(vec))
        conn.execute(update(link_articles).where(link_articles.c.article_id.in_(chunk)).values(term_vector=None))
    add_doc_freq(conn, minus)
    changed = {}
    for sid, (total, _) in story_totals(conn, by_story).items():
        if total is not None:
            for vec in by_story[sid]:
                for t, v in vec.items():
                    total[t] = total.get(t, 0.0) - v
            changed[sid] = {t: v for t, v in total.items() if abs(v) > 1e-9}
    save_totals(conn, changed)


def unlink(conn, article_ids: Iterable[int]) -> None:
    """Take articles out of their stories and claims; recount what they were in; empty stories and claims go."""
    article_ids = sorted(set(article_ids))
    _forget_terms(conn, article_ids)
    now = dt.datetime.now(dt.timezone.utc)
    for chunk in chunks(article_ids):
        touched_claims = set(conn.execute(select(claim_statements.c.claim_id).where(claim_statements.c.article_id.in_(chunk))).scalars())
        touched_stories = set(conn.execute(select(story_articles.c.story_id).where(story_articles.c.article_id.in_(chunk))).scalars())
        conn.execute(delete(claim_statements).where(claim_statements.c.article_id.in_(chunk)))
        conn.execute(delete(story_articles).where(story_articles.c.article_id.in_(chunk)))
        for cid in touched_claims:
            n = conn.execute(select(func.count(func.distinct(claim_statements.c.article_id))).where(claim_statements.c.claim_id == cid)).scalar_one()
            if n:
                conn.execute(update(claims).where(claims.c.id == cid).values(n_carriers=n))
            else:
                conn.execute(delete(claims).where(claims.c.id == cid))
        for sid in touched_stories:
            n = conn.execute(select(func.count()).select_from(story_articles).where(story_articles.c.story_id == sid)).scalar_one()
            if n:
                # its claim vectors are weighted again when it next takes an article (its term counts held these)
                conn.execute(update(stories).where(stories.c.id == sid).values(n_articles=n, updated_at=now, claim_basis=None))
            else:
                conn.execute(delete(stories).where(stories.c.id == sid))
