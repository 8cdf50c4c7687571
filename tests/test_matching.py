"""Matching as pure functions: folding keeps offsets, quotes split on their marks, the
aligner finds exact spans, the verdict and the attribution checks say the right thing.
The accuracy table over a real database is in test_matching_cases.py."""

from __future__ import annotations

import pytest

from provenance.attribution import (
    attribution_flags,
    is_organisation,
    same_date,
    same_organisation,
    same_person,
    same_speaker,
)
from provenance.matching import (
    LARGE_CORPUS,
    PARAPHRASE_SCORE,
    Difference,
    accepted,
    align,
    fold,
    fts_query,
    judge,
    paraphrased,
    parse_quote,
    pieces,
    substantive_changes,
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
    url: str = "https://example.org/post",
) -> StoredUnit:
    ref = DocumentRef(1, url, "Post", "primary", "openai_emails", None, "", "", 1)
    return StoredUnit(
        1, "email", None, UNIT, author, date, (), None, forwarded_by, forwarded_at, ref
    )


def judged(quote: str, text: str) -> tuple[str, list[Difference]]:
    """The verdict and differences of a quote that must align in text."""
    parsed = parse_quote(quote)
    alignment = align(parsed, text)
    assert alignment is not None
    return judge(parsed, alignment, text)


def test_fold_maps_every_character_back_to_the_original() -> None:
    text = "“Don’t  stop” — ÉCOLE, ﬁne."
    folded = fold(text)
    assert folded.text == "dont stop école fine"
    start = folded.text.index("école")
    assert text[slice(*folded.original_span(start, start + 5))] == "ÉCOLE"
    start = folded.text.index("fine")
    assert text[slice(*folded.original_span(start, start + 4))] == "ﬁne"


def test_a_thousands_separator_is_punctuation() -> None:
    """ "3400" for "3,400" changes no word: the quote is the source with punctuation changed,
    and the match runs to its last word (before, "staff" fell off the span)."""
    source = "From 1 July the new policy applies to all 3,400 staff and 1,000,000 visitors."
    assert fold(source).text.endswith("all 3400 staff and 1000000 visitors")
    assert fold("3.5 and 12,34").text == "3 5 and 12 34"  # decimals and other commas stay
    verdict, differences = judged("the new policy applies to all 3400 staff", source)
    assert verdict == "punctuation"
    assert ("punctuation", "3400", "3,400") in {(d.kind, d.quote, d.source) for d in differences}


def test_a_full_stop_where_a_quote_cuts_its_sentence_short_is_no_punctuation_change() -> None:
    """A quote may close on a full stop where the source's sentence goes on: the verdict is
    verbatim_truncated, and the cut is the only difference. A lower-cased first letter is
    a case change, as the accuracy cases hold (punctuation outranks the cut)."""
    source = "The ferry will run on Sundays again, because the second crew has been hired."
    verdict, differences = judged("The ferry will run on Sundays again.", source)
    assert (verdict, [d.kind for d in differences]) == ("verbatim_truncated", ["truncated"])
    verdict, differences = judged("the ferry will run on Sundays again.", source)
    assert (verdict, [d.kind for d in differences]) == ("punctuation", ["punctuation", "truncated"])


def test_invisible_characters_pasted_from_a_page_change_nothing() -> None:
    """A soft hyphen, a zero-width space or joiner, a byte-order mark: copied from a web
    page with the quote, invisible on screen, and no change of words or punctuation."""
    source = "We need to attach to Tesla as its cash cow, he wrote."
    for quote in (
        "attach to Tesla as its ca\u00adsh cow",
        "attach to\u200b Tesla as its cash cow",
        "\ufeffattach to Tes\u200dla as its cash cow",
    ):
        assert fold(quote).text == "attach to tesla as its cash cow"
        parsed = parse_quote(quote)
        alignment = align(parsed, source)
        assert alignment is not None and alignment.score == 100
        verdict, differences = judge(parsed, alignment, source)
        assert verdict == "verbatim_truncated"
        assert {d.kind for d in differences} == {"truncated"}  # what the cut leaves out
    folded = fold("ca\u00adsh " * 10)  # the numpy path, past FAST_FOLD characters
    assert folded.text == " ".join(["cash"] * 10) and folded.original_span(0, 4) == (0, 5)


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


