"""Whether captured bytes are a binary file (an image, an archive, an executable) that no
crawler reads as text. Such bytes are refused before parsing: an HTML parser would make
a PNG named photo.html into forty "quotes" of noise."""

from __future__ import annotations

GZIP = b"\x1f\x8b"  # the first bytes of gzip-compressed data
MAGIC = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"PK\x03\x04": "a ZIP archive, or a .docx, .xlsx or .epub",
    GZIP: "gzip-compressed data",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "an old Office document",
    b"\x7fELF": "a program",
    b"MZ": "a program",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf\x27\x1c": "a 7z archive",
}
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # text in UTF-16 or UTF-32 has NUL bytes
SNIFF = 8192  # bytes looked at for a NUL
STRAY_NULS = 8  # NULs an HTML page may carry by a slip (a CMS, a paste) and still be read


def binary_kind(content: bytes) -> str | None:
    """What binary file the bytes are, or None if they may be text (or a PDF, which the
    filing crawler reads; or an HTML page with a stray NUL or two, see begins_as_html)."""
    for magic, kind in MAGIC.items():
        if content.startswith(magic):
            return kind
    if content.startswith(b"RIFF") and content[8:12] == b"WEBP":
        return "a WebP image"
    nuls = b"\x00" in content[:SNIFF] and not content.startswith(UTF16_BOMS)
    if nuls and not (begins_as_html(content) and content.count(b"\x00") <= STRAY_NULS):
        return "binary data"
    return None


def begins_as_html(content: bytes) -> bool:
    """Whether the bytes open as an HTML page, a byte-order mark and white space aside.
    Such a page with a few NULs is text with a slip in it (the parser drops them), not
    a binary file, which opens so only by design and has NULs throughout."""
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))
