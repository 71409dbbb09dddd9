"""Provenance of every claim: carriers, first, origins, contradictions, figures.

``trace(store)`` reads the linker's stories and claims and, for each claim,
answers *who carried it, who was first, what it finally rests on, who denies
it, and whether the figures agree*. It only reads the store; linking itself
(grouping articles into stories and statements into claims) is
:func:`sourcetrace.link.update` / :func:`~sourcetrace.link.rebuild`.

``first`` is the earliest dated carrier; undated carriers never win over dated
ones. Ties on the date go to the carrier the others cite most, then to the
article stored first (lowest id).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy import Connection, exists, func, or_, select

from ..store.chunks import chunks
from ..store.repository import Page
from ..store.schema import attributions, claim_statements, claims, statements, stories, story_articles
from . import contradictions as _contra
from . import figures as _figures
from .origins import OriginResolver, OutletIndex, merge_named, norm_name
from .rows import (
    ArticleRow,
    StatementRow,
    attach_chains,
    known_outlets,
    linked,
    load_articles,
    load_denials,
    load_quantities,
    load_statements,
    load_vectors,
)
from .tracemodel import (
    Carrier,
    CitationEdge,
    ClaimFigure,
    ClaimTrace,
    Contradiction,
    FigureConflict,
    FirstCarrier,
    Origin,
    StatementText,
    StoryArticle,
    StoryTrace,
    Trace,
)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _statement(st: StatementRow) -> StatementText:
    text = st.span_text if st.span_text is not None else st.text
    return StatementText(start=st.start or 0, end=st.end if st.end is not None else len(text), text=text)


def _chain_names(st: StatementRow, article: ArticleRow, resolver: OriginResolver) -> list[str]:
    return [article.outlet or "the outlet"] + [link.get("name") or "?" for link in resolver.chain_of(st)]


def _dedupe(members: list[StatementRow]) -> list[StatementRow]:
    """One carrier per stretch of an article: nested attributions of one sentence ("X reported, citing Y")
    share a content; keep the one with the fullest chain."""
    members = sorted(members, key=lambda s: (s.article_id, -len(s.chain), s.own_voice, s.id))
    kept: list[StatementRow] = []
    for s in members:
        if any(
            k.article_id == s.article_id and (k.start or 0) < (s.end or 0) and (s.start or 0) < (k.end or 0) for k in kept
        ):
            continue
        kept.append(s)
    return sorted(kept, key=lambda s: (s.article_id, s.start or 0, s.id))


def _first(carriers: list[StatementRow], articles: dict[int, ArticleRow], cited: dict[int, int]) -> StatementRow | None:
    if not carriers:
        return None

    def key(c: StatementRow):
        day = articles[c.article_id].published
        return (day is None, day or dt.date.max, -cited.get(c.article_id, 0), c.article_id, c.start or 0)

    return min(carriers, key=key)


def _origin_phrase(o: Origin) -> str:
    return o.name + (" (anonymous)" if o.anonymous else "") + (f" via {o.via}" if o.via else "")


def verdict(n_outlets: int, origins: list[Origin]) -> str:
    """"7 outlets, 1 independent origin: people familiar with the matter (anonymous) via The Ledger"."""
    k = len(origins)
    head = f"{n_outlets} outlet{'' if n_outlets == 1 else 's'}, {k} independent origin{'' if k == 1 else 's'}"
    if not origins:
        return head
    shown = ", ".join(_origin_phrase(o) for o in origins[:3])
    return f"{head}: {shown}" + (f" and {k - 3} more" if k > 3 else "")


class _Corpus:
    """Everything the claims being traced need, loaded once."""

    def __init__(self, conn: Connection, claim_rows: list[dict]):
        ids = [c["id"] for c in claim_rows]
        self.members: dict[str, list[int]] = {}
        for part in chunks(ids):
            for cid, sid in conn.execute(
                select(claim_statements.c.claim_id, claim_statements.c.statement_id).where(claim_statements.c.claim_id.in_(part))
            ):
                self.members.setdefault(cid, []).append(sid)
        self.statements = load_statements(conn, [s for v in self.members.values() for s in v])
        story_ids = sorted({c["story_id"] for c in claim_rows if c["story_id"]})
        self.story_articles: dict[str, list[int]] = {}
        for part in chunks(story_ids):
            for sid, aid in conn.execute(
                select(story_articles.c.story_id, story_articles.c.article_id).where(story_articles.c.story_id.in_(part))
            ):
                self.story_articles.setdefault(sid, []).append(aid)
        member_articles = {s.article_id for s in self.statements.values()}
        all_articles = member_articles | {a for v in self.story_articles.values() for a in v}
        self.articles = load_articles(conn, all_articles)
        self.denials: dict[int, list[StatementRow]] = {}
        denials = load_denials(conn, all_articles)
        attach_chains(conn, [*self.statements.values(), *denials])  # one read of each article's JSON
        for d in denials:
            self.denials.setdefault(d.article_id, []).append(d)
        self.quantities = load_quantities(conn, member_articles)
        self.vectors = load_vectors(conn, [*self.statements, *(d.id for d in denials)])
        self.outlets = OutletIndex(known_outlets(conn))

    def similarity(self, a: StatementRow, b: StatementRow) -> float:
        """Cosine of the linker's cached sentence vectors (0 when either was never encoded)."""
        va, vb = self.vectors.get(a.id), self.vectors.get(b.id)
        return float(va @ vb) if va is not None and vb is not None else 0.0


