"""The README is part of the contract: every command and every --json key is in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from provenance.cli import EXIT_ERROR, EXIT_LOCKED, app
from provenance.storage import open_db

ROOT = Path(__file__).resolve().parent.parent

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]


def test_the_two_commands_of_the_quick_start() -> None:
    assert "make demo" in README and "make test" in README


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_a_section_and_an_example(command: str) -> None:
    assert f"### `provenance {command}" in README
    callback = next(
        c.callback for c in app.registered_commands if c.callback and c.callback.__name__ == command
    )
    assert callback is not None and "Example: provenance" in (callback.__doc__ or "")


def test_every_json_key_is_documented() -> None:
    from provenance import output

    names = set(re.findall(r'"(\w+)":', (ROOT / "provenance" / "output.py").read_text()))
    assert names, output.__name__
    missing = sorted(n for n in names if f"`{n}`" not in README)
    assert not missing, f"undocumented --json keys: {missing}"


def test_every_table_is_documented(tmp_path: Path) -> None:
    """Every table of a database with all migrations applied, FTS5's own tables aside."""
    db = open_db(tmp_path / "fresh.db")
    tables = [
        name
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not name.startswith("_") and "_fts" not in name
    ]
    assert "shingle_delta" in tables
    missing = [t for t in tables if f"| `{t}` |" not in README]
    assert not missing, f"undocumented tables: {missing}"


def test_every_exit_status_of_the_crawl_is_documented() -> None:
    section = README.split("### `provenance crawl", 1)[1].split("\n### ", 1)[0]
    statuses = re.findall(r"^\| (\d+) \|", section, flags=re.MULTILINE)
    assert statuses == ["0", "1", str(EXIT_ERROR), str(EXIT_LOCKED)]


def test_typer_app_is_the_console_script() -> None:
    assert isinstance(app, typer.Typer)
    assert 'provenance = "provenance.cli:main"' in (ROOT / "pyproject.toml").read_text()


def test_trace_help_and_readme_say_how_a_batch_reads_dates_and_exits() -> None:
    """`trace --help` said only "- to read one a line from stdin" and "YYYY-MM-DD" though
    YYYY-MM and YYYY are taken; the README gave no exit status for a batch and listed an
    ISO week as a date `trace` takes."""
    from typer.testing import CliRunner

    shown = " ".join(
        CliRunner().invoke(app, ["trace", "--help"], env={"COLUMNS": "200"}).stdout.split()
    )
    for words in ('"quote"', '"speaker"', '"date"', "error in its place", "README.md"):
        assert words in shown
    assert "YYYY-MM-DD, YYYY-MM or YYYY" in shown
    readme = " ".join(README.split())
    assert "The exit status of a batch is 2 if any line got an error, else 0 if any" in readme
    assert "an ISO week, which `check` may read from an article, is not taken here" in readme


def test_help_flows_each_summary_as_one_paragraph() -> None:
    """Docstrings are wrapped at 100 columns in the source; `--help` broke the command list
    at each of those line ends, mid-sentence, however wide the terminal."""
    from typer.testing import CliRunner

    shown = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).stdout
    line = next(line for line in shown.splitlines() if "Show a quote's chain of citation" in line)
    assert "with every other appearance. Exit status 0" in line
