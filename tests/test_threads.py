"""Threads as units: replies that quote the earlier message, text-message threads, and the
2024-12-13 layout of OpenAI's posts; the mbox added with the real CLI and traced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crawlers import get_crawler
from crawlers._email import Headers, split_body
from crawlers._replies import split_reply, split_texts
from provenance.cli import app
from provenance.matching import distinct_passages
from provenance.models import REDACTED, Capture, Document, Unit
from provenance.storage import Database, save_document
from provenance.trace import trace_quote

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "crawlers"
MBOX = FIXTURES / "email_file" / "reply-and-texts-2018.mbox"
DECEMBER = FIXTURES / "openai_emails" / "elon-musk-wanted-an-openai-for-profit-2024-12-13.html"
CANONICAL = (
    "A for-profit pivot might create a more sustainable revenue stream over time and would, "
    "with the current team, likely bring in a lot of investment."
)


def test_a_quote_from_the_quoted_part_of_a_reply_is_the_earlier_author_s(tmp_path: Path) -> None:
    db = str(tmp_path / "mail.db")
    runner = CliRunner()
    added = runner.invoke(app, ["--db", db, "add", str(MBOX)])
    assert added.exit_code == 0, added.output
    traced = runner.invoke(
        app, ["--db", db, "trace", CANONICAL, "--speaker", "Elon Musk", "--json"]
    )
    result = json.loads(traced.stdout)
    unit = result["best"]["unit"]
    assert (unit["author"], unit["date"]) == ("Andrej Karpathy", "2018-01-31T23:54")
    assert "misattributed" in result["flags"]
    own = runner.invoke(
        app, ["--db", db, "trace", "Tesla is the only path", "--speaker", "Elon Musk", "--json"]
    )
    mine = json.loads(own.stdout)
    assert mine["best"]["unit"]["author"] == "Elon Musk" and "misattributed" not in mine["flags"]
    texted = runner.invoke(app, ["--db", db, "trace", "I will bring the draft", "--json"])
    assert texted.exit_code == 1  # only in the OpenAI fixture, not this mailbox
    text = runner.invoke(app, ["--db", db, "trace", "It goes out Monday with the", "--json"])
    best = json.loads(text.stdout)["best"]["unit"]
    assert (best["kind"], best["author"], best["date"]) == (
        "text_message",
        "Sam Ortiz",
        "2018-02-02T09:20",
    )
    assert best["recipients"] == ["Dana Reyes"]


def test_the_december_post_has_a_unit_per_email_and_per_text() -> None:
    url = "https://openai.com/index/elon-musk-wanted-an-openai-for-profit/"
    document = get_crawler("openai_emails").parse(DECEMBER.read_bytes(), url=url)
    rows = [
        (u.kind, u.author, u.date, u.forwarded_by)
        for u in document.units
        if u.kind in ("email", "text_message")
    ]
    assert rows == [
        ("text_message", "Dana Reyes", "2017-09-22T10:56", None),
        ("text_message", "Sam Ortiz", "2017-09-22T11:02", None),
        ("text_message", "Dana Reyes", "2017-09-22T11:03", None),
        ("email", "Elon Musk", "2018-02-01T03:52", None),
        ("email", REDACTED, "2018-01-31T23:54", "Elon Musk"),
    ]
    forwarded = next(u for u in document.units if u.author == REDACTED)
    assert CANONICAL in document.unit_text(forwarded)


def test_a_wrapped_attribution_and_nested_quotes() -> None:
    body = (
        "Agreed.\n\nOn Wed, Jan 31, 2018 at 11:54 PM Andrej Karpathy <a@example.com>\nwrote:\n"
        "> The plan.\n>\n> On Tue, Jan 30, 2018 at 9:00 AM, Elon Musk <e@example.com> wrote:\n"
        ">> The first words."
    )
    own, quoted = split_reply(body)
    assert own == "Agreed."
    assert [(m.headers.sender, m.headers.date, m.text) for m in quoted] == [
        ("Andrej Karpathy", "2018-01-31T23:54", "The plan."),
        ("Elon Musk", "2018-01-30T09:00", "The first words."),
    ]


def test_a_numeric_date_in_a_text_thread_is_not_guessed() -> None:
    _, texts = split_texts("[9/22/17, 10:56 AM] A B: one\n[Sep 22, 2017, 11:00 AM] C D: two")
    assert [(t.sender, t.date) for t in texts] == [("A B", None), ("C D", "2017-09-22T11:00")]


def test_a_lone_bracketed_line_is_not_a_thread() -> None:
    text = "[Sep 22, 2017] Note: one line only."
    assert split_texts(text) == (text, [])


@pytest.mark.parametrize(
    ("attribution", "date"),
    [
        ("On 3/1/18 9:15 AM, Alice Author wrote:", None),
        ("On 2018-03-01 09:15, Alice Author wrote:", "2018-03-01T09:15"),
        (
            "On Thursday, March 1, 2018, 09:15:00 AM EST, Alice Author <a@example.com> wrote:",
            "2018-03-01T09:15:00-05:00",
        ),
        ("On 1 Mar 2018, at 09:15, Alice Author <a@example.com> wrote:", "2018-03-01T09:15"),
    ],
)
def test_an_attribution_line_names_the_writer_whatever_its_date_form(
    attribution: str, date: str | None
) -> None:
    _, quoted = split_reply(f"Agreed.\n\n{attribution}\n> The plan.")
    assert [(m.headers.sender, m.headers.date, m.text) for m in quoted] == [
        ("Alice Author", date, "The plan.")
    ]


def test_numbered_footnotes_are_not_a_text_thread() -> None:
    text = "Two papers.\n\n[1] Hinton: Deep learning review.\n[2] LeCun: Convolutional networks."
    assert split_texts(text) == (text, [])


def test_the_writer_s_paragraph_after_a_thread_is_the_writer_s() -> None:
    text = (
        "The thread:\n\n[Sep 22, 2017, 10:56 AM] A B: one\ngoes on\n"
        "[Sep 22, 2017, 10:57 AM] C D: two\n\nMy own view."
    )
    own, texts = split_texts(text)
    assert own == "The thread:\n\nMy own view."
    assert [t.text for t in texts] == ["one\ngoes on", "two"]


@pytest.mark.parametrize(
    "attribution",
    [
        "Le jeu. 1 mars 2018 à 09:15, Alice Author <a@example.com> a écrit :",
        "Am Do., 1. März 2018 um 09:15 Uhr schrieb Alice Author <a@example.com>:",
    ],
)
def test_french_and_german_attribution_lines(attribution: str) -> None:
    _, quoted = split_reply(f"Non.\n\n{attribution}\n> The plan.")
    assert [(m.headers.sender, m.headers.date, m.text) for m in quoted] == [
        ("Alice Author", "2018-03-01T09:15", "The plan.")
    ]


@pytest.mark.parametrize(
    ("marker", "headers"),
    [
        (
            "-----Ursprüngliche Nachricht-----",
            "Von: Alice Author <a@example.com>\nGesendet: Donnerstag, 1. März 2018 09:15\n"
            "An: Bob Boss <b@example.com>\nBetreff: plan",
        ),
        (
            "---------- Message transféré ---------",
            "De : Alice Author <a@example.com>\nDate: jeu. 1 mars 2018 à 09:15\n"
            "Subject: plan\nTo: Bob Boss <b@example.com>",
        ),
    ],
)
def test_french_and_german_forwards(marker: str, headers: str) -> None:
    own, carried = split_body(f"Voilà.\n\n{marker}\n{headers}\n\nThe plan.", Headers("Bob Boss"))
    assert own == "Voilà."
    rows = [(m.headers.sender, m.headers.date, m.headers.subject, m.text) for m in carried]
    assert rows == [("Alice Author", "2018-03-01T09:15", "plan", "The plan.")]


@pytest.mark.parametrize(
    ("box", "quote", "end"),
    [
        (b"<div>", b"<br>&gt; Elon's words.</p>", b"</div>"),
        (b"<blockquote>", b"</p><blockquote><p>Elon's words.</p></blockquote>", b"</blockquote>"),
    ],
    ids=["gt-lines", "blockquote"],
)
def test_an_openai_email_s_quoted_part_is_the_earlier_writer_s(
    box: bytes, quote: bytes, end: bytes
) -> None:
    page = (
        b"<html><body><article><p>Narrative.</p>"
        + box
        + b"<p>From: Greg Brockman &lt;&gt;<br>To: Elon Musk &lt;&gt;<br>"
        b"Date: Mon, Sep 18, 2017 at 10:00 AM</p><p>Greg's reply.</p>"
        b"<p>On Sun, Sep 17, 2017 at 9:00 PM Elon Musk &lt;&gt; wrote:"
        + quote
        + end
        + b"</article></body></html>"
    )
    document = get_crawler("openai_emails").parse(page, url="https://openai.com/index/x/")
    rows = [(u.author, document.unit_text(u)) for u in document.units if u.kind == "email"]
    assert rows == [("Greg Brockman", "Greg's reply."), ("Elon Musk", "Elon's words.")]


FLOOD_NOTE = (
    "Before we open the lower car park again, I want the drains cleared and the kerb "
    "repainted, because the last storm left silt right up to the ticket machines."
)


def _page_of_emails(order: tuple[str, str]) -> Document:
    """A page printing Priya's note on its own and inside Tomas's forward, in this order."""
    units, text = [], ""
    for which in order:
        start, text = len(text), text + FLOOD_NOTE + "\n\n"
        forwarded = which == "forward"
        units.append(
            Unit(
                "email",
                start,
                start + len(FLOOD_NOTE),
                author="Priya Nair",
                date="2022-10-03T17:10",
                forwarded_by="Tomas Berg" if forwarded else None,
                forwarded_at="2022-10-04T09:30" if forwarded else None,
            )
        )
    url = "https://archive.example/car-park"
    return Document(url, "test", "primary", "Car park emails", text, tuple(units))


@pytest.mark.parametrize("order", [("original", "forward"), ("forward", "original")])
def test_a_page_holding_an_email_and_its_forward_traces_to_the_email_then_the_forward(
    db: Database, order: tuple[str, str]
) -> None:
    """Units of one page holding one passage were merged into one, the original lost: the
    writer's email comes first in any order on the page, its forward listed after it;
    but credited to the forwarder, the forward, which records his mistake, comes first."""
    document = _page_of_emails(order)
    captured = Capture(document.url, document.url, "2024-01-01T00:00:00+00:00", b"page")
    save_document(db, captured, document, [])
    original = (None, ())
    forward = ("Tomas Berg", ("forwarded",))
    result = trace_quote(db, FLOOD_NOTE, speaker="Priya Nair")
    assert [(m.unit.forwarded_by, m.flags) for m in result.matches] == [original, forward]
    result = trace_quote(db, FLOOD_NOTE, speaker="Tomas Berg", date="2022-10-04")
    assert [(m.unit.forwarded_by, m.flags) for m in result.matches] == [
        ("Tomas Berg", ("forwarded", "misattributed", "date_mismatch", "date_of_forward")),
        (None, ("misattributed", "date_mismatch")),
    ]


def test_a_short_quote_in_every_copy_of_one_email_is_found(tmp_path: Path) -> None:
    """The 2018 thread stored five times (two OpenAI posts, the forward's .eml, two
    mboxes), excerpted and wrapped differently: the 150 characters around "attach to Tesla
    as its cash cow" differ from copy to copy, so the short quote counted as standing in
    five unrelated passages and came back NOT FOUND, "too common to trace". The copies
    share the sentence around it, which makes them one passage."""
    db = str(tmp_path / "all.db")
    runner = CliRunner()
    copies = [*FIXTURES.glob("openai_emails/*.html"), *FIXTURES.glob("email_file/*.[em][mb]*")]
    added = runner.invoke(app, ["--db", db, "add", *map(str, copies)])
    assert added.exit_code == 0, added.output
    traced = runner.invoke(app, ["--db", db, "trace", "attach to Tesla as its cash cow", "--json"])
    result = json.loads(traced.stdout)
    assert result["status"] == "found", result["explanation"]
    assert len({m["document"]["url"] for m in result["matches"]}) == 5


def test_a_stock_phrase_in_two_sentences_is_two_passages() -> None:
    """The other side: the same words in different sentences are not one passage."""
    one = "We told the board in May. Nobody wanted to attach to Tesla as its cash cow then."
    two = "Her plan was simple enough: attach to Tesla as its cash cow and grow from there."
    spans = [(text, text.index("attach"), text.index("cow") + 3) for text in (one, two)]
    assert distinct_passages(spans) == 2
    assert distinct_passages([spans[0], (one + " More.", spans[0][1], spans[0][2])]) == 1


FERRY_LINE = "The ferry timetable cannot take another winter of cancelled crossings."
FERRY_ORIGINAL = f"""From: Ines Okafor <ines@ferries.example>
To: Marek Duda <marek@ferries.example>
Subject: Winter timetable
Date: Wed, 9 Oct 2024 21:15:00 -0700
Message-ID: <winter-1@ferries.example>

