"""Crawlers against their fixtures: juriscraper's golden loop, plus the canonical thread.

Every crawler parses every file in fixtures/crawlers/<KIND>/ and the result must equal
<name>.expected.json. A missing expected file is written and the test fails until a person
has read it; UPDATE_GOLDEN=1 (make golden) rewrites them after a deliberate change.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from crawlers import _email, all_crawlers, get_crawler, pick_crawler
from crawlers._charset import as_declared, mostly_utf8
from crawlers._dates import iso_date
from crawlers._text import clean
from provenance.compose_filing import compose_filing
from provenance.errors import ParseError
from provenance.models import REDACTED, Document

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "crawlers"
DEMO = ROOT / "fixtures" / "demo"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".eml": "message/rfc822",
    ".mbox": "application/mbox",
    ".txt": "text/plain",
    ".filing.txt": "application/pdf",
    ".json": "application/json",
    ".xml": "application/xml",
}
FILING = ".filing.txt"  # a filing's spec, composed into a PDF on pleading paper by the test
CANONICAL = (
    "A for-profit pivot might create a more sustainable revenue stream over time and would, "
    "with the current team, likely bring in a lot of investment."
)
MUSK_COMMENT = (
    "Andrej is exactly right. We may wish it otherwise, but, in my and Andrej's opinion, Tesla "
    "is the only path that could even hope to hold a candle to Google. Even then, the "
    "probability of being a counterweight to Google is small. It just isn't zero."
)


def _is_input(path: Path) -> bool:
    return path.is_file() and path.name != "sources.json" and ".expected." not in path.name


def _fixtures() -> list[tuple[str, Path]]:
    return [
        (kind, path)
        for kind in all_crawlers()
        for path in sorted((FIXTURES / kind).glob("*"))
        if _is_input(path)
    ]


def _url(path: Path) -> str:
    sources = json.loads((path.parent / "sources.json").read_text(encoding="utf-8"))
    url: str = sources[path.name]["url"]
    return url


def _content(path: Path) -> bytes:
    """The fixture's bytes as the crawler gets them: a filing spec becomes its PDF."""
    if path.name.endswith(FILING):
        return compose_filing(path.read_text(encoding="utf-8"))
    return path.read_bytes()


def _content_type(path: str) -> str:
    return CONTENT_TYPES[FILING if path.endswith(FILING) else Path(path).suffix]


def _parse(kind: str, path: Path) -> Document:
    return get_crawler(kind).parse(_content(path), url=_url(path))


def golden(document: Document) -> str:
    """The document as stable JSON, each unit with its text so a reviewer can read it."""
    data = dataclasses.asdict(document)
    for unit, row in zip(document.units, data["units"], strict=True):
        row["text"] = document.unit_text(unit)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


FIXTURE_CASES = _fixtures()
FIXTURE_IDS = [f"{kind}/{path.name}" for kind, path in FIXTURE_CASES]


@pytest.mark.parametrize(("kind", "path"), FIXTURE_CASES, ids=FIXTURE_IDS)
def test_golden(kind: str, path: Path) -> None:
    actual = golden(_parse(kind, path))
    stem = path.name.removesuffix(FILING) if path.name.endswith(FILING) else path.stem
    expected = path.with_name(stem + ".expected.json")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected.write_text(actual, encoding="utf-8")
    elif not expected.exists():
        expected.write_text(actual, encoding="utf-8")
        pytest.fail(f"wrote {expected.relative_to(ROOT)}: read it, then run the tests again")
    assert actual == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize(("kind", "path"), FIXTURE_CASES, ids=FIXTURE_IDS)
def test_units_are_exact_ordered_spans(kind: str, path: Path) -> None:
    document = _parse(kind, path)
    assert document.crawler == kind
    assert document.units
    previous_end = 0
    for unit in document.units:
        text = document.unit_text(unit)
        assert previous_end <= unit.start < unit.end <= len(document.text)
        assert text == clean(text)
        previous_end = unit.end


@pytest.mark.parametrize(("kind", "path"), FIXTURE_CASES, ids=FIXTURE_IDS)
def test_pick_crawler_picks_the_fixture_crawler(kind: str, path: Path) -> None:
    content, url = _content(path), _url(path)
    for content_type in (_content_type(path.name), None):
        crawler = pick_crawler(content, url=url, content_type=content_type)
        assert kind == crawler.KIND


def test_every_crawler_has_a_fixture_and_every_folder_a_crawler() -> None:
    kinds = {kind for kind, _ in FIXTURE_CASES}
    assert kinds == set(all_crawlers())
    assert {p.name for p in FIXTURES.iterdir() if p.is_dir()} == set(all_crawlers())


