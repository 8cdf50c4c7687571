"""Deep links that open a source at the quote: URL text fragments (#:~:text=)."""

from __future__ import annotations

from urllib.parse import quote, urldefrag

EDGE_WORDS = 4  # a long passage is named by its first and last few words


def _encode(term: str) -> str:
    """Percent-encode a text-fragment term; '-', ',' and '&' are syntax there."""
    return quote(term, safe="").replace("-", "%2D")


def fragment_link(url: str, text: str) -> str:
    """`url#:~:text=start,end` highlighting `text`; short passages are named whole."""
    if url.startswith("file:"):
        return url
    words = text.split()
    if len(words) <= 2 * EDGE_WORDS:
        directive = _encode(" ".join(words))
    else:
        start = " ".join(words[:EDGE_WORDS])
        end = " ".join(words[-EDGE_WORDS:])
        directive = f"{_encode(start)},{_encode(end)}"
    return f"{urldefrag(url).url}#:~:text={directive}"
