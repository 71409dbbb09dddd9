"""Initial schema: articles, sources merged into entities, attributions, statements with a full-text index, quantities, certainty markers.

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 05:53:01.812291
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=700), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('outlet', sa.String(length=300), nullable=True),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('language', sa.String(length=20), nullable=True),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('origin', sa.Text(), nullable=True),
    sa.Column('n_attributions', sa.Integer(), nullable=False),
    sa.Column('article_json', sa.Text(), nullable=False),
    sa.Column('ingested_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index('ix_articles_outlet', ['outlet'], unique=False)
        batch_op.create_index('ix_articles_published', ['published'], unique=False)

    op.create_table('entities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=500), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref_hash', sa.String(length=64), nullable=False),
    sa.Column('ref', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('error_type', sa.String(length=100), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ref_hash')
    )
    op.create_table('entity_aliases',
    sa.Column('alias', sa.String(length=500), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('alias', 'entity_id')
    )
    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('local_id', sa.String(length=100), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('role', sa.Text(), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('article_id', 'local_id', name='uq_sources_article_local')
    )
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.create_index('ix_sources_entity', ['entity_id'], unique=False)

    op.create_table('attributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('local_id', sa.String(length=100), nullable=False),
    sa.Column('source_row_id', sa.Integer(), nullable=True),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('cue_text', sa.Text(), nullable=False),
    sa.Column('content_text', sa.Text(), nullable=False),
    sa.Column('content_kind', sa.String(length=16), nullable=False),
    sa.Column('certainty', sa.String(length=16), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('extractor', sa.String(length=50), nullable=True),
    sa.Column('parent_local_id', sa.String(length=100), nullable=True),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], ),
    sa.ForeignKeyConstraint(['source_row_id'], ['sources.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('article_id', 'local_id', name='uq_attributions_article_local')
    )
    with op.batch_alter_table('attributions', schema=None) as batch_op:
        batch_op.create_index('ix_attributions_entity', ['entity_id'], unique=False)

    op.create_table('certainty_markers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('attribution_id', sa.Integer(), nullable=True),
    sa.Column('statement_local_id', sa.String(length=100), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('distancing', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['attribution_id'], ['attributions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('certainty_markers', schema=None) as batch_op:
        batch_op.create_index('ix_markers_article', ['article_id'], unique=False)

    op.create_table('quantities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('attribution_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('qualifier', sa.Text(), nullable=True),
    sa.Column('unit_or_thing', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['attribution_id'], ['attributions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('quantities', schema=None) as batch_op:
        batch_op.create_index('ix_quantities_article', ['article_id'], unique=False)

    op.create_table('statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('attribution_id', sa.Integer(), nullable=True),
    sa.Column('statement_local_id', sa.String(length=100), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source_name', sa.Text(), nullable=True),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('source_type', sa.String(length=32), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('own_voice', sa.Boolean(), nullable=False),
    sa.Column('certainty', sa.String(length=16), nullable=False),
    sa.Column('cue_text', sa.Text(), nullable=True),
    sa.Column('outlet', sa.String(length=300), nullable=True),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['attribution_id'], ['attributions.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.create_index('ix_statements_article', ['article_id'], unique=False)
        batch_op.create_index('ix_statements_certainty', ['certainty'], unique=False)
        batch_op.create_index('ix_statements_entity', ['entity_id', 'published'], unique=False)
        batch_op.create_index('ix_statements_outlet', ['outlet', 'published'], unique=False)
        batch_op.create_index('ix_statements_published', ['published'], unique=False)
        batch_op.create_index('ix_statements_type', ['source_type'], unique=False)


    _create_fulltext()


def downgrade() -> None:
    _drop_fulltext()
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_index('ix_statements_type')
        batch_op.drop_index('ix_statements_published')
        batch_op.drop_index('ix_statements_outlet')
        batch_op.drop_index('ix_statements_entity')
        batch_op.drop_index('ix_statements_certainty')
        batch_op.drop_index('ix_statements_article')

    op.drop_table('statements')
    with op.batch_alter_table('quantities', schema=None) as batch_op:
        batch_op.drop_index('ix_quantities_article')

    op.drop_table('quantities')
    with op.batch_alter_table('certainty_markers', schema=None) as batch_op:
        batch_op.drop_index('ix_markers_article')

    op.drop_table('certainty_markers')
    with op.batch_alter_table('attributions', schema=None) as batch_op:
        batch_op.drop_index('ix_attributions_entity')

    op.drop_table('attributions')
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_index('ix_sources_entity')

    op.drop_table('sources')
    op.drop_table('entity_aliases')
    op.drop_table('failures')
    op.drop_table('entities')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index('ix_articles_published')
        batch_op.drop_index('ix_articles_outlet')

    op.drop_table('articles')


def _create_fulltext() -> None:
    """FTS5 (porter stemming) on SQLite, a stored tsvector + GIN index on PostgreSQL."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE statements_fts USING fts5("
            "text, content='statements', content_rowid='id', tokenize='porter unicode61')"
        )
        op.execute(
            "CREATE TRIGGER statements_fts_ai AFTER INSERT ON statements BEGIN "
            "INSERT INTO statements_fts(rowid, text) VALUES (new.id, new.text); END"
        )
        op.execute(
            "CREATE TRIGGER statements_fts_ad AFTER DELETE ON statements BEGIN "
            "INSERT INTO statements_fts(statements_fts, rowid, text) VALUES ('delete', old.id, old.text); END"
        )
        op.execute(
            "CREATE TRIGGER statements_fts_au AFTER UPDATE ON statements BEGIN "
            "INSERT INTO statements_fts(statements_fts, rowid, text) VALUES ('delete', old.id, old.text); "
            "INSERT INTO statements_fts(rowid, text) VALUES (new.id, new.text); END"
        )
    else:
        op.execute(
            "ALTER TABLE statements ADD COLUMN tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED"
        )
        op.execute("CREATE INDEX ix_statements_tsv ON statements USING gin (tsv)")
        op.execute("CREATE INDEX ix_entities_lower_name ON entities (lower(name))")


def _drop_fulltext() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("statements_fts_ai", "statements_fts_ad", "statements_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS statements_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_statements_tsv")
        op.execute("ALTER TABLE statements DROP COLUMN IF EXISTS tsv")
