"""Email files as mail programs write them: raw UTF-8 headers, unlabelled 8-bit bodies,
attachments and mailboxes, parsed by the real email_file crawler."""

from __future__ import annotations

import pytest

from crawlers import get_crawler
from provenance.errors import ParseError
from provenance.models import Document

URL = "file:///evidence/message.eml"


def parse(raw: bytes) -> Document:
    return get_crawler("email_file").parse(raw, url=URL)


def test_raw_utf8_headers_are_read_as_utf8() -> None:
    raw = (
        "From: José Núñez <jose@example.es>\nTo: Bob <bob@example.com>\n"
        "Date: Thu, 01 Mar 2018 09:15:00 +0100\nSubject: Réunion\n"
        "Content-Type: text/plain; charset=utf-8\n\nHola.\n"
    ).encode()
    document = parse(raw)
    assert (document.title, document.author) == ("Réunion", "José Núñez")
    assert document.units[0].author == "José Núñez"


def test_a_last_first_sender_is_named_in_reading_order() -> None:
    raw = b'From: "Solberg, Ingrid" <ingrid.solberg@fsa.example>\nSubject: x\n\nWords.\n'
    document = parse(raw)
    assert (document.author, document.units[0].author) == ("Ingrid Solberg", "Ingrid Solberg")
    assert document.units[0].label == "Email from Ingrid Solberg"


def test_a_sender_without_a_name_is_their_address_not_a_guessed_name() -> None:
    document = parse(b"From: jonas.eide@halvorsenfoods.example\nSubject: x\n\nWords.\n")
    assert document.units[0].author == "jonas.eide@halvorsenfoods.example"


HEAD = b"From: Alice Author <alice@example.com>\nDate: Thu, 01 Mar 2018 09:15:00 +0100\n"


def test_an_unlabelled_8bit_body_is_read_as_utf8() -> None:
    document = parse(HEAD + "Subject: x\n\nCafé déjà vu — “quote”.\n".encode())
    assert document.text == "Café déjà vu — “quote”."


def test_a_latin1_body_labelled_utf8_is_read_as_windows_1252() -> None:
    head = HEAD + b'Subject: x\nContent-Type: text/plain; charset="utf-8"\n\n'
    document = parse(head + "Café, 5 €.\n".encode("cp1252"))
    assert document.text == "Café, 5 €."


def test_a_bad_message_in_a_mailbox_is_named_and_nothing_is_kept() -> None:
    mailbox = (
        b"From alice@example.com Thu Mar  1 09:15:00 2018\n" + HEAD + b"Subject: one\n\nGood.\n\n"
        b"From bob@example.com Fri Mar  2 10:00:00 2018\nX-Foo: bar\n\nHeaderless.\n"
    )
    with pytest.raises(
        ParseError,
        match=r"message 2 of 2 \(line 8\): not an email \(none of From, Date and Subject\)",
    ):
        parse(mailbox)


def test_a_message_with_only_some_of_the_headers_is_kept_with_the_rest_unknown() -> None:
    """Only a message with none of From, Date and Subject fails its mailbox (README): one
    with To and Subject alone is an email whose sender and date are unknown, never guessed."""
    mailbox = (
        b"From alice@example.com Thu Mar  1 09:15:00 2018\n" + HEAD + b"Subject: one\n\nGood.\n\n"
        b"From MAILER Fri Mar  2 10:00:00 2018\nTo: Bob <bob@example.com>\nSubject: two\n\n"
        b"Unsigned.\n"
    )
    kept = parse(mailbox).units[1]
    assert (kept.author, kept.date, kept.subject) == (None, None, "two")
    assert kept.label == "Email from unknown sender"


def test_a_message_forwarded_as_an_attachment_is_its_own_unit() -> None:
    raw = (
        b"From: Bob Boss <bob@example.com>\nDate: Fri, 02 Mar 2018 10:00:00 +0000\n"
        b'Subject: FW: plan\nContent-Type: multipart/mixed; boundary="B"\n\n'
        b"--B\nContent-Type: text/plain\n\nSee attached.\n\n"
        b"--B\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\n"
        + HEAD
        + b"Subject: plan\n\nThe plan.\n\n--B--\n"
    )
    document = parse(raw)
    rows = [(u.author, u.forwarded_by, document.unit_text(u)) for u in document.units]
    assert rows == [("Bob Boss", None, "See attached."), ("Alice Author", "Bob Boss", "The plan.")]