def _split_members(members: list[StatementRow]) -> tuple[list[StatementRow], list[StatementRow]]:
    """(carriers, denials): a member that denies what the others carry contradicts the claim instead."""
    deduped = _dedupe(members)
    denied = [m for m in deduped if m.certainty == "denied" and _contra.denial_reason(m)]
    carriers = [m for m in deduped if m not in denied] or deduped
    return carriers, [m for m in denied if m not in carriers]


def _origins_and_citations(carriers, resolutions, arts) -> tuple[list[Origin], list[CitationEdge], dict[int, int]]:
    """Distinct origins (most carriers first), citation edges, and how often each article is cited."""
    alias = merge_named([o for c in carriers for o in resolutions[c.id].origins])
    origins: dict[tuple, Origin] = {}
    edges: dict[tuple[int, int], CitationEdge] = {}
    cited_count: dict[int, int] = {}
    for c in carriers:
        a = arts[c.article_id]
        ref: str | int = a.url or a.id
        for o in resolutions[c.id].origins:
            key = alias.get(o.key, o.key)
            origin = origins.setdefault(key, Origin(name=o.name, type=o.type, anonymous=o.anonymous, via=o.via))
            if key[0] == "anonymous" and o.via and norm_name(o.via) == norm_name(a.outlet):
                origin.name = o.name  # the anonymous source as the outlet that heard it names it
            if ref not in origin.carriers:
                origin.carriers.append(ref)
        for cited in resolutions[c.id].cites:
            if cited != c.article_id and (c.article_id, cited) not in edges:
                edges[(c.article_id, cited)] = CitationEdge(
                    citing_article_id=c.article_id, citing_outlet=a.outlet, cited_article_id=cited,
                    cited_outlet=arts[cited].outlet if cited in arts else None)
                cited_count[cited] = cited_count.get(cited, 0) + 1
    ordered = sorted(origins.values(), key=lambda o: (-len(o.carriers), o.name.casefold()))
    return ordered, sorted(edges.values(), key=lambda e: (e.citing_article_id, e.cited_article_id)), cited_count


def _claim_figures(carriers: list[StatementRow], corpus: _Corpus) -> list[ClaimFigure]:
    figures, seen = [], set()
    for c in carriers:
        a = corpus.articles[c.article_id]
        for q in _figures.carrier_figures(c, corpus.quantities.get(c.article_id, [])):
            if (c.article_id, q.start, q.value) in seen:
                continue
            seen.add((c.article_id, q.start, q.value))
            figures.append(ClaimFigure(value=q.value, unit_or_thing=q.unit_or_thing, text=q.text,
                                       source=None if c.own_voice else c.source_name, outlet=a.outlet, article_id=a.id, url=a.url))
    return figures


