"""A rewording is traced to a passage only when it fits that passage clearly better than
any other primary passage: lexically, a stranger's sentence may come as close as a source."""

from __future__ import annotations

from stored import store

from provenance.matching import (
    PARAPHRASE_MARGIN,
    PARAPHRASE_SCORE,
    align,
    judge,
    parse_quote,
    required_score,
    within_reach,
)
from provenance.storage import Database
from provenance.trace import trace_quote

SENTENCE = (
    "A for-profit pivot might create a more sustainable revenue stream over time and would, "
    "with the current team, likely bring in a lot of investment."
)
REWORDED = (
    "A for-profit pivot could create a more sustainable revenue stream over time and, "
    "with the current team, would likely bring in plenty of investment."
)
# Another writer's sentence, in another letter, that the rewording fits about as well,
# though it is neither the quote altered nor reworded (it says "never").
LOOKALIKE = (
    "A for-profit pivot would never create a more sustainable revenue stream over time and "
    "could, with the current staff, likely bring in plenty of new investment."
)
EMAIL = f"Andrej here. {SENTENCE} The better path is to attach to Tesla as its cash cow."
LETTER = f"Dear shareholders, our plans for next year. {LOOKALIKE} We will report in March."


def test_a_rewording_of_one_passage_is_traced_to_it_as_a_paraphrase(db: Database) -> None:
    store(db, "https://openai.example/emails", EMAIL)
    # The same email in a second archive is the same passage, not a rival to it.
    store(db, "https://archive.example/musk-openai", f"Forwarded. {EMAIL}")
    result = trace_quote(db, REWORDED)
    assert result.status == "found"
    assert result.best is not None and result.best.verdict == "paraphrase"
    assert result.best.matched_text == SENTENCE
    assert len(result.matches) == 2


def test_articles_repeating_a_rewording_word_for_word_do_not_hide_its_source(
    db: Database,
) -> None:
    """The articles share every 3-gram of the quote, the source far fewer: it must still
    be among the candidates, and the articles are appearances, not rival sources."""
    store(db, "https://openai.example/emails", EMAIL)
    for i in range(3):
        text = f"Story {i}. Musk wrote: {REWORDED} Others disagreed."
        store(db, f"https://news{i}.example/story", text, role="secondary")
    result = trace_quote(db, REWORDED)
    assert result.status == "found"
    assert result.best is not None and result.best.unit.document.url.startswith("https://openai")
    assert result.best.verdict == "paraphrase"
    appearances = result.matches[1:]
    assert len(appearances) == 3
    assert all(m.unit.document.role == "secondary" for m in appearances)
    assert all(m.verdict == "verbatim" for m in appearances)


def test_a_source_holding_few_of_a_copied_rewordings_3_grams_is_found(db: Database) -> None:
    """The source holds 8 of the 23 3-grams the articles copy: too few for a candidate
    voted in among them, but it is sought among primary sources past the vote."""
    reworded = (
        "A for-profit pivot could create one more sustainable revenue stream over time and, "
        "with this current team, would likely bring in plenty of investment."
    )
    store(db, "https://openai.example/emails", EMAIL)
    for i in range(3):
        store(db, f"https://news{i}.example/story", f"Musk wrote: {reworded}", role="secondary")
    result = trace_quote(db, reworded)
    assert result.best is not None and result.best.unit.document.url.startswith("https://openai")
    assert result.best.verdict == "paraphrase"


def test_a_rewording_that_fits_two_passages_alike_is_not_traced(db: Database) -> None:
    parsed = parse_quote(REWORDED)
    source, rival = align(parsed, EMAIL), align(parsed, LETTER, 0)
    assert source is not None and rival is not None
    assert rival.score > source.score - PARAPHRASE_MARGIN  # the premise: the two fit alike
    assert judge(parsed, rival, LETTER)[0] == "altered"  # and the letter is no match itself
    store(db, "https://openai.example/emails", EMAIL)
    assert trace_quote(db, REWORDED).status == "found"
    store(db, "https://example.org/letter", LETTER)
    result = trace_quote(db, REWORDED)
    assert result.status == "not_found"
    assert result.best is None and result.matches == ()


def test_a_near_miss_below_the_score_and_no_rewording_is_not_judged() -> None:
    """Between the paraphrase floor and the score acceptance needs, only a rewording
    paraphrased() passes is worth judge()'s word diff: one that says "never" where the
    quote does not is dropped, the source's rewording is kept."""
    parsed = parse_quote(REWORDED)
    negated = (
        "A for-profit pivot would never create a more sustainable revenue stream over the "
        "years and could, with the current staff, bring in plenty of new investment."
    )
    near = align(parsed, negated, 0)
    assert near is not None
    assert PARAPHRASE_SCORE <= near.score < required_score(parsed.evidence)  # the premise
    assert not within_reach(parsed, near, negated)
    source = align(parsed, EMAIL, 0)
    assert source is not None and within_reach(parsed, source, EMAIL)
