"""Alignment speed without a change of result: the fast fold equals the reference loop,
and no quote or unit, however long or repetitive, makes a trace take seconds."""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance import ingest, matching, storage, trace
from provenance.demo import DEMO
from provenance.errors import InputError
from provenance.models import Capture
from provenance.storage import Database

# Letters, digits, apostrophes of every kind, punctuation, spaces, and characters NFKC or
# case folding change: full-width forms, superscripts, lone combining marks, a ligature,
# ß, Turkish İ, ½ (an alphanumeric folding to "1⁄2"), "…" (three stops), a lone surrogate.
ALPHABET = "aZé9xy   '’ʼ.,-—\n\t_“”Ａ\u0301²ﬁßİ½…\ud800"


def reference_fold(text: str, monkeypatch: pytest.MonkeyPatch) -> matching.Folded:
    with monkeypatch.context() as patch:
        patch.setattr(matching, "_fold_fast", lambda _text: None)
        return matching.fold(text)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(ALPHABET), min_size=matching.FAST_FOLD, max_size=160))
def test_fast_fold_equals_the_reference(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert matching._fold_fast(text) == reference_fold(text, monkeypatch)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("aZ9xy   '.,-\n\t_`\""), min_size=matching.FAST_FOLD, max_size=160))
def test_fast_fold_of_ascii_equals_the_reference(text: str) -> None:
    # ASCII takes its own shortcut through the fast fold (no table lookups).
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert matching._fold_fast(text) == reference_fold(text, monkeypatch)


def test_ascii_fold_drops_apostrophes_and_thousands_separators_in_place() -> None:
    text = "It isn't 3,400 staff; it's 1,000,000 visitors, as the board's own note says."
    folded = matching._fold_fast(text)
    assert folded is not None
    assert folded.text == "it isnt 3400 staff its 1000000 visitors as the boards own note says"
    start = folded.text.index("3400")
    assert text[slice(*folded.original_span(start, start + 4))] == "3,400"
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert folded == reference_fold(text, monkeypatch)