Marek, one thing before the board meets. {FERRY_LINE}
"""
FERRY_FORWARD = f"""From: Marek Duda <marek@ferries.example>
To: Lena Hart <lena@ferries.example>
Subject: Fwd: Winter timetable
Date: Thu, 10 Oct 2024 08:40:00 +0100
Message-ID: <winter-2@ferries.example>

Lena, for the board pack.

---------- Forwarded message ---------
From: Ines Okafor <ines@ferries.example>
Date: Wed, 9 Oct 2024 at 21:15
Subject: Winter timetable
To: Marek Duda <marek@ferries.example>

Marek, one thing before the board meets. {FERRY_LINE}
"""


def _mailbox_db(tmp_path: Path, messages: list[str]) -> str:
    """A database file holding these messages, added as one primary mbox with the CLI."""
    mbox = tmp_path / "winter.mbox"
    separator = "From x@ferries.example Thu Oct 10 08:40:00 2024\n"
    mbox.write_text("".join(f"{separator}{message}\n" for message in messages))
    db = str(tmp_path / "winter.db")
    added = CliRunner().invoke(app, ["--db", db, "add", str(mbox), "--role", "primary"])
    assert added.exit_code == 0, added.output
    return db


@pytest.mark.parametrize("forward_first", [False, True])
def test_an_email_and_its_forward_in_one_mailbox_trace_to_the_email_first(
    tmp_path: Path, forward_first: bool
) -> None:
    """Of two units of one mailbox holding one passage only one was kept, the forward: the
    writer's own email, sent from another time zone than the forward's, was not listed."""
    messages = [FERRY_FORWARD, FERRY_ORIGINAL] if forward_first else [FERRY_ORIGINAL, FERRY_FORWARD]
    db = _mailbox_db(tmp_path, messages)
    args = ["--speaker", "Ines Okafor", "--date", "2024-10-09", "--json"]
    traced = CliRunner().invoke(app, ["--db", db, "trace", FERRY_LINE, *args])
    result = json.loads(traced.stdout)
    listed = [(m["unit"]["forwarded_by"], m["flags"]) for m in result["matches"]]
    assert listed == [(None, []), ("Marek Duda", ["forwarded"])]
    assert result["flags"] == [] and result["best"]["unit"]["date"] == "2024-10-09T21:15:00-07:00"


def test_the_origin_of_an_email_s_words_is_the_email_not_its_forward(tmp_path: Path) -> None:
    """`chain` named the forward the origin: the copy's 21:15, without an offset, read at
    the forwarder's +01:00, came eight hours before the email sent at 21:15 -07:00."""
    db = _mailbox_db(tmp_path, [FERRY_ORIGINAL, FERRY_FORWARD])
    chained = CliRunner().invoke(app, ["--db", db, "chain", FERRY_LINE, "--json"])
    origin = json.loads(chained.stdout)["origin"]["unit"]
    assert (origin["forwarded_by"], origin["date"]) == (None, "2024-10-09T21:15:00-07:00")


def test_words_credited_to_their_forwarder_are_traced_to_his_forward_first(
    tmp_path: Path,
) -> None:
    """The canonical mistake, with the original in the corpus too: credited to Marek Duda on
    the day he forwarded them, the words led with Ines Okafor's email, which says nothing
    of a forward, and "Forwarded by Marek Duda" was told only of the second match."""
    db = _mailbox_db(tmp_path, [FERRY_ORIGINAL, FERRY_FORWARD])
    args = ["--speaker", "Marek Duda", "--date", "2024-10-10", "--json"]
    result = json.loads(CliRunner().invoke(app, ["--db", db, "trace", FERRY_LINE, *args]).stdout)
    listed = [m["unit"]["forwarded_by"] for m in result["matches"]]
    assert listed == ["Marek Duda", None]
    assert result["flags"] == ["forwarded", "misattributed", "date_mismatch", "date_of_forward"]
    assert "Marek Duda forwarded these words" in " ".join(result["explanation"])
