"""Incremental linking: what an update compares new articles and statements with, stored when they are linked.

Each linked article's term vector, each story's sum of them and the terms'
document frequency (an update compares a new article with the stories of its
nearest articles through the stored sums, instead of recomputing every
member's term vector); each statement's claim vector and each story's claim
term counts (new statements are compared with the stored vectors). Stores
linked before this revision have NULLs there: the next update that links new
articles fills them (once, at the cost of a rebuild's vector step; stories and
claims already there stay as they are).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("link_articles") as batch:
        batch.add_column(sa.Column("term_vector", sa.Text(), nullable=True))
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("term_total", sa.Text(), nullable=True))
        batch.add_column(sa.Column("claim_terms", sa.Text(), nullable=True))
        batch.add_column(sa.Column("claim_basis", sa.Integer(), nullable=True))
    with op.batch_alter_table("link_statements") as batch:
        batch.add_column(sa.Column("claim_vector", sa.LargeBinary(), nullable=True))
    op.create_table(
        "link_terms",
        sa.Column("term", sa.Text(), primary_key=True),
        sa.Column("df", sa.Integer(), nullable=False),
    )
    op.create_table(
        "link_state",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("link_state")
    op.drop_table("link_terms")
    with op.batch_alter_table("link_statements") as batch:
        batch.drop_column("claim_vector")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("claim_basis")
        batch.drop_column("claim_terms")
        batch.drop_column("term_total")
    with op.batch_alter_table("link_articles") as batch:
        batch.drop_column("term_vector")
