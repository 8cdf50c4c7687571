"""A quote that spreads must stay traceable: copies in many articles may neither crowd its
primary source out of the candidates nor make its words too common to look up."""

from __future__ import annotations

import pytest
from stored import store

from provenance.storage import Database
from provenance.trace import trace_quote

SENTENCE = (
    "A for-profit pivot might create a more sustainable revenue stream over time and would, "
    "with the current team, likely bring in a lot of investment."
)
POST = "https://openai.example/openai-and-elon-musk"


@pytest.mark.parametrize(
    "copies",
    [
        30,  # more copies than candidates are aligned
        120,  # every 3-gram of the quote too common to vote as a rule
        1100,  # past the length at which posting lists stop growing
    ],
)
def test_the_source_of_a_widely_copied_quote_is_found(db: Database, copies: int) -> None:
    store(db, POST, f"Andrej here. {SENTENCE} Then attach to Tesla.", author="Andrej Karpathy")
    for i in range(copies):
        text = f"Story {i} on the suit, week {i}. Musk wrote: {SENTENCE} City {i} disagreed."
        store(db, f"https://news{i}.example/story", text, role="secondary")
    result = trace_quote(db, SENTENCE, speaker="Elon Musk")
    assert result.status == "found"
    assert result.best is not None and result.best.unit.document.url == POST
    assert "misattributed" in result.flags
