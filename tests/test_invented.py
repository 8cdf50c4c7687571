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
    """Spliced from two documents, the quote has no one source to name: not found, with
    where each sentence stands listed in the quote's order, and said."""
    store(db, "https://openai.example/emails", EMAIL)
    store(db, "https://example.org/letter", LETTER)
    for quote, order in (
        (f"{REAL} {INVENTED}", [REAL, INVENTED]),
        (f"{INVENTED} {REAL}", [INVENTED, REAL]),
    ):
        result = trace_quote(db, quote)
        assert (result.status, result.best, result.chain) == ("not_found", None, ())
        assert [m.matched_text for m in result.matches] == order
        assert result.explanation[0] == (
            "Not found as one passage: its 2 parts stand in separate passages of 2 "
            "documents, joined into one quote."
        )
        assert result.explanation[1].startswith(f"Part 1, “{order[0]}”: found verbatim in")


def test_words_joined_by_an_omission_mark_from_two_sources_are_each_checked(
    db: Database,
) -> None:
    """ "A … B" may hide two documents: each part is checked against the speaker."""
    store(db, "https://openai.example/emails", EMAIL, author="Andrej Karpathy")
    store(db, "https://example.org/letter", LETTER, author="Elon Musk")
    quote = f"{REAL[:-1]} … {INVENTED}"
    result = trace_quote(db, quote, speaker="Elon Musk")
    assert (result.status, result.flags) == ("not_found", ())
    assert [(m.unit.author, m.flags) for m in result.matches] == [
        ("Andrej Karpathy", ("misattributed",)),
        ("Elon Musk", ()),
    ]
    said = " ".join(result.explanation)
    assert "Credited to Elon Musk: misattributed. They were written by Andrej Karpathy." in said
    assert "Credited to Elon Musk, who wrote them: the attribution checks out." in said


def test_a_part_too_short_to_name_its_passage_makes_no_splice(db: Database) -> None:
    """A sentence of under SPLICE_WORDS words stands in too many places to name one."""
    store(db, "https://openai.example/emails", EMAIL)
    store(db, "https://example.org/letter", LETTER)
    result = trace_quote(db, f"To attach to Tesla as its cash cow. {INVENTED}")
    assert (result.status, result.matches) == ("not_found", ())


def test_a_short_real_sentence_does_not_vouch_for_a_long_invented_one(db: Database) -> None:
    store(db, "https://openai.example/emails", EMAIL)
    quote = f"The better path is to attach to Tesla as its cash cow. {INVENTED} {INVENTED}"
    assert trace_quote(db, quote).status == "not_found"
