"""The character encoding of an HTML capture, decided before the parser guesses: the HTML
standard's order, a byte-order mark first, then the HTTP Content-Type charset, then the
page's own <meta>; BeautifulSoup alone never sees the HTTP header and guesses, so
latin-1 bytes served with charset=iso-8859-1 became mojibake. One exception: bytes that
are valid UTF-8 beyond ASCII are UTF-8, whatever a legacy label says (a server's default
charset, a template's stale <meta>): legacy text is almost never valid UTF-8 by chance.
"""

from __future__ import annotations

import codecs

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# WHATWG Encoding: these labels mean windows-1252 on the web.
WINDOWS_1252 = frozenset({"latin-1", "iso8859-1", "ascii"})


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
        charset = http_charset(content_type)
        if charset is None:
            return content  # the <meta>, then sniffing: the parser's own order
        return codecs.BOM_UTF8 + content.decode(charset, errors="replace").encode("utf-8")
    return codecs.BOM_UTF8 + content
