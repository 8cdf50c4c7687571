"""Compose a court filing as a PDF on pleading paper, from a plain-text spec we can review,
for the tests and the demo (so no opaque PDF is committed).

The spec is "Key: value" lines (Case, Document, Filed, Footer), a blank line, then the body:
paragraphs separated by blank lines, and "[page]" alone on a line to start a new page (an
exhibit's cover, say). The PDF has what a filing from the court's system has: 28 numbered
lines down the left margin, the body double-spaced on them, a running footer, and the ECF
header stamped on every page ("Case 4:24-cv-04722-YGR Document 1 Filed 08/05/24 Page 3 of
9"). Needs reportlab (a development dependency).
"""

from __future__ import annotations

import io
import textwrap

LINES_PER_PAGE = 28
WRAP = 72  # characters a body line holds
PAGE_BREAK = "[page]"


def _layout(body: str) -> list[list[str]]:
    """The body's lines, wrapped and cut into pages of 28 slots ("" is a blank slot)."""
    pages: list[list[str]] = [[]]
    for block in body.strip().split("\n\n"):
        block = block.strip()
        if block == PAGE_BREAK:
            pages.append([])
            continue
        lines = [
            wrapped for line in block.split("\n") for wrapped in (textwrap.wrap(line, WRAP) or [""])
        ]
        if pages[-1]:
            lines.insert(0, "")
        for line in lines:
            if len(pages[-1]) == LINES_PER_PAGE:
                pages.append([])
                if not line:
                    continue
            pages[-1].append(line)
    return pages


def compose_filing(spec: str) -> bytes:
    """The PDF bytes of the filing SPEC describes."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen.canvas import Canvas

    head, _, body = spec.partition("\n\n")
    fields = dict(line.split(": ", 1) for line in head.strip().splitlines())
    pages = _layout(body)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter, invariant=True)
    width, height = letter
    for number, lines in enumerate(pages, start=1):
        canvas.setFont("Helvetica", 8)
        canvas.drawCentredString(
            width / 2,
            height - 30,
            f"Case {fields['Case']} Document {fields['Document']} Filed {fields['Filed']} "
            f"Page {number} of {len(pages)}",
        )
        canvas.setFont("Times-Roman", 12)
        for slot in range(LINES_PER_PAGE):
            y = height - 80 - slot * 24
            canvas.drawRightString(52, y, str(slot + 1))
            if slot < len(lines) and lines[slot]:
                canvas.drawString(80, y, lines[slot])
        canvas.setFont("Times-Roman", 9)
        canvas.drawCentredString(width / 2, 40, f"{fields['Footer']} - {number}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
