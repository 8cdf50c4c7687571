"""Frozen dataclasses passed between crawlers, storage, matching and the CLI.

Offsets are always character offsets into the text named in the field's comment, so a
span can be cut out of the stored text exactly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Literal, Protocol

Role = Literal["primary", "secondary"]
QuoteForm = Literal["quoted", "block", "pull", "answer"]
REDACTED = "[redacted]"


@dataclass(frozen=True, order=True)
class WrittenAt:
    """A sort key for units in the order they were written, one instant per date so the
    order is total: a time with its UTC offset at that instant; a forwarded copy's time,
    which a forward writes without one, at the forward's own offset; any other time
    without an offset as if in UTC. To the minute; an original before a forwarded copy of
    it at the same minute; a date this cannot read after every date it can, undated last."""

    rank: int  # 0: a date read; 1: a date not read; 2: undated
    moment: datetime  # in UTC, without tzinfo
    text: str
    forwarded: bool


def in_time_order(
    date: str | None, forwarded_by: str | None = None, forwarded_at: str | None = None
) -> WrittenAt:
    """The key that sorts units in the order they were written (WrittenAt)."""
    forwarded = forwarded_by is not None
    if date is None:
        return WrittenAt(2, datetime.min, "", forwarded)
    moment = _moment(date)
    if moment is None:
        return WrittenAt(1, datetime.min, date, forwarded)
    if moment.tzinfo is None:
        zone = _moment(forwarded_at) if forwarded else None
        moment = moment.replace(tzinfo=zone.tzinfo if zone and zone.tzinfo else UTC)
    try:
        minute = moment.astimezone(UTC).replace(tzinfo=None, second=0, microsecond=0)
    except OverflowError:  # a year-1 or year-9999 date with an offset that leaves the range
        return WrittenAt(1, datetime.min, date, forwarded)
    return WrittenAt(0, minute, "", forwarded)


class Written(Protocol):
    """A unit as its source dates it: when written, and who forwarded it when."""

    @property
    def date(self) -> str | None: ...
    @property
    def forwarded_by(self) -> str | None: ...
    @property
    def forwarded_at(self) -> str | None: ...


def written_order(unit: Written) -> WrittenAt:
    """The key that sorts a unit among others in the order they were written."""
    return in_time_order(unit.date, unit.forwarded_by, unit.forwarded_at)


class Sent(Written, Protocol):
    """A unit as its source dates it and names its author."""

    @property
    def author(self) -> str | None: ...


def _clock(date: str | None) -> datetime | None:
    """The wall-clock minute a date names, its UTC offset left out, as a forward copies
    the original's time."""
    moment = _moment(date)
    return moment.replace(tzinfo=None, second=0, microsecond=0) if moment else None


def _copied_clock(unit: Sent) -> datetime | None:
    """The wall-clock time a forwarded copy gives its original without an offset, else None."""
    moment = _moment(unit.date) if unit.forwarded_by else None
    return _clock(unit.date) if moment and moment.tzinfo is None else None


def copies_in_order(units: Sequence[Sent]) -> list[WrittenAt]:
    """Each unit's written_order, but a forwarded copy whose original is among `units` (its
    author, the wall-clock time the copy gives without an offset) just after that original:
    read at the forward's own offset, the copy could come hours before it."""
    originals: dict[tuple[str, datetime], WrittenAt] = {
        (unit.author, clock): written_order(unit)
        for unit in units
        if unit.author and not unit.forwarded_by and (clock := _clock(unit.date))
    }
    orders = []
    for unit in units:
        clock = _copied_clock(unit)
        original = originals.get((unit.author, clock)) if unit.author and clock else None
        orders.append(replace(original, forwarded=True) if original else written_order(unit))
    return orders


def _moment(value: str | None) -> datetime | None:
    """The time an ISO 8601 date or date-time names, None when it names none."""
    try:
        return datetime.fromisoformat(value or "")
    except ValueError:
        return None


@dataclass(frozen=True)
class Link:
    """An outbound link of a document, absolute, with the text it was anchored on."""

    url: str
    anchor_text: str


