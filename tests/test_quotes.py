"""Quote extraction against the composed case table fixtures/quotes/cases.jsonl.

Each case is a few paragraphs (an object {"blockquote": ...} marks a block quote, and
{"paragraph": ..., "date": ...} a paragraph with a date of its own, as a live blog's entry
has) and the quotes expected from them, as {text, form, speaker, claimed_date};
`known_miss` says why a case is known to fail. Documents are built with
the crawlers' own TextBuilder, so offsets are laid out exactly as a crawler lays them out.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from crawlers._text import TextBuilder
from provenance.matching import JOIN
from provenance.models import Document, Quote, Unit
from provenance.quotes import extract_quotes

CASES_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "quotes" / "cases.jsonl"
MIN_CASES = 40

Case = dict[str, Any]
Row = dict[str, str | None]


def load_cases() -> list[Case]:
    with CASES_PATH.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


CASES = load_cases()


def build_document(case: Case) -> Document:
    """An article Document with one paragraph or blockquote unit, dated or not, per piece."""
    builder = TextBuilder()
    for piece in case["paragraphs"]:
        piece = piece if isinstance(piece, dict) else {"paragraph": piece}
        kind = "blockquote" if "blockquote" in piece else "paragraph"
        builder.add(piece[kind], Unit(kind=kind, start=0, end=0, date=piece.get("date")))
    return Document(
        url=f"https://example.test/{case['id']}",
        crawler="article",
        role="secondary",
        title=case["id"],
        text=builder.text,
        units=tuple(builder.units),
        published_at=case.get("published_at"),
    )


def as_row(quote: Quote) -> Row:
    return {
        "text": quote.text,
        "form": quote.form,
        "speaker": quote.speaker,
        "claimed_date": quote.claimed_date,
    }


def printed_at_its_span(document: Document, quote: Quote) -> bool:
    """Whether a quote's words stand at its offsets: the span itself, or for a quote its
    attribution interrupts, its parts (joined by matching.JOIN) in order, from start to end."""
    span = document.text[quote.start : quote.end]
    parts = quote.text.split(JOIN)
    position = 0
    for part in parts:
        if (position := span.find(part, position)) < 0:
            return False
        position += len(part)
    return span == quote.text or (span.startswith(parts[0]) and span.endswith(parts[-1]))


def test_case_table_is_large_enough() -> None:
    assert len(CASES) >= MIN_CASES
    assert len({case["id"] for case in CASES}) == len(CASES), "case ids must be unique"


def params(cases: list[Case]) -> list[Any]:
    """One parameter a case; a case with `known_miss` is expected to fail (strictly, so the
    day it passes the mark must go), and counts against recall in test_accuracy.py."""
    return [
        pytest.param(
            case,
            id=case["id"],
            marks=[pytest.mark.xfail(strict=True, reason=case["known_miss"])]
            if "known_miss" in case
            else [],
        )
        for case in cases
    ]


@pytest.mark.parametrize("case", params(CASES))
def test_case(case: Case) -> None:
    document = build_document(case)
    quotes = extract_quotes(document)
    for quote in quotes:
        assert printed_at_its_span(document, quote)
    assert [as_row(q) for q in quotes] == case["expected"]


def test_seed_article_pull_quote() -> None:
    """The opinion piece of cases/for-profit-pivot.md, copied paragraph for paragraph: its one
    quote is the pull-quote credited to Elon Musk and dated by the paragraph before it."""
    case = next(c for c in CASES if c["id"] == "seed_pull_quote")
    document = build_document(case)
    [quote] = extract_quotes(document)
    assert quote.form == "pull"
    assert quote.text.startswith("A for-profit pivot might create")
    assert quote.speaker == "Elon Musk"
    assert quote.claimed_date == "2018-01-31"
    assert document.text[quote.start : quote.end] == quote.text


def test_published_at_argument_overrides_the_document() -> None:
    case = next(c for c in CASES if c["id"] == "date_yesterday")
    document = build_document(case)
    [quote] = extract_quotes(document, published_at="2025-01-15")
    assert quote.claimed_date == "2025-01-14"
    [quote] = extract_quotes(document, published_at="2025-03-01")
    assert quote.claimed_date == "2025-02-28"


def test_date_without_year_is_not_given_the_articles() -> None:
    """A piece published in 2025 saying "on March 3" may mean any year's: the year is
    left out (ISO 8601's --03-03), whatever the date of the article."""
    case = next(c for c in CASES if c["id"] == "date_without_year_leaves_year_unknown")
    document = build_document(case)
    for published_at in ("2025-01-15", "2025-06-01"):
        [quote] = extract_quotes(document, published_at=published_at)
        assert quote.claimed_date == "--03-03"


def test_plain_text_without_units_is_split_at_blank_lines() -> None:
    text = (
        "The death knell is this statement he made on January 31, 2018\n\n"
        "A for-profit pivot might create a more sustainable revenue stream over time.\n\n"
        "Elon Musk\n\nMusk withdrew the lawsuit."
    )
    document = Document(
        url="file:///seed.txt",
        crawler="plain_text",
        role="secondary",
        title="",
        text=text,
        units=(),
    )
    [quote] = extract_quotes(document)
    assert (quote.form, quote.speaker, quote.claimed_date) == ("pull", "Elon Musk", "2018-01-31")


def _article_of(quotes: int) -> Document:
    """An article of `quotes` quoted paragraphs, each credited as news credits them (a name,
    a surname, a pronoun, "the company", "it", a person of a place), with names between."""
    credits = ["Ana Lima", "Lima", "she", "the company", "Harbor Lane Foods", "it", "he",
               "Ron Wyden of Oregon", "Tom Berg"]  # fmt: skip
    paragraphs = [
        f"“Complaint number {n} has no merit at all, and we will say so in court,” "
        f"{credits[n % len(credits)]} said. Tom Berg met Ana Lima of Harbor Lane Foods in May."
        for n in range(quotes)
    ]
    return build_document({"id": "long", "paragraphs": paragraphs})


def test_a_long_articles_quotes_take_time_in_proportion() -> None:
    """Extraction resolved each quote's speaker against every name the article gives, so an
    article of 4,000 quotes (a long transcript, a live blog) took over 100 times as long as one
    of 250, and minutes at 10,000. The bound is loose (linear work is 16 times as long):
    it catches the square, not a slow machine."""
    timings = []
    for quotes in (250, 4000):
        document = _article_of(quotes)
        started = time.perf_counter()
        assert len(extract_quotes(document)) == quotes
        timings.append(time.perf_counter() - started)
    assert timings[1] < 50 * timings[0], timings
