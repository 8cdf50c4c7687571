"""A quote that spreads must stay traceable: copies in many articles may neither crowd its
primary source out of the candidates nor make its words too common to look up."""

from __future__ import annotations

import pytest

from provenance.models import Capture, Document, Unit
from provenance.storage import Database, save_document
from provenance.trace import trace_quote

SENTENCE = (
    "A for-profit pivot might create a more sustainable revenue stream over time and would, "
    "with the current team, likely bring in a lot of investment."
)
POST = "https://openai.example/openai-and-elon-musk"


def store(db: Database, url: str, role: str, text: str, author: str | None) -> None:
    kind = "email" if role == "primary" else "paragraph"
    unit = Unit(kind, 0, len(text), author=author, date="2018-01-31T23:54")
    document = Document(url, "test", role, url, text, (unit,))  # type: ignore[arg-type]
    capture = Capture(url, url, "2024-03-05T00:00:00+00:00", text.encode())
    save_document(db, capture, document, [])


@pytest.mark.parametrize(
    "copies",
    [
        30,  # more copies than candidates are aligned
        120,  # every 3-gram of the quote too common to vote as a rule
        1100,  # past the length at which posting lists stop growing
    ],
)
def test_the_source_of_a_widely_copied_quote_is_found(db: Database, copies: int) -> None:
    store(db, POST, "primary", f"Andrej here. {SENTENCE} Then attach to Tesla.", "Andrej Karpathy")
    for i in range(copies):
        text = f"Story {i} on the suit, week {i}. Musk wrote: {SENTENCE} City {i} disagreed."
        store(db, f"https://news{i}.example/story", "secondary", text, None)
    result = trace_quote(db, SENTENCE, speaker="Elon Musk")
    assert result.status == "found"
    assert result.best is not None and result.best.unit.document.url == POST
    assert "misattributed" in result.flags
