"""Shared fixtures: a real database file and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import figures
import pytest

from provenance.demo import DEMO, serve_directory
from provenance.storage import Database, open_db

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return open_db(tmp_path / "test.db")


@pytest.fixture(scope="session")
def demo_server() -> Iterator[str]:
    """The demo corpus served over real HTTP; yields its base URL."""
    with serve_directory(DEMO) as base:
        yield base


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the figures the fault, bounds, guard, corpus and kill tests asserted on."""
    for line in figures.LINES:
        terminalreporter.write_line(line)
