"""Link stored articles into stories and their statements into claims: ``update`` (incremental) and ``rebuild``.

``update`` encodes only statements it has not seen and places each new
article, then each of its statements, in article-id order. It reads about the
new articles only: their nearest articles' terms, the stored document
frequencies of their terms, the stored term sums of the stories near them and
the stored claim vectors of the stories they join (see
:mod:`sourcetrace.store.linkstate`; all of it is weighted again when the store,
or a story, has doubled since). Between those refreshes nothing already linked
moves. At the store's doubling refresh every article is grouped into stories
again, as a rebuild would group them, and each old story's id goes to the new
story that holds most of its articles; the articles that change story take
their statements to the new story's claims.
``rebuild`` clears stories and claims and links every article again (the
cached vectors are kept unless ``reencode=True``: they depend only on the text
and the pinned encoder).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import bindparam, delete, insert, select, update as sql_update

from ..model import Article
from ..store import linkstate
from ..store.chunks import chunks
from ..store.repository import Store
from ..store.schema import (
    articles,
    claim_statements,
    claims,
    link_articles,
    link_statements,
    link_terms,
    statements,
    stories,
    story_articles,
)
from .claims import add_story_terms, claim_vector, group_statements, linkable, story_terms, summary_of, weights_of
from .encoder import DIM, default_encoder
from .features import article_terms, statement_terms
from .candidates import VectorIndex
from . import stories as _stories
from .stories import DocFreq, cluster, total_of



@dataclass
class LinkReport:
    articles: int = 0  # articles linked in this run
    stories_created: int = 0
    stories_joined: int = 0  # new articles that joined an existing story
    claims_created: int = 0
    statements: int = 0  # statements placed in claims
    encoded: int = 0  # statements encoded in this run (the rest came from the cache)
    seconds: float = 0.0
    encode_seconds: float = 0.0  # of which loading the encoder, encoding and storing the vectors
    story_ids: list[str] = field(default_factory=list)

    def line(self) -> str:
        if not self.articles:
            return "nothing to link: every stored article is already in a story (or the store is empty)"
        return (
            f"linked {self.articles} articles ({self.stories_created} new stories, {self.stories_joined} joined existing ones), "
            f"{self.statements} statements ({self.claims_created} new claims); encoded {self.encoded} in {self.seconds:.1f}s"
        )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _short_id(prefix: str, *parts) -> str:
    return prefix + hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def _vec(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32)


def update(store: Store, article_ids: Iterable[int] | None = None, *, encoder=None,
           on_article: Callable[[int], None] | None = None) -> LinkReport:
    """Link the articles not linked yet (or exactly ``article_ids``, relinking those already linked)."""
    started = time.perf_counter()
    with store.engine.connect() as conn:
        if article_ids is None:
            linked = select(story_articles.c.article_id)
            todo = conn.execute(select(articles.c.id).where(articles.c.id.not_in(linked)).order_by(articles.c.id)).scalars().all()
        else:
            wanted = sorted(set(article_ids))
            todo = [i for chunk in chunks(wanted) for i in conn.execute(select(articles.c.id).where(articles.c.id.in_(chunk))).scalars()]
    report = LinkReport()
    if not todo:
        report.seconds = time.perf_counter() - started
        return report
    if article_ids is not None:
        _unlink(store, todo)
    encoding = time.perf_counter()
    encoder = encoder or default_encoder()
    report.encoded = _prepare(store, todo, encoder)
    report.encode_seconds = time.perf_counter() - encoding
    _link(store, todo, report, on_article)
    report.seconds = time.perf_counter() - started
    return report


def rebuild(store: Store, *, reencode: bool = False, encoder=None) -> LinkReport:
    """Forget every story and claim and link the whole store again."""
    with store.engine.begin() as conn:
        for table in (claim_statements, claims, story_articles, stories, link_terms):
            conn.execute(delete(table))
        linkstate.set_basis(conn, None)
        if reencode:
            conn.execute(delete(link_statements))
            conn.execute(delete(link_articles))
    return update(store, encoder=encoder)


# -- step 1: vectors and terms for the new articles (cached in link_articles / link_statements) -----------------

def _prepare(store: Store, todo: list[int], encoder) -> int:
    encoded = 0
    with store.engine.connect() as conn:
        have = set()
        for chunk in chunks(todo):
            have.update(conn.execute(select(link_articles.c.article_id).where(link_articles.c.article_id.in_(chunk))).scalars())
    for chunk in chunks([a for a in todo if a not in have], 100):
        with store.engine.begin() as conn:
            stmt_rows = conn.execute(
                select(statements.c.id, statements.c.article_id, statements.c.text)
                .where(statements.c.article_id.in_(chunk))
                .order_by(statements.c.id)
            ).all()
            cached = {
                sid: (_vec(blob), aid)
                for sid, aid, blob in conn.execute(
                    select(link_statements.c.statement_id, link_statements.c.article_id, link_statements.c.vector)
                    .where(link_statements.c.article_id.in_(chunk))
                )
            }
            new_rows = [r for r in stmt_rows if r.id not in cached]
            vectors = encoder.encode([r.text for r in new_rows])
            encoded += len(new_rows)
            if new_rows:
                conn.execute(insert(link_statements), [
                    dict(statement_id=r.id, article_id=r.article_id, vector=v.astype(np.float32).tobytes(),
                         terms=json.dumps(statement_terms(r.text)))
                    for r, v in zip(new_rows, vectors)
                ])
            per_article: dict[int, list[np.ndarray]] = {}
            for sid, (vec, aid) in cached.items():
                per_article.setdefault(aid, []).append(vec)
            for r, v in zip(new_rows, vectors):
                per_article.setdefault(r.article_id, []).append(v)
            rows = []
            for aid, raw in conn.execute(select(articles.c.id, articles.c.article_json).where(articles.c.id.in_(chunk))):
                article = Article.model_validate_json(raw)
                vecs = per_article.get(aid)
                if vecs:
                    vec = np.mean(vecs, axis=0)
                else:  # no statements (empty or unparsed text): the title or the opening stands for it
                    vec = encoder.encode([(article.title or "") + " " + article.text[:1000]])[0]
                    encoded += 1
                vec = (vec / (np.linalg.norm(vec) or 1.0)).astype(np.float32)
                rows.append(dict(article_id=aid, vector=vec.tobytes(), terms=json.dumps(article_terms(article)), linked_at=_now()))
            if rows:
                conn.execute(insert(link_articles), rows)
    return encoded


# -- step 2: place articles in stories, statements in claims ----------------------------------------------------

@dataclass
class _Pool:
    """Every article placing the new ones reads: the linked ones and the new ones, with their embeddings."""

    keys: dict[int, str]  # new article id -> store key (story and claim ids are made from it)
    membership: dict[int, str]  # linked article id -> story id
    embeddings: dict[int, np.ndarray]
    unweighted: bool  # some linked article has no stored term vector (linked before they were stored)
    basis: int | None  # how many articles the stored term vectors were weighted over

    @classmethod
    def read(cls, store: Store, todo: list[int]) -> _Pool:
        todo_set = set(todo)
        with store.engine.connect() as conn:
            keys = {i: k for chunk in chunks(todo) for i, k in conn.execute(select(articles.c.id, articles.c.key).where(articles.c.id.in_(chunk)))}
            membership = dict(conn.execute(select(story_articles.c.article_id, story_articles.c.story_id)).all())
            embeddings, unweighted = {}, False
            for aid, blob, weighted in conn.execute(
                select(link_articles.c.article_id, link_articles.c.vector, link_articles.c.term_vector.is_not(None))
            ):
                if aid in todo_set or aid in membership:
                    embeddings[aid] = _vec(blob)
                    unweighted |= aid in membership and not weighted
            return cls(keys, membership, embeddings, unweighted, linkstate.basis(conn))

    def read_keys(self, store: Store, ids: list[int]) -> None:
        """The store keys of ``ids`` too (regrouped stories and moved statements take their ids from them)."""
        wanted = [a for a in ids if a not in self.keys]
        with store.engine.connect() as conn:
            for chunk in chunks(wanted):
                self.keys.update(conn.execute(select(articles.c.id, articles.c.key).where(articles.c.id.in_(chunk))).all())


@dataclass
class _Weighed:
    """The new articles' story groups, and the term vectors they were weighed with (all articles', or only the new ones')."""

    groups: list
    vectors: dict[int, dict[str, float]]
    doc_freq: Counter  # every term's document frequency (``full``), or the new articles' counts to add to the stored ones
    full: bool

    def save(self, conn, placed: dict[int, str], members_of: dict[str, list[int]], totals: dict[str, dict[str, float]]) -> None:
        if self.full:  # every vector and sum again, and the document frequencies they were weighted with
            linkstate.save_vectors(conn, self.vectors)
            linkstate.save_totals(conn, {sid: total_of(self.vectors[a] for a in members if a in self.vectors)
                                         for sid, members in members_of.items()})
            linkstate.replace_doc_freq(conn, self.doc_freq)
            linkstate.set_basis(conn, len(self.vectors))
        else:
            linkstate.save_vectors(conn, {a: self.vectors[a] for a in placed})
            linkstate.save_totals(conn, totals)
            linkstate.add_doc_freq(conn, self.doc_freq)