def test_a_text_part_after_an_inline_image_is_kept() -> None:
    raw = HEAD + (
        b'Subject: x\nContent-Type: multipart/mixed; boundary="B"\n\n'
        b"--B\nContent-Type: text/plain\n\nBefore the picture.\n\n"
        b"--B\nContent-Type: image/png\nContent-Disposition: inline\n"
        b"Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n\n"
        b"--B\nContent-Type: text/plain\n\nAfter the picture.\n\n--B--\n"
    )
    assert parse(raw).text == "Before the picture.\n\nAfter the picture."


def test_a_forward_of_a_reply_and_a_reply_quoting_a_forward_credit_each_writer() -> None:
    forward_of_reply = HEAD + (
        b"Subject: Fwd: Re: plan\n\nSee below.\n\n---------- Forwarded message ---------\n"
        b"From: Bob Boss <bob@example.com>\nDate: Fri, Mar 2, 2018 at 10:00 AM\n"
        b"Subject: Re: plan\n\nBob's reply.\n\n"
        b"On Thu, Mar 1, 2018 at 9:15 AM Carl Writer <carl@example.com> wrote:\n> Carl's plan.\n"
    )
    reply_to_forward = HEAD + (
        b"Subject: Re: Fwd: plan\n\nAgreed.\n\n"
        b"On Sat, Mar 3, 2018 at 8:00 AM Bob Boss <bob@example.com> wrote:\n> See this.\n>\n"
        b"> ---------- Forwarded message ---------\n> From: Carl Writer <carl@example.com>\n"
        b"> Date: Thu, Mar 1, 2018 at 9:15 AM\n> Subject: plan\n>\n> Carl's plan.\n"
    )
    for raw, forwarder in ((forward_of_reply, None), (reply_to_forward, "Bob Boss")):
        document = parse(raw)
        carl = [u for u in document.units if document.unit_text(u) == "Carl's plan."]
        assert [(u.author, u.forwarded_by) for u in carl] == [("Carl Writer", forwarder)]


def test_a_gmail_html_quote_is_the_earlier_writer_s() -> None:
    raw = HEAD + (
        b"Subject: Re: plan\nContent-Type: text/html; charset=utf-8\n\n"
        b"<p>Agreed.</p><div class=gmail_quote>On Wed, Feb 28, 2018 at 8:00 AM Carl Writer "
        b"&lt;carl@example.com&gt; wrote:<br><blockquote class=gmail_quote>"
        b"<p>Carl's plan.</p></blockquote></div>\n"
    )
    document = parse(raw)
    rows = [(u.author, u.date, document.unit_text(u)) for u in document.units]
    assert rows == [
        ("Alice Author", "2018-03-01T09:15:00+01:00", "Agreed."),
        ("Carl Writer", "2018-02-28T08:00", "Carl's plan."),
    ]


def test_an_mbox_separator_without_a_blank_line_before_it_still_parts_messages() -> None:
    """Bob's message, whose separator came straight after Alice's last line, was read as
    a forward inside hers: "forwarded by Alice", and the separator kept in her text."""
    raw = (
        b"From alice@example.org Mon Jan  1 09:00:00 2024\n"
        b"From: Alice <alice@example.org>\nDate: Mon, 1 Jan 2024 09:00:00 +0000\n"
        b"Subject: Budget\n\nThe budget goes to the board on Friday.\n"
        b"From bob@example.org Mon Jan  1 10:00:00 2024\n"
        b"From: Bob <bob@example.org>\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n"
        b"Subject: Re: Budget\n\nFriday suits me, and the auditors too.\n"
        b"From the start, I said so.\n"
    )
    document = parse(raw)
    emails = [u for u in document.units if u.kind == "email"]
    assert [(u.author, u.forwarded_by) for u in emails] == [("Alice", None), ("Bob", None)]
    assert "From bob@" not in document.text
    assert "From the start, I said so." in document.text  # a line of words, not a separator
