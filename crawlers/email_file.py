"""Email files: one message (.eml, message/rfc822) or a mailbox of them (.mbox).

Notes:
  An mbox is messages joined by "From " separator lines (the line after a blank line, or
  the first); body lines that began with "From " are stored as ">From " and are restored.
  A mailbox is one document: a message in it with none of From, Date and Subject is not
  an email and fails the file, named by its number and the line of its separator, so no
  mailbox is stored short; one with any of them is kept, what it lacks left unknown.
  Each message is a unit: its inline text parts in order (of alternatives text/plain,
  else HTML turned into text), decoded in their charset when they decode so, else as
  UTF-8, else windows-1252, never with replacement characters; a message/rfc822
  attachment is a forward, its own unit forwarded by the message's sender. Court exhibits
  and exports often carry a forwarded message as text in the body, with its own header
  block under "---------- Forwarded message ---------": that is its own unit, forwarded
  by the message's sender at its date. A reply's quoted part ("On … wrote:" and ">"
  lines) is the earlier message's words: its own unit, by the person the attribution line
  names, never the replier's. A body that pastes a text-message thread ("[date] Name:
  words" lines) gives a unit per text. Header values are read raw (RFC 2047 decoded, 8-bit
  bytes as UTF-8 as RFC 6532 allows) so a "[redacted]" sender survives as REDACTED.
"""

from __future__ import annotations

import re
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from urllib.parse import urlsplit

from crawlers import _email, _html, _replies
from crawlers._text import TextBuilder
from provenance.errors import ParseError
from provenance.models import Document, Role

KIND = "email_file"
ROLE: Role = "primary"
PRIORITY = 20

_TYPES = frozenset({"message/rfc822", "application/mbox"})
_EXTENSIONS = (".eml", ".mbox")
_MBOX_FROM = re.compile(rb"From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ")
_HEADER_LINE = re.compile(rb"[!-9;-~]+:")
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)
_HEADERS = ("from", "to", "cc", "date", "subject")


def recognises(content: bytes, *, url: str, content_type: str | None) -> bool:
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in _TYPES or urlsplit(url).path.lower().endswith(_EXTENSIONS):
        return True
    if kind in ("text/html", "application/xhtml+xml"):
        return False
    head = content[:4096].lstrip()
    return _MBOX_FROM.match(head) is not None or _has_rfc822_headers(head)


def parse(content: bytes, *, url: str, base: str | None = None) -> Document:
    builder = TextBuilder()
    first: _email.Headers | None = None
    messages = _messages(content)
    for index, (line, raw) in enumerate(messages, start=1):
        message = BytesParser(policy=policy.default).parsebytes(raw)
        values = _values(message)
        if "from" not in values and "date" not in values and "subject" not in values:
            where = f"message {index} of {len(messages)} (line {line}): " if line else ""
            raise ParseError(f"{where}not an email (none of From, Date and Subject)", url=url)
        headers = _email.parse_headers(values)
        first = first or headers
        _add(builder, message, headers)
    if first is None:
        raise ParseError("no email message found", url=url)
    if not builder.units:
        raise ParseError("the messages have no text", url=url)
    return Document(
        url=url,
        crawler=KIND,
        role=ROLE,
        title=first.subject or url,
        text=builder.text,
        units=tuple(builder.units),
        author=first.sender,
        published_at=first.date,
    )


def _add(
    builder: TextBuilder,
    message: EmailMessage,
    headers: _email.Headers,
    forwarded: tuple[str | None, str | None] = (None, None),
) -> None:
    """A message's units: its own words, the texts, quoted and forwarded messages its body
    holds, and the messages attached to it (forwarded by its sender as attachments)."""
    first, *carried = _replies.unfold([_email.Message(headers, _body(message), *forwarded)])
    own, texts = _replies.split_texts(first.text)
    builder.add(own, first.unit())
    for text, unit in _replies.text_units(texts):
        builder.add(text, unit)
    for inner in carried:
        builder.add(inner.text, inner.unit())
    for attached in _attached(message):
        inner_headers = _email.parse_headers(_values(attached))
        _add(builder, attached, inner_headers, (headers.sender, headers.date))