def test_every_fixture_has_a_source_and_an_expected_file() -> None:
    for kind in all_crawlers():
        folder = FIXTURES / kind
        sources = json.loads((folder / "sources.json").read_text(encoding="utf-8"))
        inputs = {p.name for p in folder.iterdir() if _is_input(p)}
        assert set(sources) == inputs, kind
        for name, source in sources.items():
            assert {"url", "imitates", "note"} <= set(source), name
            assert "omposed" in source["note"], name


GARBAGE = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\xff\xfe\x08\x06"


@pytest.mark.parametrize("kind", list(all_crawlers()))
@pytest.mark.parametrize("content", [b"", b" \n\t\n", GARBAGE], ids=["empty", "blank", "binary"])
def test_unusable_input_is_a_parse_error(kind: str, content: bytes) -> None:
    with pytest.raises(ParseError, match=r"^https://example\.com/x: "):
        get_crawler(kind).parse(content, url="https://example.com/x")


def test_openai_emails_without_emails_is_a_parse_error() -> None:
    page = b"<html><body><article><p>No emails here.</p></article></body></html>"
    with pytest.raises(ParseError, match="no email header blocks"):
        get_crawler("openai_emails").parse(page, url="https://openai.com/blog/x")


def test_email_file_without_headers_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match=r"not an email \(none of From, Date and Subject\)"):
        get_crawler("email_file").parse(b"just some words\n", url="file:///x.eml")


# The canonical case: the thread as OpenAI published it, and as the court exhibit has it.


def _canonical_thread(document: Document) -> None:
    forwarded = [u for u in document.units if CANONICAL in document.unit_text(u)]
    assert len(forwarded) == 1
    unit = forwarded[0]
    assert unit.kind == "email"
    assert unit.date == "2018-01-31T23:54"
    assert unit.subject == "Top AI institutions today"
    assert unit.recipients == ("Elon Musk",)
    assert unit.forwarded_by == "Elon Musk"
    assert "attach to Tesla as its cash cow" in document.unit_text(unit)
    musk = document.units[document.units.index(unit) - 1]
    assert (musk.author, musk.forwarded_by) == ("Elon Musk", None)
    assert musk.recipients == ("Ilya Sutskever", "Greg Brockman")
    assert document.unit_text(musk) == MUSK_COMMENT


def test_openai_post_keeps_the_forwarded_sender_redacted() -> None:
    path = FIXTURES / "openai_emails" / "openai-elon-musk-2024-03-05.html"
    document = _parse("openai_emails", path)
    _canonical_thread(document)
    forwarded = next(u for u in document.units if CANONICAL in document.unit_text(u))
    assert forwarded.author == REDACTED
    assert forwarded.forwarded_at == "2018-02-01T03:52"
    assert forwarded.label == "Email from [redacted], 2018-01-31, forwarded by Elon Musk"
    assert (document.title, document.published_at) == ("OpenAI and Elon Musk", "2024-03-05")
    assert document.publisher == "OpenAI"
    narrative = [u for u in document.units if u.kind in ("paragraph", "heading")]
    assert narrative and all(u.author == "OpenAI" for u in narrative)
    assert sum(u.kind == "email" for u in document.units) == 3


def test_eml_names_the_forwarded_sender() -> None:
    path = FIXTURES / "email_file" / "musk-forward-2018-02-01.eml"
    document = _parse("email_file", path)
    _canonical_thread(document)
    forwarded = next(u for u in document.units if CANONICAL in document.unit_text(u))
    assert forwarded.author == "Andrej Karpathy"
    assert forwarded.forwarded_at == "2018-02-01T03:52:00-08:00"
    assert document.title == "Fwd: Top AI institutions today"
    assert (document.author, document.published_at) == ("Elon Musk", "2018-02-01T03:52:00-08:00")


