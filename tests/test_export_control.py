"""Control characters a capture gave (an ESC in an email's subject, a vertical tab, a NUL)
reach no terminal, Markdown report or Graphviz file as they are, and leave the SVG a
document an XML parser reads; the terminal prints a title or anchor text as it is written,
a trailing backslash included. Stored with the real parser and ingest flow, read through
the CLI."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from chain_corpora import FIRM, NEWS, QUOTE, add, link, page, quoting
from typer.testing import CliRunner, Result

from provenance.cli import app
from provenance.models import Capture, Document, Unit
from provenance.storage import Database, save_document

TITLE = 'Plant\x0bdecision \x1b[31m "q"\x00 \x9b2J'
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # a line break of ours aside
URL = f"{FIRM}/mail"


def run(db: Path, *args: str) -> Result:
    result = CliRunner().invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def hostile(db: Database, tmp_path: Path) -> Path:
    """An email whose subject (its page's title) holds control characters, and an article
    quoting it."""
    unit = Unit("email", 0, len(QUOTE), author="Dana Reyes", date="2024-01-10T09:00")
    document = Document(URL, "email_file", "primary", TITLE, QUOTE, (unit,))
    save_document(db, Capture(URL, URL, "2025-01-02T03:04:05+00:00", QUOTE.encode()), document, [])
    add(db, f"{NEWS}/a", page("Ohio wins", "2024-01-20", quoting(QUOTE)))
    return tmp_path / "test.db"


@pytest.mark.parametrize(
    "args",
    [
        ("chain", QUOTE),
        ("appearances", QUOTE),
        ("chain", QUOTE, "--format", "markdown"),
        ("chain", QUOTE, "--format", "dot"),
        ("chain", QUOTE, "--format", "svg"),
        ("history", URL),
        ("trace", QUOTE),
        ("check", "2"),  # the article, stored second
    ],
)
def test_no_control_character_of_a_capture_is_written_out(
    hostile: Path, args: tuple[str, ...]
) -> None:
    shown = run(hostile, *args).stdout
    assert "Plant decision ␛" in shown
    assert not CONTROL.search(shown), repr(CONTROL.findall(shown))


def test_the_svg_of_a_hostile_title_is_xml(hostile: Path) -> None:
    root = ET.fromstring(run(hostile, "chain", QUOTE, "--format", "svg").stdout)
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert 'Plant decision ␛[31m "q"␀ \ufffd2J' in texts


@pytest.mark.parametrize("command", ["chain", "appearances"])
def test_the_terminal_prints_a_trailing_backslash_once(
    db: Database, tmp_path: Path, command: str
) -> None:
    """rich's markup escape doubled a backslash ending a text that plain words followed
    (“Acme's statement \\\\”); the tree and the list are now rich Text, not markup."""
    body = f"<p>Acme today announced its next factory.</p><p>{QUOTE}</p>"
    add(db, URL, page("Acme statement \\", "2024-01-10", body), role="primary")
    article = quoting(QUOTE) + link(URL, "Acme's statement \\")
    add(db, f"{NEWS}/a", page("Ohio wins :smile: \\", "2024-01-20", article))
    shown = run(tmp_path / "test.db", command, QUOTE).stdout
    assert "\\\\" not in shown and "Ohio wins :smile: \\ " in shown
    if command == "chain":
        assert "linked as “Acme's statement \\”" in shown


def test_add_prints_a_title_with_no_control_character(tmp_path: Path) -> None:
    """`add` echoed the title it read, an ESC in it driving the terminal."""
    email = tmp_path / "m.eml"
    email.write_text(
        f"From: Dana Reyes <dana@firm.example>\nDate: Wed, 10 Jan 2024 09:00:00 +0000\n"
        f"Subject: Plant decision \x1b[31m now\n\n{QUOTE}\n",  # a NUL would make it binary
        encoding="utf-8",
    )
    shown = run(tmp_path / "test.db", "add", str(email), "--role", "primary").stdout
    assert "added: Plant decision ␛[31m now" in shown
    assert not CONTROL.search(shown), repr(CONTROL.findall(shown))
