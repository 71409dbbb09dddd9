"""The typed shape of ``sourcetrace trace --json``, ``/stories`` and ``/claims``.

This is a public contract: users' scripts read it. Keep every field that is
here (add new ones freely); ``statement.start/end`` are offsets into the stored
article's text and ``statement.text`` is that text.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StoryArticle(_Model):
    article_id: int
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # YYYY-MM-DD
    title: str | None = None


class StoryTrace(_Model):
    """Articles that report the same real-world event."""

    id: str
    articles: list[StoryArticle] = Field(default_factory=list)
    claims: list[str] = Field(default_factory=list, description="Ids of the claims in this story.")


class StatementText(_Model):
    start: int
    end: int
    text: str


class Carrier(_Model):
    """One article carrying the claim, and how it attributes it."""

    article_id: int
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    statement: StatementText
    statement_id: int | None = None
    source: str | None = Field(None, description="Who the article says it (null: the outlet's own voice).")
    source_type: str | None = None
    cue: str | None = None
    certainty: str
    chain: list[str] = Field(default_factory=list, description="Outlet first, then each source it passes through.")
    cites_outlets: list[str] = Field(default_factory=list, description="Outlets in the corpus this carrier cites.")


class FirstCarrier(_Model):
    article_id: int
    url: str | None = None
    outlet: str | None = None
    published: str | None = None


class Origin(_Model):
    """A root source once chains and outlet citations are followed to their end."""

    name: str
    type: str
    anonymous: bool
    via: str | None = Field(None, description="The outlet that heard the origin (anonymous origins are known only through it).")
    carriers: list[str | int] = Field(default_factory=list, description="Each carrier resting on this origin: its url, or its article id.")


class CitationEdge(_Model):
    """``citing`` reported the claim citing ``cited``, whose own article is in the corpus."""

    citing_article_id: int
    citing_outlet: str | None = None
    cited_article_id: int
    cited_outlet: str | None = None


class Contradiction(_Model):
    article_id: int
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    source: str | None = None
    source_type: str | None = None
    certainty: str | None = None
    statement: StatementText
    reason: str = Field("", description="Why it counts as contradicting: the denial cue or certainty found.")


class ClaimFigure(_Model):
    value: float
    unit_or_thing: str | None = None
    text: str | None = None
    source: str | None = Field(None, description="Who gives it (null: the outlet's own voice).")
    outlet: str | None = None
    article_id: int | None = None
    url: str | None = None


class FigureConflict(_Model):
    unit_or_thing: str
    values: list[float]


class ClaimTrace(_Model):
    id: str
    story_id: str | None = None
    summary: str
    carriers: list[Carrier] = Field(default_factory=list)
    first: FirstCarrier | None = None
    origins: list[Origin] = Field(default_factory=list)
    independent_origins: int = 0
    single_origin: bool = False
    citations: list[CitationEdge] = Field(default_factory=list, description="The outlet-citation graph among the carriers.")
    contradicted_by: list[Contradiction] = Field(default_factory=list)
    figures: list[ClaimFigure] = Field(default_factory=list)
    conflicting_figures: bool = False
    figure_conflicts: list[FigureConflict] = Field(default_factory=list)
    outlets: int = Field(0, description="Distinct outlets among the carriers.")
    verdict: str = Field("", description="One plain sentence: how many outlets rest on how many independent origins.")


class Trace(_Model):
    """What ``sourcetrace trace --json`` prints: stories and their claims."""

    stories: list[StoryTrace] = Field(default_factory=list)
    claims: list[ClaimTrace] = Field(default_factory=list)


TRACE_SCHEMA_VERSION = "1.0"


def trace_json_schema() -> dict:
    """The published JSON Schema of ``sourcetrace trace --json`` (schema/trace.schema.json)."""
    schema = Trace.model_json_schema()
    schema["$id"] = f"https://sourcetrace.invalid/schema/trace-{TRACE_SCHEMA_VERSION}.json"
    schema["title"] = "sourcetrace Trace"
    return schema
