"""Figures a claim's carriers give, with who gives them, and whether they disagree.

A figure belongs to a carrier when its span lies inside the carrier's
statement. Two figures count the same thing when their ``unit_or_thing``
has the same head noun once singular ("tanks" / "battle tanks" / "tank";
"people" / "persons"): different values for the same thing are a conflict
(120 vs 150 tanks; 8 vs 14 people injured).
"""

from __future__ import annotations

from .rows import QuantityRow, StatementRow

_SAME = {"persons": "people", "person": "people", "individuals": "people", "individual": "people"}


def thing_key(unit_or_thing: str | None) -> str | None:
    """The head noun of what is counted, singular: "battle tanks" → "tank"."""
    if not unit_or_thing or not unit_or_thing.strip():
        return None
    head = unit_or_thing.casefold().split()[-1].strip(".,;:")
    head = _SAME.get(head, head)
    if head.endswith("ies") and len(head) > 4:
        return head[:-3] + "y"
    if head.endswith("s") and not head.endswith("ss") and len(head) > 3:
        return head[:-1]
    return head


def carrier_figures(carrier: StatementRow, quantities: list[QuantityRow]) -> list[QuantityRow]:
    if carrier.start is None or carrier.end is None:
        return [q for q in quantities if carrier.attribution_local_id and q.attribution_local_id == carrier.attribution_local_id]
    return [
        q
        for q in quantities
        if (q.start is not None and q.end is not None and carrier.start <= q.start and q.end <= carrier.end)
        or (carrier.attribution_local_id and q.attribution_local_id == carrier.attribution_local_id)
    ]


def conflicts(figures: list[tuple[float, str | None]]) -> list[tuple[str, list[float]]]:
    """(thing, sorted distinct values) for each thing counted with more than one value."""
    by_thing: dict[str, set[float]] = {}
    for value, thing in figures:
        key = thing_key(thing)
        if key is not None:
            by_thing.setdefault(key, set()).add(round(value, 6))
    return [(k, sorted(v)) for k, v in sorted(by_thing.items()) if len(v) > 1]
