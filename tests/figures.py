"""Summary lines of figures that tests measured and asserted on, printed at the end of the
session by conftest's pytest_terminal_summary: the numbers a report can quote."""

from __future__ import annotations

LINES: list[str] = []


def report(line: str) -> None:
    """Record one summary line; call it after the assertions on its figures."""
    LINES.append(line)
