"""A composed complaint on pleading paper, end to end: the PDF is written with reportlab,
added with the real CLI into a real database, and quotes traced to their pin cites."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen.canvas import Canvas
from typer.testing import CliRunner

from crawlers import get_crawler
from crawlers._filing import short_form
from provenance.cli import app
from provenance.compose_filing import compose_filing
from provenance.errors import ParseError

SPEC = (
    Path(__file__).resolve().parent.parent
    / "fixtures/crawlers/court_pdf/musk-v-altman-complaint.filing.txt"
)
URL = "https://storage.courtlistener.com/recap/gov.uscourts.cand.433688/gov.uscourts.cand.433688.1.0.pdf"
ACROSS_THE_BREAK = (
    "The forwarded email set out a path in plain terms. It said: A for-profit pivot might "
    "create a more sustainable revenue stream over time and would, with the current team, "
    "likely bring in a lot of investment."
)
CANONICAL = (
    "A for-profit pivot might create a more sustainable revenue stream over time and would, "
    "with the current team, likely bring in a lot of investment."
)


def add_filing(tmp: Path, spec: str, url: str) -> tuple[Path, str]:
    """A database in TMP with the filing SPEC composes to added as URL, and its title."""
    pdf = tmp / "filing.pdf"
    pdf.write_bytes(compose_filing(spec))
    db = tmp / "filing.db"
    added = CliRunner().invoke(app, ["--db", str(db), "add", str(pdf), "--url", url, "--json"])
    assert added.exit_code == 0, added.output
    title: str = json.loads(added.stdout)[0]["title"]
    return db, title


@pytest.fixture(scope="module")
def filing_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = SPEC.read_text(encoding="utf-8")
    db, title = add_filing(tmp_path_factory.mktemp("filing"), spec, URL)
    assert title == "Complaint, ECF No. 1, 4:24-cv-04722-YGR"
    return db


def trace(db: Path, quote: str, *options: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["--db", str(db), "trace", quote, "--json", *options])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_a_quote_across_a_page_break_has_its_paragraph_and_pin_cite(filing_db: Path) -> None:
    best = trace(filing_db, ACROSS_THE_BREAK)["best"]
    assert best["verdict"] == "verbatim"
    assert best["unit"]["label"] == "¶ 7"
    assert best["unit"]["page"] == 2
    assert best["unit"]["cite"] == "Compl. ¶ 7, ECF No. 1 at 2–3"
    assert best["cite"] == "Compl. ¶ 7, ECF No. 1 at 2–3"
    assert best["link"] == URL + "#page=2"
    # No line number, header or footer got into the matched words.
    assert best["matched_text"] == ACROSS_THE_BREAK


def test_a_quote_on_one_page_cites_that_page(filing_db: Path) -> None:
    quote = "the current team, likely bring in a lot of investment. A few sentences later"
    best = trace(filing_db, quote)["best"]
    assert (best["unit"]["label"], best["cite"]) == ("¶ 7", "Compl. ¶ 7, ECF No. 1 at 3")
    assert best["link"] == URL + "#page=3"


def test_the_exhibit_email_is_the_source_with_its_author(filing_db: Path) -> None:
    result = trace(filing_db, CANONICAL, "--speaker", "Elon Musk", "--date", "2018-01-31")
    best = result["best"]
    assert best["unit"]["kind"] == "email"
    assert best["unit"]["author"] == "Andrej Karpathy"
    assert best["unit"]["forwarded_by"] == "Elon Musk"
    assert best["cite"] == "Compl. Ex. A, ECF No. 1 at 5"
    assert best["link"] == URL + "#page=5"
    assert "misattributed" in result["flags"]


def test_the_chain_opens_the_filing_at_its_page_with_its_pin_cite(filing_db: Path) -> None:
    """`chain` gave a filing a text fragment, which a PDF viewer ignores, and no cite."""
    result = CliRunner().invoke(app, ["--db", str(filing_db), "chain", ACROSS_THE_BREAK, "--json"])
    origin = json.loads(result.stdout)["origin"]
    assert (origin["cite"], origin["link"]) == ("Compl. ¶ 7, ECF No. 1 at 2–3", URL + "#page=2")
    text = CliRunner().invoke(app, ["--db", str(filing_db), "chain", ACROSS_THE_BREAK]).stdout
    assert "Compl. ¶ 7, ECF No. 1 at 2–3" in " ".join(text.split())


def test_the_human_output_prints_the_pin_cite(filing_db: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(filing_db), "trace", ACROSS_THE_BREAK])
    assert "Cite: Compl. ¶ 7, ECF No. 1 at 2–3" in result.stdout


# Composed filings parsed with the real crawler: what is taken off a page, and what is not.

HEAD = "Case: 4:24-cv-04722-YGR\nDocument: 12\nFiled: 08/05/24\nFooter: COMPLAINT\n\n"


def parse_filing(body: str) -> list[tuple[str, str | None, str]]:
    """The kind, author and text of each unit of the filing BODY composes to."""
    document = get_crawler("court_pdf").parse(compose_filing(HEAD + body), url=URL)
    return [(u.kind, u.author, document.unit_text(u)) for u in document.units]


def test_paragraphs_alike_but_for_their_numbers_are_all_kept() -> None:
    body = "\n\n".join(
        f"{n}. Paragraph {n} says something about topic {n} and goes on long enough to wrap "
        "onto the next line of the page."
        for n in range(1, 40)
    )
    units = parse_filing("COMPLAINT\n\n" + body)
    assert [text.split(".")[0] for kind, _, text in units if kind == "paragraph"] == [
        str(n) for n in range(1, 40)
    ]
    assert all(not text.startswith("COMPLAINT -") for _, _, text in units)


def test_a_sentence_on_two_pages_stays_on_both() -> None:
    body = (
        "1. Defendant said this the first time.\n\nThe board must act now.\n\n[page]\n\n"
        "2. Defendant said it again.\n\nThe board must act now."
    )
    assert parse_filing(body) == [
        ("paragraph", None, "1. Defendant said this the first time. The board must act now."),
        ("paragraph", None, "2. Defendant said it again. The board must act now."),
    ]


def test_exhibit_emails_a_page_each_keep_their_headers() -> None:
    email = "From: Elon Musk <>\nTo: Greg Brockman <>\nDate: {0}\nSubject: plan\n\n{1}"
    body = "\n\n[page]\n\n".join(
        [
            "1. I attach three emails.",
            "EXHIBIT A",
            email.format("Thu, Feb 1, 2018 at 3:52 AM", "The merger plan."),
            email.format("Fri, Feb 2, 2018 at 4:10 AM", "The board seats."),
            email.format("Sat, Feb 3, 2018 at 5:20 AM", "The funding round."),
        ]
    )
    assert parse_filing(body)[1:] == [
        ("email", "Elon Musk", "The merger plan."),
        ("email", "Elon Musk", "The board seats."),
        ("email", "Elon Musk", "The funding round."),
    ]


def test_a_capitals_line_that_wraps_a_paragraph_is_not_a_heading() -> None:
    body = "1. I am the declarant and attach true copies of three emails as Exhibit A.\n\nFACTS"
    assert parse_filing(body) == [
        (
            "paragraph",
            None,
            "1. I am the declarant and attach true copies of three emails as Exhibit A.",
        ),
        ("heading", None, "FACTS"),
    ]


def test_a_pdf_with_a_user_password_is_said_to_be_encrypted() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, encrypt=StandardEncryption("secret", ownerPassword="owner"))
    canvas.drawString(80, 700, "1. Encrypted words.")
    canvas.showPage()
    canvas.save()
    with pytest.raises(ParseError, match="encrypted with a password"):
        get_crawler("court_pdf").parse(buffer.getvalue(), url=URL)


def test_an_exhibit_reply_s_quoted_words_are_the_earlier_writer_s() -> None:
    body = (
        "1. Exhibit B is the reply.\n\n[page]\n\nEXHIBIT B\n\n[page]\n\n"
        "From: Greg Brockman <>\nTo: Elon Musk <>\nDate: Mon, Sep 18, 2017 at 10:00 AM\n"
        "Subject: Re: structure\n\nGreg's reply.\n\n"
        "On Sun, Sep 17, 2017 at 9:00 PM Elon Musk <> wrote:\n> Elon's words."
    )
    assert parse_filing(body)[1:] == [
        ("email", "Greg Brockman", "Greg's reply."),
        ("email", "Elon Musk", "Elon's words."),
    ]


@pytest.mark.parametrize(
    ("title", "cited"),
    [
        ("ORDER DENYING PLAINTIFFS' MOTION FOR PRELIMINARY INJUNCTION", "Order"),
        ("DEFENDANTS' ANSWER TO FIRST AMENDED COMPLAINT", "Answer"),
        ("REPLY IN SUPPORT OF MOTION TO DISMISS", "Reply"),
        ("ORDER GRANTING MOTION TO DISMISS FIRST AMENDED COMPLAINT", "Order"),
        ("FIRST AMENDED COMPLAINT FOR BREACH OF CONTRACT", "First Am. Compl."),
        ("DECLARATION OF JANE DOE IN SUPPORT OF MOTION", "Decl."),
    ],
)
def test_a_filing_is_cited_as_the_kind_of_document_its_title_names_first(
    title: str, cited: str
) -> None:
    """An order denying a motion is an order, not a motion; an answer to a complaint is an
    answer: a cite that names the wrong document sends a reader to the wrong filing."""
    assert short_form(title) == cited


ORDER = """Case: 4:24-cv-04722-YGR
Document: 130
Filed: 03/04/25
Footer: ORDER DENYING MOTION FOR PRELIMINARY INJUNCTION

