"""Database fixtures shared by the store, ingest and API tests: every test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``SOURCETRACE_TEST_PG_URL`` (``eval "$(.ci/postgres.sh)"``
starts one). Without it the postgres cases fail under ``CI=true`` and skip
locally, saying why. Each postgres test gets a fresh database, dropped after.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, make_url, text

PG_ENV = "SOURCETRACE_TEST_PG_URL"


def _pg_admin_url():
    url = os.environ.get(PG_ENV)
    if not url:
        message = f"{PG_ENV} is not set: run `eval \"$(.ci/postgres.sh)\"` to start a PostgreSQL for these tests."
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return make_url(url).set(drivername="postgresql+psycopg")


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    """A URL to an empty database of each kind."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
        return
    admin = _pg_admin_url()
    name = f"st_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False).replace("+psycopg", "")
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
