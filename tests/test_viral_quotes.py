"""A quote that spreads must stay traceable: copies in many articles may neither crowd its
primary source out of the candidates nor make its words too common to look up."""

from __future__ import annotations

from typing import Any

import pytest
from stored import store

from provenance import matching, storage
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


SHORT = "We are not going to sell it to anyone."


def test_a_short_quote_of_common_words_is_looked_up_as_a_phrase(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every word pair of a short quote copied past the posting lists' limit is looked up
    in the full-text index; in a large corpus (here made large by its threshold), where it
    must match word for word, it is sought as a phrase, not as an OR of common pairs."""
    monkeypatch.setattr(matching, "LARGE_CORPUS", 1000)
    store(db, POST, f"Sam here. {SHORT} That is final.", author="Sam Altman")
    for i in range(1100):
        store(
            db, f"https://news{i}.example/story", f"Item {i}. {SHORT} Note {i}.", role="secondary"
        )
    parsed = matching.parse_quote(SHORT)
    assert matching.word_for_word(parsed, 1101)
    queries: list[str] = []
    search = storage.search_unit_ids

    def recorded(db: Database, query: str, **options: Any) -> list[int]:
        queries.append(query)
        return search(db, query, **options)

    monkeypatch.setattr(storage, "search_unit_ids", recorded)
    result = trace_quote(db, SHORT)
    assert queries == ['"We are not going to sell it to anyone"']
    assert result.best is not None and result.best.unit.document.url == POST
    assert result.best.verdict == "verbatim"


def test_phrases_keep_each_fragment_apart() -> None:
    parsed = matching.parse_quote("We [the board] won't sell … it's 3,400 shares")
    assert matching.fts_phrases(parsed) == '"won t sell" AND "it s 3 400 shares"'
