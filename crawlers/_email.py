"""Email header blocks and forwarded messages written as text, shared by the email crawlers.

A header block is a "From:" line followed by more header lines ("To:", "Cc:", "Date:",
"Sent:", "Subject:", or their French and German names: "De :", "Von:", "Betreff:" ...),
possibly with blank lines between them (pages that set each header in its own paragraph).
A forwarded message is a marker line ("---------- Forwarded message ---------", "Begin
forwarded message:", "-----Original Message-----", "Message transféré", "Ursprüngliche
Nachricht", a rule of underscores) followed by a header block; everything from there on
belongs to it, and it records who forwarded it and when. Names keep their display form
("Elon Musk") but for a person's "Last, First", which is put in reading order, and a
sender with no display name is their address; a redacted name stays models.REDACTED:
nothing here ever guesses who is behind a redaction or an address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawlers._dates import iso_date
from crawlers._text import clean
from provenance.attribution import personal_name
from provenance.models import REDACTED, Unit

# Header names as French and German mail programs print them, to the English ones.
_KEYS = {
    "de": "from",
    "von": "from",
    "à": "to",
    "a": "to",
    "an": "to",
    "datum": "date",
    "envoyé": "sent",
    "gesendet": "sent",
    "objet": "subject",
    "betreff": "subject",
}
_HEADER = re.compile(
    rf"\**(?P<key>from|to|cc|bcc|date|sent|subject|reply-to|{'|'.join(_KEYS)})\s*:\**"
    r"\s*(?P<value>.*)",
    re.IGNORECASE,
)
_MARKER = re.compile(
    r"[-–—\s]*(?:forwarded message|message transféré|weitergeleitete nachricht)[-–—\s]*"
    r"|begin forwarded message:?"
    r"|[-–—\s]*(?:original message|message d'origine|ursprüngliche nachricht)[-–—\s]*|_{8,}",
    re.IGNORECASE,
)
_REDACTED = re.compile(r"[\[<(]?\s*redacted\s*[\]>)]?", re.IGNORECASE)
_ANGLE = re.compile(r"<([^<>]*)>")
_MAILTO = re.compile(r"\[mailto:[^\]]*\]", re.IGNORECASE)
_BLANK_RUNS = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Headers:
    """What a header block says about one message."""

    sender: str | None = None
    recipients: tuple[str, ...] = ()  # To, then Cc
    date: str | None = None  # ISO 8601
    subject: str | None = None


@dataclass(frozen=True)
class Message:
    """One message: its headers and the writer's own text, forwarded messages cut off."""

    headers: Headers
    text: str
    forwarded_by: str | None = None
    forwarded_at: str | None = None

    def unit(self) -> Unit:
        """A Unit of kind "email" for this message; TextBuilder sets its offsets."""
        sender = self.headers.sender or "unknown sender"
        label = f"Email from {sender}"
        if self.headers.date:
            label += f", {self.headers.date[:10]}"
        if self.forwarded_by:
            label += f", forwarded by {self.forwarded_by}"
        return Unit(
            kind="email",
            start=0,
            end=0,
            author=self.headers.sender,
            date=self.headers.date,
            recipients=self.headers.recipients,
            subject=self.headers.subject,
            forwarded_by=self.forwarded_by,
            forwarded_at=self.forwarded_at,
            label=label,
        )


def parse_name(value: str) -> str | None:
    """The display name in 'Name <address>', "Last, First" put in reading order, or the
    address alone when there is no name (never a name guessed from it); REDACTED if
    redacted."""
    value = _MAILTO.sub("", value).strip()
    address = ""
    angle = _ANGLE.search(value)
    if angle:
        address = angle.group(1).strip()
        value = _ANGLE.sub("", value)
    name = personal_name(" ".join(value.split()).strip("\"' "))
    if _REDACTED.fullmatch(name) or (not name and _REDACTED.fullmatch(address)):
        return REDACTED
    return name or address or None


def parse_names(value: str) -> tuple[str, ...]:
    """Every name in a comma- or semicolon-separated address list, in order."""
    names = (parse_name(part) for part in _split_addresses(value))
    return tuple(name for name in names if name)


def parse_headers(values: dict[str, str]) -> Headers:
    """Headers from raw values keyed by lower-case header name ("from", "to", ...)."""
    sender = parse_name(values["from"]) if "from" in values else None
    recipients = parse_names(values.get("to", "")) + parse_names(values.get("cc", ""))
    date = iso_date(values.get("date") or values.get("sent"))
    subject = " ".join(values.get("subject", "").split()) or None
    return Headers(sender=sender, recipients=recipients, date=date, subject=subject)


