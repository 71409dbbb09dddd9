"""Cross-article linking: stories (articles about one event), claims (statements carrying one proposition) and the linker's vectors.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("n_articles", sa.Integer(), nullable=False),
    )
    op.create_table(
        "story_articles",
        sa.Column("story_id", sa.String(40), sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_story_articles_story", "story_articles", ["story_id"])
    op.create_table(
        "claims",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("story_id", sa.String(40), sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("n_carriers", sa.Integer(), nullable=False),
    )
    op.create_index("ix_claims_story", "claims", ["story_id"])
    op.create_table(
        "claim_statements",
        sa.Column("claim_id", sa.String(40), sa.ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("statement_id", sa.Integer(), sa.ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.UniqueConstraint("statement_id", name="uq_claim_statements_statement"),
    )
    op.create_index("ix_claim_statements_article", "claim_statements", ["article_id"])
    op.create_table(
        "link_articles",
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "link_statements",
        sa.Column("statement_id", sa.Integer(), sa.ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
    )
    op.create_index("ix_link_statements_article", "link_statements", ["article_id"])


def downgrade() -> None:
    for table in ("link_statements", "link_articles", "claim_statements", "claims", "story_articles", "stories"):
        op.drop_table(table)
