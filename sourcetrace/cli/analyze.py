"""``sourcetrace analyze``: one article from a file, a URL or stdin, shown in colour or as JSON."""

from __future__ import annotations

import datetime as dt

import typer
from rich.console import Console

from .. import ingest
from ..analyze import annotate
from ..errors import InputError
from ..nlp.extractor import check_extractor
from . import EXTRACTOR_HELP, app
from .render import render_article


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--published must be a date as YYYY-MM-DD, not {value!r}.") from None


@app.command()
def analyze(
    ref: str = typer.Argument(..., metavar="PATH|URL|-", help="A .txt or .html file, an http(s) URL, or - for stdin."),
    as_json: bool = typer.Option(False, "--json", help="Print the Article as JSON instead of the coloured view."),
    extractor: str = typer.Option("default", "--extractor", "-e", help=EXTRACTOR_HELP),
    html: bool = typer.Option(None, "--html/--text", help="Read the input as HTML / as plain text (default: detect)."),
    title: str = typer.Option(None, "--title", help="Headline (overrides what the input says)."),
    outlet: str = typer.Option(None, "--outlet", help="Publication name."),
    published: str = typer.Option(None, "--published", metavar="YYYY-MM-DD", help="Publication date."),
    language: str = typer.Option(None, "--language", help="Declare the language (en skips the English check)."),
    force: bool = typer.Option(False, "--force", help="Analyse even if the text does not look English."),
    allow_private: bool = typer.Option(
        False, "--allow-private", help="Allow fetching URLs on private or loopback addresses (intranets, tests)."
    ),
) -> None:
    """Find who says what in one article, and how firmly."""
    check_extractor(extractor)
    meta = {"title": title, "outlet": outlet, "published": _date(published)}
    article = ingest.load(ref, allow_private=allow_private, html=html, language=language, force=force, **meta)
    article = annotate(article, extractor=extractor)
    if as_json:
        typer.echo(article.model_dump_json(indent=2))
    else:
        render_article(article, Console())
