"""Content-coding removal with bounds inside the decompressors, so a small compressed body
cannot expand past the decoded-size cap before the cap is checked.

httpx decodes gzip, deflate and brotli with no output limit and accepts any number of
stacked codings; we read the raw bytes and decode them here instead.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import brotli

MAX_CODINGS = 2
CHUNK = 64 * 1024
RATIO_FLOOR = 1024 * 1024
MAX_RATIO = 100  # decoded / compressed size past RATIO_FLOOR, the fetcher's default limit


class DecodeError(ValueError):
    """The body cannot be decoded within the limits, or its coding is unknown or broken."""


def _zlib_decode(data: bytes, wbits: int, limit: int) -> bytes:
    decompressor = zlib.decompressobj(wbits)
    out = bytearray()
    pending = data
    while not decompressor.eof:
        chunk = decompressor.decompress(pending, CHUNK)
        pending = decompressor.unconsumed_tail
        out += chunk
        if len(out) > limit:
            raise DecodeError(f"decodes to more than {limit} bytes")
        if not chunk and not pending:
            raise DecodeError("compressed body is truncated")
    return bytes(out)


def _gzip(data: bytes, limit: int) -> bytes:
    return _zlib_decode(data, 16 + zlib.MAX_WBITS, limit)


def _deflate(data: bytes, limit: int) -> bytes:
    # "deflate" is meant to be zlib-wrapped; some servers send it raw.
    try:
        return _zlib_decode(data, zlib.MAX_WBITS, limit)
    except zlib.error:
        return _zlib_decode(data, -zlib.MAX_WBITS, limit)


def _brotli(data: bytes, limit: int) -> bytes:
    decompressor = brotli.Decompressor()
    out = bytearray()
    pending = data
    while True:
        # output_buffer_limit (brotli >= 1.2) stops each call at CHUNK bytes of output;
        # after such a call the rest must be drained with empty input.
        out += decompressor.process(pending, output_buffer_limit=CHUNK)
        pending = b""
        if len(out) > limit:
            raise DecodeError(f"decodes to more than {limit} bytes")
        if decompressor.is_finished():
            return bytes(out)
        if decompressor.can_accept_more_data():
            raise DecodeError("compressed body is truncated")


DECODERS: dict[str, Callable[[bytes, int], bytes]] = {
    "gzip": _gzip,
    "x-gzip": _gzip,
    "deflate": _deflate,
    "br": _brotli,
}


def decode_body(
    data: bytes, content_encoding: str | None, *, max_bytes: int, max_ratio: int
) -> bytes:
    """Undo the content-codings named in a Content-Encoding header, last applied first.
    The decoded size is capped at max_bytes and at max_ratio times the wire size (or 1 MiB,
    whichever is more)."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if len(codings) > MAX_CODINGS:
        raise DecodeError(f"{len(codings)} content-codings; at most {MAX_CODINGS} are decoded")
    # Small bodies may compress far better than max_ratio; the ratio guards big expansions.
    limit = min(max_bytes, max(len(data) * max_ratio, RATIO_FLOOR))
    for coding in reversed(codings):
        decoder = DECODERS.get(coding)
        if decoder is None:
            raise DecodeError(f"unknown content-coding {coding!r}")
        try:
            data = decoder(data, limit)
        except (zlib.error, brotli.error) as error:
            raise DecodeError(f"broken {coding} body: {error}") from error
    return data
