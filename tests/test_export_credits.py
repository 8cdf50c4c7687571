"""What an article's credit of the quote is (its `flags` in the JSON) is said in words by
every human output: the terminal's chain, the Markdown report and the ClaimReview rating.
Corpora stored with the real parser and ingest flow, read back through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from chain_corpora import FIRM, NEWS, QUOTE, add, link, page
from typer.testing import CliRunner

from provenance.cli import app
from provenance.ingest import Overrides, ingest
from provenance.models import REDACTED, Capture, Document, Unit
from provenance.storage import Database, save_document

ORGANISATION = (
    "credited to Acme Corp (the publisher, not the person who wrote them; "
    "dated 2019-03-03, not the source's date)"
)


def statement_by(db: Database, author: str) -> None:
    """Acme's statement, its words written by `author`."""
    body = page("Acme statement", "2024-01-10", f"<p>{QUOTE}</p>", site="Acme Corp")
    capture = Capture(f"{FIRM}/statement", f"{FIRM}/statement", "2025-01-02T03:04:05+00:00", body)
    ingest(db, capture, Overrides(role="primary", author=author))


def forwarded_email(db: Database) -> None:
    """An email by a redacted sender, forwarded by Dana Reyes a day after it was sent."""
    url = f"{FIRM}/emails"
    unit = Unit(
        "email",
        0,
        len(QUOTE),
        author=REDACTED,
        date="2024-01-10T09:00",
        forwarded_by="Dana Reyes",
        forwarded_at="2024-01-11T10:00",
    )
    document = Document(url, "email_file", "primary", "Acme emails", QUOTE, (unit,))
    capture = Capture(url, url, "2025-01-02T03:04:05+00:00", QUOTE.encode())
    save_document(db, capture, document, [])


def article(db: Database, opening: str, quote: str = QUOTE) -> None:
    """The article in hand, printing `quote` after `opening` and linking the source."""
    body = f"<p>{opening} “{quote}”</p>" + link(f"{FIRM}/statement", "the statement")
    add(db, f"{NEWS}/a", page("Column: Ohio", "2024-01-20", body))


def output(db_path: Path, *options: str) -> str:
    result = CliRunner().invoke(app, ["--db", str(db_path), "chain", QUOTE, *options])
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split())


@pytest.fixture
def organisation_credited(db: Database, tmp_path: Path) -> Path:
    """A person's statement credited to the organisation that published it, misdated."""
    statement_by(db, "Dana Reyes")
    article(db, "On March 3, 2019, Acme Corp said:")
    return tmp_path / "test.db"


@pytest.mark.parametrize("options", [(), ("--format", "markdown")])
def test_the_chain_says_a_credit_to_the_publisher_and_a_wrong_date(
    organisation_credited: Path, options: tuple[str, ...]
) -> None:
    assert ORGANISATION in output(organisation_credited, *options)


def test_the_claimreview_rating_says_a_credit_to_the_publisher_and_a_wrong_date(
    organisation_credited: Path,
) -> None:
    review = json.loads(output(organisation_credited, "--format", "claimreview"))
    assert review["reviewRating"]["alternateName"] == (
        f"Found in the primary source (verbatim); {ORGANISATION}"
    )


def test_an_unknown_author_and_the_date_of_a_forward_are_said(db: Database, tmp_path: Path) -> None:
    forwarded_email(db)
    article(db, "On January 11, 2024, Sam Okoro wrote:")
    said = output(tmp_path / "test.db")
    assert (
        "credited to Sam Okoro (unconfirmed: the source does not name its author; "
        "dated 2024-01-11, the forward's date, not the original's)"
    ) in said
    review = json.loads(output(tmp_path / "test.db", "--format", "claimreview"))
    assert "the forward's date" in review["reviewRating"]["alternateName"]


def test_the_claimreview_rates_the_article_s_own_wording(db: Database, tmp_path: Path) -> None:
    """The review is of the words the article prints, not of the source's: an article
    that changes a word is rated altered, though the origin holds the words verbatim."""
    statement_by(db, "Dana Reyes")
    article(db, "Dana Reyes said:", QUOTE.replace("the best", "the finest"))
    review = json.loads(output(tmp_path / "test.db", "--format", "claimreview"))
    assert review["reviewRating"]["alternateName"] == "Found in the primary source (altered)"


def test_an_organisation_s_statement_is_an_organisation_s_in_linked_data(
    db: Database, tmp_path: Path
) -> None:
    """Acme Corp wrote the origin: schema.org's author is an Organization and PROV's agent
    a prov:Organization, not a person of that name."""
    statement_by(db, "Acme Corp")
    article(db, "Dana Reyes said:")
    review = json.loads(output(tmp_path / "test.db", "--format", "claimreview"))
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Acme Corp"}
    prov = json.loads(output(tmp_path / "test.db", "--format", "prov-json"))
    agents = {a["prov:label"]: a["prov:type"]["$"] for a in prov["agent"].values()}
    assert agents == {"Acme Corp": "prov:Organization"}
