"""The ``sourcetrace`` command line: a thin layer over the library API."""

from __future__ import annotations

import typer
from typer.core import TyperGroup

from ..errors import SourcetraceError


class _Group(TyperGroup):
    """Every command's SourcetraceError becomes one line on stderr (``error: ...``) and exit status 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SourcetraceError as exc:
            typer.echo(f"error: {' '.join(str(exc).split()) or exc.__class__.__name__}", err=True)
            raise typer.Exit(code=1) from None


# Every name `check_extractor` accepts (tests/test_cli_help.py keeps this list whole); written out, not
# computed, so that `--help` does not import the models.
EXTRACTOR_HELP = "Attribution extractor: default (= hybrid), hybrid, hybrid-crf, transformer, crf, rules."

app = typer.Typer(
    name="sourcetrace",
    cls=_Group,
    help="Who says so, through whom, and how firmly: attribution analysis for news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Who says so, through whom, and how firmly: attribution analysis for news."""


# Each module registers its commands on app.
from . import analyze as _analyze  # noqa: E402,F401
from . import batch as _batch  # noqa: E402,F401
from . import bench as _bench  # noqa: E402,F401
from . import eval as _eval  # noqa: E402,F401
from . import eval_links as _eval_links  # noqa: E402,F401
from . import ingest as _ingest  # noqa: E402,F401
from . import link as _link  # noqa: E402,F401
from . import trace as _trace  # noqa: E402,F401
from . import schema as _schema  # noqa: E402,F401
from . import search as _search  # noqa: E402,F401
from . import serve as _serve  # noqa: E402,F401
from . import train as _train  # noqa: E402,F401


def main() -> None:
    app()
