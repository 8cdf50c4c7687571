"""Compose a court filing as a PDF on pleading paper, from a plain-text spec we can review,
for the tests and the demo (so no opaque PDF is committed).

The spec is "Key: value" lines (Case, Document, Filed, Footer), a blank line, then the body:
paragraphs separated by blank lines, and "[page]" alone on a line to start a new page (an
exhibit's cover, say). A paragraph "[^1]: text" is footnote 1, and "[^1]" in the text its
marker. The PDF has what a filing from the court's system has: 28 numbered lines down the
left margin, the body double-spaced on them, a running footer, the ECF header stamped on
every page ("Case 4:24-cv-04722-YGR Document 1 Filed 08/05/24 Page 3 of 9"), and each
footnote in 9 points below a rule at the foot of the page its raised marker is on, in the
last numbered lines. Needs reportlab (a development dependency).
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

LINES_PER_PAGE = 28
WRAP = 72  # characters a body line holds
NOTE_WRAP = 96  # characters a footnote line holds
PAGE_BREAK = "[page]"
_MARKER = re.compile(r"\[\^(\d+)\]")
_NOTE = re.compile(r"\[\^(\d+)\]:\s+(.*)", re.DOTALL)


@dataclass
class _Page:
    """A page being laid out: its body lines (one a slot, "" a blank slot) and footnotes."""

    lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # footnote lines, numbers first

    def room(self, notes: list[str]) -> int:
        """Slots left for body lines if NOTES join the page's: two footnote lines a slot."""
        taken = math.ceil(len(self.notes + notes) / 2)
        return LINES_PER_PAGE - taken - len(self.lines)


def _layout(body: str) -> list[_Page]:
    """The body's lines, wrapped and cut into pages of 28 slots, each footnote on the page
    its marker is on, taking the slots its lines need off that page's body."""
    blocks = [block.strip() for block in body.strip().split("\n\n")]
    notes = {m[1]: _note_lines(m[1], m[2]) for block in blocks if (m := _NOTE.fullmatch(block))}
    pages = [_Page()]
    for block in blocks:
        if block == PAGE_BREAK:
            pages.append(_Page())
            continue
        if _NOTE.fullmatch(block):
            continue
        lines = [
            wrapped for line in block.split("\n") for wrapped in (textwrap.wrap(line, WRAP) or [""])
        ]
        if pages[-1].lines:
            lines.insert(0, "")
        for line in lines:
            marked = [n for number in _MARKER.findall(line) for n in notes[number]]
            if pages[-1].room(marked) < 1:
                pages.append(_Page())
                if not line:
                    continue
            pages[-1].lines.append(line)
            pages[-1].notes += marked
    return pages


def _note_lines(number: str, text: str) -> list[str]:
    """Footnote NUMBER's lines, its number marking the first."""
    return textwrap.wrap(f"[^{number}] {' '.join(text.split())}", NOTE_WRAP)


def _draw_marked(canvas: Any, x: float, y: float, line: str, size: float) -> None:
    """Draw LINE in the canvas's font at SIZE, its footnote markers raised and smaller."""
    for index, piece in enumerate(_MARKER.split(line)):
        raised = index % 2 == 1
        if raised:
            canvas.setFont("Times-Roman", size * 0.6)
        canvas.drawString(x, y + (size * 0.35 if raised else 0), piece)
        x += canvas.stringWidth(piece, "Times-Roman", size * 0.6 if raised else size)
        if raised:
            canvas.setFont("Times-Roman", size)


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
    for number, page in enumerate(pages, start=1):
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
            if slot < len(page.lines) and page.lines[slot]:
                _draw_marked(canvas, 80, y, page.lines[slot], 12)
        if page.notes:
            top = height - 80 - (LINES_PER_PAGE - math.ceil(len(page.notes) / 2)) * 24
            canvas.line(80, top + 14, 224, top + 14)
            canvas.setFont("Times-Roman", 9)
            for index, line in enumerate(page.notes):
                _draw_marked(canvas, 80, top - index * 12, line, 9)
        canvas.setFont("Times-Roman", 9)
        canvas.drawCentredString(width / 2, 40, f"{fields['Footer']} - {number}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
