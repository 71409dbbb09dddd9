"""The outlet-citation graph of one claim, laid out for the same SVG as the article graph.

Carriers are boxes labelled with their outlet; an arrow runs from each carrier
to the outlet article it cites, and from each carrier that cites no corpus
outlet to the origin it rests on. Columns follow the citations, so the
origins end up on the right: read left to right, it is "who relayed whom".
An outlet that says the claim in its own voice is its own origin (no arrow).
"""

from __future__ import annotations

from ..link.tracemodel import ClaimTrace
from .graph import COL_W, NODE_H, NODE_W, PAD, ROW_H, Edge, Graph, Node


def claim_graph(claim: ClaimTrace) -> Graph | None:
    if not claim.carriers:
        return None
    nodes: dict[str, Node] = {}
    arrows: dict[tuple[str, str], int] = {}
    for c in claim.carriers:
        nodes.setdefault(f"a{c.article_id}", Node(f"a{c.article_id}", c.outlet or f"article {c.article_id}", "media", 0))
    citing = set()
    for e in claim.citations:
        a, b = f"a{e.citing_article_id}", f"a{e.cited_article_id}"
        if b not in nodes:
            nodes[b] = Node(b, e.cited_outlet or f"article {e.cited_article_id}", "media", 0)
        arrows[(a, b)] = arrows.get((a, b), 0) + 1
        citing.add(a)
    by_ref = {c.url or c.article_id: f"a{c.article_id}" for c in claim.carriers}
    for i, o in enumerate(claim.origins):
        for ref in o.carriers:
            a = by_ref.get(ref)
            if a is None or a in citing:
                continue
            if o.type == "media" and not o.anonymous and nodes[a].name == o.name:
                continue  # its own voice: the outlet is the origin
            key = f"o{i}"
            label = o.name + (f" via {o.via}" if o.via else "")
            nodes.setdefault(key, Node(key, label, "anonymous" if o.anonymous else o.type, 0))
            arrows[(a, key)] = arrows.get((a, key), 0) + 1
    _layout(nodes, arrows)
    edges = [Edge(nodes[a], nodes[b], n) for (a, b), n in arrows.items()]
    columns: dict[int, int] = {}
    for node in nodes.values():
        node.row = columns.get(node.depth, 0)
        columns[node.depth] = node.row + 1
    width = PAD * 2 + max(columns) * COL_W + NODE_W
    height = PAD * 2 + (max(columns.values()) - 1) * ROW_H + NODE_H
    return Graph(list(nodes.values()), edges, width, height)


def _layout(nodes: dict[str, Node], arrows: dict[tuple[str, str], int]) -> None:
    """Column = how many hops the node sits before the end of its longest path (sinks on the right)."""
    out: dict[str, list[str]] = {}
    for a, b in arrows:
        out.setdefault(a, []).append(b)
    height: dict[str, int] = {}

    def h(key: str, seen: frozenset) -> int:
        if key in height:
            return height[key]
        nxt = [b for b in out.get(key, []) if b not in seen]
        value = 1 + max((h(b, seen | {key}) for b in nxt), default=-1)
        height[key] = value
        return value

    top = max((h(k, frozenset()) for k in nodes), default=0)
    for k, node in nodes.items():
        node.depth = top - height[k]