@pytest.mark.parametrize(
    ("quote", "edit"),
    [
        ("[It] might create a more sustainable revenue stream", ("replaced", "[It]", "pivot")),
        ("a more sustainable revenue stream over [years]", ("replaced", "[years]", "time")),
        (
            "… likely bring in a lot of investment.",
            ("omitted", "…", "A for-profit pivot might create a more sustainable revenue "
             "stream over time and would, with the current team"),
        ),
        (
            "A for-profit pivot might create a more sustainable revenue stream …",
            ("omitted", "…", "over time and would, with the current team, likely bring in a "
             "lot of investment."),
        ),
    ],
)  # fmt: skip
def test_a_mark_at_an_edge_shows_what_it_stands_for(quote: str, edit: tuple[str, str, str]) -> None:
    """A bracket at an edge stands for the source words the match takes in there, not the
    word past them; an ellipsis there leaves out the rest of the sentence."""
    _, differences = judged(quote, SENTENCE)
    assert [(d.kind, d.quote, d.source) for d in differences if d.kind != "truncated"] == [edit]


def test_a_punctuation_difference_shows_the_words_that_differ() -> None:
    quote = "A for-profit pivot might create a more sustainable revenue stream over time and "
    quote += "would — with the current team — likely bring in a lot of investment"
    verdict, differences = judged(quote, SENTENCE)
    assert verdict == "punctuation"
    assert [(d.kind, d.quote, d.source) for d in differences] == [
        ("punctuation", "would —", "would,"),
        ("punctuation", "team —", "team,"),
    ]


def test_a_cut_without_a_mark_is_shown_whatever_the_verdict() -> None:
    """A quote that changes case and also stops mid-sentence is judged on its case, and the
    words it leaves off the end are listed too: a reader must see the sentence went on."""
    source = (
        "Our customers deserve stability, and I intend to keep it that way, no matter what "
        "the board says. Bob"
    )
    quote = "our customers deserve stability, and I intend to keep it that way."
    verdict, differences = judged(quote, source)
    assert verdict == "punctuation"
    assert ("truncated", "", "no matter what the board says.") in {
        (d.kind, d.quote, d.source) for d in differences
    }


@pytest.mark.parametrize(
    "quote",
    [
        "We cannot reach it through donations.",  # its full stop ends the sentence
        "Every year it costs more.",  # after a sentence that closes a quotation
    ],
)
def test_a_whole_sentence_has_nothing_cut_off(quote: str) -> None:
    """The sentence after a quoted one, or the introduction before it, is not a cut."""
    source = "He said: “We cannot reach it through donations.” Every year it costs more. Bob"
    verdict, differences = judged(quote, source)
    assert verdict == "verbatim"
    assert differences == []


def test_a_bracket_stands_for_a_short_span_an_ellipsis_for_any() -> None:
    """An editor's [bracket] replaces a name or a phrase: words either side of it that stand
    a paragraph apart in the source are not one quote, unless an ellipsis says so."""
    near = "The board met on Monday. It voted to sell the plant to a buyer from Ohio."
    far = (
        "The board met on Monday. It heard the chief financial officer explain the losses, "
        "the auditors list their findings and the unions state their case at length, and "
        "then voted to sell the plant to a buyer from Ohio."
    )
    bracketed = parse_quote("The board met on Monday. [The board] voted to sell the plant")
    assert align(bracketed, near) is not None
    assert align(bracketed, far) is None
    elided = parse_quote("The board met on Monday. It heard … voted to sell the plant")
    alignment = align(elided, far)
    assert alignment is not None
    assert far[alignment.start : alignment.end].endswith("voted to sell the plant")