def _link(store: Store, todo: list[int], report: LinkReport, on_article) -> None:
    pool = _Pool.read(store, todo)
    new = [a for a in todo if a in pool.embeddings]
    ids = sorted(pool.embeddings)
    index = VectorIndex(ids, _stack([pool.embeddings[a] for a in ids]))
    # Each new article's nearest articles, itself among them: its story candidates, and (less itself) its neighbourhood.
    neighbours = dict(zip(new, index.nearest(_stack([pool.embeddings[a] for a in new]), _stories.NEIGHBOURS + 1)))
    touched = {pool.membership[b] for near in neighbours.values() for b in near if b in pool.membership}
    frozen = _frozen_totals(store, pool, touched, len(ids))
    if frozen is not None:
        weighed = _weigh_new(store, len(ids), pool, neighbours, frozen, new)
    elif _regroups(pool, len(ids)):
        weighed = _weigh_all(store, index, ids, pool, neighbours, touched, ids)
        _keep_story_ids(weighed.groups, pool.membership)
        pool.read_keys(store, ids)
    else:
        weighed = _weigh_all(store, index, ids, pool, neighbours, touched, new)
    placed, sizes, totals = _story_ids(weighed.groups, pool, set(todo), report)
    moved = [a for a in placed if a in pool.membership]  # regrouped into another story
    if moved:
        _unlink(store, moved)
    _write_stories(store, placed, sizes)
    report.story_ids = sorted(set(placed.values()))

    members_of: dict[str, list[int]] = {}
    for aid, sid in {**pool.membership, **placed}.items():
        members_of.setdefault(sid, []).append(aid)
    with store.engine.begin() as conn:
        weighed.save(conn, placed, members_of, totals)
    by_story: dict[str, list[int]] = {}
    for aid, sid in placed.items():
        by_story.setdefault(sid, []).append(aid)
    for story_id, placed_here in by_story.items():
        _link_claims(store, sorted(members_of[story_id]), placed_here, story_id, pool.keys, report)
        if on_article:
            for aid in placed_here:
                if aid not in pool.membership:
                    on_article(aid)


