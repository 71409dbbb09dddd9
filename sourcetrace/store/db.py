"""Where the store lives and how to connect to it.

SQLite by default (one file in the user's data dir, WAL mode so readers never
block the ingest writer); PostgreSQL when given a ``postgresql://`` URL. The
schema is brought up to date with the packaged Alembic migrations on open, so
a fresh file or an old one both just work.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL

from ..errors import InputError

ENV_DB = "SOURCETRACE_DB"


def default_db_path() -> Path:
    return user_data_path("sourcetrace", appauthor=False) / "sourcetrace.db"


def resolve_url(db: str | os.PathLike | None = None) -> URL:
    """Turn ``--db`` (a path, a ``sqlite:///`` or ``postgresql://`` URL, or nothing) into a SQLAlchemy URL."""
    db = db if db is not None else os.environ.get(ENV_DB) or None
    if db is None:
        path = default_db_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return URL.create("sqlite+pysqlite", database=str(path))
    text = str(db)
    if "://" not in text:
        path = Path(text).expanduser()
        if path.parent and not path.parent.exists():
            raise InputError(f"The folder for the database {str(path)!r} does not exist: create it or give another --db.")
        return URL.create("sqlite+pysqlite", database=str(path))
    try:
        url = make_url(text)
    except Exception:
        raise InputError(f"{text!r} is not a database URL: give a file path, sqlite:///PATH or postgresql://USER@HOST/DB.") from None
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return url.set(drivername="sqlite+pysqlite")
    raise InputError(f"Unsupported database {backend!r}: use SQLite (a file path) or PostgreSQL (postgresql://...).")


def make_engine(db: str | os.PathLike | URL | None = None) -> Engine:
    url = db if isinstance(db, URL) else resolve_url(db)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            if not in_memory(url):
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def in_memory(url: URL) -> bool:
    """Whether ``url`` is an in-memory SQLite database: one per connection, so never shared between processes."""
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")