def _by_date(rows: list[StatementRow], arts: dict[int, ArticleRow]) -> list[StatementRow]:
    def key(c):
        day = arts[c.article_id].published
        return (day is None, day or dt.date.max, c.article_id, c.start or 0)

    return sorted(rows, key=key)


def _carrier(c: StatementRow, a: ArticleRow, chain: list[str], cites: list[str]) -> Carrier:
    return Carrier(article_id=a.id, url=a.url, outlet=a.outlet, published=_iso(a.published), statement=_statement(c),
                   statement_id=c.id, source=None if c.own_voice else c.source_name,
                   source_type=None if c.own_voice else c.source_type, cue=c.cue_text, certainty=c.certainty,
                   chain=chain, cites_outlets=cites)


def _contradiction(d: StatementRow, a: ArticleRow, why: str) -> Contradiction:
    return Contradiction(article_id=a.id, url=a.url, outlet=a.outlet, published=_iso(a.published),
                         source=None if d.own_voice else d.source_name, source_type=None if d.own_voice else d.source_type,
                         certainty=d.certainty, statement=_statement(d), reason=why)


def _claim_trace(row: dict, corpus: _Corpus) -> ClaimTrace:
    arts = corpus.articles
    members = [corpus.statements[s] for s in corpus.members.get(row["id"], []) if s in corpus.statements]
    carriers, denied = _split_members([m for m in members if m.article_id in arts])
    story_arts = corpus.story_articles.get(row["story_id"], []) if row["story_id"] else []
    resolver = OriginResolver(carriers, arts, corpus.outlets, story_arts or {c.article_id for c in carriers})
    resolutions = {c.id: resolver.resolve(c) for c in carriers}
    origins, citations, cited_count = _origins_and_citations(carriers, resolutions, arts)
    first = _first(carriers, arts, cited_count)
    figures = _claim_figures(carriers, corpus)
    conflicts = _figures.conflicts([(f.value, f.unit_or_thing) for f in figures])
    denials = [d for aid in story_arts for d in corpus.denials.get(aid, [])] + denied
    contra = _contra.contradictions(carriers, denials, similarity=corpus.similarity if corpus.vectors else None)
    n_outlets = len({norm_name(arts[c.article_id].outlet) or f"#{c.article_id}" for c in carriers})
    fa = arts[first.article_id] if first else None
    return ClaimTrace(
        id=row["id"],
        story_id=row["story_id"],
        summary=row["summary"] or (carriers[0].text if carriers else ""),
        carriers=[_carrier(c, arts[c.article_id], _chain_names(c, arts[c.article_id], resolver), resolutions[c.id].cites_outlets)
                  for c in _by_date(carriers, arts)],
        first=FirstCarrier(article_id=fa.id, url=fa.url, outlet=fa.outlet, published=_iso(fa.published)) if fa else None,
        origins=origins,
        independent_origins=len(origins),
        single_origin=len(origins) == 1,
        citations=citations,
        contradicted_by=[_contradiction(d, arts[d.article_id], why) for d, why in contra],
        figures=figures,
        conflicting_figures=bool(conflicts),
        figure_conflicts=[FigureConflict(unit_or_thing=k, values=v) for k, v in conflicts],
        outlets=n_outlets,
        verdict=verdict(n_outlets, origins),
    )