@pytest.mark.parametrize(
    ("quote", "lone", "holds", "lacks"),
    [
        # a lone word before a [bracket]: it must stand within the bracket's reach
        (
            "Losses. [The board] voted to sell the plant to a buyer from Ohio",
            "Losses.",
            "After the losses the board voted to sell the plant to a buyer from Ohio.",
            "After a long meeting the board voted to sell the plant to a buyer from Ohio.",
        ),
        # between two marks, with a slip of the keys in it
        (
            "The board met on Monday … verdict … voted to sell the plant",
            "verdict",
            "The board met on Monday to hear the vredict and then voted to sell the plant.",
            "The board met on Monday to hear the unions and then voted to sell the plant.",
        ),
        # after the last fragment
        (
            "voted to sell the plant to a buyer [from] Ohio",
            "Ohio",
            "It voted to sell the plant to a buyer based in Ohio.",
            "It voted to sell the plant to a buyer based in Texas.",
        ),
    ],
)
def test_a_lone_word_beside_a_mark_must_stand_there(
    quote: str, lone: str, holds: str, lacks: str
) -> None:
    """A word on its own between marks is too little to align, so it joins the mark; but
    the quote still says it is there: where it is not, the quote added it."""
    parsed = parse_quote(quote)
    assert any(mark and lone in mark.text for mark in parsed.marks)  # it joined a mark
    found = align(parsed, holds)
    assert found is not None and found.missing == ()
    assert judge(parsed, found, holds)[0] in ("bracketed", "elided")
    near = align(parsed, lacks)
    assert near is not None and near.missing == (lone,)
    verdict, differences = judge(parsed, near, lacks)
    assert Difference("inserted", lone, "") in differences
    assert verdict != "bracketed" and not accepted(near, parsed, differences)


def test_a_short_lone_word_takes_no_slip() -> None:
    """ "are" is no slip of "large": only words of four letters or more may differ."""
    parsed = parse_quote("are [the board] the help listing. Also redact the secrets")
    found = align(parsed, "We are now displaying the help listing. Also redact the secrets.")
    near = align(parsed, "A large prime displaying the help listing. Also redact the secrets.")
    assert found is not None and found.missing == ()
    assert near is not None and near.missing == ("are",)


def test_a_moved_word_is_one_change_and_the_span_keeps_it() -> None:
    """Two words swapped, or one word moved a place, is one change: the span still covers
    the source's words, and the quote is judged as altered by one word, not two."""
    text = "Filings are due. Send the signed copy of the lease to the clerk of the court by Friday."
    parsed = parse_quote("the signed copy of the lease by to the clerk of the court Friday")
    alignment = align(parsed, text)
    assert alignment is not None
    assert text[alignment.start : alignment.end] == (
        "the signed copy of the lease to the clerk of the court by Friday"
    )
    verdict, differences = judge(parsed, alignment, text)
    assert verdict == "altered"
    assert substantive_changes(differences) == 1
    swapped = parse_quote("Send the signed copy of the lease to the clerk of the court Friday by")
    alignment = align(swapped, text)
    assert alignment is not None
    assert text[alignment.start : alignment.end].endswith("of the court by Friday")


def test_a_short_first_fragment_that_also_fits_later_does_not_lose_the_passage() -> None:
    """ "will be" fits the passage and, later, "will become": wherever the quick check
    first places it, the fragments after it are still looked for from the passage."""
    text = (
        "The queue will be reset. The buffer attribute may hold partial data until the "
        "reader drains it. It will become clear."
    )
    parsed = parse_quote("will be [emptied]. The buffer attribute may hold partial data")
    alignment = align(parsed, text)
    assert alignment is not None
    assert text[alignment.start : alignment.end] == (
        "will be reset. The buffer attribute may hold partial data"
    )


def test_a_near_miss_with_several_words_changed_is_not_accepted() -> None:
    parsed = parse_quote(
        "A for-profit pivot might create a more reliable income stream over time and would, "
        "with the present team, likely attract lots of money."
    )
    alignment = align(parsed, UNIT)
    assert alignment is None or not accepted(alignment, parsed, judge(parsed, alignment, UNIT)[1])


def test_a_quote_nested_in_the_quote_may_turn_its_marks_single() -> None:
    """An article quoting “small-shop” inside its own quotation prints ‘small-shop’."""
    source = "Our café grants, the “small-shop” fund and the rates relief stay in place."
    quote = "Our café grants, the ‘small-shop’ fund and the rates relief stay in place."
    assert judged(quote, source) == ("verbatim", [])


