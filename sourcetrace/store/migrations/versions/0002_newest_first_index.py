"""Index for newest-first listings on PostgreSQL (published DESC NULLS LAST, id DESC).

SQLite walks ix_statements_published backwards for the same order (its NULLs
sort last descending), so it needs nothing.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_statements_newest ON statements (published DESC NULLS LAST, id DESC)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_statements_newest")