# Helpers: dates and header blocks.


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Wed, Jan 31, 2018 at 11:54 PM", "2018-01-31T23:54"),
        ("Jan 31, 2018, 11:54 PM", "2018-01-31T23:54"),
        ("Thu, 1 Feb 2018 03:52:00 -0800", "2018-02-01T03:52:00-08:00"),
        ("Thu, 1 Feb 2018 03:52:00 -0800 (PST)", "2018-02-01T03:52:00-08:00"),
        ("Thu, 1 Feb 2018 11:52:00 -0000", "2018-02-01T11:52:00"),
        ("Wednesday, January 31, 2018 11:54 PM", "2018-01-31T23:54"),
        ("January 31, 2018 at 11:54:00 PM PST", "2018-01-31T23:54:00-08:00"),
        ("Thu, Feb 1, 2018 at 12:05\u202fAM", "2018-02-01T00:05"),
        ("Jan 31, 2018", "2018-01-31"),
        ("Thu, 1 Feb 18 03:52:00 GMT", "2018-02-01T03:52:00+00:00"),
        ("Thursday, 01-Feb-18 03:52:00 GMT", "2018-02-01T03:52:00+00:00"),
        ("2024-03-05T10:00:00.000Z", "2024-03-05T10:00:00.000Z"),
        ("1/31/2018 11:54 PM", None),
        ("Feb 30, 2018", None),
        ("", None),
    ],
)
def test_iso_date(value: str, expected: str | None) -> None:
    assert iso_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Elon Musk <elon@example.com>", "Elon Musk"),
        ("Elon Musk <>", "Elon Musk"),
        ('"Musk, Elon" <elon@example.com>', "Elon Musk"),
        ("Solberg, Ingrid M. <ingrid@example.com>", "Ingrid M. Solberg"),
        ('"Halvorsen, Dr. Margit" <m@example.com>', "Dr. Margit Halvorsen"),
        ('"Acme, Inc." <press@example.com>', "Acme, Inc."),
        ('"Smith, Jones & Co" <desk@example.com>', "Smith, Jones & Co"),
        ("ELON MUSK <elon@example.com>", "ELON MUSK"),
        ("Elon Musk [mailto:elon@example.com]", "Elon Musk"),
        ("elon@example.com", "elon@example.com"),
        ("[redacted]", REDACTED),
        ("[REDACTED] <>", REDACTED),
        ("<redacted>", REDACTED),
        ("", None),
    ],
)
def test_parse_name(value: str, expected: str | None) -> None:
    assert _email.parse_name(value) == expected


def test_parse_names_splits_outside_quotes() -> None:
    value = '"Musk, Elon" <e@example.com>; Greg Brockman <g@example.com>, [redacted]'
    assert _email.parse_names(value) == ("Elon Musk", "Greg Brockman", REDACTED)


def test_nested_forwards_and_original_message() -> None:
    text = """From: Carol <c@example.com>
Sent: Friday, February 2, 2018 9:00 AM
To: Dave <d@example.com>
Subject: FW: Fwd: plan

See below.

-----Original Message-----
From: Bob <b@example.com>
Sent: Thursday, February 1, 2018 8:00 AM
To: Carol <c@example.com>
Subject: Fwd: plan

Begin forwarded message:

From: Alice <a@example.com>
Subject: plan
Date: January 31, 2018 at 7:00:00 PM PST
To: Bob <b@example.com>

The plan.
"""
    preamble, messages = _email.parse_thread(text)
    assert preamble == ""
    rows = [(m.headers.sender, m.text, m.forwarded_by, m.forwarded_at) for m in messages]
    assert rows == [
        ("Carol", "See below.", None, None),
        ("Bob", "", "Carol", "2018-02-02T09:00"),
        ("Alice", "The plan.", "Bob", "2018-02-01T08:00"),
    ]
    assert messages[2].headers.date == "2018-01-31T19:00:00-08:00"


def test_unmarked_header_blocks_are_sibling_messages() -> None:
    text = (
        "Email 4\n\nFrom: A <>\nTo: B <>\nDate: Jan 2, 2018\n\nFirst.\n\n"
        "From: B <>\nTo: A <>\nDate: Jan 3, 2018\n\nReply."
    )
    preamble, messages = _email.parse_thread(text)
    assert preamble == "Email 4"
    assert [(m.headers.sender, m.text, m.forwarded_by) for m in messages] == [
        ("A", "First.", None),
        ("B", "Reply.", None),
    ]


def test_a_thread_may_open_with_a_forward_marker() -> None:
    text = "––––– Forwarded message –––––\nFrom:Elon Musk <redacted>\nTo:Sam Altman <>\n\nHi."
    assert _email.starts_with_headers(text)
    preamble, messages = _email.parse_thread(text)
    assert preamble == ""
    assert [(m.headers.sender, m.text, m.forwarded_by) for m in messages] == [
        ("Elon Musk", "Hi.", None)
    ]


def test_a_lone_from_line_is_not_a_header_block() -> None:
    assert not _email.starts_with_headers("From: the desk of the editor\n\nHello.")
    assert _email.count_header_blocks("From: x\nTo: y\n\nbody\n\nFrom: z\n") == 1


# The demo corpus: pages a local server serves, each parsed by the crawler it is meant for.

DEMO_PAGES = {
    "opinion.html": "article",
    "openai-and-elon-musk.html": "openai_emails",
    "news-cash-cow.html": "article",
    "news-hold-a-candle.html": "article",
    "news-roundup.html": "article",
}
DEMO_BASE = "http://127.0.0.1:8000/"


def _demo(name: str) -> Document:
    content = (DEMO / name).read_bytes()
    crawler = pick_crawler(content, url=DEMO_BASE + name, content_type="text/html")
    assert DEMO_PAGES[name] == crawler.KIND
    return crawler.parse(content, url=DEMO_BASE + name)