def test_same_person() -> None:
    assert same_person("Musk", "Elon Musk")
    assert same_person("Mr. Elon Musk", "elon musk")
    assert not same_person("Kimbal Musk", "Elon Musk")
    assert not same_person("Elon Musk", "Andrej Karpathy")
    # A given name alone, as a colleague's post calls him ("Elon helped us start"): it
    # was "misattributed. They were written by Elon Musk."
    assert same_person("Elon", "Elon Musk") and same_person("Elon Musk", "elon")
    assert not same_person("Kimbal", "Elon Musk") and not same_person("Elon", "Kimbal")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ingrid Solberg", "Solberg, Ingrid"),
        ("Margit Halvorsen", "Margit A. Halvorsen"),
        ("M. Halvorsen", "Margit Halvorsen"),
        ("Margit Anne Halvorsen", "Margit A. Halvorsen"),
        ("Dr. Margit Halvorsen", "Margit Halvorsen"),
        ("Ingrid Sølberg", "ingrid solberg"),
        ("José Núñez", "Jose Nunez"),
        ("John Halvorsen Jr.", "John Halvorsen"),
        ("Halvorsen, John, Jr.", "John Halvorsen Jr"),
    ],
)
def test_one_person_written_as_people_write_names(a: str, b: str) -> None:
    assert same_person(a, b) and same_person(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kari Solberg", "Solberg, Ingrid"),
        ("Marit Halvorsen", "Margit Halvorsen"),
        ("K. Halvorsen", "Margit Halvorsen"),
        ("Ingrid Salberg", "Ingrid Solberg"),
        ("Dr. Ingrid Solberg", "Dr. Ingrid Eide"),
        ("John Halvorsen Jr.", "John Halvorsen Sr."),
        ("John Halvorsen III", "John Halvorsen II"),
        ("Halvorsen, John, Sr.", "John Halvorsen Jr."),
    ],
)
def test_other_people_stay_other_people(a: str, b: str) -> None:
    assert not same_person(a, b) and not same_person(b, a)


def test_a_last_first_sender_credited_by_name_is_not_misattributed() -> None:
    assert attribution_flags(unit("Solberg, Ingrid"), speaker="Ingrid Solberg", date=None) == []
    assert attribution_flags(unit("Solberg, Ingrid"), speaker="Kari Solberg", date=None) == [
        "misattributed"
    ]
    assert attribution_flags(unit("Acme, Inc."), speaker="Acme", date=None) == []


@pytest.mark.parametrize(
    "address",
    ["jonas.eide@x.example", "jeide@x.example", "jonas_eide@x.example", "eide.jonas@x.example"],
)
def test_an_address_the_speakers_name_fits_is_not_flagged(address: str) -> None:
    assert attribution_flags(unit(address), speaker="Jonas Eide", date=None) == []


@pytest.mark.parametrize("speaker", ["Ingrid Solberg", "Kari Eide", "Halvorsen Foods"])
def test_an_address_the_speakers_name_does_not_fit_leaves_the_author_unknown(
    speaker: str,
) -> None:
    assert attribution_flags(unit("jonas.eide@x.example"), speaker=speaker, date=None) == [
        "author_unknown"
    ]


def test_a_forwarder_credited_with_an_unfitting_address_words_is_misattributed() -> None:
    forwarded = unit("jonas.eide@x.example", forwarded_by="Ingrid Solberg")
    assert attribution_flags(forwarded, speaker="Ingrid Solberg", date=None) == [
        "forwarded",
        "misattributed",
    ]


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


def test_a_forwarder_known_by_address_alone_credited_with_the_words_is_misattributed() -> None:
    """A forward from a bare address is its owner's when the speaker's name fits it."""
    forwarded = unit(REDACTED, forwarded_by="elon.musk@x.example")
    assert attribution_flags(forwarded, speaker="Elon Musk", date=None) == [
        "forwarded",
        "misattributed",
    ]
    assert attribution_flags(forwarded, speaker="Sam Altman", date=None) == [
        "forwarded",
        "author_unknown",
    ]


