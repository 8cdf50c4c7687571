"""Building a document's text from pieces while recording each piece's offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from provenance.models import Unit

_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def clean(text: str) -> str:
    """Collapse runs of spaces (not newlines) and trim each line and the whole."""
    lines = (_SPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(lines).strip()


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs of plain text, cleaned, empty ones dropped."""
    return [p for p in (clean(block) for block in _BLANK_LINES.split(text)) if p]


@dataclass
class TextBuilder:
    """Appends pieces separated by blank lines; each becomes a Unit spanning exactly it."""

    parts: list[str] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    length: int = 0

    def add(self, text: str, unit: Unit) -> None:
        text = clean(text)
        if not text:
            return
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        self.parts.append(text)
        self.units.append(replace(unit, start=self.length, end=self.length + len(text)))
        self.length += len(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)
