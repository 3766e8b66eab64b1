"""The README is the user's manual: every command and source it offers exists, and every command
and source that exists is in it, with `--help` giving an example."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from conftest import ROOT

from ingest import SOURCES
from kb.cli import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_documented_with_an_example(name):
    assert re.search(rf"`kb {re.escape(name)}\b", README), f"`kb {name}` is missing from README.md"
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"`kb {name} --help` shows no example"


def test_every_documented_command_exists():
    documented = set(re.findall(r"`kb ([a-z][a-z-]*)", README))
    assert documented <= set(cli.commands), documented - set(cli.commands)


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_ingest_source_is_documented(source):
    if source == "files":  # `kb ingest PATH...` is how files are named
        assert "`kb ingest PATH...`" in README
    else:
        assert f"`kb ingest {source}" in README, f"`kb ingest {source}` is missing from README.md"


def test_quick_start_is_the_two_make_commands():
    quick = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in quick.strip().splitlines()]
    assert commands == ["make run", "make test"]


def test_every_setting_in_the_readme_exists():
    from kb.settings import Settings

    fields = {f"KB_{name.upper()}" for name in Settings.model_fields}
    documented = set(re.findall(r"`(KB_[A-Z_]+)`", README))
    assert documented and documented <= fields, documented - fields