def _sentence_cuts(text: str, stops: str) -> list[int]:
    """Where a sentence ends, by the rule read plainly: a space after one of `stops` (a
    closing mark between them or not), or a line break."""
    closing = matching._CLOSING
    return [
        i
        for i, char in enumerate(text)
        if char == "\n"
        or (
            char.isspace()
            and (
                (i >= 1 and text[i - 1] in stops)
                or (i >= 2 and text[i - 2] in stops and text[i - 1] in closing)
            )
        )
    ]


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(".!?:;ab \n\t\u2028\xa0\"')]»”’"), max_size=80), st.data())
def test_a_sentences_rest_is_read_up_to_the_nearest_breaks(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    before = text[:start]
    after = text[max(end - 1, 0) :]
    cuts = _sentence_cuts(before, ".!?:")
    ends = _sentence_cuts(after, ".!?")
    rest = after[: ends[0]] if ends else after
    expected = (before[cuts[-1] + 1 :] if cuts else before, rest[1:] if end else rest)
    assert matching._sentence_rest(text, start, end) == expected


def test_fold_takes_the_fast_path_from_its_threshold() -> None:
    assert matching._fold_fast("“It isn’t,” said Zoë … ﬁne. " * 3) is not None
    assert matching._fold_fast("short") is None


REPETITIVE = "All work and no play makes Jack a dull boy. "


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The demo corpus, parsed by its crawlers, plus a 100,000-character repetitive unit."""
    db = storage.open_db(tmp_path_factory.mktemp("guard") / "demo.db")
    for path in sorted(DEMO.glob("*.html")):
        crawler = "openai_emails" if path.name.startswith("openai") else "article"
        captured = ingest.capture_file(path, url=f"http://127.0.0.1/{path.name}")
        ingest.ingest(db, captured, ingest.Overrides(crawler=crawler))
    text = (REPETITIVE * 2300)[:100_000]
    url = "http://127.0.0.1/jack.txt"
    captured = Capture(
        url=url,
        final_url=url,
        fetched_at="2026-01-01T00:00:00+00:00",
        content=text.encode(),
        content_type="text/plain",
    )
    ingest.ingest(db, captured, ingest.Overrides(crawler="plain_text", role="primary"))
    assert db.execute("SELECT max(length(text)) FROM units").fetchone()[0] >= 99_000
    yield db
    db.conn.close()


def demo_words(db: Database) -> list[str]:
    return " ".join(
        r[0] for r in db.execute("SELECT text FROM units WHERE length(text) < 9999")
    ).split()


def pathological(db: Database) -> dict[str, str]:
    words = demo_words(db)
    shuffled = random.Random(3).sample(words * 3, len(words) * 3)
    return {
        "10,000 characters of the repetitive unit, altered": (REPETITIVE.replace(".", ",") * 250)[
            :10_000
        ],
        "10,000 characters of shuffled demo words": " ".join(shuffled)[:10_000],
        "10,000 characters of the demo in order": " ".join(words * 3)[:10_000],
        "the most pieces allowed, each 800 characters": " … ".join(
            [REPETITIVE.replace("boy", "girl") * 18] * trace.MAX_FRAGMENTS
        ),
        "a short line of the repetitive unit": "no play makes Jack a dull boy",
        "100,000 characters without a space (a pasted address)": "x" * 100_000,
        "32,000 characters of Chinese": "我们应该继续努力" * 4000,
    }


def test_no_input_takes_a_second(demo_db: Database) -> None:
    slow = {}
    for name, quote in pathological(demo_db).items():
        started = time.perf_counter()
        with contextlib.suppress(InputError):  # refused: a user's mistake, but refused fast
            trace.trace_quote(demo_db, quote)
        elapsed = time.perf_counter() - started
        print(f"{name}: {elapsed * 1000:.0f} ms")
        if elapsed > 1.0:
            slow[name] = elapsed
    assert not slow


def test_long_quotes_are_still_found(demo_db: Database) -> None:
    quote = (REPETITIVE.replace(".", ",") * 250)[:10_000].rsplit(" ", 1)[0]
    assert trace.trace_quote(demo_db, quote).status == "found"


def test_too_many_pieces_is_a_users_mistake(demo_db: Database) -> None:
    quote = " … ".join(["no play makes Jack a dull boy"] * (trace.MAX_FRAGMENTS + 1))
    with pytest.raises(InputError, match="at most 12 can be traced"):
        trace.trace_quote(demo_db, quote)


def test_a_large_corpus_asks_short_quotes_for_every_word() -> None:
    """One slip in a seven-word quote passes in a small corpus, not in one of 10,000 units
    or more, where a stranger's sentence comes that close by chance."""
    text = "The ferry timetable changes on the first of June."
    parsed = matching.parse_quote("The ferry timetable chnages on the first")
    alignment = matching.align(parsed, text)
    assert alignment is not None
    _, differences = matching.judge(parsed, alignment, text)
    assert matching.accepted(alignment, parsed, differences)
    assert not matching.accepted(alignment, parsed, differences, units=matching.LARGE_CORPUS)


WORDS = ("ferry", "timetable", "changes", "harbour", "first", "board", "June", "isn't")
PUNCTUATION = ("", "", "", ",", ".", ";", " —")


@st.composite
def short_quotes(draw: st.DrawFn) -> tuple[str, str]:
    """A unit of words from a small vocabulary (so near-misses abound) and a quote of 3-9
    of its words, each kept, its case or punctuation changed, swapped for another word,
    misspelt or dropped."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=20, max_size=60))
    text = " ".join(w + draw(st.sampled_from(PUNCTUATION)) for w in words)
    length = draw(st.integers(3, 9))
    start = draw(st.integers(0, len(words) - length))
    quoted = []
    for word in words[start : start + length]:
        change = draw(st.sampled_from(("keep",) * 6 + ("case", "other", "typo", "drop")))
        if change == "case":
            word = word.upper()
        elif change == "other":
            word = draw(st.sampled_from(WORDS))
        elif change == "typo":
            word = word[1] + word[0] + word[2:]
        if change != "drop":
            quoted.append(word + draw(st.sampled_from(PUNCTUATION)))
    return " ".join(quoted), text


@settings(max_examples=400, deadline=None)
@given(short_quotes())
def test_the_word_check_never_refuses_what_acceptance_takes(case: tuple[str, str]) -> None:
    """align(exact=True) spares placing a short quote where one of its words is missing, in
    a large corpus; it must return the same alignment wherever acceptance would take it."""
    quote, text = case
    parsed = matching.parse_quote(quote)
    units = matching.LARGE_CORPUS
    if parsed.evidence < matching.MIN_EVIDENCE or not matching.word_for_word(parsed, units):
        return
    alignment = matching.align(parsed, text)
    if alignment is None:
        return
    _, differences = matching.judge(parsed, alignment, text, units=units)
    if matching.accepted(alignment, parsed, differences, units=units):
        assert matching.align(parsed, text, exact=True) == alignment


def test_the_word_check_refuses_a_near_miss() -> None:
    text = "The ferry timetable changes on the first of June."
    parsed = matching.parse_quote("The ferry timetable changes on the second of June")
    assert matching.word_for_word(parsed, matching.LARGE_CORPUS)
    assert matching.align(parsed, text) is not None
    assert matching.align(parsed, text, exact=True) is None