def test_the_author_credited_with_his_own_words_is_not_flagged() -> None:
    assert attribution_flags(unit("Andrej Karpathy"), speaker="Karpathy", date="2018-01") == []
    assert attribution_flags(unit("Andrej Karpathy"), speaker="Elon Musk", date=None) == [
        "misattributed"
    ]


def test_a_reworded_quote_is_a_paraphrase_never_verbatim_or_accepted_as_altered() -> None:
    parsed = parse_quote(
        "A for-profit pivot could create a more sustainable revenue stream over time and, "
        "with the current team, would likely bring in plenty of investment."
    )
    alignment = align(parsed, UNIT)
    assert alignment is not None
    verdict, differences = judge(parsed, alignment, UNIT)
    assert verdict == "paraphrase"
    assert not accepted(alignment, parsed, differences)  # too changed to be "altered"
    assert ("changed", "plenty", "a lot") in {(d.kind, d.quote, d.source) for d in differences}


def test_in_a_large_corpus_only_a_long_rewording_is_a_paraphrase() -> None:
    """From LARGE_CORPUS units, a stranger's sentence comes as close to a short quote by
    chance as a rewording does: 10 words, one of them changed, are not enough there."""
    short = parse_quote("pivot might build a more sustainable revenue stream over time")
    long = parse_quote(
        "A for-profit pivot could create a more sustainable revenue stream over time and, "
        "with the current team, would likely bring in plenty of investment."
    )
    for parsed, in_large in ((short, False), (long, True)):
        alignment = align(parsed, UNIT)
        assert alignment is not None
        assert paraphrased(parsed, alignment, UNIT)
        assert paraphrased(parsed, alignment, UNIT, units=LARGE_CORPUS) is in_large


def test_a_rewording_keeps_its_passages_ends() -> None:
    """Words changed within the sentence may be a rewording; the same sentence parting
    from the passage at its end, where a stranger's sentence that shares a long stretch
    with a quote parts from it, is not."""
    within = parse_quote(
        "A for-profit pivot could create a more durable revenue stream over time and would, "
        "with the current team, likely bring in a lot of investment"
    )
    at_the_end = parse_quote(
        "A for-profit pivot might create a more sustainable revenue stream over time and "
        "would, with the current team, likely bring in a lot of public goodwill"
    )
    for parsed, kept in ((within, True), (at_the_end, False)):
        alignment = align(parsed, UNIT)
        assert alignment is not None and alignment.score >= PARAPHRASE_SCORE
        assert paraphrased(parsed, alignment, UNIT) is kept


def test_a_word_or_two_changed_is_altered_however_short_the_quote() -> None:
    """A short quote may not change a word and be accepted on its score alone, but where
    it passes as a rewording, one changed word ("destroy" for "create") is an alteration
    to show, not "the same claim in other words"."""
    parsed = parse_quote("A for-profit pivot might destroy a more sustainable revenue stream")
    alignment = align(parsed, UNIT)
    assert alignment is not None
    verdict, differences = judge(parsed, alignment, UNIT)
    assert not accepted(alignment, parsed, differences)
    assert paraphrased(parsed, alignment, UNIT)
    assert verdict == "altered"
    changed = [(d.kind, d.quote, d.source) for d in differences if d.kind != "truncated"]
    assert changed == [("changed", "destroy", "create")]


@pytest.mark.parametrize(
    "quote",
    [
        # a number changed: a different claim, however many words are shared
        "A for-profit pivot could create a more sustainable revenue stream over ten years and, "
        "with the current team, would likely bring in plenty of investment.",
        # a negation added
        "A for-profit pivot could not create a more sustainable revenue stream over time and, "
        "with the current team, would likely bring in plenty of investment.",
        # too few words to say they mean the same
        "a more lasting revenue stream",
    ],
)
def test_a_changed_claim_is_not_a_paraphrase(quote: str) -> None:
    parsed = parse_quote(quote)
    alignment = align(parsed, UNIT)  # None (too far off to align at all) is a "no" too
    assert alignment is None or judge(parsed, alignment, UNIT)[0] != "paraphrase"