def _regroups(pool: _Pool, n: int) -> bool:
    """Whether this update groups every article into stories again: at the refresh after the store has grown by
    ``REFRESH_FACTOR`` since the stored vectors were weighted (not for a store linked before they were stored)."""
    return bool(pool.membership) and pool.basis is not None and _stories.needs_refresh(pool.basis, n)


def _keep_story_ids(groups, membership: dict[int, str]) -> None:
    """Give each regrouped story the id of the old story most of whose articles it holds; the largest shares are
    matched first, each old id and each group once. The other groups are new stories."""
    shares = []
    for g in groups:
        for sid, n in Counter(membership[a] for a in g.members if a in membership).items():
            shares.append((-n, sid, min(g.members), g))
    named, used = set(), set()
    for _, sid, _, g in sorted(shares, key=lambda s: s[:3]):
        if sid not in used and g.key not in named:
            g.existing_id = sid
            used.add(sid)
            named.add(g.key)


def _frozen_totals(store: Store, pool: _Pool, touched: set[str], n: int) -> dict | None:
    """The stored term sums of the stories near the new articles, or None when every article is to be weighed again:
    a rebuild, a store grown past ``REFRESH_FACTOR`` since the stored vectors were weighted, or stories summed by no one."""
    if not pool.membership or pool.unweighted or _stories.needs_refresh(pool.basis, n):
        return None
    with store.engine.connect() as conn:
        frozen = linkstate.story_totals(conn, touched)
    return None if any(total is None for total, _ in frozen.values()) else frozen


