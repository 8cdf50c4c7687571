"""A real sentence quoted with an invented one beside it: the real one is traced to its
passage, and the invented one is shown as words the source does not have."""

from __future__ import annotations

from stored import store

from provenance.storage import Database
from provenance.trace import trace_quote

REAL = (
    "A for-profit pivot might create a more sustainable revenue stream over time and would, "
    "with the current team, likely bring in a lot of investment."
)
INVENTED = "We should take full control of the company before the board meets again."
EMAIL = f"Andrej here. {REAL} The better path is to attach to Tesla as its cash cow."
LETTER = (
    "Dear shareholders. We should take full control of the company before the board meets again."
)


def test_an_invented_sentence_beside_a_real_one_is_shown_as_inserted(db: Database) -> None:
    store(db, "https://openai.example/emails", EMAIL, author="Andrej Karpathy")
    for quote in (f"{REAL} {INVENTED}", f"{INVENTED} {REAL}"):
        result = trace_quote(db, quote, speaker="Elon Musk")
        assert result.status == "found"
        assert result.best is not None and result.best.verdict == "altered"
        assert result.best.matched_text == REAL
        assert [(d.kind, d.quote) for d in result.best.differences] == [("inserted", INVENTED)]
        assert "misattributed" in result.best.flags  # the real sentence is checked as any is
        assert result.best.score < 80  # half the quote fits
        assert f"does not have there: “{INVENTED}”." in " ".join(result.explanation)


def test_sentences_from_two_sources_are_not_one_passage(db: Database) -> None:
    """Spliced from two documents, the quote has no one source to name."""
    store(db, "https://openai.example/emails", EMAIL)
    store(db, "https://example.org/letter", LETTER)
    assert trace_quote(db, f"{REAL} {INVENTED}").status == "not_found"


def test_a_short_real_sentence_does_not_vouch_for_a_long_invented_one(db: Database) -> None:
    store(db, "https://openai.example/emails", EMAIL)
    quote = f"The better path is to attach to Tesla as its cash cow. {INVENTED} {INVENTED}"
    assert trace_quote(db, quote).status == "not_found"