ORDER DENYING PLAINTIFFS' MOTION FOR PRELIMINARY INJUNCTION

1. Likelihood of Success on the Merits

The record does not show that the founders agreed the nonprofit would never change its structure.

2. Irreparable Harm

Plaintiffs waited months before seeking relief, which undercuts any claim that the harm is imminent.
"""


def test_an_orders_numbered_sections_are_headings_not_paragraphs(tmp_path: Path) -> None:
    """ "2. Irreparable Harm" titles a section of an order: the text under it is no ¶ 2,
    and a quote from it is cited as the order's page, not as a numbered paragraph."""
    db, _ = add_filing(tmp_path, ORDER, URL)
    best = trace(db, "Plaintiffs waited months before seeking relief, which undercuts any claim")
    assert best["best"]["unit"]["label"] is None
    assert best["best"]["cite"] == "ECF No. 130 at 1"


# A footnote at the foot of a page, under a paragraph that runs onto the next page.

FOOTNOTED = SPEC.with_name("reyes-v-harbourworks-complaint.filing.txt")
FOOTNOTED_URL = "https://court.example/filings/3-24-cv-01234/complaint.pdf"


@pytest.fixture(scope="module")
def footnoted_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = FOOTNOTED.read_text(encoding="utf-8")
    return add_filing(tmp_path_factory.mktemp("footnoted"), spec, FOOTNOTED_URL)[0]