def _weigh_all(store: Store, index: VectorIndex, ids: list[int], pool: _Pool, neighbours: dict[int, list[int]],
               touched: set[str], new: list[int]) -> _Weighed:
    """Weigh every article with the current idf and neighbourhoods, and group ``new`` (every article when regrouping)."""
    rest = [a for a in ids if a not in neighbours]
    nearest = {**neighbours, **dict(zip(rest, index.nearest(_stack([pool.embeddings[a] for a in rest]), _stories.NEIGHBOURS + 1)))}
    terms = _terms(store, ids)
    docfreq = DocFreq(terms.values())
    vectors = _term_vectors(docfreq, terms, {a: nearest[a][:_stories.NEIGHBOURS] for a in ids})
    grouped = set(new)  # the new articles, or every article when regrouping
    existing = {a: s for a, s in pool.membership.items() if s in touched and a in vectors and a not in grouped}
    return _Weighed(cluster(vectors, existing, new, {a: nearest[a] for a in new}), vectors, docfreq.df, full=True)


def _weigh_new(store: Store, n: int, pool: _Pool, neighbours: dict[int, list[int]], frozen: dict, new: list[int]) -> _Weighed:
    """Weigh only the new articles (stored document frequencies plus theirs) and compare them with the stories' stored sums."""
    around = {a: neighbours[a][:_stories.NEIGHBOURS] for a in new}
    terms = _terms(store, set(new).union(*map(set, around.values())))
    counts: Counter = Counter()
    for a in new:
        counts.update(terms[a].keys())
    with store.engine.connect() as conn:
        df = linkstate.doc_freq(conn, counts) + counts
    vectors = _term_vectors(DocFreq(df=df, n=n), terms, around)
    existing = {b: pool.membership[b] for near in neighbours.values() for b in near if b in pool.membership}
    return _Weighed(cluster(vectors, existing, new, neighbours, frozen=frozen), vectors, counts, full=False)


def _story_ids(groups, pool: _Pool, todo: set[int], report: LinkReport) -> tuple[dict[int, str], dict[str, int], dict]:
    """article placed in a story (new, or moved there by a regrouping) -> its story id; story id -> size and term sum,
    for the stories the groups made or changed."""
    placed: dict[int, str] = {}
    sizes: dict[str, int] = Counter(pool.membership.values())
    totals: dict[str, dict[str, float]] = {}
    for c in groups:
        fresh = sorted(a for a in c.members if a in todo)
        story_id = c.existing_id or _short_id("s-", pool.keys[min(c.members)])
        while c.existing_id is None and story_id in sizes:  # its founder once founded a story that lives on
            story_id = _short_id("s-", story_id)
        for aid in sorted(c.members):
            if pool.membership.get(aid) != story_id:  # new, or (regrouping) moved from another story
                placed[aid] = story_id
        report.articles += len(fresh)
        report.stories_created += c.existing_id is None
        report.stories_joined += len(fresh) if c.existing_id is not None else 0
        sizes[story_id] = c.size
        totals[story_id] = c.total
    return placed, sizes, totals


def _stack(vectors: list[np.ndarray]) -> np.ndarray:
    return np.stack(vectors) if vectors else np.zeros((0, DIM), np.float32)


def _terms(store: Store, ids) -> dict[int, dict[str, float]]:
    out = {}
    with store.engine.connect() as conn:
        for chunk in chunks(sorted(ids)):
            out.update((aid, json.loads(t)) for aid, t in conn.execute(
                select(link_articles.c.article_id, link_articles.c.terms).where(link_articles.c.article_id.in_(chunk))))
    return out


