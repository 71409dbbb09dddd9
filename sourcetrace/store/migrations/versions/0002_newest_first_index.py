"""Search indexes: newest-first listings on PostgreSQL, anonymity + certainty filters on both.

SQLite walks ix_statements_published backwards for the newest-first order (its
NULLs sort last descending), so only PostgreSQL needs (published DESC NULLS
LAST, id DESC).

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_statements_anon_cert", "statements", ["anonymous", "certainty", "published"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_statements_newest ON statements (published DESC NULLS LAST, id DESC)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_statements_newest")
    op.drop_index("ix_statements_anon_cert", table_name="statements")
