"""Matching as pure functions: folding keeps offsets, quotes split on their marks, the
aligner finds exact spans, the verdict and the attribution checks say the right thing.
The accuracy table over a real database is in test_matching_cases.py."""

from __future__ import annotations

import pytest

from provenance.attribution import attribution_flags, same_person
from provenance.matching import (
    accepted,
    align,
    fold,
    fts_query,
    judge,
    parse_quote,
)
from provenance.models import REDACTED, DocumentRef, StoredUnit

SENTENCE = (
    "A for-profit pivot might create a more sustainable revenue stream over time and would, "
    "with the current team, likely bring in a lot of investment."
)
UNIT = f"The landscape is hard. {SENTENCE} The better path is to attach to Tesla as its cash cow."


def unit(
    author: str | None,
    *,
    date: str = "2018-01-31T23:54",
    forwarded_by: str | None = None,
    forwarded_at: str | None = None,
) -> StoredUnit:
    ref = DocumentRef(
        1, "https://example.org/post", "Post", "primary", "openai_emails", None, "", "", 1
    )
    return StoredUnit(
        1, "email", None, UNIT, author, date, (), None, forwarded_by, forwarded_at, ref
    )


def test_fold_maps_every_character_back_to_the_original() -> None:
    text = "“Don’t  stop” — ÉCOLE, ﬁne."
    folded = fold(text)
    assert folded.text == "dont stop école fine"
    start = folded.text.index("école")
    assert text[slice(*folded.original_span(start, start + 5))] == "ÉCOLE"
    start = folded.text.index("fine")
    assert text[slice(*folded.original_span(start, start + 4))] == "ﬁne"


def test_parse_quote_splits_on_every_ellipsis_form_and_brackets() -> None:
    for mark in ("...", "…", ". . .", "[...]"):
        parsed = parse_quote(f"“one two three {mark} four five six”")
        assert parsed.fragments == ("one two three", "four five six"), mark
        assert parsed.marks[1] is not None and parsed.marks[1].kind == "ellipsis"
    parsed = parse_quote("[OpenAI] should attach to Tesla [sic] as its cash cow")
    assert parsed.fragments == ("should attach to Tesla as its cash cow",)
    assert parsed.marks[0] is not None and parsed.marks[0].text == "[OpenAI]"


def test_fts_query_is_bigram_phrases_within_fragments() -> None:
    query = fts_query(parse_quote("one two three … four five"))
    assert query == '"one two" OR "two three" OR "four five"'


@pytest.mark.parametrize(
    ("quote", "verdict", "expected"),
    [
        (SENTENCE, "verbatim", SENTENCE),
        (
            "A for-profit pivot might create a more sustainable revenue stream",
            "verbatim_truncated",
            "A for-profit pivot might create a more sustainable revenue stream",
        ),
        (SENTENCE.replace("-", "—").lower(), "punctuation", SENTENCE),
        (
            "A for-profit pivot might create a more sustainable revenue stream … likely bring in "
            "a lot of investment.",
            "elided",
            SENTENCE,
        ),
        (
            "[OpenAI should] attach to Tesla as its cash cow",
            "bracketed",
            "is to attach to Tesla as its cash cow",
        ),
        (
            "A for-profit pivot might create a more sustainible revenue stream over time",
            "altered",
            "A for-profit pivot might create a more sustainable revenue stream over time",
        ),
    ],
)
def test_judge_names_the_verdict_on_the_exact_span(quote: str, verdict: str, expected: str) -> None:
    parsed = parse_quote(quote)
    alignment = align(parsed, UNIT)
    assert alignment is not None
    found, differences = judge(parsed, alignment, UNIT)
    assert accepted(alignment, parsed, differences)
    assert UNIT[alignment.start : alignment.end] == expected
    assert found == verdict


def test_elided_and_altered_quotes_list_their_differences() -> None:
    parsed = parse_quote(
        "might create a more sustainable revenue stream ... likely bring in a lot of money"
    )
    alignment = align(parsed, UNIT)
    assert alignment is not None
    verdict, differences = judge(parsed, alignment, UNIT)
    assert verdict == "altered"
    kinds = {(d.kind, d.quote, d.source) for d in differences}
    assert ("changed", "money", "investment") in kinds
    assert ("omitted", "...", "over time and would, with the current team") in kinds


def test_a_near_miss_with_several_words_changed_is_not_accepted() -> None:
    parsed = parse_quote(
        "A for-profit pivot might create a more reliable income stream over time and would, "
        "with the present team, likely attract lots of money."
    )
    alignment = align(parsed, UNIT)
    assert alignment is None or not accepted(alignment, parsed, judge(parsed, alignment, UNIT)[1])


def test_same_person() -> None:
    assert same_person("Musk", "Elon Musk")
    assert same_person("Mr. Elon Musk", "elon musk")
    assert not same_person("Kimbal Musk", "Elon Musk")
    assert not same_person("Elon Musk", "Andrej Karpathy")


def test_a_forwarder_credited_with_a_redacted_authors_words_is_misattributed() -> None:
    forwarded = unit(REDACTED, forwarded_by="Elon Musk", forwarded_at="2018-02-01T03:52")
    flags = attribution_flags(forwarded, speaker="Elon Musk", date="2018-01-31")
    assert flags == ["forwarded", "misattributed"]
    flags = attribution_flags(forwarded, speaker="Elon Musk", date="2018-02-01")
    assert flags == ["forwarded", "misattributed", "date_mismatch", "date_of_forward"]
    assert attribution_flags(forwarded, speaker="Sam Altman", date=None) == [
        "forwarded",
        "author_unknown",
    ]


def test_the_author_credited_with_his_own_words_is_not_flagged() -> None:
    assert attribution_flags(unit("Andrej Karpathy"), speaker="Karpathy", date="2018-01") == []
    assert attribution_flags(unit("Andrej Karpathy"), speaker="Elon Musk", date=None) == [
        "misattributed"
    ]