def _term_vectors(df: DocFreq, terms: dict, near: dict[int, list[int]]) -> dict[int, dict[str, float]]:
    """Each article's term vector, weighted by global idf and by idf among its nearest articles (``near``)."""
    out = {}
    for aid, around in near.items():
        local: Counter = Counter()
        for b in around:
            local.update(terms[b].keys())
        out[aid] = df.vector(terms[aid], local, len(around))
    return out


def _write_stories(store: Store, placed: dict[int, str], sizes: dict[str, int]) -> None:
    now = _now()
    with store.engine.begin() as conn:
        touched = sorted(set(placed.values()))
        existing = set()
        for chunk in chunks(touched):
            existing.update(conn.execute(select(stories.c.id).where(stories.c.id.in_(chunk))).scalars())
        new = [dict(id=s, created_at=now, updated_at=now, n_articles=sizes[s]) for s in touched if s not in existing]
        if new:
            conn.execute(insert(stories), new)
        grown = [dict(sid=s, n=sizes[s]) for s in touched if s in existing]
        if grown:
            conn.execute(sql_update(stories).where(stories.c.id == bindparam("sid")).values(updated_at=now, n_articles=bindparam("n")), grown)
        if placed:
            conn.execute(insert(story_articles), [dict(story_id=s, article_id=a) for a, s in placed.items()])


@dataclass
class _StoryStatements:
    """The statements ``_link_claims`` places or compares with, read from one story."""

    raw: dict[int, tuple[np.ndarray, dict]] = field(default_factory=dict)  # id -> (sentence vector, terms): to weigh
    stored: dict[int, np.ndarray] = field(default_factory=dict)  # id -> stored claim vector: weighed already
    article_of: dict[int, int] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)
    existing: dict[int, str] = field(default_factory=dict)  # old statement id -> its claim

    def read_new(self, conn, article_ids: list[int]) -> list[int]:
        """The new articles' statements, to be placed; their ids, in order."""
        new = []
        for chunk in chunks(article_ids):
            for r in conn.execute(
                select(statements.c.id, statements.c.article_id, statements.c.text, link_statements.c.vector, link_statements.c.terms)
                .join(link_statements, link_statements.c.statement_id == statements.c.id)
                .where(statements.c.article_id.in_(chunk))
            ):
                self.raw[r.id] = (_vec(r.vector), json.loads(r.terms))
                self.article_of[r.id] = r.article_id
                self.texts[r.id] = r.text
                new.append(r.id)
        return sorted(new)

    def read_claim_vectors(self, conn, article_ids: list[int]) -> None:
        """The old statements' stored claim vectors (statements too short to link have none and are claims of their
        own: not needed)."""
        for chunk in chunks(article_ids):
            for r in conn.execute(
                select(claim_statements.c.claim_id, claim_statements.c.statement_id, claim_statements.c.article_id,
                       link_statements.c.claim_vector)
                .join(link_statements, link_statements.c.statement_id == claim_statements.c.statement_id)
                .where(claim_statements.c.article_id.in_(chunk), link_statements.c.claim_vector.is_not(None))
            ):
                self.stored[r.statement_id] = _vec(r.claim_vector)
                self.article_of[r.statement_id] = r.article_id
                self.existing[r.statement_id] = r.claim_id

    def read_old(self, conn, article_ids: list[int]) -> None:
        """The old statements' sentence vectors, terms and texts, to be weighed again."""
        for chunk in chunks(article_ids):
            for r in conn.execute(
                select(claim_statements.c.claim_id, claim_statements.c.statement_id, claim_statements.c.article_id,
                       link_statements.c.vector, link_statements.c.terms, statements.c.text)
                .join(link_statements, link_statements.c.statement_id == claim_statements.c.statement_id)
                .join(statements, statements.c.id == claim_statements.c.statement_id)
                .where(claim_statements.c.article_id.in_(chunk))
            ):
                self.raw[r.statement_id] = (_vec(r.vector), json.loads(r.terms))
                self.texts[r.statement_id] = r.text
                self.article_of[r.statement_id] = r.article_id
                self.existing[r.statement_id] = r.claim_id


