"""Frozen dataclasses passed between crawlers, storage, matching and the CLI.

Offsets are always character offsets into the text named in the field's comment, so a
span can be cut out of the stored text exactly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

Role = Literal["primary", "secondary"]
QuoteForm = Literal["quoted", "block", "pull", "answer"]
REDACTED = "[redacted]"


@dataclass(frozen=True, eq=False)
class WrittenAt:
    """A sort key for units in the order they were written: two dates that both give their
    UTC offset compare as the minute they name in UTC ("23:30-08:00" is after "01:00Z" the
    next day); otherwise as the minute they write, offsets aside (a forward copies its
    original's time without one, and "09:15" must not sort before "09:15:00-05:00").
    Undated last; an original before a forwarded copy."""

    date: str | None
    forwarded: bool

    def _pair(self, other: WrittenAt) -> tuple[tuple[object, bool], tuple[object, bool]]:
        mine, theirs = _utc_minute(self.date), _utc_minute(other.date)
        if mine is None or theirs is None:
            return ((self.date or "9999")[:16], self.forwarded), (
                (other.date or "9999")[:16],
                other.forwarded,
            )
        return (mine, self.forwarded), (theirs, other.forwarded)

    def __lt__(self, other: WrittenAt) -> bool:
        mine, theirs = self._pair(other)
        return mine < theirs  # both datetimes or both strings

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WrittenAt):
            return NotImplemented
        mine, theirs = self._pair(other)
        return mine == theirs


def _utc_minute(value: str | None) -> datetime | None:
    """The minute an ISO 8601 time names in UTC, if it gives its offset."""
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        return None
    if moment.tzinfo is None or len(value or "") < 16:
        return None
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def in_time_order(date: str | None, forwarded_by: str | None = None) -> WrittenAt:
    """The key that sorts units in the order they were written (WrittenAt)."""
    return WrittenAt(date, forwarded_by is not None)


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

    text: str
    start: int  # offsets into Document.text of the article
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