def _claim_rows(conn: Connection, *, query: str | None, story_id: str | None, claim_id: str | None,
                limit: int | None = None, offset: int = 0, claim_ids: list[str] | None = None,
                count: bool = True) -> tuple[int | None, list[dict]]:
    """The claims matching the filters, the most carried first, and how many match in all (None if not ``count``)."""
    where = []
    if claim_id is not None:
        where.append(claims.c.id == claim_id)
    if claim_ids is not None:
        where.append(claims.c.id.in_(claim_ids))
    if story_id is not None:
        where.append(claims.c.story_id == story_id)
    for word in (query or "").split():
        like = f"%{word.casefold()}%"
        member = (
            select(claim_statements.c.claim_id)
            .select_from(claim_statements.join(statements, statements.c.id == claim_statements.c.statement_id))
            .where(claim_statements.c.claim_id == claims.c.id, func.lower(statements.c.text).like(like))
        )
        where.append(or_(func.lower(claims.c.summary).like(like), exists(member)))
    total = conn.execute(select(func.count()).select_from(claims).where(*where)).scalar_one() if count else None
    q = (
        select(claims.c.id, claims.c.story_id, claims.c.summary, claims.c.n_carriers)
        .where(*where)
        .order_by(claims.c.n_carriers.desc(), claims.c.id)
        .offset(offset)
    )
    if limit is not None:
        q = q.limit(limit)
    return total, [dict(r) for r in conn.execute(q).mappings()]


def _story_traces(conn: Connection, story_ids: list[str] | None, claim_ids: dict[str, list[str]]) -> list[StoryTrace]:
    q = select(story_articles.c.story_id, story_articles.c.article_id)
    members: dict[str, list[int]] = {}
    if story_ids is None:
        rows = conn.execute(q)
    else:
        rows = [r for part in chunks(story_ids) for r in conn.execute(q.where(story_articles.c.story_id.in_(part)))]
    for sid, aid in rows:
        members.setdefault(sid, []).append(aid)
    arts = load_articles(conn, {a for v in members.values() for a in v})
    out = []
    for sid in sorted(members if story_ids is None else [s for s in story_ids if s in members]):
        items = sorted((arts[a] for a in members[sid] if a in arts), key=lambda a: (a.published is None, a.published or dt.date.max, a.id))
        out.append(StoryTrace(id=sid, claims=claim_ids.get(sid, []), articles=[
            StoryArticle(article_id=a.id, url=a.url, outlet=a.outlet, published=_iso(a.published), title=a.title) for a in items]))
    return out


def trace(store, *, query: str | None = None, story_id: str | None = None, claim_id: str | None = None) -> Trace:
    """Stories and claims with full provenance: the whole corpus, or those matching the filters.

    ``query``: words every returned claim's summary or one of its statements contains.
    """
    with store.engine.connect() as conn:
        if not linked(conn):
            return Trace()
        _, rows = _claim_rows(conn, query=query, story_id=story_id, claim_id=claim_id)
        corpus = _Corpus(conn, rows)
        traced = [_claim_trace(r, corpus) for r in rows]
        by_story: dict[str, list[str]] = {}
        for c in traced:
            if c.story_id:
                by_story.setdefault(c.story_id, []).append(c.id)
        if query is None and claim_id is None:
            story_ids = None if story_id is None else [story_id]
        else:
            story_ids = sorted(by_story)
        stories_out = _story_traces(conn, story_ids, by_story)
    return Trace(stories=stories_out, claims=traced)


def get_claim(store, claim_id: str) -> ClaimTrace | None:
    found = trace(store, claim_id=claim_id).claims
    return found[0] if found else None


def get_story(store, story_id: str) -> StoryTrace | None:
    with store.engine.connect() as conn:
        if not linked(conn):
            return None
        _, rows = _claim_rows(conn, query=None, story_id=story_id, claim_id=None, count=False)
        found = _story_traces(conn, [story_id], {story_id: [r["id"] for r in rows]})
    return found[0] if found else None


def get_story_with_claims(store, story_id: str, *, per_page: int = 20) -> tuple[StoryTrace, Page[ClaimTrace]] | None:
    """:func:`get_story` and the first page of :func:`list_claims` for it, from one read of the story's claims."""
    with store.engine.connect() as conn:
        if not linked(conn):
            return None
        _, rows = _claim_rows(conn, query=None, story_id=story_id, claim_id=None, count=False)
        found = _story_traces(conn, [story_id], {story_id: [r["id"] for r in rows]})
        if not found:
            return None
        shown = rows[:per_page]
        corpus = _Corpus(conn, shown)
        items = [_claim_trace(r, corpus) for r in shown]
    return found[0], Page(total=len(rows), page=1, per_page=per_page, items=items)


