"""Plain text files (text/plain, .txt): articles saved as text, transcripts, notes.

Notes:
  Paragraphs are separated by blank lines. A short first line is the title (and a heading
  unit); saved pages often repeat it as the next paragraph (the title, then the headline),
  and that repeat is dropped. There is no metadata to find: author and date stay unknown.
  Bytes are UTF-8 (or UTF-16 with a BOM) when they decode as such, else whatever encoding
  detection settles on; NUL bytes or many control characters mean a binary file.
"""

from __future__ import annotations

import codecs
import unicodedata
from urllib.parse import urlsplit

from bs4.dammit import UnicodeDammit

from crawlers._charset import mostly_utf8
from crawlers._sniff import binary_kind
from crawlers._text import TextBuilder, paragraphs
from provenance.errors import ParseError
from provenance.models import Document, Role, Unit

KIND = "plain_text"
ROLE: Role = "primary"
PRIORITY = 100

_TITLE_MAX = 150
_SPACES = frozenset("\t\n\r\f\v")


def recognises(content: bytes, *, url: str, content_type: str | None) -> bool:
    kind = (content_type or "").split(";")[0].strip().lower()
    return kind == "text/plain" or urlsplit(url).path.lower().endswith(".txt")


def parse(content: bytes, *, url: str, base: str | None = None) -> Document:
    pieces = paragraphs(_decode(content, url=url))
    if not pieces:
        raise ParseError("no text found", url=url)
    title = _title(pieces[0])
    builder = TextBuilder()
    if "\n" not in pieces[0] and len(pieces[0]) <= _TITLE_MAX:
        builder.add(pieces.pop(0), Unit("heading", 0, 0))
        if pieces and pieces[0] == title:
            pieces.pop(0)
    for piece in pieces:
        builder.add(piece, Unit("paragraph", 0, 0))
    return Document(
        url=url,
        crawler=KIND,
        role=ROLE,
        title=title,
        text=builder.text,
        units=tuple(builder.units),
    )


def _decode(content: bytes, *, url: str) -> str:
    try:
        if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text: str | None = content.decode("utf-16")
        elif kind := binary_kind(content):
            raise ParseError(f"binary content ({kind}), not text", url=url)
        else:
            text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = mostly_utf8(content) or UnicodeDammit(content, ["windows-1252"]).unicode_markup
    if text is None:
        raise ParseError("text in an unknown encoding", url=url)
    controls = sum(1 for char in text if unicodedata.category(char) == "Cc" and char not in _SPACES)
    if controls > len(text) // 100:
        raise ParseError("binary content (control characters), not text", url=url)
    return text


def _title(first: str) -> str:
    """The first line, cut at a word boundary when it is long."""
    line = first.split("\n", 1)[0]
    if len(line) <= _TITLE_MAX:
        return line
    return line[:_TITLE_MAX].rsplit(" ", 1)[0] + "…"
