"""The one data model every stage speaks.

An :class:`Article` goes in at ingest with its text and metadata and comes out
of the pipeline carrying attributions (who says what), the source entities
behind them, certainty, quantities and dates. Every span is a pair of
character offsets into ``Article.text`` (end exclusive), so any stage, the
store and the web page can point back at the exact words.

The JSON Schema of :class:`Article` is published in ``schema/article.schema.json``
(regenerate with ``sourcetrace schema``); bump :data:`SCHEMA_VERSION` whenever
a field changes meaning or is removed.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class Span(_Model):
    """A contiguous stretch of ``Article.text``: ``text[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str = ""

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(start=start, end=end, text=text[start:end])


class ContentKind(str, Enum):
    direct = "direct"  # wholly inside quotation marks
    indirect = "indirect"  # paraphrase, no quotation marks
    mixed = "mixed"  # partly quoted


class SourceType(str, Enum):
    person = "person"
    organisation = "organisation"
    government = "government"  # governments, ministries, militaries, officials speaking for a state
    media = "media"
    anonymous = "anonymous"
    document = "document"  # reports, estimates, statements, polls, filings
    unknown = "unknown"


class Certainty(str, Enum):
    asserted = "asserted"  # the outlet says it in its own voice
    reported = "reported"  # attributed with a neutral cue (said, stated)
    hedged = "hedged"  # reportedly, allegedly, apparently, claimed ...
    conditional = "conditional"  # if true, could, would
    denied = "denied"  # denied, contested, neither confirmed nor denied
    predicted = "predicted"  # will, expects, is set to


class CertaintyMarker(_Model):
    """A word or phrase that moves a statement away from a plain assertion."""

    span: Span
    kind: Certainty
    distancing: bool = False  # a cue verb that distances the reporter (claimed, alleged, insisted)


class Quantity(_Model):
    span: Span
    value: float
    qualifier: str | None = None  # over, around, at least, up to ...
    unit_or_thing: str | None = None  # casualties, tanks, kg, kilometers ...
    attribution_id: str | None = None  # the attribution whose content holds it


class DateMention(_Model):
    span: Span
    resolved: str | None = None  # ISO date "2024-11-22" or range "2024-08-01/2024-08-31"
    granularity: str | None = None  # day, week, month, season, year


class Source(_Model):
    """One source entity in an article, with every mention that refers to it."""

    id: str
    name: str  # the fullest name the article gives ("Vladimir Putin")
    type: SourceType = SourceType.unknown
    role: str | None = None  # title or role given in the text ("Russian President")
    anonymous: bool = False
    mentions: list[Span] = Field(default_factory=list)


class ChainLink(_Model):
    source_id: str
    name: str
    type: SourceType = SourceType.unknown


class Attribution(_Model):
    """One act of reported speech: a source, a cue and a content.

    Each role is a list of spans because PolNeAR (and real prose) splits them:
    ``"X," she said, "Y"`` has one content in two pieces. ``source`` is empty
    when the text gives none ("it is understood that ...").
    """

    id: str
    source: list[Span] = Field(default_factory=list)
    cue: list[Span] = Field(default_factory=list)
    content: list[Span] = Field(default_factory=list)
    content_kind: ContentKind = ContentKind.indirect
    parent_id: str | None = None  # the attribution this one is nested in or hands the claim on to
    source_id: str | None = None  # the resolved Source entity
    chain: list[ChainLink] = Field(default_factory=list)  # outermost source first, origin last
    certainty: Certainty = Certainty.reported
    certainty_markers: list[CertaintyMarker] = Field(default_factory=list)
    confidence: float | None = None
    extractor: str | None = None  # which extractor produced it ("rules", "crf")
    # True when the text names no source or cue for it: a quotation paragraph that carries on
    # the speaker of the paragraph before (the source is inferred from there).
    inferred: bool = False


class Statement(_Model):
    """A sentence of the article and who stands behind it."""

    id: str
    span: Span
    attribution_ids: list[str] = Field(default_factory=list)
    own_voice: bool = True  # the outlet says it with no attribution
    certainty: Certainty = Certainty.asserted
    certainty_markers: list[CertaintyMarker] = Field(default_factory=list)


class SourcingProfile(_Model):
    statements: int = 0
    attributed_share: float = 0.0
    anonymous_share: float = 0.0
    named_sources: dict[str, int] = Field(default_factory=dict)
    anonymous_sources: int = 0
    deepest_chain: int = 0
    hedges: int = 0


class Article(_Model):
    schema_version: str = SCHEMA_VERSION
    id: str | None = None
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    authors: list[str] = Field(default_factory=list)
    language: str | None = None
    attributions: list[Attribution] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    profile: SourcingProfile | None = None
    warnings: list[str] = Field(default_factory=list)


def article_json_schema() -> dict:
    """The published JSON Schema, tagged with its version."""
    schema = Article.model_json_schema()
    schema["$id"] = f"https://sourcetrace.invalid/schema/article-{SCHEMA_VERSION}.json"
    schema["title"] = "sourcetrace Article"
    return schema
