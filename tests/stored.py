"""A document of one unit saved as a crawl saves it, for tests that build a corpus by hand."""

from __future__ import annotations

from provenance.models import Capture, Document, Unit
from provenance.storage import Database, save_document


def store(
    db: Database, url: str, text: str, *, role: str = "primary", author: str | None = None
) -> None:
    """Save `text` as one unit: an email of a primary source, else an article's paragraph."""
    kind = "email" if role == "primary" else "paragraph"
    unit = Unit(kind, 0, len(text), author=author, date="2018-01-31T23:54")
    document = Document(url, "test", role, url, text, (unit,))  # type: ignore[arg-type]
    capture = Capture(url, url, "2024-03-05T00:00:00+00:00", text.encode())
    save_document(db, capture, document, [])
