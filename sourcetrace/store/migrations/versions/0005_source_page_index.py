"""A source's page at a million statements: its counts from one covering index.

A source's page shows how many statements and articles it has and which
outlets carry it (first and last date each). Counting those from
``ix_statements_entity`` (entity, published) read every one of the source's
rows (52,000 for the most quoted source in the benchmark store: 0.2-0.3 s);
``ix_statements_entity_outlet`` holds (entity, outlet, article, published), so
both counts are index-only scans.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_statements_entity_outlet", "statements", ["entity_id", "outlet", "article_id", "published"])


def downgrade() -> None:
    op.drop_index("ix_statements_entity_outlet", table_name="statements")