@dataclass(frozen=True)
class Unit:
    """A piece of a document a quote can be traced to: an email (a forwarded message is its
    own unit), a numbered paragraph of a filing, a paragraph of an article."""

    kind: str  # "email", "paragraph", "blockquote", "heading"
    start: int  # offsets into Document.text
    end: int
    author: str | None = None  # as the source names it; REDACTED where it is redacted
    date: str | None = None  # ISO 8601, as precise as the source gives it
    recipients: tuple[str, ...] = ()
    subject: str | None = None
    forwarded_by: str | None = None  # who forwarded this message, if it was forwarded
    forwarded_at: str | None = None
    label: str | None = None  # how a citation names it, e.g. "¶ 45" or "email 3"
    page: int | None = None  # PDF page (1-based) the unit starts on, for a filing
    cite: str | None = None  # as a lawyer cites it, pages aside: "Compl. ¶ 45, ECF No. 1"
    # Every page the unit is on: (offset into the unit's text where it starts there, PDF
    # page, ECF page from the stamped header or None), the first at offset 0.
    pages: tuple[tuple[int, int, int | None], ...] = ()


@dataclass(frozen=True)
class Document:
    """One captured version of a page or file, reduced to its text, metadata and units."""

    url: str
    crawler: str
    role: Role
    title: str
    text: str
    units: tuple[Unit, ...]
    links: tuple[Link, ...] = ()
    author: str | None = None
    publisher: str | None = None
    published_at: str | None = None
    updated_at: str | None = None
    language: str | None = None  # BCP 47 as the page declares it or detection gives it
    # Evidence as the source states it, kept raw: ("json-ld", "{...}"), ("og:title", "..."),
    # ("docket_number", "4:24-cv-04722"), in source order.
    metadata: tuple[tuple[str, str], ...] = ()

    def unit_text(self, unit: Unit) -> str:
        return self.text[unit.start : unit.end]


@dataclass(frozen=True)
class Capture:
    """The bytes of one fetch or file read, as received, and when."""

    url: str  # the document URL: as requested, in its stored form (urls.py), or file://
    final_url: str  # after redirects
    fetched_at: str  # ISO 8601 UTC
    content: bytes
    content_type: str | None = None
    status: int | None = None  # HTTP status; None for a local file
    headers: tuple[tuple[str, str], ...] = ()  # response headers as received, in order
    # The body as it came off the wire, content-coding (gzip, br) still on; None when it is
    # the same bytes as `content` (no coding, or a local file).
    wire: bytes | None = field(default=None, repr=False)
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sha256", hashlib.sha256(self.content).hexdigest())

    @property
    def wire_sha256(self) -> str | None:
        return hashlib.sha256(self.wire).hexdigest() if self.wire is not None else None


@dataclass(frozen=True)
class Quote:
    """A quotation as an article prints it, before any matching."""

    text: str  # a quote its attribution interrupts: the parts joined by " … "
    start: int  # offsets into Document.text of the article, over every part
    end: int
    form: QuoteForm  # in quotation marks, a block quote, a pull-quote, an interview answer
    speaker: str | None = None  # who the article says spoke
    claimed_date: str | None = None  # ISO date the article gives for it


@dataclass(frozen=True)
class DocumentRef:
    """A stored document version, as read back for results."""

    id: int
    url: str
    title: str
    role: Role
    crawler: str
    published_at: str | None
    fetched_at: str
    sha256: str
    version: int  # 1 for the first capture of the URL, counting up with each change


@dataclass(frozen=True)
class StoredUnit:
    """A stored unit with its text and the document version it belongs to."""

    id: int
    kind: str
    label: str | None
    text: str
    author: str | None
    date: str | None
    recipients: tuple[str, ...]
    subject: str | None
    forwarded_by: str | None
    forwarded_at: str | None
    document: DocumentRef
    page: int | None = None
    cite: str | None = None
    pages: tuple[tuple[int, int, int | None], ...] = ()
    run: int = 1  # consecutive units this one stands for, joined: a quote over a paragraph break
