"""Pin cites for passages of court filings: "Compl. ¶ 45, ECF No. 1 at 12–13", and the link
that opens the PDF at the page where the passage starts (`#page=N`).

A unit of a filing carries its cite without pages and the pages it is on, each with the
offset into the unit's text where that page starts; the pages of a passage follow from
its offsets. The ECF page (from the header the court's system stamps on every page) is
the one a lawyer cites; the PDF page is the one a viewer opens, and they differ when the
PDF holds more than the one document.
"""

from __future__ import annotations

from urllib.parse import urldefrag

from provenance.models import StoredUnit

Pages = tuple[tuple[int, int, int | None], ...]


def pages_of(pages: Pages, start: int, end: int) -> Pages:
    """The pages the span [start, end) of the unit's text is on, in order."""
    spanned = [
        page
        for index, page in enumerate(pages)
        if page[0] < max(end, start + 1)
        and (index + 1 == len(pages) or pages[index + 1][0] > start)
    ]
    return tuple(spanned)


def pin_cite(cite: str | None, pages: Pages, start: int, end: int) -> str | None:
    """The cite with the pages of the span: "… at 12", or "… at 12–13" across a break."""
    if cite is None:
        return None
    spanned = pages_of(pages, start, end)
    if not spanned:
        return cite
    numbers = [ecf if ecf is not None else pdf for _, pdf, ecf in spanned]
    first, last = numbers[0], numbers[-1]
    return f"{cite} at {first}" if first == last else f"{cite} at {first}–{last}"


def page_link(unit: StoredUnit, start: int, end: int) -> str | None:
    """The document URL opened at the PDF page where the span starts, or None when the
    unit has no pages (not a PDF)."""
    spanned = pages_of(unit.pages, start, end)
    if not spanned:
        return None
    return f"{urldefrag(unit.document.url).url}#page={spanned[0][1]}"