def _link_claims(store: Store, story_members: list[int], new_articles: list[int], story_id: str, keys, report: LinkReport) -> None:
    """Place the new articles' statements in the story's claims.

    The story's stored claim vectors stand for its old statements while the story has grown less than
    ``REFRESH_FACTOR`` since they were weighted; otherwise (and for a new story) every statement is weighted
    again with the story's current term counts, and the vectors stored.
    """
    new_set = set(new_articles)
    old = [a for a in story_members if a not in new_set]
    found = _StoryStatements()
    with store.engine.begin() as conn:
        counts, basis = conn.execute(select(stories.c.claim_terms, stories.c.claim_basis).where(stories.c.id == story_id)).one()
        counts = json.loads(counts) if counts is not None else None
        new = found.read_new(conn, sorted(new_set))
        added = story_terms({i: found.raw[i][1] for i in new}, {i: found.article_of[i] for i in new})
        if old and counts is not None and not _stories.needs_refresh(basis, counts["n"] + added["n"]):
            found.read_claim_vectors(conn, old)
            counts = add_story_terms(counts, added)
        else:
            found.read_old(conn, old)
            counts = story_terms({i: terms for i, (_, terms) in found.raw.items()}, found.article_of)
            basis = counts["n"]
        weights = weights_of(counts)
        vectors = {i: claim_vector(vec, terms, weights) for i, (vec, terms) in found.raw.items()}
        kept = {i: v.tobytes() if linkable(found.texts[i]) else None for i, v in vectors.items()}
        vectors.update(found.stored)
        conn.execute(sql_update(stories).where(stories.c.id == story_id).values(
            claim_terms=json.dumps(counts, separators=(",", ":")), claim_basis=basis))
        if kept:
            conn.execute(sql_update(link_statements).where(link_statements.c.statement_id == bindparam("sid"))
                         .values(claim_vector=bindparam("cv")), [dict(sid=i, cv=v) for i, v in kept.items()])
        _write_claims(conn, group_statements(vectors, found.article_of, found.existing, new, found.texts),
                      found, vectors, story_id, keys, report)


def _write_claims(conn, groups, found: _StoryStatements, vectors, story_id: str, keys, report: LinkReport) -> None:
    """Store the new claims, the grown claims' carrier counts and the new statements' memberships."""
    article_of, existing = found.article_of, found.existing
    rows, updated, created = [], [], []
    for g in groups:
        fresh = [i for i in g.members if i not in existing]
        carriers = len({article_of[i] for i in g.members})
        if g.existing_id is None:
            first = min(g.members)
            g.existing_id = _short_id("c-", keys[article_of[first]], first)
            created.append(dict(id=g.existing_id, story_id=story_id, summary=summary_of(g, vectors, found.texts), n_carriers=carriers))
        else:
            updated.append((g.existing_id, carriers))
        rows += [dict(claim_id=g.existing_id, statement_id=i, article_id=article_of[i]) for i in fresh]
    taken = {cid for chunk in chunks([c["id"] for c in created]) for cid in conn.execute(select(claims.c.id).where(claims.c.id.in_(chunk))).scalars()}
    if taken:  # a relinked statement founded a claim that lives on without it: give the new one another id
        renamed = {}
        for c in created:
            while c["id"] in taken:
                renamed[c["id"]] = c["id"] = _short_id("c-", c["id"])
        for r in rows:
            r["claim_id"] = renamed.get(r["claim_id"], r["claim_id"])
    if created:
        conn.execute(insert(claims), created)
    report.claims_created += len(created)
    if updated:
        conn.execute(sql_update(claims).where(claims.c.id == bindparam("cid")).values(n_carriers=bindparam("n")),
                     [dict(cid=cid, n=carriers) for cid, carriers in updated])
    if rows:
        conn.execute(insert(claim_statements), rows)
    report.statements += len(rows)


def _unlink(store: Store, article_ids: list[int]) -> None:
    """Take articles out of their stories and claims (before relinking them); empty stories and claims go."""
    with store.engine.begin() as conn:
        linkstate.unlink(conn, article_ids)
