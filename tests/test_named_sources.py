"""A source a page names without a link, through `provenance add` and `provenance chain`:
composed pages served over real HTTP on 127.0.0.1, stored in a real SQLite file. A
sentence names the source that does the publishing, not every page it mentions; and a
link to a page carrying the quote wins over a name."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from chain_corpora import QUOTE, link, page, quoting
from typer.testing import CliRunner

from provenance import storage
from provenance.appearances import _publishing
from provenance.cli import app
from provenance.demo import serve_directory
from provenance.storage import open_db


@pytest.mark.parametrize(
    ("sentence", "name", "names"),
    [
        ("Among the old emails OpenAI released, one line stood out.", "OpenAI", True),
        ("OpenAI has released the emails.", "OpenAI", True),
        ("In a release, Acme Corp today announced the choice of Ohio.", "Acme Corp", True),
        ("As first reported by Demo Wire, Dana Reyes said:", "Demo Wire", True),
        ("The promise was first reported by The Ledger.", "The Ledger", True),
        ("She wrote, according to the Ledger, that", "Ledger", True),
        ("As Demo Wire reported, Elon Musk wanted OpenAI to", "OpenAI", False),
        ("OpenAI was sued, Demo Wire reported.", "OpenAI", False),
        ("Demo Wire reported on OpenAI.", "OpenAI", False),
    ],
)
def test_a_sentence_names_the_one_publishing(sentence: str, name: str, names: bool) -> None:
    assert bool(_publishing(name).search(sentence)) is names


STATEMENT = "<p>Acme today announced its next factory.</p>" + f"<p>{QUOTE}</p>"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served on 127.0.0.1 holding Acme's statement and a wire story linking it."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "statement.html").write_bytes(
        page("Acme statement", "2024-01-10", STATEMENT, site="Acme Corp")
    )
    wire = quoting(QUOTE) + link("statement.html", "the company's statement")
    (folder / "wire.html").write_bytes(
        page("Acme picks Ohio", "2024-01-11", wire, site="Demo Wire")
    )
    with serve_directory(folder) as base:
        yield folder, base


def chain_of_column(tmp_path: Path, site: tuple[Path, str], body: str) -> list[tuple[str, str]]:
    """Add the statement, the wire and a column with BODY; the column's quote's chain, hop by
    hop: the page and how the one above reached it."""
    folder, base = site
    (folder / "column.html").write_bytes(page("Column: Ohio", "2024-01-20", body, site="Views"))
    db = tmp_path / "test.db"
    runner = CliRunner()
    for name, role in (("statement", "primary"), ("wire", "secondary"), ("column", "secondary")):
        url = f"{base}/{name}.html"
        args = ["--db", str(db), "add", url, "--role", role, "--allow-host", "127.0.0.1"]
        added = runner.invoke(app, args)
        assert added.exit_code == 0, added.output + added.stderr
    column = open_db(db)
    (quote,) = storage.quotes_of(
        column, storage.latest_document_id(column, f"{base}/column.html") or 0
    )
    result = runner.invoke(app, ["--db", str(db), "chain", str(quote.id), "--json"])
    assert result.exit_code == 0, result.stderr
    hops = json.loads(result.stdout)["hops"]
    return [(h["appearance"]["url"].rsplit("/", 1)[-1], h["via"]) for h in hops]


def test_the_outlet_reporting_is_named_not_the_company_it_reports_on(
    tmp_path: Path, site: tuple[Path, str]
) -> None:
    """The sentence "As Demo Wire reported, Dana Reyes wanted Acme Corp to …" names the wire;
    Acme Corp is only who she spoke to. The chain skipped the wire, straight to Acme's
    statement as if the column named it."""
    body = f"<p>As Demo Wire reported, Dana Reyes wanted Acme Corp to keep it: “{QUOTE}”</p>"
    assert chain_of_column(tmp_path, site, body) == [
        ("column.html", None),
        ("wire.html", "named"),
        ("statement.html", "link"),
        ("statement.html", "within"),
    ]


def test_a_link_to_a_page_carrying_the_quote_wins_over_a_name(
    tmp_path: Path, site: tuple[Path, str]
) -> None:
    """The column names Acme's announcement and links the wire it read the words in: the
    chain went straight to the statement by its name and dropped the linked wire."""
    wire = '<a href="wire.html">Demo Wire reported</a>'
    body = f"<p>Acme Corp announced the plant, and as {wire}, Dana Reyes said: “{QUOTE}”</p>"
    assert chain_of_column(tmp_path, site, body) == [
        ("column.html", None),
        ("wire.html", "link"),
        ("statement.html", "link"),
        ("statement.html", "within"),
    ]
