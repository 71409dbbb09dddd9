"""``sourcetrace serve``: the HTTP API (FastAPI on uvicorn), on loopback unless told otherwise."""

from __future__ import annotations

import json
import os

import typer
from rich.console import Console

from . import app
from .ingest import DB_OPTION, open_store_or_exit

# How `serve --workers N` hands its settings to each worker process (uvicorn starts them by import string).
SETTINGS_ENV = "SOURCETRACE_SERVE_SETTINGS"
# Seconds an idle kept-alive connection stays open: longer than clients keep theirs (httpx: 5 s,
# uvicorn's default too), so a client never sends on a connection the server is closing (a reset).
KEEP_ALIVE = 30
# One server process per core, at most 4: each process loads its own NLP models when it first analyses.
DEFAULT_WORKERS = max(1, min(4, os.cpu_count() or 1))
# The web pages' render cache (web/routes.PageCache), apart from --cache-mb; a test keeps the two equal.
RENDER_CACHE_MB = 32


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on. Anything but loopback exposes the API to your network."),
    port: int = typer.Option(8000, min=1, max=65535),
    db: str = DB_OPTION,
    token: str = typer.Option(None, envvar="SOURCETRACE_TOKEN", help="Require `Authorization: Bearer TOKEN` on write endpoints."),
    max_body_bytes: int = typer.Option(2_000_000, min=1024, help="Larger request bodies get 413."),
    allow_private_fetch: bool = typer.Option(False, help="Let the server fetch URLs on loopback/private networks (SSRF risk)."),
    workers: int = typer.Option(DEFAULT_WORKERS, min=1, max=64, show_default="one per core, at most 4",
                                help="Server processes sharing the store (SQLite in WAL mode or PostgreSQL)."),
    request_timeout: float = typer.Option(120.0, min=0.1, help="Seconds one POST /analyze or /ingest may work before it answers 503 (what /ingest stored stays stored)."),
    cache_mb: int = typer.Option(64, min=0, help="MiB per worker process for answers to read requests, kept until the store changes (0: no answer cache). "
                                 f"Stored article pages are also kept rendered, in up to {RENDER_CACHE_MB} MiB more per worker "
                                 f"whatever this says: each worker holds at most CACHE_MB + {RENDER_CACHE_MB} MiB of both."),
    access_log: bool = typer.Option(False, help="Log one line per request (it costs about a third of a cached answer)."),
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) and the web pages (at /web/)."""
    import uvicorn

    from ..api.app import create_app
    from ..api.protocol import NODELAY_HTTP
    from ..store.db import in_memory

    store = open_store_or_exit(db)  # fail early, with a clear message, on a bad --db (and migrate once, here)
    if in_memory(store.engine.url):
        workers = 1  # an in-memory database lives in one process
    store.close()
    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        Console(stderr=True).print(
            f"[yellow]warning:[/] listening on {host} without --token: anyone who can reach it can write to the store."
        )
    settings = {"db_url": db, "token": token, "max_body_bytes": max_body_bytes,
                "allow_private_fetch": allow_private_fetch, "request_timeout": request_timeout,
                "cache_bytes": cache_mb * 2**20}
    if workers == 1:
        uvicorn.run(create_app(**settings), host=host, port=port, log_level="info", timeout_keep_alive=KEEP_ALIVE,
                    http=NODELAY_HTTP, access_log=access_log)
        return
    os.environ[SETTINGS_ENV] = json.dumps(settings)  # inherited by the worker processes
    uvicorn.run("sourcetrace.cli.serve:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="info", timeout_keep_alive=KEEP_ALIVE, http=NODELAY_HTTP,
                access_log=access_log)


def app_from_environment():
    """The API app of one ``serve --workers N`` process, from the settings its parent left in the environment."""
    from ..api.app import create_app

    return create_app(**json.loads(os.environ[SETTINGS_ENV]))
