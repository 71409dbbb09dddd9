"""The ``sourcetrace`` command line: a thin layer over the library API."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="sourcetrace",
    help="Who says so, through whom, and how firmly: attribution analysis for news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



@app.callback()
def _root() -> None:
    """Who says so, through whom, and how firmly: attribution analysis for news."""


from . import schema as _schema  # noqa: E402,F401  (each module registers its commands on app)
from . import eval as _eval  # noqa: E402,F401
from . import train as _train  # noqa: E402,F401


def main() -> None:
    app()
