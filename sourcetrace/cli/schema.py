"""``sourcetrace schema``: print or write the Article JSON Schema (or, with ``--trace``, that of ``trace --json``)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..model import article_json_schema
from . import app


@app.command()
def schema(
    out: Path = typer.Option(None, "--out", "-o", help="Write to this file instead of stdout."),
    trace: bool = typer.Option(False, "--trace", help="The schema of `sourcetrace trace --json` instead."),
) -> None:
    """Print the JSON Schema of the Article data model (or, with --trace, of `trace --json`)."""
    if trace:
        from ..link.tracemodel import trace_json_schema

        text = json.dumps(trace_json_schema(), indent=2, sort_keys=True) + "\n"
    else:
        text = json.dumps(article_json_schema(), indent=2, sort_keys=True) + "\n"
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)
