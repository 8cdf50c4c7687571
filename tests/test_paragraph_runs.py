"""A quote that runs over a paragraph break of its source: a statement's two paragraphs
quoted as one block. Each paragraph is its own unit, and the quote is in neither whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from provenance.browse import make_datasette
from provenance.cli import app
from provenance.models import Capture, Document, Unit
from provenance.storage import Database, save_document
from provenance.trace import trace_quote

URL = "https://halvorsen.example/press/recall"
FIRST = (
    "We have found no illness linked to our products, and we are recalling them because "
    "our customers deserve certainty, not because we are required to."
)
SECOND = "Customers can return the tins to any shop for a full refund. No receipt is needed."
LAST = "We will reopen the Bergen line only when an outside inspector has checked it."
OPENING = "Halvorsen Foods is recalling all tins of smoked mackerel as a precaution."


def store_paragraphs(db: Database, paragraphs: list[str], *, kind: str = "paragraph") -> None:
    """A primary statement stored as the article crawler stores a page: a unit a paragraph."""
    text, units = "", []
    for paragraph in paragraphs:
        start = len(text) + (2 if text else 0)
        text = f"{text}\n\n{paragraph}" if text else paragraph
        units.append(Unit(kind, start, len(text), author="Halvorsen Foods", date="2024-05-06"))
    document = Document(URL, "article", "primary", "Recall", text, tuple(units))
    save_document(db, Capture(URL, URL, "2024-05-06T10:00:00+00:00", text.encode()), document, [])


def test_a_quote_over_two_paragraphs_is_found_in_both(db: Database) -> None:
    store_paragraphs(db, [OPENING, FIRST, SECOND, LAST])
    result = trace_quote(db, f"{FIRST}\n\n{SECOND}", speaker="Halvorsen Foods")
    assert result.status == "found"
    assert result.best is not None and result.best.verdict == "verbatim"
    assert " ".join(result.best.matched_text.split()) == f"{FIRST} {SECOND}"
    assert result.best.unit.label == "2 consecutive paragraphs"
    assert "Found verbatim in 2 consecutive paragraphs by Halvorsen Foods" in result.explanation[0]
    assert "misattributed" not in result.flags


def test_the_marks_reopening_each_paragraph_are_not_a_difference(db: Database) -> None:
    """A quote over paragraphs reopens each with a mark: the convention's, not the words'."""
    store_paragraphs(db, [OPENING, FIRST, SECOND, LAST])
    result = trace_quote(db, f"“{FIRST}\n\n“{SECOND}”", speaker="Halvorsen Foods")
    assert result.best is not None and result.best.verdict == "verbatim"
    assert not result.best.differences


def test_a_run_cut_at_both_ends_is_truncated(db: Database) -> None:
    store_paragraphs(db, [OPENING, FIRST, SECOND, LAST])
    quote = "our customers deserve certainty, not because we are required to. Customers can return"
    result = trace_quote(db, f"{quote} the tins to any shop for a full refund.")
    assert result.best is not None and result.best.verdict == "verbatim_truncated"


def test_paragraphs_with_one_between_them_are_not_a_run(db: Database) -> None:
    """Skipping a paragraph without an ellipsis is not quoting the passage as it stands."""
    store_paragraphs(db, [OPENING, FIRST, LAST, SECOND])
    assert trace_quote(db, f"{FIRST} {SECOND}").status == "not_found"


def test_paragraphs_quoted_out_of_order_are_not_a_run(db: Database) -> None:
    store_paragraphs(db, [OPENING, FIRST, SECOND, LAST])
    assert trace_quote(db, f"{SECOND} {FIRST}").status == "not_found"


def test_consecutive_emails_are_not_one_quote(db: Database) -> None:
    """Two messages in a row are two people's words, or one person's on two days."""
    store_paragraphs(db, [OPENING, FIRST, SECOND, LAST], kind="email")
    assert trace_quote(db, f"{FIRST} {SECOND}").status == "not_found"


def check_block_quote(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """`add` the statement as a primary source, `check` an article quoting two of its
    paragraphs as one block; the database and the block quote's result."""
    statement = tmp_path / "statement.html"
    paragraphs = "".join(f"<p>{p}</p>" for p in (OPENING, FIRST, SECOND, LAST))
    statement.write_text(
        f"<html><head><title>Recall</title></head><body><article><h1>Recall</h1>{paragraphs}"
        "</article></body></html>",
        encoding="utf-8",
    )
    article = tmp_path / "story.html"
    article.write_text(
        "<html><head><title>Inside the recall</title>"
        '<meta property="article:published_time" content="2024-05-09T12:00:00+02:00">'
        "</head><body><article><h1>Inside the recall</h1>"
        "<p>Halvorsen Foods answered within hours. Its full statement, published on Monday, "
        f"read:</p><blockquote><p>{FIRST}</p><p>{SECOND}</p></blockquote>"
        "<p>The inquiry goes on.</p></article></body></html>",
        encoding="utf-8",
    )
    db = tmp_path / "p.db"
    runner = CliRunner()
    added = runner.invoke(
        app,
        ["--db", str(db), "add", str(statement), "--role", "primary", "--author",
         "Halvorsen Foods", "--url", URL],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    checked = runner.invoke(app, ["--db", str(db), "check", str(article), "--json"])
    assert checked.exit_code == 0, checked.output
    block = next(q for q in json.loads(checked.stdout)["quotes"] if q["form"] == "block")
    return db, block


def test_check_finds_a_block_quote_over_two_paragraphs(tmp_path: Path) -> None:
    _, block = check_block_quote(tmp_path)
    assert block["status"] == "found"
    assert block["best"]["verdict"] == "verbatim"
    assert block["best"]["document"]["url"] == URL


async def test_the_browse_view_highlights_a_match_over_two_paragraphs(tmp_path: Path) -> None:
    """The match's offsets run over its paragraph and the next: the cell joins them."""
    db, _ = check_block_quote(tmp_path)
    datasette = make_datasette(db)
    try:
        html = (await datasette.client.get("/p/matches?verdict=verbatim")).text
    finally:
        for database in datasette.databases.values():
            database.close()
    assert f"<mark>{FIRST}\n\n{SECOND}</mark>" in html


def test_an_omission_over_a_paragraph_break_is_elided_in_both(db: Database) -> None:
    """An omission mark between words ending one paragraph and words opening the next
    stands for the rest of the first and the break."""
    store_paragraphs(db, [OPENING, FIRST, SECOND, LAST])
    quote = (
        "We have found no illness linked to our products … "
        "customers can return the tins to any shop for a full refund"
    )
    result = trace_quote(db, quote, speaker="Halvorsen Foods")
    assert result.status == "found"
    assert result.best is not None and result.best.verdict == "elided"
    assert result.best.unit.label == "2 consecutive paragraphs"
    omitted = [d.source for d in result.best.differences if d.kind == "omitted"]
    assert [" ".join(text.split()) for text in omitted] == [FIRST[49:]]


def test_an_omission_over_a_whole_paragraph_joins_two_passages(db: Database) -> None:
    """Parts a paragraph apart are two passages, each shown where it stands."""
    store_paragraphs(db, [OPENING, FIRST, SECOND, LAST])
    result = trace_quote(db, f"{FIRST[:-1]} … {LAST}", speaker="Halvorsen Foods")
    assert (result.status, result.best) == ("not_found", None)
    assert [m.matched_text for m in result.matches] == [FIRST[:-1], LAST]
    assert "separate passages of one document" in result.explanation[0]
