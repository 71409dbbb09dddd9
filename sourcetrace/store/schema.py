"""The store's tables (SQLAlchemy Core).

The full Article JSON is kept verbatim in ``articles.article_json`` so the API
returns exactly what the pipeline produced; the other tables are normalised
copies for querying. ``entities`` are sources merged across articles
("Russian President Vladimir Putin" = "Vladimir Putin" = "Putin");
``statements`` is the search table: one row per attributed claim and per
sentence the outlet says in its own voice, with the filter columns copied in
so a search is one indexed scan. The full-text index over ``statements.text``
(FTS5 on SQLite, a tsvector + GIN on PostgreSQL) and the filter tags beside it (fulltext.py) are created by the migrations.

Change a table here only together with a new migration in ``migrations/versions``.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

MAX_ID = 2**63 - 1  # the largest id a row can have: SQLite INTEGER, PostgreSQL BIGINT

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(700), nullable=False, unique=True),  # "url:<canonical url>" or "sha256:<text hash>"
    Column("url", Text),
    Column("title", Text),
    Column("outlet", String(300)),
    Column("published", Date),
    Column("language", String(20)),
    Column("text_hash", String(64), nullable=False),
    Column("origin", Text),  # the path, URL or feed it was ingested from
    Column("n_attributions", Integer, nullable=False, default=0),
    Column("article_json", Text, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Index("ix_articles_outlet", "outlet"),
    Index("ix_articles_published", "published"),
)

failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref_hash", String(64), nullable=False, unique=True),
    Column("ref", Text, nullable=False),
    Column("error", Text, nullable=False),
    Column("error_type", String(100), nullable=False),
    Column("attempts", Integer, nullable=False, default=1),
    Column("failed_at", DateTime(timezone=True), nullable=False),
)

entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(500), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("type", String(32), nullable=False),
    Column("anonymous", Boolean, nullable=False, default=False),
)

entity_aliases = Table(
    "entity_aliases",
    metadata,
    Column("alias", String(500), primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("local_id", String(100), nullable=False),
    Column("entity_id", Integer, ForeignKey("entities.id"), nullable=True),
    Column("name", Text, nullable=False),
    Column("type", String(32), nullable=False),
    Column("role", Text),
    Column("anonymous", Boolean, nullable=False, default=False),
    UniqueConstraint("article_id", "local_id", name="uq_sources_article_local"),
    Index("ix_sources_entity", "entity_id"),
)

attributions = Table(
    "attributions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("local_id", String(100), nullable=False),
    Column("source_row_id", Integer, ForeignKey("sources.id", ondelete="SET NULL"), nullable=True),
    Column("entity_id", Integer, ForeignKey("entities.id"), nullable=True),
    Column("source_text", Text, nullable=False, default=""),
    Column("cue_text", Text, nullable=False, default=""),
    Column("content_text", Text, nullable=False, default=""),
    Column("content_kind", String(16), nullable=False),
    Column("certainty", String(16), nullable=False),
    Column("confidence", Float),
    Column("extractor", String(50)),
    Column("parent_local_id", String(100)),
    Column("start", Integer),
    Column("end", Integer),
    UniqueConstraint("article_id", "local_id", name="uq_attributions_article_local"),
    Index("ix_attributions_entity", "entity_id"),
)

statements = Table(
    "statements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("attribution_id", Integer, ForeignKey("attributions.id", ondelete="CASCADE"), nullable=True),
    Column("statement_local_id", String(100)),
    Column("text", Text, nullable=False),
    Column("source_name", Text),  # as the article gives it; NULL for the outlet's own voice
    Column("entity_id", Integer, ForeignKey("entities.id"), nullable=True),
    Column("source_type", String(32)),
    Column("anonymous", Boolean, nullable=False, default=False),
    Column("own_voice", Boolean, nullable=False, default=False),
    Column("certainty", String(16), nullable=False),
    Column("cue_text", Text),
    Column("outlet", String(300)),
    Column("published", Date),
    Column("start", Integer),
    Column("end", Integer),
    Index("ix_statements_entity", "entity_id", "published"),
    Index("ix_statements_entity_outlet", "entity_id", "outlet", "article_id", "published"),  # a source's counts, index-only
    Index("ix_statements_outlet", "outlet", "published"),
    Index("ix_statements_published", "published"),
    Index("ix_statements_article", "article_id"),
    Index("ix_statements_type", "source_type"),
    Index("ix_statements_certainty", "certainty"),
    Index("ix_statements_anon_cert", "anonymous", "certainty", "published"),
)

quantities = Table(
    "quantities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("attribution_id", Integer, ForeignKey("attributions.id", ondelete="CASCADE"), nullable=True),
    Column("value", Float, nullable=False),
    Column("qualifier", Text),
    Column("unit_or_thing", Text),
    Column("text", Text, nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Index("ix_quantities_article", "article_id"),
)

certainty_markers = Table(
    "certainty_markers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("attribution_id", Integer, ForeignKey("attributions.id", ondelete="CASCADE"), nullable=True),
    Column("statement_local_id", String(100)),
    Column("kind", String(16), nullable=False),
    Column("distancing", Boolean, nullable=False, default=False),
    Column("text", Text, nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Index("ix_markers_article", "article_id"),
)

# -- cross-article linking (sourcetrace/link): stories group articles about one event,
# claims group statements from different articles that carry the same proposition.

stories = Table(
    "stories",
    metadata,
    Column("id", String(40), primary_key=True),  # "s-" + short hash of the founding article's key: stable across runs
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("n_articles", Integer, nullable=False, default=0),
    # JSON {term: weight}: the sum of its members' term vectors (link_articles.term_vector), so a new article is
    # compared with the story without reading its members (NULL until linked by a linker that keeps it)
    Column("term_total", Text, nullable=True),
    # JSON {"n": articles, "df": {term: articles using it}} over its statements' terms (the claim test's weights),
    # and how many articles it had when every statement's claim_vector was weighted (NULL: weigh them all again)
    Column("claim_terms", Text, nullable=True),
    Column("claim_basis", Integer, nullable=True),
)

story_articles = Table(
    "story_articles",
    metadata,
    Column("story_id", String(40), ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_story_articles_story", "story_id"),
)

claims = Table(
    "claims",
    metadata,
    Column("id", String(40), primary_key=True),  # "c-" + short hash of the founding statement
    Column("story_id", String(40), ForeignKey("stories.id", ondelete="CASCADE"), nullable=True),
    Column("summary", Text, nullable=False, default=""),
    Column("n_carriers", Integer, nullable=False, default=0),  # distinct articles carrying it
    Index("ix_claims_story", "story_id"),
)

claim_statements = Table(
    "claim_statements",
    metadata,
    Column("claim_id", String(40), ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    UniqueConstraint("statement_id", name="uq_claim_statements_statement"),  # a statement is in one claim at most
    Index("ix_claim_statements_article", "article_id"),
)

# The linker's own bookkeeping: what it has computed per article and per statement,
# so an incremental run encodes only what is new.
link_articles = Table(
    "link_articles",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("vector", LargeBinary, nullable=False),  # float32 article embedding (mean of its statements), L2-normalised
    Column("terms", Text, nullable=False),  # JSON {term: weight}: names, figures, dates and content words
    Column("linked_at", DateTime(timezone=True), nullable=False),
    # JSON {term: weight}: the unit tf-idf vector the article was placed with (idf of link_terms then); NULL while unlinked
    Column("term_vector", Text, nullable=True),
)

# Document frequency of each story term over the linked articles (an incremental run reads only the new articles'
# terms), and the linker's counters ("idf_basis": how many articles the stored term vectors were weighted over).
link_terms = Table(
    "link_terms",
    metadata,
    Column("term", Text, primary_key=True),
    Column("df", Integer, nullable=False),
)

link_state = Table(
    "link_state",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Integer, nullable=False),
)

link_statements = Table(
    "link_statements",
    metadata,
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("vector", LargeBinary, nullable=False),  # float32 sentence embedding, L2-normalised
    Column("terms", Text, nullable=False),  # JSON [names and normalised figures in the statement]
    # float32 claim vector (embedding + weighted terms, see link.claims) as weighted when linked; NULL: too short to link
    Column("claim_vector", LargeBinary, nullable=True),
    Index("ix_link_statements_article", "article_id"),
)
