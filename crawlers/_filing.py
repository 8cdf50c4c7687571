"""Court filings as text pages: the ECF header, pleading-paper line numbers and running
footers taken off, numbered paragraphs and exhibit emails made units with pin cites.

Shared by court_pdf (text from the PDF's pages) and courtlistener (its plain_text). The
header the court's system stamps on every page ("Case 4:24-cv-04722-YGR Document 1 Filed
08/05/24 Page 12 of 83") is parsed, not matched against: it gives the docket number, the
ECF number, the filing date and the ECF page a lawyer cites. Only a page's last lines can
be a running footer: a page number in a footer's shape ("COMPLAINT - 12", "- 12 -", "Page
12 of 83"), or a line without lowercase letters at the foot of most pages. Nothing else
is taken off, so a sentence or an exhibit's "From:" line that recurs is never lost. A
page's footnotes, at its foot above the footer, are taken out of the body (a paragraph
runs past them onto the next page) and their markers out of its words; each is a unit
of its own, "¶ 4 n.1". A footnote is known by its number: the next in the filing, ending
a word above it ("behind.1"), at the start of a line.
Numbered paragraphs ("45.") follow each other in order, so a number out of order is text,
not a new paragraph.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from crawlers import _email, _replies
from crawlers._text import TextBuilder
from provenance.models import Unit

HEADER = re.compile(
    r"Case\s+(?P<case>\d+:\d{2}-[a-z]{2,4}-\d{3,6}(?:-[A-Z]{2,5})*)\s+"
    r"Document\s+(?P<document>\d+(?:-\d+)?)\s+Filed\s+(?P<filed>\d{2}/\d{2}/\d{2,4})\s+"
    r"Page\s+(?P<page>\d+)\s+of\s+(?P<of>\d+)"
)
_LINE_NUMBER = re.compile(r"(\d{1,2})(?:\s+|$)")
_PARAGRAPH = re.compile(r"(\d{1,3})\.\s+\S")
_EXHIBIT = re.compile(r"EXHIBIT\s+([A-Z0-9]{1,3})")
_DIGITS = re.compile(r"\d+")
_NOTE_START = re.compile(r"(\d{1,3})\s*(?=[^\s\d.)])")  # "1 The email …" or "1The email …"
# A footnote's marker ends a word: after a lowercase letter, or a stop after a letter, so
# "behind.1" and "accounts,2" are markers and "2.1", "Exhibit 1" and "Q4" are not.
_MARKER = r"(?:(?<=[a-z])|(?<=[^\d\s][.,;:!?)\]\"”’'])){0}(?=[\s.,;:)]|$)"
_PAGE_NUMBER = re.compile(
    r"(?:[^a-z]*\S\s+[-–—]\s*)?\d{1,4}|[-–—]\s*\d{1,4}\s*[-–—]|[Pp]age\s+\d+(?:\s+of\s+\d+)?"
)
_FOOTER_LINES = 2  # a footer may set its page number and its title on lines of their own
_HEADING_MAX = 80
_STOPS = frozenset(".!?:;")  # a line ending so ends a sentence: a heading may come next
# Bluebook short forms for the documents a quote is most often taken from.
_SHORT_FORMS = (
    (re.compile(r"\b(FIRST|SECOND|THIRD|FOURTH) AMENDED COMPLAINT\b"), "{0} Am. Compl."),
    (re.compile(r"\bCOMPLAINT\b"), "Compl."),
    (re.compile(r"\bDECLARATION\b"), "Decl."),
    (re.compile(r"\bOPPOSITION\b"), "Opp'n"),
    (re.compile(r"\bMOTION\b"), "Mot."),
    (re.compile(r"\bANSWER\b"), "Answer"),
    (re.compile(r"\bREPLY\b"), "Reply"),
    (re.compile(r"\bORDER\b"), "Order"),
)


@dataclass(frozen=True)
class Header:
    """What the ECF header of a page says."""

    case: str
    document: str
    filed: str  # ISO date
    page: int


@dataclass(frozen=True)
class Footnote:
    """A footnote at the foot of a page, and where its marker was in the page's lines."""

    number: int
    lines: tuple[str, ...]
    marker: int  # index into the page's lines


