"""Average-link clustering over a sparse candidate graph, with existing groups frozen.

Both stories (sparse term vectors) and claims (dense sentence vectors) are
grouped this way. For unit vectors the average pairwise similarity of two
groups is ``sum(A) . sum(B) / (|A| |B|)``, so each group keeps the sum of its
members and a merge costs one dot product. Pairs are merged best first while
that average stays over the threshold; average link does not chain (A~B~C
with A and C unlike stays apart unless the whole group is alike).

Groups that already exist (stored stories or claims) are frozen: new items may
join them or form new groups, but two existing groups never merge, so an
incremental run keeps every id and never reshuffles what was there. A frozen
group can come as its stored sum and size (``frozen``), so an update need not
read its members.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Group:
    key: int
    members: list[int]
    total: object
    existing_id: str | None = None  # the stored story or claim this group is
    size: int = 0  # members, counting those of a frozen group given only by its sum
    version: int = 0
    adjacent: set[int] = field(default_factory=set)


def agglomerate(vectors: dict, existing: dict[int, str], new: list[int], neighbours: dict[int, list[int]],
                threshold: float, *, dot: Callable, add: Callable, zero: Callable,
                allowed: Callable[[Group, Group], bool] | None = None,
                frozen: dict[str, tuple[object, int]] | None = None) -> list[Group]:
    """Groups holding at least one of ``new``.

    vectors: item -> unit vector; existing: item -> id of its frozen group;
    neighbours: new item -> candidate items (new or existing); allowed(a, b):
    an extra veto on a merge; frozen: group id -> (sum of its members' vectors,
    member count), which then stands for the group (its items in ``existing``
    only say which group a neighbour is in, and need no vector).
    """
    frozen = frozen or {}
    groups: dict[int, Group] = {}
    of: dict[int, int] = {}
    by_id: dict[str, int] = {}
    for item, gid in existing.items():
        key = by_id.get(gid)
        if key is None:
            key = by_id[gid] = -len(by_id) - 1
            total, size = frozen.get(gid, (zero(), 0))
            groups[key] = Group(key, [], total, existing_id=gid, size=size)
        g = groups[key]
        g.members.append(item)
        if gid not in frozen:
            g.total = add(g.total, vectors[item])
            g.size += 1
        of[item] = key
    for item in new:
        groups[item] = Group(item, [item], add(zero(), vectors[item]), size=1)
        of[item] = item

    heap: list = []

    def push(a: Group, b: Group) -> None:
        if a.existing_id is not None and b.existing_id is not None:
            return
        if allowed is not None and not allowed(a, b):
            return
        score = float(dot(a.total, b.total)) / (a.size * b.size)
        if score >= threshold:
            heapq.heappush(heap, (-score, a.key, b.key, a.version, b.version))

    for item in new:
        for other in neighbours.get(item, []):
            if other == item or other not in of:
                continue
            a, b = groups[of[item]], groups[of[other]]
            if a is b or b.key in a.adjacent:
                continue
            a.adjacent.add(b.key)
            b.adjacent.add(a.key)
            push(a, b)
    while heap:
        _, ka, kb, va, vb = heapq.heappop(heap)
        a, b = groups.get(ka), groups.get(kb)
        if a is None or b is None or a.version != va or b.version != vb:
            continue
        if b.existing_id is not None:  # the frozen group survives
            a, b = b, a
        a.members += b.members
        a.size += b.size
        a.total = add(a.total, b.total)
        a.version += 1
        del groups[b.key]
        a.adjacent = (a.adjacent | b.adjacent) - {a.key, b.key}
        for k in a.adjacent:
            other = groups[k]
            other.adjacent.discard(b.key)
            other.adjacent.add(a.key)
            push(a, other)
    new_set = set(new)
    return [g for g in groups.values() if new_set.intersection(g.members)]