def test_an_organisation_is_known_by_its_short_name_and_its_press_office() -> None:
    """Articles shorten names ("Acme" for Acme Corporation) and credit a press office's
    statement to the company; neither is a misattribution."""
    assert same_speaker("Acme", "Acme Corporation")
    assert same_speaker("Acme Corp.", "Acme Corporation") and same_speaker("Acme Inc.", "Acme")
    assert not same_speaker("Apex", "Acme Corporation")
    assert not same_speaker("Elon Musk", "Acme Corporation")
    press = unit("Press Office", url="https://acme.example/news/statement")
    assert attribution_flags(press, speaker="Acme Corporation", date=None) == []
    assert attribution_flags(press, speaker="Apex Corporation", date=None) == ["misattributed"]
    assert attribution_flags(press, speaker="Dana Acme", date=None) == ["misattributed"]


def test_organisations_are_told_from_people() -> None:
    assert is_organisation("OpenAI") and is_organisation("Riverton FC")
    assert is_organisation("the Board") and not is_organisation("Elon Musk")
    assert is_organisation("the White House") and is_organisation("Élysée")
    assert not is_organisation("Ana White") and not is_organisation("Tom House")
    assert same_organisation("the Board", "Coastal Reserve Board")
    assert not same_organisation("Riverton FC", "Ashford University")


def test_an_organisation_credited_with_a_persons_words() -> None:
    own = unit("Greta Lund", url="https://halcyonrobotics.example/blog/letter")
    assert attribution_flags(own, speaker="Halcyon Robotics", date=None) == [
        "credited_to_organisation"
    ]
    assert attribution_flags(unit("Greta Lund"), speaker="Halcyon Robotics", date=None) == [
        "misattributed"
    ]
    statement = unit("Halcyon Robotics", url="https://halcyonrobotics.example/newsroom")
    assert attribution_flags(statement, speaker="Greta Lund", date=None) == ["misattributed"]
    assert attribution_flags(statement, speaker="Halcyon Robotics", date=None) == []
    briefing = unit("Karine Jean-Pierre", url="https://www.whitehouse.gov/briefing-room/")
    assert attribution_flags(briefing, speaker="White House", date=None) == [
        "credited_to_organisation"
    ]


def test_a_family_speaks_as_a_body_not_as_its_member() -> None:
    """A spokeswoman "for the Lind family" gives the family's words: Tomas Lind's own
    statement on the family's site is credited to the organisation that published it,
    and his email is not the family's."""
    site = unit("Tomas Lind", url="https://lindfamily.example/statement")
    assert attribution_flags(site, speaker="Lind family", date=None) == ["credited_to_organisation"]
    assert attribution_flags(unit("Tomas Lind"), speaker="Lind family", date=None) == [
        "misattributed"
    ]
    assert attribution_flags(unit("The Lind Family"), speaker="Lind family", date=None) == []


def test_claimed_dates_of_every_precision() -> None:
    assert same_date("2018-01", "2018-01-31T23:54") and same_date("2018", "2018-01-31")
    assert same_date("2018-W05", "2018-01-31T23:54")  # "last week", said on Feb 7
    assert not same_date("2018-W06", "2018-01-31T23:54")
    assert attribution_flags(unit("Andrej Karpathy"), speaker=None, date="2018-W06") == [
        "date_mismatch"
    ]


def test_a_time_with_its_zone_is_of_its_own_day_and_of_the_day_in_utc() -> None:
    """An email sent at 23:45 on March 5 in California was sent on March 6 in UTC, the day
    an archive or a reporter in Europe gives: "March 6" was flagged date_mismatch."""
    sent = "2024-03-05T23:45:00-08:00"
    assert same_date("2024-03-05", sent) and same_date("2024-03-06", sent)
    assert same_date("--03-06", sent) and same_date("2024-W10", sent)
    assert not same_date("2024-03-07", sent) and not same_date("2024-03-04", sent)
    assert same_date("2025", "2024-12-31T23:30:00-05:00")
    assert not same_date("2024-03-06", "2024-03-05T23:45") and not same_date(
        "2024-03-06", "2024-03-05"
    )