def _messages(content: bytes) -> list[tuple[int, bytes]]:
    """The raw messages, each with the line of its mbox "From " separator (0 for a file that
    is one message): split on those lines when there are any, else the whole."""
    skipped = len(content) - len(content.lstrip())
    lines = content[skipped:].splitlines(keepends=True)
    if not lines or _MBOX_FROM.match(lines[0]) is None:
        return [(0, content.lstrip())] if content.strip() else []
    first = content[:skipped].count(b"\n") + 1
    messages: list[tuple[int, list[bytes]]] = []
    previous_blank = True
    for index, line in enumerate(lines):
        number = first + index
        # A separator follows a blank line, or, written without one, opens a header block.
        headers = index + 1 < len(lines) and _HEADER_LINE.match(lines[index + 1])
        if (previous_blank or headers) and _MBOX_FROM.match(line):
            messages.append((number, []))
        else:
            messages[-1][1].append(line)
        previous_blank = not line.strip()
    raw = [(number, b"".join(m)) for number, m in messages]
    return [(number, _ESCAPED_FROM.sub(rb"\1", m)) for number, m in raw if m.strip()]


def _values(message: EmailMessage) -> dict[str, str]:
    return {name: value for name in _HEADERS if (value := _header(message, name))}


def _header(message: EmailMessage, name: str) -> str | None:
    """A header's value as written (folding undone, raw 8-bit bytes read as UTF-8 as RFC 6532
    has them, RFC 2047 words decoded), all occurrences joined by ", "."""
    values = [v for k, v in message.raw_items() if k.lower() == name]
    decoded = [" ".join(_decode(_unescape(str(v))).split()) for v in values]
    return ", ".join(v for v in decoded if v) or None


def _unescape(value: str) -> str:
    """A header value with its 8-bit bytes (kept by the parser as surrogates) read as text."""
    return _text(value.encode("utf-8", "surrogateescape"), None)


def _text(data: bytes, charset: str | None) -> str:
    """8-bit text in the charset it declares when it decodes so, else as UTF-8, else as
    windows-1252 (the usual legacy one): unlabelled or mislabelled text stays readable."""
    for name in filter(None, (charset, "utf-8")):
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", "replace")


def _decode(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except (HeaderParseError, LookupError, UnicodeDecodeError, ValueError):
        return value


def _body(message: EmailMessage) -> str:
    """The words of every inline text part, in order, HTML turned into text."""
    texts = []
    for part in _text_parts(message):
        payload = part.get_payload(decode=True)
        content = _text(payload, part.get_content_charset()) if isinstance(payload, bytes) else ""
        texts.append(_html.html_text(content) if part.get_content_subtype() == "html" else content)
    return "\n\n".join(texts)


def _text_parts(part: MIMEPart) -> list[MIMEPart]:
    """The text parts a reader sees: of alternatives the plain one (else the HTML), of a
    mixed message each inline text part (one after an inline image too), no attachments."""
    if part.get_content_type() == "multipart/alternative":
        best = part.get_body(preferencelist=("plain", "html"))
        return _text_parts(best) if isinstance(best, MIMEPart) else []
    if part.get_content_maintype() == "multipart":
        return [text for child in part.iter_parts() for text in _text_parts(child)]
    readable = part.get_content_subtype() in ("plain", "html") and not part.is_attachment()
    return [part] if part.get_content_maintype() == "text" and readable else []


def _attached(part: MIMEPart) -> list[EmailMessage]:
    """The messages attached to PART (message/rfc822), outside any attached message."""
    attached: list[EmailMessage] = []
    for child in part.iter_parts() if part.get_content_maintype() == "multipart" else ():
        inner = child.get_content() if child.get_content_type() == "message/rfc822" else None
        attached.extend([inner] if isinstance(inner, EmailMessage) else _attached(child))
    return attached


def _has_rfc822_headers(head: bytes) -> bool:
    """True when the bytes open with a header block that has From and another header."""
    names: set[bytes] = set()
    for line in head.splitlines():
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t"):
            continue
        if _HEADER_LINE.match(line) is None:
            return False
        names.add(line.split(b":", 1)[0].strip().lower())
    return b"from" in names and len(names) >= 2
