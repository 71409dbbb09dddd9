"""Who cites whom in one article, laid out as columns for a server-rendered SVG.

The outlet is the root; every attribution contributes the path
outlet → chain[0] → … → origin (or outlet → its source when no chain was
resolved). Nodes sit in the column of their deepest position, so the picture
reads left to right like the chain strings in the article view.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Article
from .view import outlet_name

COL_W, NODE_W, NODE_H, ROW_H, PAD = 210, 170, 34, 48, 10
MAX_LABEL = 21


@dataclass
class Node:
    key: str
    name: str
    type: str
    depth: int
    row: int = 0

    @property
    def label(self) -> str:
        return self.name if len(self.name) <= MAX_LABEL else self.name[: MAX_LABEL - 1] + "…"

    @property
    def x(self) -> int:
        return PAD + self.depth * COL_W

    @property
    def y(self) -> int:
        return PAD + self.row * ROW_H


@dataclass
class Edge:
    parent: Node
    child: Node
    count: int

    @property
    def path(self) -> str:
        x1, y1 = self.parent.x + NODE_W, self.parent.y + NODE_H // 2
        x2, y2 = self.child.x - 4, self.child.y + NODE_H // 2
        mid = (x1 + x2) // 2
        return f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}"


@dataclass
class Graph:
    nodes: list[Node]
    edges: list[Edge]
    width: int
    height: int
    node_w: int = NODE_W
    node_h: int = NODE_H


def _paths(article: Article) -> list[list[tuple[str, str, str]]]:
    """(key, name, type) from the outlet down, one path per attribution."""
    names = {s.id: s for s in article.sources}
    root = ("outlet", outlet_name(article), "media")
    paths = []
    for a in article.attributions:
        if a.chain:
            steps = [(link.source_id or link.name.lower(), link.name, link.type.value) for link in a.chain]
        elif a.source_id in names:
            s = names[a.source_id]
            steps = [(s.id, s.name, s.type.value)]
        elif a.source:
            name = " … ".join(sp.text for sp in a.source)
            steps = [(name.lower(), name, "unknown")]
        else:
            continue
        paths.append([root] + steps)
    return paths


def chain_graph(article: Article) -> Graph | None:
    paths = _paths(article)
    if not paths:
        return None
    nodes: dict[str, Node] = {}
    counts: dict[tuple[str, str], int] = {}
    for path in paths:
        for depth, (key, name, typ) in enumerate(path):
            node = nodes.setdefault(key, Node(key, name, typ, depth))
            node.depth = max(node.depth, depth)
        for (a, *_), (b, *_) in zip(path, path[1:]):
            if a != b:
                counts[(a, b)] = counts.get((a, b), 0) + 1
    columns: dict[int, int] = {}
    for node in nodes.values():  # insertion order = order of first mention
        node.row = columns.get(node.depth, 0)
        columns[node.depth] = node.row + 1
    edges = [Edge(nodes[a], nodes[b], n) for (a, b), n in counts.items()]
    width = PAD * 2 + max(columns) * COL_W + NODE_W
    height = PAD * 2 + (max(columns.values()) - 1) * ROW_H + NODE_H
    return Graph(list(nodes.values()), edges, width, height)