def test_claimed_date_without_a_year_checks_month_and_day() -> None:
    """A day without a year ("on Jan. 31", --01-31) fits that day of any year, no other."""
    assert same_date("--01-31", "2018-01-31T23:54") and same_date("--01", "2018-01-31")
    assert not same_date("--01-30", "2018-01-31T23:54") and not same_date("--02", "2018-01-31")
    assert not same_date("--01-31", "") and not same_date("--01", "1-31")
    assert attribution_flags(unit("Andrej Karpathy"), speaker=None, date="--01-31") == []
    assert attribution_flags(unit("Andrej Karpathy"), speaker=None, date="--02-01") == [
        "date_mismatch"
    ]


def test_a_slip_in_a_word_marked_sic_is_not_a_changed_word() -> None:
    """[sic] says the spelling was noticed: a letter swapped in the marked word, even a
    three-letter one in a short quote in a large corpus, leaves the quote accepted. The
    same slip unmarked, or a marked word that is another word, is a change."""
    text = "Drivers said the music they could play in the cab was chosen for them."

    def verdict(quote: str) -> tuple[str, bool]:
        parsed = parse_quote(quote)
        alignment = align(parsed, text)
        assert alignment is not None
        found, differences = judge(parsed, alignment, text, units=LARGE_CORPUS)
        return found, accepted(alignment, parsed, differences, units=LARGE_CORPUS)

    assert parse_quote("in teh [sic] cab, [Sic] (itn): [sic]!").sic == {"teh", "cab", "itn"}
    assert verdict("the music they could play in teh [sic] cab") == ("altered", True)
    assert verdict("the music they could play in teh cab")[1] is False
    assert verdict("the music they could play in her [sic] cab")[1] is False


SELL, WAIT = "We will sell the fleet this year", "nobody here wants to wait"


@pytest.mark.parametrize(
    ("quote", "parts"),
    [
        (f"{SELL}. Nobody here wants to wait.", [f"{SELL}.", "Nobody here wants to wait."]),
        (f"{SELL} … {WAIT}", [SELL, WAIT]),
        (f"We will sell [the fleet] this year and {WAIT}", []),
        (SELL, [SELL]),
    ],
)
def test_the_parts_that_may_come_from_different_sources(quote: str, parts: list[str]) -> None:
    """Sentences, and the words either side of an omission; a [bracket] ties its neighbours."""
    assert pieces(parse_quote(quote)) == parts


CASH_COW_SOURCE = (
    "The option I keep coming back to is for OpenAI to attach to Tesla as its cash cow. "
    "Even then, the odds are long."
)


@pytest.mark.parametrize(
    ("quote", "verdict"),
    [
        ("The option I keep coming back to,” “is for OpenAI to attach to Tesla as its cash cow.",
         "verbatim"),
        ("The option I keep coming back to” “is for OpenAI to attach to Tesla as its cash cow.",
         "verbatim"),
        ("The option I keep coming back to,” “Is for OpenAI to attach to Tesla as its cash cow.",
         "punctuation"),
    ],
)  # fmt: skip
def test_parts_joined_around_a_credit_that_run_on_in_the_source_are_no_omission(
    quote: str, verdict: str
) -> None:
    """“The option …,” Musk wrote, “is for …”: the join is where the article put its
    credit, not an omission it marked."""
    assert parse_quote(quote).fragments[0] == "The option I keep coming back to" + (
        "," if ",”" in quote else ""
    )
    found, differences = judged(quote, CASH_COW_SOURCE)
    assert found == verdict
    assert all(d.kind == "punctuation" for d in differences), differences


def test_parts_joined_around_a_credit_over_words_of_the_source_say_so() -> None:
    """The source has a sentence between the two parts the article runs on: words left
    out without a mark, shown at the join, never as an omission mark the article printed."""
    source = "We may wish it otherwise. The odds are long. But the plan is to try again."
    found, differences = judged("We may wish it otherwise,” “but the plan is to try again.", source)
    assert found == "altered"
    assert Difference("dropped", "” “", "The odds are long.") in differences
    assert not [d for d in differences if d.kind == "omitted"]
