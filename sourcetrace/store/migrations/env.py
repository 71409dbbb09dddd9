"""Alembic environment, run programmatically by :func:`sourcetrace.store.migrate.upgrade`.

The caller hands over an open connection in ``config.attributes["connection"]``;
there is no alembic.ini to find.
"""

from alembic import context

from sourcetrace.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the packaged runner is supported
    raise RuntimeError("Run migrations through sourcetrace.store.open_store(), which passes a connection.")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
