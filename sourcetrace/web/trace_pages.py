"""Story and claim pages: the provenance of a claim, drawn from the same functions as ``/claims``.

The claim page shows the carriers as a timeline by date (the first marked),
the outlet-citation graph, the origins with the single-origin case stated in
one sentence, the contradicting statements and the figures side by side.
"""

from __future__ import annotations

import itertools

from fastapi import APIRouter, Query, Request

from ..link import provenance
from ..link.tracemodel import ClaimTrace
from .claim_graph import claim_graph


def figure_rows(claim: ClaimTrace) -> list[tuple[str, bool, list]]:
    """Figures grouped by what they count: (thing, conflicting?, figures), conflicting things first."""
    from ..link.figures import thing_key

    conflicting = {c.unit_or_thing for c in claim.figure_conflicts}
    groups: dict[str, list] = {}
    for f in claim.figures:
        groups.setdefault(thing_key(f.unit_or_thing) or "other", []).append(f)
    return sorted(((k, k in conflicting, v) for k, v in groups.items()), key=lambda g: (not g[1], g[0]))


def add_trace_routes(router: APIRouter, store, page) -> None:
    @router.get("/stories", name="web-stories")
    def stories(request: Request, page_no: int = Query(1, alias="page", ge=1, le=100_000)):
        listing = provenance.list_stories(store, page=page_no, per_page=25)
        return page(request, "stories.html", listing=listing)

    @router.get("/stories/{story_id}", name="web-story")
    def story(request: Request, story_id: str):
        found = provenance.get_story_with_claims(store, story_id, per_page=100) if len(story_id) <= 40 else None
        if found is None:
            return page(request, "message.html", status_code=404, heading="No such story",
                        error=f"There is no story {story_id!r}; see the list of stories.")
        story, claims = found
        return page(request, "story.html", story=story, claims=claims.items, more_claims=max(0, claims.total - len(claims.items)))

    @router.get("/claims/{claim_id}", name="web-claim")
    def claim(request: Request, claim_id: str):
        found = provenance.get_claim(store, claim_id) if len(claim_id) <= 40 else None
        if found is None:
            return page(request, "message.html", status_code=404, heading="No such claim",
                        error=f"There is no claim {claim_id!r}; open a story to see its claims.")
        days = [(day, list(group)) for day, group in itertools.groupby(found.carriers, key=lambda c: c.published)]
        return page(request, "claim.html", claim=found, days=days, graph=claim_graph(found), figure_groups=figure_rows(found))
