"""`--help` says what the commands accept: every extractor name, no option text swallowed by Rich markup."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from sourcetrace.cli import EXTRACTOR_HELP, app
from sourcetrace.nlp.extractor import extractor_names


def test_the_extractor_help_names_every_registered_extractor():
    listed = set(re.findall(r"[a-z][a-z-]*", EXTRACTOR_HELP.split(":", 1)[1]))
    assert set(extractor_names()) <= listed


@pytest.mark.parametrize("command", ["analyze", "ingest", "batch"])
def test_commands_that_take_an_extractor_show_every_name(command):
    out = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"}).output
    for name in extractor_names():
        assert name in out, f"`{command} --help` does not mention the extractor {name!r}"


@pytest.mark.parametrize("command, shown", [("batch", "one per core"), ("bench", "../shared/data/polnear/dev")])
def test_defaults_in_help_are_shown(command, shown):
    # a "[default: ...]" written inside help= is Rich markup, and vanishes
    out = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"}).output
    assert shown in out


@pytest.mark.parametrize("args", [["train"], ["train-cues"], ["train-content-bounds"], ["train-content-rerank"]])
def test_training_commands_refuse_a_folder_that_is_not_a_polnear_split(tmp_path, args):
    result = CliRunner().invoke(app, [*args, "--train", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{tmp_path} is not a PolNeAR split" in result.output
    assert not (tmp_path / "out").exists()