def count_header_blocks(text: str) -> int:
    """How many header blocks TEXT holds (forwarded ones included)."""
    lines = _lines(text)
    return sum(1 for i in range(len(lines)) if _read_headers(lines, i) is not None)


def starts_with_headers(text: str) -> bool:
    """True when TEXT opens with a header block (after a forward marker, if any)."""
    return _opening(_lines(text)) is not None


def parse_thread(text: str) -> tuple[str, list[Message]]:
    """Text before the first header block, and every message from there on, in order.

    Header blocks not introduced by a forward marker start sibling messages (a page that
    prints a reply under the email it answers); forwarded messages follow the message that
    forwarded them. A thread may open with a forward marker: that message's forwarder is
    not shown, so it is not recorded.
    """
    lines = _lines(text)
    starts = [
        i
        for i in range(len(lines))
        if _read_headers(lines, i) is not None and not _after_marker(lines, i)
    ]
    opening = _opening(lines)
    preamble_end = starts[0] if starts else 0
    if opening is not None and opening not in starts:
        starts.insert(0, opening)
        preamble_end = 0
    if not starts:
        return _join(lines), []
    messages: list[Message] = []
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        messages.extend(_parse_message(lines[start:end], None, None))
    return _join(lines[:preamble_end]), messages


def split_body(body: str, headers: Headers) -> tuple[str, list[Message]]:
    """A body's own text and the messages it carries (forwarded, or quoted under it), each
    recorded as forwarded by the body's sender at its date."""
    own, inner = parse_thread(body)
    by, at = headers.sender, headers.date
    carried = [
        m if m.forwarded_by else Message(m.headers, m.text, forwarded_by=by, forwarded_at=at)
        for m in inner
    ]
    head, forwarded = _split_forward(_lines(own))
    if forwarded:
        carried = _parse_message(forwarded, by, at) + carried
    return _join(head), carried


def _parse_message(lines: list[str], by: str | None, at: str | None) -> list[Message]:
    read = _read_headers(lines, 0)
    if read is None:
        return []
    headers, body_start = read
    own, forwarded = _split_forward(lines[body_start:])
    message = Message(headers, _join(own), forwarded_by=by, forwarded_at=at)
    if not forwarded:
        return [message]
    return [message, *_parse_message(forwarded, headers.sender, headers.date)]


def _split_forward(lines: list[str]) -> tuple[list[str], list[str]]:
    """Lines before the first forward marker, and the forwarded message's lines (from its
    header block), or all lines and [] when nothing is forwarded."""
    for i, line in enumerate(lines):
        if _MARKER.fullmatch(line):
            start = _next_non_blank(lines, i + 1)
            if start is not None and _read_headers(lines, start) is not None:
                return lines[:i], lines[start:]
    return lines, []


def _read_headers(lines: list[str], start: int) -> tuple[Headers, int] | None:
    """The header block opening at lines[start] and the index of its first body line."""
    first = _HEADER.fullmatch(lines[start]) if start < len(lines) else None
    if first is None or _key(first) != "from":
        return None
    values: dict[str, str] = {}
    i = end = start
    while i < len(lines):
        if not lines[i]:
            i += 1
            continue
        match = _HEADER.fullmatch(lines[i])
        if match is None or _key(match) in values:
            break
        values[_key(match)] = match["value"]
        i = end = i + 1
    if len(values) < 2:
        return None
    return parse_headers(values), end


def _key(header: re.Match[str]) -> str:
    """A header line's name in English, lower case ("Von:" is "from")."""
    key = header["key"].lower()
    return _KEYS.get(key, key)


def _opening(lines: list[str]) -> int | None:
    """The index of the header block that opens LINES, directly or under a forward marker."""
    first = _next_non_blank(lines, 0)
    if first is not None and _MARKER.fullmatch(lines[first]):
        first = _next_non_blank(lines, first + 1)
    if first is None or _read_headers(lines, first) is None:
        return None
    return first


def _after_marker(lines: list[str], index: int) -> bool:
    previous = next((line for line in reversed(lines[:index]) if line), None)
    return previous is not None and _MARKER.fullmatch(previous) is not None


def _next_non_blank(lines: list[str], start: int) -> int | None:
    return next((i for i in range(start, len(lines)) if lines[i]), None)


def _split_addresses(value: str) -> list[str]:
    """Split on commas and semicolons outside quotes and angle brackets."""
    parts: list[str] = []
    current: list[str] = []
    quoted = angled = False
    for char in value:
        if char == '"':
            quoted = not quoted
        elif char == "<":
            angled = True
        elif char == ">":
            angled = False
        if char in ",;" and not quoted and not angled:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part for part in parts if part.strip()]


def _lines(text: str) -> list[str]:
    return clean(text).split("\n")


def _join(lines: list[str]) -> str:
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