def test_demo_pages_are_listed_in_the_readme() -> None:
    assert {p.name for p in DEMO.glob("*.html")} == set(DEMO_PAGES)
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in DEMO_PAGES)


def test_demo_opinion_prints_the_line_as_a_pull_quote() -> None:
    document = _demo("opinion.html")
    texts = [document.unit_text(u) for u in document.units]
    index = texts.index(CANONICAL)
    assert texts[index + 1] == "Elon Musk"
    assert "this statement he made on January 31, 2018" in texts[index - 1]
    post = DEMO_BASE + "openai-and-elon-musk.html"
    assert any(
        link.url == post and "OpenAI published emails" in link.anchor_text
        for link in document.links
    )


def test_demo_post_is_the_thread_as_published() -> None:
    document = _demo("openai-and-elon-musk.html")
    _canonical_thread(document)
    assert document.published_at == "2024-03-05"
    forwarded = next(u for u in document.units if CANONICAL in document.unit_text(u))
    assert forwarded.author == REDACTED


def test_demo_news_pages_link_as_a_chain() -> None:
    post, cash_cow = DEMO_BASE + "openai-and-elon-musk.html", DEMO_BASE + "news-cash-cow.html"
    cash = _demo("news-cash-cow.html")
    assert "“attach to Tesla as its cash cow" in cash.text
    assert post in {link.url for link in cash.links}
    candle = _demo("news-hold-a-candle.html")
    assert "“Tesla is the only path that could even hope to hold a candle to Google" in candle.text
    assert cash_cow in {link.url for link in candle.links}
    assert post not in {link.url for link in candle.links}
    roundup = _demo("news-roundup.html")
    assert "a more sustainable revenue stream over time" in roundup.text
    assert CANONICAL not in roundup.text
    assert not any(link.url.startswith(DEMO_BASE) for link in roundup.links)


def test_a_recap_document_fetched_through_a_redirect_is_its_pdf_where_it_was_served() -> None:
    """filepath_local is a path on the origin that served the API's answer, as discovery
    reads it: a mirror that moved serves the PDF at its new address."""
    fixture = FIXTURES / "courtlistener" / "recap-document-complaint.json"
    content = fixture.read_text(encoding="utf-8").replace("{base}", "https://new.test").encode()
    crawler = get_crawler("courtlistener")
    document = crawler.parse(content, url="https://old.test/api/1/", base="https://new.test/1/")
    assert document.url == "https://new.test/" + json.loads(content)["filepath_local"]


def test_a_plain_text_without_ecf_headers_is_cited_by_its_document_number() -> None:
    """CourtListener's plain_text of a document it got without the court's header stamps
    still knows its ECF number from the API: its paragraphs are cited by it."""
    fixture = FIXTURES / "courtlistener" / "recap-document-complaint.json"
    data = json.loads(fixture.read_text(encoding="utf-8").replace("{base}", "https://x.test"))
    lines = [line for line in data["plain_text"].splitlines() if "Document 1 Filed" not in line]
    data |= {"plain_text": "\n".join(lines), "document_number": "32", "attachment_number": 1}
    document = get_crawler("courtlistener").parse(json.dumps(data).encode(), url="https://x.test")
    cites = {unit.cite for unit in document.units if unit.label and unit.label.startswith("¶")}
    assert cites and all(cite.endswith("ECF No. 32-1") for cite in cites)
    assert document.title.endswith(", ECF No. 32-1")


SAID = "Smith said “the committee will vote next week”"


@pytest.mark.parametrize(
    ("kind", "content_type", "page"),
    [
        ("plain_text", "text/plain", f"Minutes\n\n{SAID}, and left.\n"),
        ("article", "text/html", f"<title>Minutes</title><p>{SAID}, and left.</p>"),
    ],
)
def test_utf8_with_a_stray_byte_is_read_as_utf8(kind: str, content_type: str, page: str) -> None:
    """One byte that is no UTF-8 (0xFF) made the whole text a guess, Mac Roman, and every
    curly quote mark mojibake ("‚Äú"): 0x9D, in each closing mark, is no windows-1252."""
    content = page.replace("left", "left \xff").encode().replace("\xff".encode(), b"\xff")
    read = as_declared(content, content_type)  # as ingest hands HTML to the parser
    document = get_crawler(kind).parse(read, url="https://example.org/minutes")
    assert f"{SAID}, and left \ufffd." in document.text


def test_legacy_text_is_not_taken_for_utf8() -> None:
    page = "Minutes\n\nJosé of the café said “no”, as the board’s “€5” note had it.\n"
    assert mostly_utf8(page.encode("cp1252")) is None
    document = get_crawler("plain_text").parse(page.encode("cp1252"), url="https://example.org/m")
    assert "José of the café said “no”" in document.text
