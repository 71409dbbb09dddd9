"""Full-text search at a million statements: filter tags inside the full-text index.

SQLite: a second, contentless FTS5 table, ``statements_tags``, indexes each
statement's words again beside a ``tags`` column holding one token per filter
value (entity, source type, anonymity, own voice, certainty, year, month and
day published, outlet, article), so which statements have these words and pass
these filters, and how many, is one index lookup. Ranking stays on
``statements_fts``: tags would lengthen every row and change bm25's length
normalisation.
PostgreSQL: the same tags as a ``tsvector`` column beside ``tsv``, in one
two-column GIN index, so GIN intersects words and filters.

The tag formulas live in ``sourcetrace.store.fulltext`` (the query side) and
here (the index side, as SQL): change them together, with a new migration.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _sqlite_tags(row: str) -> str:
    """The tags of one ``statements`` row (``new`` or ``old`` in a trigger, or the table itself) as an SQLite expression."""
    return (
        f"'e' || coalesce({row}.entity_id, 0) || ' t' || coalesce({row}.source_type, 'none')"
        f" || ' a' || {row}.anonymous || ' v' || {row}.own_voice || ' c' || {row}.certainty"
        f" || ' y' || coalesce(strftime('%Y', {row}.published), '0')"
        f" || ' m' || coalesce(strftime('%Y%m', {row}.published), '0')"
        f" || ' d' || coalesce(strftime('%Y%m%d', {row}.published), '0')"
        f" || ' o' || coalesce(hex({row}.outlet), '') || '0' || ' r' || {row}.article_id"
    )


PG_TAGS = (  # only immutable pieces: explicit ::text casts, extract() rather than to_char()
    "to_tsvector('simple', 'e' || coalesce(entity_id, 0)::text || ' t' || coalesce(source_type, 'none')"
    " || ' a' || anonymous::int::text || ' v' || own_voice::int::text || ' c' || certainty"
    " || ' y' || coalesce(extract(year from published)::int::text, '0')"
    " || ' m' || coalesce((extract(year from published) * 100 + extract(month from published))::int::text, '0')"
    " || ' d' || coalesce((extract(year from published) * 10000 + extract(month from published) * 100"
    " + extract(day from published))::int::text, '0')"
    " || ' o' || coalesce(md5(outlet), '') || ' r' || article_id::text)"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_upgrade()
    else:
        op.execute(f"ALTER TABLE statements ADD COLUMN tags tsvector GENERATED ALWAYS AS ({PG_TAGS}) STORED")
        op.execute("DROP INDEX IF EXISTS ix_statements_tsv")
        op.execute("CREATE INDEX ix_statements_tsv ON statements USING gin (tsv, tags)")


def _sqlite_upgrade() -> None:
    # Contentless, and no per-row sizes (columnsize=0): it is never ranked, only asked which rows match.
    op.execute(
        "CREATE VIRTUAL TABLE statements_tags USING fts5("
        "text, tags, content='', columnsize=0, tokenize='porter unicode61')"
    )
    op.execute(f"INSERT INTO statements_tags(rowid, text, tags) SELECT id, text, {_sqlite_tags('statements')} FROM statements")
    op.execute(
        "CREATE TRIGGER statements_tags_ai AFTER INSERT ON statements BEGIN "
        f"INSERT INTO statements_tags(rowid, text, tags) VALUES (new.id, new.text, {_sqlite_tags('new')}); END"
    )
    op.execute(
        "CREATE TRIGGER statements_tags_ad AFTER DELETE ON statements BEGIN "
        "INSERT INTO statements_tags(statements_tags, rowid, text, tags) "
        f"VALUES ('delete', old.id, old.text, {_sqlite_tags('old')}); END"
    )
    op.execute(
        "CREATE TRIGGER statements_tags_au AFTER UPDATE ON statements BEGIN "
        "INSERT INTO statements_tags(statements_tags, rowid, text, tags) "
        f"VALUES ('delete', old.id, old.text, {_sqlite_tags('old')}); "
        f"INSERT INTO statements_tags(rowid, text, tags) VALUES (new.id, new.text, {_sqlite_tags('new')}); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("statements_tags_ai", "statements_tags_ad", "statements_tags_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS statements_tags")
    else:
        op.execute("DROP INDEX IF EXISTS ix_statements_tsv")
        op.execute("ALTER TABLE statements DROP COLUMN IF EXISTS tags")
        op.execute("CREATE INDEX ix_statements_tsv ON statements USING gin (tsv)")
