"""Turn an Article into what the page draws: marked-up paragraphs, source groups, figures.

Pure functions over :mod:`sourcetrace.model`, so the templates stay dumb and
the logic is unit-testable without a browser. Every field the claim stage
fills may be empty; each helper falls back to what the attributions alone say.
Nothing here produces HTML: the Jinja templates escape every piece of text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Article, Attribution, SourceType
from ..nlp.span_index import SpanIndex

ROLES = ("source", "cue", "content", "hedge")


@dataclass
class Segment:
    text: str
    roles: tuple[str, ...] = ()  # subset of ROLES, drives CSS classes
    starts: tuple[str, ...] = ()  # roles whose span begins here (labelled once)


@dataclass
class AttributionInfo:
    id: str
    chain: list[str]  # outlet first, origin last
    source_name: str
    source_type: str
    certainty: str
    markers: list[str]
    content_kind: str


@dataclass
class Unit:
    """A statement (or, without statements, a paragraph) the reader can focus."""

    id: str | None
    segments: list[Segment]
    own_voice: bool | None = None  # None: not a statement (no claim data)
    certainty: str | None = None
    markers: list[str] = field(default_factory=list)
    attributions: list[AttributionInfo] = field(default_factory=list)

    @property
    def focusable(self) -> bool:
        return self.id is not None and (self.own_voice is not None or bool(self.attributions))


@dataclass
class SourceRow:
    id: str | None
    name: str
    type: str
    role: str | None
    statements: int


def outlet_name(article: Article) -> str:
    return article.outlet or "the outlet"


def _source_names(article: Article) -> dict[str, tuple[str, str]]:
    return {s.id: (s.name, s.type.value) for s in article.sources}


def describe(article: Article, att: Attribution) -> AttributionInfo:
    """Chain, source and certainty of one attribution as display strings."""
    names = _source_names(article)
    span_text = " … ".join(s.text for s in att.source) or "unattributed"
    if att.source_id in names:
        name, stype = names[att.source_id]
    elif att.chain:
        name, stype = att.chain[-1].name, att.chain[-1].type.value
    else:
        name, stype = span_text, SourceType.unknown.value
    chain = [outlet_name(article)] + ([link.name for link in att.chain] or [name])
    return AttributionInfo(
        id=att.id,
        chain=chain,
        source_name=name,
        source_type=stype,
        certainty=att.certainty.value,
        markers=[m.span.text for m in att.certainty_markers],
        content_kind=att.content_kind.value,
    )


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip():
            spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans


def _role_spans(article: Article) -> list[tuple[int, int, str]]:
    spans = []
    for att in article.attributions:
        for role in ("source", "cue", "content"):
            spans += [(s.start, s.end, role) for s in getattr(att, role)]
        spans += [(m.span.start, m.span.end, "hedge") for m in att.certainty_markers]
    for st in article.statements:
        spans += [(m.span.start, m.span.end, "hedge") for m in st.certainty_markers]
    return [(s, e, r) for s, e, r in spans if e > s]


def _segments(text: str, start: int, end: int, spans: list[tuple[int, int, str]]) -> list[Segment]:
    cuts = {start, end}
    for s, e, _ in spans:
        cuts.update(c for c in (s, e) if start < c < end)
    edges = sorted(cuts)
    out = []
    for a, b in zip(edges, edges[1:]):
        covering = [(s, r) for s, e, r in spans if s < b and e > a]
        roles = tuple(r for r in ROLES if any(rr == r for _, rr in covering))
        starts = tuple(r for r in ROLES if any(rr == r and s == a for s, rr in covering))
        out.append(Segment(text[a:b], roles, starts))
    return out


def paragraphs(article: Article) -> list[list[Unit]]:
    """The body as paragraphs of focusable units, each cut into role-marked segments."""
    text, spans = article.text, sorted(_role_spans(article))
    # Each unit looks only at the spans near it (indexed): all spans for every unit was quadratic (#11).
    near = SpanIndex.of_ranges((x[0], x[1], x) for x in spans).overlapping_range
    atts = {a.id: a for a in article.attributions}
    statements = sorted(article.statements, key=lambda s: s.span.start)
    result, seen = [], set()
    for n, (p_start, p_end) in enumerate(_paragraphs(text)):
        units: list[tuple[int, int, Unit]] = []
        for st in statements:
            s, e = max(st.span.start, p_start), min(st.span.end, p_end)
            if s >= e:
                continue
            infos = [describe(article, atts[i]) for i in st.attribution_ids if i in atts]
            markers = [m.span.text for m in st.certainty_markers]
            uid = st.id if st.id not in seen else f"{st.id}-p{n}"  # a statement cut by a line break
            seen.add(uid)
            units.append((s, e, Unit(uid, [], st.own_voice, st.certainty.value, markers, infos)))
        if not article.statements:  # no claim data: the paragraph is the unit
            infos = [
                describe(article, a)
                for a in article.attributions
                if any(p_start <= sp.start < p_end for sp in a.cue + a.source + a.content)
            ]
            units.append((p_start, p_end, Unit(f"p{n}", [], None, None, [], infos)))
        filled, pos = [], p_start
        for s, e, unit in units:
            if s < pos:  # overlapping statements: keep the text once
                s = pos
                if s >= e:
                    continue
            if s > pos:
                filled.append(Unit(None, _segments(text, pos, s, near(pos, s))))
            unit.segments = _segments(text, s, e, near(s, e))
            filled.append(unit)
            pos = e
        if pos < p_end:
            filled.append(Unit(None, _segments(text, pos, p_end, near(pos, p_end))))
        result.append(filled)
    return result


def source_groups(article: Article) -> dict[str, list[SourceRow]]:
    """Sources grouped as named / anonymous / documents, most-cited first."""
    groups: dict[str, list[SourceRow]] = {"named": [], "anonymous": [], "documents": []}
    if article.sources:
        counts: dict[str, int] = {}
        for a in article.attributions:
            if a.source_id:
                counts[a.source_id] = counts.get(a.source_id, 0) + 1
        for s in article.sources:
            key = (
                "anonymous"
                if s.anonymous or s.type is SourceType.anonymous
                else "documents" if s.type is SourceType.document else "named"
            )
            groups[key].append(SourceRow(s.id, s.name, s.type.value, s.role, counts.get(s.id, 0)))
    else:  # no resolved entities: group the attributions by their source words
        rows: dict[str, SourceRow] = {}
        for a in article.attributions:
            name = " … ".join(sp.text for sp in a.source)
            if not name:
                continue
            row = rows.setdefault(name.lower(), SourceRow(None, name, SourceType.unknown.value, None, 0))
            row.statements += 1
        groups["named"] = list(rows.values())
    for rows_ in groups.values():
        rows_.sort(key=lambda r: (-r.statements, r.name.lower()))
    return groups


@dataclass
class Figure:
    text: str
    value: float
    qualifier: str | None
    thing: str | None
    given_by: str  # chain as a string, or the outlet's own voice


def figures(article: Article) -> list[Figure]:
    atts = {a.id: a for a in article.attributions}
    out = []
    for q in sorted(article.quantities, key=lambda q: q.span.start):
        if q.attribution_id in atts:
            given_by = " ← ".join(describe(article, atts[q.attribution_id]).chain)
        else:
            given_by = f"{outlet_name(article)} (own voice)"
        out.append(Figure(q.span.text, q.value, q.qualifier, q.unit_or_thing, given_by))
    return out