@pytest.mark.parametrize(
    ("quote", "label", "at", "page"),
    [
        # Across the page break, where footnote 1 sat between "was" and "thanked".
        ("the finance team was thanked for its caution", "¶ 5", "1–2", 1),
        # Over footnote 2's raised marker ("accounts,2 which").
        ("the Lisbon accounts, which had been flagged by the auditors", "¶ 5", "2", 2),
    ],
)
def test_a_footnote_is_kept_out_of_the_paragraph_and_its_marker_out_of_the_words(
    footnoted_db: Path, quote: str, label: str, at: str, page: int
) -> None:
    """A page's footnote was read as the next line of the paragraph running past it, so a
    quote across the page break was not found, and the marker digit split the words."""
    best = trace(footnoted_db, quote)["best"]
    assert (best["unit"]["label"], best["matched_text"]) == (label, quote)
    assert best["cite"] == f"Compl. {label}, ECF No. 1 at {at}"
    assert best["link"] == f"{FOOTNOTED_URL}#page={page}"


def test_a_quote_from_a_footnote_is_cited_as_the_note_of_its_paragraph(footnoted_db: Path) -> None:
    best = trace(footnoted_db, "owes the finance team a debt for holding the line on Lisbon")[
        "best"
    ]
    assert (best["unit"]["kind"], best["unit"]["label"]) == ("footnote", "¶ 5 n.2")
    assert best["cite"] == "Compl. ¶ 5 n.2, ECF No. 1 at 2"
    assert best["link"] == FOOTNOTED_URL + "#page=2"
