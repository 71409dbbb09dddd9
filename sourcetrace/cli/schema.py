"""``sourcetrace schema``: print or write the Article JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..model import article_json_schema
from . import app


@app.command()
def schema(out: Path = typer.Option(None, "--out", "-o", help="Write to this file instead of stdout.")) -> None:
    """Print the JSON Schema of the Article data model."""
    text = json.dumps(article_json_schema(), indent=2, sort_keys=True) + "\n"
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)
