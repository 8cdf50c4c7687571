"""The character encoding of an HTML capture, decided before the parser guesses: the HTML
standard's order, a byte-order mark first, then the HTTP Content-Type charset, then the
page's own <meta>; BeautifulSoup alone never sees the HTTP header and guesses, so
latin-1 bytes served with charset=iso-8859-1 became mojibake. One exception: bytes that
are valid UTF-8 beyond ASCII are UTF-8, whatever a legacy label says (a server's default
charset, a template's stale <meta>): legacy text is almost never valid UTF-8 by chance.
Nor is it mostly UTF-8: bytes whose non-ASCII is mostly valid UTF-8, with a few stray
bytes (a file patched by a legacy tool), are UTF-8 with the strays replaced.
"""

from __future__ import annotations

import codecs
import re

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# WHATWG Encoding: these labels mean windows-1252 on the web.
WINDOWS_1252 = frozenset({"latin-1", "iso8859-1", "ascii"})


_STRAY = re.compile("[\udc80-\udcff]")  # a byte that is no UTF-8, as surrogateescape keeps it
_NON_ASCII = re.compile("[^\x00-\x7f]")


def mostly_utf8(content: bytes) -> str | None:
    """Bytes that are not valid UTF-8 decoded as UTF-8, each stray byte a U+FFFD, when more
    of their non-ASCII characters are valid UTF-8 than are stray bytes; None otherwise
    (legacy text's accented letters are stray bytes, and are most of its non-ASCII)."""
    escaped = content.decode("utf-8-sig", errors="surrogateescape")
    stray = len(_STRAY.findall(escaped))
    if len(_NON_ASCII.findall(escaped)) - stray <= stray:
        return None
    return content.decode("utf-8-sig", errors="replace")


def http_charset(content_type: str | None) -> str | None:
    """The Python codec a Content-Type's charset parameter names, or None."""
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            try:
                codec = codecs.lookup(value.strip().strip("\"'")).name
            except LookupError:
                return None
            return "cp1252" if codec in WINDOWS_1252 else codec
    return None


def as_declared(content: bytes, content_type: str | None) -> bytes:
    """HTML bytes re-encoded as UTF-8 behind a byte-order mark, which every HTML parser
    obeys, when their encoding is known (see above) and is not left to a guess; any other
    content, and HTML whose encoding the parser would find itself, unchanged."""
    if content_type is None or content_type.split(";")[0].strip().lower() not in HTML_TYPES:
        return content
    if content.startswith(BOMS) or content.isascii():
        return content
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        if (text := mostly_utf8(content)) is not None:
            return codecs.BOM_UTF8 + text.encode("utf-8")
        charset = http_charset(content_type)
        if charset is None:
            return content  # the <meta>, then sniffing: the parser's own order
        return codecs.BOM_UTF8 + content.decode(charset, errors="replace").encode("utf-8")
    return codecs.BOM_UTF8 + content