@dataclass(frozen=True)
class Page:
    number: int  # in the PDF, from 1
    header: Header | None
    lines: tuple[str, ...]  # the body's, footnotes and their markers taken out
    footnotes: tuple[Footnote, ...] = ()


@dataclass(frozen=True)
class Filing:
    """A filing reduced to text and units, with what its headers and caption say."""

    text: str
    units: tuple[Unit, ...]
    title: str | None  # the caption's document title, e.g. "COMPLAINT"
    header: Header | None  # the first page's


def read_header(line: str) -> Header | None:
    match = HEADER.search(line)
    if match is None:
        return None
    month, day, year = match["filed"].split("/")
    year = year if len(year) == 4 else f"20{year}"
    return Header(match["case"], match["document"], f"{year}-{month}-{day}", int(match["page"]))


def pages_from_text(texts: list[str]) -> list[Page]:
    """Each page's text (as extracted) to a Page: the ECF header at its top parsed and
    taken off, line numbers and the running footer at its foot dropped."""
    split = [[" ".join(line.split()) for line in text.splitlines()] for text in texts]
    headers = [next((h for line in lines[:3] if (h := read_header(line))), None) for lines in split]
    stripped = [
        _strip_line_numbers([x for i, x in enumerate(lines) if i >= 3 or not HEADER.search(x)])
        for lines in split
    ]
    feet = Counter(_DIGITS.sub("#", x) for lines in stripped for x in _foot(lines))
    running = {x for x, n in feet.items() if len(split) > 1 and n > len(split) // 2}
    pages: list[Page] = []
    for number, (header, lines) in enumerate(zip(headers, stripped, strict=True), start=1):
        noted = sum(len(page.footnotes) for page in pages)
        body, notes = _footnotes(_without_footer(lines, running), noted)
        pages.append(Page(number, header, body, notes))
    return pages


def _footnotes(lines: tuple[str, ...], noted: int) -> tuple[tuple[str, ...], tuple[Footnote, ...]]:
    """LINES without the footnotes at their foot, whose markers are taken out of the body:
    a footnote starts a line with the number after the NOTED before it, and that number
    ends a word above ("behind.1"). Each line after one is its text or the next's."""
    body, notes, first = list(lines), list[Footnote](), len(lines)
    for index, line in enumerate(lines):
        start = _NOTE_START.match(line)
        number = noted + len(notes) + 1
        marked = start and int(start[1]) == number and _marker(body[: min(first, index)], number)
        if start and marked:
            row, found = marked
            body[row] = found.string[: found.start()] + found.string[found.end() :]
            notes.append(Footnote(number, (line[start.end() :],), row))
            first = min(first, index)
        elif notes and line:
            notes[-1] = replace(notes[-1], lines=(*notes[-1].lines, line))
    return tuple(body[:first]), tuple(notes)


def _marker(lines: list[str], number: int) -> tuple[int, re.Match[str]] | None:
    """The first line with footnote NUMBER's marker, a number that ends a word, and it."""
    pattern = re.compile(_MARKER.format(number))
    return next(((i, m) for i, line in enumerate(lines) if (m := pattern.search(line))), None)


def _foot(lines: list[str]) -> list[str]:
    """The last lines of a page, where a running footer sits; only those without lowercase
    letters, as footers are set."""
    last = [x for x in lines if x][-_FOOTER_LINES:]
    return [x for x in last if not any(c.islower() for c in x)]


def _without_footer(lines: list[str], running: set[str]) -> tuple[str, ...]:
    """LINES with the footer at their foot taken off: a page number in a footer's shape, or
    a line that is at the foot of most pages (digits aside)."""
    kept = list(lines)
    for _ in range(_FOOTER_LINES):
        while kept and not kept[-1]:
            kept.pop()
        if kept and (_PAGE_NUMBER.fullmatch(kept[-1]) or _DIGITS.sub("#", kept[-1]) in running):
            kept.pop()
    return tuple(kept)


def _strip_line_numbers(lines: list[str]) -> list[str]:
    """Drop pleading-paper numbers: 1, 2, 3 … in order at the start of lines."""
    expected, out = 1, []
    for line in lines:
        match = _LINE_NUMBER.match(line)
        if match and int(match[1]) == expected:
            expected += 1
            line = line[match.end() :]
        out.append(line)
    return out


def short_form(title: str | None) -> str | None:
    """How a filing is cited, from the kind of document its title names first: "ORDER
    DENYING … MOTION" is an Order, "DEFENDANTS' ANSWER TO FIRST AMENDED COMPLAINT" an
    Answer (the amended complaint is only what it answers)."""
    if title is None:
        return None
    found = [
        (match.start(), rank, form.format(*(g.capitalize() for g in match.groups())))
        for rank, (pattern, form) in enumerate(_SHORT_FORMS)
        if (match := pattern.search(title.upper()))
    ]
    return min(found)[2] if found else None


_SMALL = frozenset(["a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the"])


def _titled(text: str) -> bool:
    """Whether a numbered line's text is a section title ("Irreparable Harm", "Likelihood
    of Success on the Merits"): a few words, each capitalised or small, with no stop."""
    words = text.split()
    return (
        0 < len(words) <= 8
        and text.rstrip()[-1] not in _STOPS | {","}
        and all(w[0].isupper() or w[0].isdigit() or w in _SMALL for w in words)
    )


def _is_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and len(line) <= _HEADING_MAX and all(c.isupper() for c in letters)


@dataclass
class _Piece:
    """A unit being gathered: its lines, each with its page."""

    unit: Unit
    lines: list[tuple[str, Page]]

    def join(self) -> tuple[str, tuple[tuple[int, int, int | None], ...]]:
        text, pages = "", list[tuple[int, int, int | None]]()
        for line, page in self.lines:
            if not line:
                continue
            if text:
                text += "" if text.endswith("-") else " "
            if not pages or pages[-1][1] != page.number:
                pages.append((len(text), page.number, page.header.page if page.header else None))
            text += line
        return text, tuple(pages)


def parse_filing(
    pages: list[Page], *, fallback_title: str | None = None, ecf_number: str | None = None
) -> Filing:
    """Units of a filing: numbered paragraphs ("¶ 45"), headings (a capitals line that does
    not finish a sentence the line before began), other text split at blank lines, and the
    emails of exhibits, each with its pages and cite. `ecf_number` is the document's number
    where no ECF header gives it (CourtListener's plain_text may have none)."""
    header = next((p.header for p in pages if p.header), None)
    title = next(
        (line for p in pages[:2] for line in p.lines if _is_heading(line) and short_form(line)),
        fallback_title,
    )
    short = short_form(title)
    number_given = header.document if header else ecf_number
    ecf = f"ECF No. {number_given}" if number_given else None
    date = header.filed if header else None
    pieces: list[_Piece] = []
    notes: list[_Piece] = []
    exhibits: list[tuple[str, list[tuple[str, Page]]]] = []
    number = 0
    current: _Piece | None = None
    previous = ""
    for page in pages:
        for index, line in enumerate(page.lines):
            wrapped = current is not None and bool(previous) and previous[-1] not in _STOPS
            previous = line
            exhibit = _EXHIBIT.fullmatch(line)
            paragraph = _PARAGRAPH.match(line)
            after = page.lines[index + 1] if index + 1 < len(page.lines) else ""
            # "2. Irreparable Harm" in an order is a section's title, not its ¶ 2.
            titled = paragraph is not None and _titled(line[paragraph.end() - 1 :])
            section = titled and not after[:1].islower()
            if exhibits and not exhibit:
                exhibits[-1][1].append((line, page))
            elif exhibit:
                exhibits.append((exhibit[1], []))
                current = None
            elif paragraph and not section and int(paragraph[1]) == number + 1:
                number += 1
                label = f"¶ {number}"
                cite = _cite(short, label, ecf)
                current = _Piece(Unit("paragraph", 0, 0, None, date, label=label, cite=cite), [])
                pieces.append(current)
                current.lines.append((line, page))
            elif section or (_is_heading(line) and not wrapped):
                pieces.append(_Piece(Unit("heading", 0, 0, None, date), [(line, page)]))
                current = None
            elif not line:
                if current is not None and current.unit.label is None:
                    current = None
            else:
                if current is None:
                    current = _Piece(Unit("paragraph", 0, 0, None, date, cite=ecf), [])
                    pieces.append(current)
                current.lines.append((line, page))
            within = current.unit.label if current else None
            notes += [
                _footnote(note, page, within, short=short, ecf=ecf, date=date)
                for note in page.footnotes
                if note.marker == index
            ]
    builder = TextBuilder()
    for piece in pieces + notes:
        text, spans = piece.join()
        builder.add(text, replace(piece.unit, page=spans[0][1], pages=spans))
    for name, lines in exhibits:
        for text, unit in _exhibit_units(lines, cite=_cite(short, f"Ex. {name}", ecf)):
            builder.add(text, unit)
    return Filing(builder.text, tuple(builder.units), title, header)


def _footnote(
    note: Footnote,
    page: Page,
    within: str | None,
    *,
    short: str | None,
    ecf: str | None,
    date: str | None,
) -> _Piece:
    """A footnote as a unit, named as a note of the paragraph its marker is in ("¶ 4
    n.1"): footnotes are numbered through a filing, so the note's page is its pin cite."""
    label = " ".join(filter(None, [within, f"n.{note.number}"]))
    unit = Unit("footnote", 0, 0, None, date, label=label, cite=_cite(short, label, ecf))
    return _Piece(unit, [(line, page) for line in note.lines])


def _cite(short: str | None, name: str, ecf: str | None) -> str:
    """How a lawyer cites a part NAME of a filing, pages aside: "Compl. ¶ 4 n.1, ECF No. 1"."""
    return ", ".join(filter(None, [f"{short} {name}" if short else None, ecf]))


def _exhibit_units(lines: list[tuple[str, Page]], *, cite: str | None) -> list[tuple[str, Unit]]:
    """The messages of an exhibit that reproduces emails (with those their replies quote),
    each with the pages it is on; an exhibit without header blocks is one unit."""
    _, thread = _email.parse_thread("\n".join(line for line, _ in lines))
    if not thread:
        piece = _Piece(Unit("exhibit", 0, 0, cite=cite), lines)
        whole, pages = piece.join()
        return [(whole, replace(piece.unit, page=pages[0][1], pages=pages))] if whole else []
    units, cursor = [], 0
    for message in _replies.unfold(thread):
        text = message.text
        spans: list[tuple[int, int, int | None]] = []
        offset = 0
        for index in range(cursor, len(lines)):
            line, page = lines[index][0].lstrip("> "), lines[index][1]  # quoted: as unquoted
            found = text.find(line, offset) if line else -1
            if found < 0:
                continue
            if not spans or spans[-1][1] != page.number:
                start = 0 if not spans else found
                spans.append((start, page.number, page.header.page if page.header else None))
            offset, cursor = found + len(line), index + 1
            if offset >= len(text):
                break
        unit = replace(message.unit(), cite=cite, pages=tuple(spans))
        units.append((text, replace(unit, page=spans[0][1] if spans else None)))
    return units


def header_metadata(header: Header | None) -> tuple[tuple[str, str], ...]:
    """What the first page's ECF header says, as document metadata."""
    if header is None:
        return ()
    return (
        ("docket_number", header.case),
        ("document_number", header.document),
        ("date_filed", header.filed),
    )
