"""Deep links that open a source at the quote: URL text fragments (#:~:text=), with a prefix
and suffix when the start of the passage is ambiguous on the page, and #page=N for PDFs.

Text fragments match case-insensitively on whole words with whitespace collapsed, the first
match winning, so a directive is only good if its first match on the page is our passage.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urldefrag

EDGE_WORDS = 4  # a long passage is named by its first and last few words
MAX_CONTEXT = 4  # prefix and suffix words tried before naming the passage whole
_PAGE = re.compile(r"\b(?:page|pp?\.)\s*(\d+)", re.IGNORECASE)


def _encode(term: str) -> str:
    """Percent-encode a text-fragment term; '-', ',' and '&' are syntax there."""
    return quote(term, safe="").replace("-", "%2D")


def _pattern(term: str) -> str:
    """A term as the browser compares it: its words in order, any whitespace between."""
    return r"\s+".join(re.escape(word) for word in term.split())


def directive_regex(
    start: str, end: str | None = None, prefix: str | None = None, suffix: str | None = None
) -> re.Pattern[str]:
    """The passages a text directive selects, as one regex: prefix, start, the shortest
    stretch to end, suffix (whitespace, if any, between them), on word boundaries."""
    body = rf"(?P<text>{_pattern(start)}"
    body += rf"(?!\w).*?(?<!\w){_pattern(end)})" if end else ")"
    before = rf"{_pattern(prefix)}\s*" if prefix else ""
    after = rf"\s*{_pattern(suffix)}" if suffix else ""
    return re.compile(rf"(?<!\w){before}{body}{after}(?!\w)", re.IGNORECASE | re.DOTALL)


def _first_match(
    text: str, terms: tuple[str, str | None, str | None, str | None]
) -> tuple[int, int] | None:
    found = directive_regex(*terms).search(text)
    return found.span("text") if found else None


def text_directive(text: str, start: int, end: int) -> str:
    """The `text=` directive that selects text[start:end] on a page whose text is `text`:
    start and end words, then prefix and suffix words until its first match is this one."""
    passage = text[start:end]
    start += len(passage) - len(passage.lstrip())
    end = start + len(passage.strip())
    words = passage.split()
    if not words:
        raise ValueError("an empty passage has no text fragment")
    edges: list[tuple[str, str | None]] = [(" ".join(words), None)]
    if len(words) > 2 * EDGE_WORDS:
        edges.insert(0, (" ".join(words[:EDGE_WORDS]), " ".join(words[-EDGE_WORDS:])))
    before, after = text[:start].split(), text[end:].split()
    for first, last in edges:
        for size in range(MAX_CONTEXT + 1):
            prefix = " ".join(before[-size:]) if size and before else None
            suffix = " ".join(after[:size]) if size and after else None
            terms = (first, last, prefix, suffix)
            if _first_match(text, terms) == (start, end):
                return _format(*terms)
    return _format(edges[-1][0], None, " ".join(before[-MAX_CONTEXT:]) or None, None)


def _format(start: str, end: str | None, prefix: str | None, suffix: str | None) -> str:
    parts = [f"{_encode(prefix)}-"] if prefix else []
    parts.append(_encode(start))
    if end:
        parts.append(_encode(end))
    if suffix:
        parts.append(f"-{_encode(suffix)}")
    return ",".join(parts)


def fragment_link(url: str, text: str) -> str:
    """`url#:~:text=start,end` highlighting `text`, when the page's text is not at hand."""
    if url.startswith("file:"):
        return url
    return f"{urldefrag(url).url}#:~:text={text_directive(text, 0, len(text))}"


def pdf_page(label: str | None) -> int | None:
    """The page a unit's label names ("page 3", "p. 3"), for a PDF's #page=N."""
    found = _PAGE.search(label or "")
    return int(found.group(1)) if found else None


def deep_link(url: str, page_text: str, start: int, end: int, *, page: int | None = None) -> str:
    """A link that opens the source at page_text[start:end]: #page=N for a PDF page, else a
    text fragment unique on the page. A local file keeps its plain URL."""
    bare = urldefrag(url).url
    if page is not None:
        return f"{bare}#page={page}"
    if url.startswith("file:"):
        return url
    return f"{bare}#:~:text={text_directive(page_text, start, end)}"
