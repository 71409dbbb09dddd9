"""``sourcetrace serve``: the HTTP API (FastAPI on uvicorn), on loopback unless told otherwise."""

from __future__ import annotations

import typer
from rich.console import Console

from . import app
from .ingest import DB_OPTION, open_store_or_exit


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on. Anything but loopback exposes the API to your network."),
    port: int = typer.Option(8000, min=1, max=65535),
    db: str = DB_OPTION,
    token: str = typer.Option(None, envvar="SOURCETRACE_TOKEN", help="Require `Authorization: Bearer TOKEN` on write endpoints."),
    max_body_bytes: int = typer.Option(2_000_000, min=1024, help="Larger request bodies get 413."),
    allow_private_fetch: bool = typer.Option(False, help="Let the server fetch URLs on loopback/private networks (SSRF risk)."),
) -> None:
    """Serve the HTTP API; OpenAPI docs at /docs."""
    import uvicorn

    from ..api.app import create_app

    open_store_or_exit(db).close()  # fail early, with a clear message, on a bad --db
    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        Console(stderr=True).print(
            f"[yellow]warning:[/] listening on {host} without --token: anyone who can reach it can write to the store."
        )
    application = create_app(db_url=db, token=token, max_body_bytes=max_body_bytes, allow_private_fetch=allow_private_fetch)
    uvicorn.run(application, host=host, port=port, log_level="info")