def list_stories(store, *, page: int = 1, per_page: int = 20) -> Page[StoryTrace]:
    """Stories, the most articles first."""
    with store.engine.connect() as conn:
        if not linked(conn):
            return Page(total=0, page=page, per_page=per_page, items=[])
        total = conn.execute(select(func.count()).select_from(stories)).scalar_one()
        ids = [r[0] for r in conn.execute(
            select(stories.c.id).order_by(stories.c.n_articles.desc(), stories.c.id).limit(per_page).offset((page - 1) * per_page))]
        claim_ids: dict[str, list[str]] = {}
        for part in chunks(ids):
            for cid, sid in conn.execute(select(claims.c.id, claims.c.story_id).where(claims.c.story_id.in_(part)).order_by(claims.c.n_carriers.desc(), claims.c.id)):
                claim_ids.setdefault(sid, []).append(cid)
        items = {s.id: s for s in _story_traces(conn, ids, claim_ids)}
    return Page(total=total, page=page, per_page=per_page, items=[items[i] for i in ids if i in items])


def list_claims(store, *, query: str | None = None, story_id: str | None = None, page: int = 1, per_page: int = 20) -> Page[ClaimTrace]:
    """Claims with their provenance, the most carried first."""
    with store.engine.connect() as conn:
        if not linked(conn):
            return Page(total=0, page=page, per_page=per_page, items=[])
        total, rows = _claim_rows(conn, query=query, story_id=story_id, claim_id=None, limit=per_page, offset=(page - 1) * per_page)
        corpus = _Corpus(conn, rows)
        items = [_claim_trace(r, corpus) for r in rows]
    return Page(total=total, page=page, per_page=per_page, items=items)


class ClaimRef(BaseModel):
    """What the article view says beside one statement: its claim and who else carries it."""

    claim_id: str
    other_outlets: int  # outlets other than this article's that carry the claim
    first_outlet: str | None = None
    first_published: str | None = None
    first_article_id: int | None = None
    is_first: bool = False
    verdict: str = ""


def claims_of_article(store, article_id: int) -> dict[str, ClaimRef]:
    """Claim of each statement of one article, keyed ``"att:<attribution id>"`` or ``"st:<statement id>"``."""
    with store.engine.connect() as conn:
        if not linked(conn):
            return {}
        rows = conn.execute(
            select(claim_statements.c.claim_id, statements.c.statement_local_id, attributions.c.local_id)
            .select_from(claim_statements.join(statements, statements.c.id == claim_statements.c.statement_id)
                         .outerjoin(attributions, attributions.c.id == statements.c.attribution_id))
            .where(claim_statements.c.article_id == article_id)
        ).all()
        if not rows:
            return {}
        _, claim_rows = _claim_rows(conn, query=None, story_id=None, claim_id=None, claim_ids=sorted({r[0] for r in rows}))
        corpus = _Corpus(conn, claim_rows)
        traced = {r["id"]: _claim_trace(r, corpus) for r in claim_rows}
    out: dict[str, ClaimRef] = {}
    for claim_id, st_local, att_local in rows:
        c = traced.get(claim_id)
        if c is None:
            continue
        own = next((x.outlet for x in c.carriers if x.article_id == article_id), None)
        others = {norm_name(x.outlet) or f"#{x.article_id}" for x in c.carriers if x.article_id != article_id and
                  (not own or norm_name(x.outlet) != norm_name(own))}
        ref = ClaimRef(claim_id=claim_id, other_outlets=len(others), verdict=c.verdict,
                       first_outlet=c.first.outlet if c.first else None, first_published=c.first.published if c.first else None,
                       first_article_id=c.first.article_id if c.first else None,
                       is_first=bool(c.first and c.first.article_id == article_id))
        out[f"att:{att_local}" if att_local else f"st:{st_local}"] = ref
    return out
