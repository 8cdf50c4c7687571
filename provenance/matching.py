"""Locate a quote in a unit's text and judge how faithfully it reproduces it. Pure functions.

The pipeline is the one every text-reuse system converges on: parse the quote into the
fragments its editorial marks separate, retrieve candidates from the full-text index with
word-bigram phrases, align each fragment with rapidfuzz on the candidates only, then decide
with a threshold that rises as the evidence gets shorter, so a quote whose source is
absent is reported as not found rather than matched to the nearest-looking passage.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import itertools
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, ScoreAlignment
from rapidfuzz.utils import default_process

Verdict = Literal[
    "verbatim", "verbatim_truncated", "punctuation", "elided", "bracketed", "altered", "paraphrase"
]
VERDICTS: tuple[Verdict, ...] = (
    "verbatim",
    "verbatim_truncated",
    "punctuation",
    "elided",
    "bracketed",
    "altered",
    "paraphrase",
)
MIN_WORDS = 3  # a shorter quote matches too much to be traced
MIN_EVIDENCE = 12  # folded characters of the quote's own words
MAX_BIGRAMS = 48  # phrases in one retrieval query; long quotes are sampled evenly

# --- normalisation --------------------------------------------------------------------


@dataclass(frozen=True)
class Folded:
    """Text folded for comparison (NFKC, case-folded, every run of non-alphanumerics one
    space) with, for each folded character, the offset of the original character."""

    text: str
    offsets: array[int]  # a machine array: a unit's map is built in one copy, not an int a time

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original (start, end) covering folded[start:end]; end > start required."""
        return self.offsets[start], self.offsets[end - 1] + 1


_APOSTROPHE_CHARS = "'’ʼ"
_THOUSANDS = re.compile(  # the comma of "3,400" and "1,000,000"; the comma first, so the
    r",(?<=\d,)(?=\d{3}(?!\d))"  # engine skips to commas (20× faster on a 4 KB unit)
)


def fold(text: str) -> Folded:
    """Fold text for matching, keeping a map back to original offsets. An apostrophe inside
    a word is dropped ("isn't" and "isnt" are one word), and so is a thousands separator
    ("3,400" and "3400" are one number) and an invisible format character (a soft hyphen
    or a zero-width space pasted from a web page); other punctuation is a space."""
    fast = _fold_fast(text)
    return fast if fast is not None else _fold_short(text)


def invisible(char: str) -> bool:
    """Whether a character is an invisible format character (Unicode category Cf: a soft
    hyphen, a zero-width space or joiner, a byte-order mark), which folds to nothing."""
    return unicodedata.category(char) == "Cf"


@functools.lru_cache(maxsize=1 << 16)
def _fold_short(text: str) -> Folded:
    """fold() of a short text, character by character; memoised, since the words of
    quotes and their sources are folded again for every candidate they are compared with."""
    chars: list[str] = []
    offsets: list[int] = []
    last = len(text) - 1
    for index, char in enumerate(text):
        if (
            char in _APOSTROPHE_CHARS
            and 0 < index < last
            and text[index - 1].isalnum()
            and text[index + 1].isalnum()
        ):
            continue
        if char == "," and _THOUSANDS.match(text, index):
            continue
        if invisible(char):
            continue
        for folded in unicodedata.normalize("NFKC", char).casefold():
            if folded.isalnum():
                chars.append(folded)
                offsets.append(index)
            elif chars and chars[-1] != " ":
                chars.append(" ")
                offsets.append(index)
    if chars and chars[-1] == " ":
        chars.pop()
        offsets.pop()
    return Folded("".join(chars), array("q", offsets))


FAST_FOLD = 64  # characters from which numpy's fixed cost pays for itself
_CODEPOINTS = 0x110000
_FOLD_TABLE: dict[int, str] = {}  # code point → its fold, every non-alphanumeric a space
_FOLD_LENGTH = np.zeros(_CODEPOINTS, dtype=np.int64)  # length of each fold, once known
_FOLD_CODE = np.zeros(_CODEPOINTS, dtype=np.uint32)  # the fold, when it is one character
_LEARNED = np.zeros(_CODEPOINTS, dtype=bool)  # whether the tables know the character
_ALNUM = np.zeros(_CODEPOINTS, dtype=bool)  # str.isalnum() of the original character
_IS_APOSTROPHE = np.zeros(_CODEPOINTS, dtype=bool)
_IS_APOSTROPHE[[ord(c) for c in _APOSTROPHE_CHARS]] = True
_SPACE = ord(" ")


def _learn(chars: set[str]) -> None:
    """Fill the fold tables for characters not seen before."""
    for char in chars:
        folded = "".join(
            f if f.isalnum() else " " for f in unicodedata.normalize("NFKC", char).casefold()
        )
        if invisible(char):
            folded = ""
        _FOLD_TABLE[ord(char)] = folded
        _FOLD_LENGTH[ord(char)] = len(folded)
        _FOLD_CODE[ord(char)] = ord(folded) if len(folded) == 1 else _SPACE
        _ALNUM[ord(char)] = char.isalnum()
        _LEARNED[ord(char)] = True


_learn({chr(code) for code in range(128)})
_ASCII_FOLD = bytes([*_FOLD_CODE[:128].tolist(), *[_SPACE] * 128])  # for bytes.translate()
_ASCII_APOSTROPHE = re.compile(r"'(?<=[A-Za-z0-9]')(?=[A-Za-z0-9])")  # the mark first: fast


def _fold_fast(text: str) -> Folded | None:
    """fold() with numpy instead of a loop over characters (a 4 KB unit in a tenth of the
    time) for texts of FAST_FOLD characters or more; None for shorter ones. The same
    rules, character by character of the NFKC case fold, each keeping its origin."""
    if len(text) < FAST_FOLD:
        return None
    if text.isascii():
        return _fold_ascii(text)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    unknown = codes[~_LEARNED[codes]]
    if unknown.size:
        _learn({chr(code) for code in np.unique(unknown).tolist()})
    lengths = _FOLD_LENGTH[codes]
    simple = bool((lengths == 1).all())
    if simple:
        folded, origin = _FOLD_CODE[codes], np.arange(len(codes))
    else:
        translated = text.translate(_FOLD_TABLE).encode("utf-32-le", "surrogatepass")
        folded = np.frombuffer(translated, dtype=np.uint32)
        origin = np.repeat(np.arange(len(codes)), lengths)
    # An apostrophe between two alphanumerics, or a thousands separator, is dropped as if
    # it were not there.
    apostrophes = any(mark in text for mark in _APOSTROPHE_CHARS)
    separators = [m.start() for m in _THOUSANDS.finditer(text)] if "," in text else []
    if apostrophes or separators:
        skipped = np.zeros(len(codes), dtype=bool)
        if apostrophes:
            alnum = _ALNUM[codes]
            skipped[1:-1] = _IS_APOSTROPHE[codes[1:-1]] & alnum[:-2] & alnum[2:]
        skipped[separators] = True
        if skipped.any():
            keep = ~skipped if simple else np.repeat(~skipped, lengths)
            folded, origin = folded[keep], origin[keep]
    word = folded != _SPACE
    separator = ~word  # the first space after a word
    separator[0] = False
    separator[1:] &= word[:-1]
    kept = np.flatnonzero(word | separator)
    if kept.size and separator[kept[-1]]:
        kept = kept[:-1]
    offsets = array("q")
    offsets.frombytes(origin[kept].astype(np.int64).tobytes())
    return Folded(folded[kept].tobytes().decode("utf-32-le", "surrogatepass"), offsets)


def _fold_ascii(text: str) -> Folded:
    """_fold_fast() of an ASCII text (most units): a byte a character, each folding to one
    and keeping its own offset, so bytes.translate() folds it (twice as fast as by code
    points). A dropped apostrophe or thousands separator stands between two
    alphanumerics, so it joins them where it is."""
    folded = np.frombuffer(text.encode("ascii").translate(_ASCII_FOLD), dtype=np.uint8)
    word = folded != _SPACE
    dropped = [m.start() for m in _ASCII_APOSTROPHE.finditer(text)] if "'" in text else []
    if "," in text:
        dropped += [m.start() for m in _THOUSANDS.finditer(text)]
    joined = word.copy()
    joined[dropped] = True
    separator = ~joined  # the first space after a word
    separator[0] = False
    separator[1:] &= joined[:-1]
    keep = word | separator
    keep[dropped] = False
    kept = np.flatnonzero(keep)
    if kept.size and separator[kept[-1]]:
        kept = kept[:-1]
    offsets = array("q")
    offsets.frombytes(kept.astype(np.int64, copy=False).tobytes())
    return Folded(folded[kept].tobytes().decode("ascii"), offsets)


# --- quote parsing ---------------------------------------------------------------------

_SIC = re.compile(r"\s*\[\s*sic\s*\]", re.IGNORECASE)
_INLINE = re.compile(r"\[(\w{1,3})\](?=\w)")  # "[T]he": a changed letter, not a replacement
_OMISSION = re.compile(r"\.\s?\.\s?\.|…")
_BRACKETED = re.compile(r"\[[^\]]*\]")
JOIN = "” “"  # where an article's credit interrupted a quote: “The plan,” she wrote, “was …”
_JOIN = re.compile(r"”\s*“")
_MARK = re.compile(
    rf"{_JOIN.pattern}|\[\s*(?:\.\s*){{3}}\]|\[\s*…\s*\]|{_OMISSION.pattern}|{_BRACKETED.pattern}"
)
BRACKET_WORDS = 8  # source words a [bracket] may stand for: an editor replaces a name or a
# phrase, and in the 100k-unit benchmark only false sources had one stand for more than 4
_APOSTROPHES = re.compile(r"(?<=\w)['’ʼ](?=\w)")
_QUOTE_EDGES = "\"'“”‘’«»„‚‹› \t\n"
_REOPENED = re.compile(  # the mark reopening each paragraph of a quote over several, a
    # printing convention and none of the speaker's words
    r"(?<=\n)[ \t]*[\"'“‘«„‚‹›»]"
)


@dataclass(frozen=True)
class Mark:
    """An editorial mark in a quote: an omission ("…"), a [bracketed] replacement, or the
    join of the parts an article's credit interrupts (JOIN), which may stand for nothing."""

    kind: Literal["ellipsis", "bracket", "join"]
    text: str  # as the quote has it, e.g. "[the company]"

    @property
    def reach(self) -> int | None:
        """How many source words the mark may stand for: any number (None) if it omits
        some; a [bracket] replaces a short span, plus the words it carries along (a
        one-word fragment between marks joins them)."""
        if _OMISSION.search(self.text) or self.kind == "join":
            return None
        return BRACKET_WORDS + len(_BRACKETED.sub(" ", self.text).split())


@dataclass(frozen=True)
class ParsedQuote:
    """A quote split into its own words (fragments) and the marks between them.

    marks[i] stands before fragments[i]; marks[-1] after the last fragment."""

    text: str
    fragments: tuple[str, ...]
    marks: tuple[Mark | None, ...]
    inline: tuple[str, ...] = ()  # bracketed letters inside words, e.g. "[T]"
    sic: frozenset[str] = frozenset()  # words (folded) the quote marks [sic]

    @functools.cached_property  # asked for by every candidate's alignment
    def folded(self) -> tuple[str, ...]:
        return tuple(fold(fragment).text for fragment in self.fragments)

    @functools.cached_property  # asked for by every candidate's rough check
    def rough(self) -> tuple[str, ...]:
        """The fragments as rapidfuzz's default processor folds them, empty ones left out."""
        return tuple(p for p in (default_process(f) for f in self.fragments) if p)

    @property
    def evidence(self) -> int:
        return sum(len(f) for f in self.folded)

    @property
    def words(self) -> int:
        return sum(len(f.split()) for f in self.folded)


def _join_marks(*parts: Mark | str | None) -> Mark | None:
    texts = [p.text if isinstance(p, Mark) else p for p in parts if p]
    if not texts:
        return None
    kinds = {p.kind for p in parts if isinstance(p, Mark)}
    kind = next(k for k in ("bracket", "ellipsis", "join") if k in kinds)
    return Mark(kind, " ".join(texts))


@functools.lru_cache(maxsize=256)  # a trace parses its quote, and its parts, more than once
def parse_quote(quote: str) -> ParsedQuote:
    """Split a quote on ellipses and [brackets]; drop [sic] (noting the words it marks),
    surrounding quotation marks and those reopening its paragraphs. A fragment of one word
    is too little to align alone and joins the mark around it (align() then looks for it
    where the mark falls)."""
    text = _REOPENED.sub("", _SIC.sub("", quote)).strip(_QUOTE_EDGES)
    inline = tuple(f"[{m.group(1)}]" for m in _INLINE.finditer(text))
    text = _INLINE.sub(r"\1", text)
    fragments: list[str] = []
    marks: list[Mark | None] = [None]
    position = 0
    for found in _MARK.finditer(text):
        piece = text[position : found.start()].strip()
        mark = Mark(_mark_kind(found.group()), found.group())
        if re.search(r"\w", piece):
            fragments.append(piece)
            marks.append(mark)
        else:
            marks[-1] = _join_marks(marks[-1], mark)
        position = found.end()
    tail = text[position:].strip()
    if re.search(r"\w", tail):
        fragments.append(tail)
        marks.append(None)
    # Merge one-word fragments into the marks around them, unless nothing else is left.
    index = 0
    while len(fragments) > 1 and index < len(fragments):
        if len(fold(fragments[index]).text.split()) < 2:
            merged = _join_marks(marks[index], fragments.pop(index), marks.pop(index + 1))
            marks[index] = merged
        else:
            index += 1
    return ParsedQuote(quote, tuple(fragments), tuple(marks), inline, _sic_words(quote))


def _mark_kind(mark: str) -> Literal["ellipsis", "bracket", "join"]:
    """What a mark _MARK found is: an omission, a [bracket] or the join of a quote's parts."""
    if _JOIN.fullmatch(mark):
        return "join"
    return "ellipsis" if mark.strip("[] ").replace(" ", "") in ("...", "…") else "bracket"


def joined_here(difference: Difference) -> bool:
    """Whether a difference is the source's words between the parts an article's credit
    interrupts, which the article runs on without a mark."""
    return difference.kind == "dropped" and _JOIN.search(difference.quote) is not None


def _sic_words(quote: str) -> frozenset[str]:
    """The words (folded) a quote marks [sic]: the one before each mark. Read back from
    the marks, where a pattern that takes the word first costs the square of the length
    of a long run without spaces (a pasted URL or a paragraph of Chinese)."""
    words: set[str] = set()
    start = 0
    for mark in _SIC.finditer(quote):
        words.update(fold(word).text for word in quote[start : mark.start()].rsplit(None, 1)[-1:])
        start = mark.end()
    return frozenset(words - {""})


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"'”’»]?\s+(?=[\"'“‘«]?[A-Z0-9])")
_ABBREVIATED = re.compile(r"(?:\b[A-Z]|Mr|Mrs|Ms|Dr|St|Jr|Sr|Gov|Sen|Rep|Gen|Inc|Co|Corp|No|vs)\.$")


@functools.lru_cache(maxsize=64)  # a unit's, asked for by each check that places sentences
def plain_words(text: str) -> str:
    """Text as lower-case words one space apart (rapidfuzz's quick normalisation): a quote
    that stands word for word in a text, punctuation aside, stands so in its plain words."""
    return " ".join(default_process(text).split())


def sentences(parsed: ParsedQuote) -> list[str]:
    """The sentences of a quote without marks, each of at least MIN_WORDS words (a shorter
    one joins the sentence before it, and so does one after an abbreviation: "Mr."). One
    item for a quote of one sentence, or with marks, whose pieces align as one already."""
    if len(parsed.fragments) != 1:
        return [" ".join(parsed.fragments)]
    parts: list[str] = []
    for part in _SENTENCE_BREAK.split(parsed.fragments[0]):
        if parts and (len(fold(part).text.split()) < MIN_WORDS or _ABBREVIATED.search(parts[-1])):
            parts[-1] = f"{parts[-1]} {part}"
        else:
            parts.append(part)
    if len(parts) > 1 and len(fold(parts[0]).text.split()) < MIN_WORDS:
        parts[:2] = [f"{parts[0]} {parts[1]}"]  # "Yes. We will sell it."
    return parts


def pieces(parsed: ParsedQuote) -> list[str]:
    """The parts of a quote that could each come from a different source: its sentences,
    and the words either side of an omission mark ("A … B" may join two documents). None
    when a [bracket] stands between words: what it replaces ties its neighbours together."""
    if any(mark.reach is not None for mark in parsed.marks[1 : len(parsed.fragments)] if mark):
        return []
    return [part for fragment in parsed.fragments for part in sentences(parse_quote(fragment))]


def fts_query(parsed: ParsedQuote) -> str:
    """An FTS5 query: an OR of the quote's word-bigram phrases, never across a mark."""
    phrases: list[str] = []
    for fragment in parsed.fragments:
        # FTS5's tokenizer splits "isn't" in two, so the query must too.
        words = fold(_APOSTROPHES.sub(" ", fragment)).text.split()
        if len(words) == 1:
            phrases.append(f'"{words[0]}"')
        phrases.extend(f'"{a} {b}"' for a, b in itertools.pairwise(words))
    if len(phrases) > MAX_BIGRAMS:
        step = len(phrases) / MAX_BIGRAMS
        phrases = [phrases[int(i * step)] for i in range(MAX_BIGRAMS)]
    return " OR ".join(dict.fromkeys(phrases))


_FTS_TOKEN = re.compile(r"[^\W_]+")  # FTS5's unicode61 tokenizer: letters and digits


def fts_phrases(parsed: ParsedQuote) -> str:
    """An FTS5 query for a quote that must stand word for word: each of its fragments as a
    phrase, all of them. Where its word pairs are too common to look up by the shingle
    index, an OR of those pairs ranks most of the corpus (0.2-0.7 s at 100k units); the
    phrases match only the units that hold the words in order (a few milliseconds)."""
    phrases = (" ".join(_FTS_TOKEN.findall(fragment)) for fragment in parsed.fragments)
    return " AND ".join(f'"{phrase}"' for phrase in phrases if phrase)


# --- alignment -------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """Where one fragment of the quote stands in the unit, in original offsets."""

    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Alignment:
    """The quote's fragments located in a unit's text, in order."""

    score: float  # 0-100, length-weighted over fragments, less a penalty for spread
    start: int  # original offsets into the unit text: first fragment start ...
    end: int  # ... to last fragment end
    pieces: tuple[Piece, ...]
    missing: tuple[str, ...] = ()  # words that joined a mark but do not stand where it falls,
    # as the quote writes them


EDGE_CANDIDATES = 6  # word boundaries tried on each side of a rough window edge


def _nearest(positions: list[int], target: int) -> range:
    """The indices of the boundary positions closest to target, at most EDGE_CANDIDATES
    on each side of it."""
    at = bisect.bisect_left(positions, target)
    return range(max(at - EDGE_CANDIDATES, 0), min(at + EDGE_CANDIDATES, len(positions)))


Place = tuple[int, int, float]  # start, end and score of a fragment in a text
NEEDLE = 256  # folded characters rapidfuzz slides over a whole unit: its cost grows as the square
ROUGH_MARGIN = 6  # refining the edges gains less than this over the rough score (at most 3.9
# over the case table and 626 benchmark matches)
HOPE_FRAGMENTS = 4  # the longest fragments whose rough score decides if a unit is hopeless
_WORDS = re.compile(r"\S+")


def _rough(fragment: str, haystack: str) -> Place:
    """Where a folded fragment roughly stands in folded text, and how well it fits there.
    A fragment longer than NEEDLE is placed by its head and then its tail, looked for where
    the head says it should end, so a 10,000-character quote costs what two short ones do."""
    if len(fragment) > len(haystack):
        return 0, len(haystack), fuzz.ratio(fragment, haystack)
    if len(fragment) <= NEEDLE:
        window = _window(fragment, haystack)
        return window.dest_start, window.dest_end, window.score
    start = _window(fragment[:NEEDLE], haystack).dest_start
    # The tail where the head says it ends, give or take what acceptance tolerates.
    slack = len(fragment) // 8
    lo, hi = start + len(fragment) - NEEDLE - slack, start + len(fragment) + slack
    if hi - lo >= NEEDLE and lo + NEEDLE <= len(haystack):
        end = lo + _window(fragment[-NEEDLE:], haystack[lo:hi]).dest_end
    else:
        end = min(start + len(fragment), len(haystack))
    return start, end, fuzz.ratio(fragment, haystack[start:end])


def _window(needle: str, haystack: str) -> ScoreAlignment:
    """rapidfuzz's best window of the needle's length, which it always finds when it is
    given no score_cutoff (its type allows None for that case)."""
    window = fuzz.partial_ratio_alignment(needle, haystack)
    assert window is not None
    return window


def _locate(fragment: str, text: str, offset: int) -> Place | None:
    """Best placement of a folded fragment in folded text at or after offset: a rapidfuzz
    window gives the rough place, then the word boundaries near its edges that score best
    give the exact span (a window has the fragment's length, the passage may not)."""
    haystack = text[offset:]
    if not fragment or not haystack.strip():
        return None
    rough = _rough(fragment, haystack)
    # Word boundaries near the rough edges only, enough for _nearest on either side of
    # both edges: a unit may be 100 KB of words. Folded words are one space apart.
    lo, hi = rough[0], rough[1]
    for _ in range(EDGE_CANDIDATES + 1):
        lo = max(haystack.rfind(" ", 0, lo), 0)
        hi = space if (space := haystack.find(" ", hi + 1)) >= 0 else len(haystack)
    bounds = [m.span() for m in _WORDS.finditer(haystack, lo, hi)]
    starts = _nearest([a for a, _ in bounds], rough[0])
    ends = _nearest([b for _, b in bounds], rough[1])
    # The edges whose words differ least from the fragment's (a changed word, or two
    # swapped, counts once), then the closest word count, then the closest characters;
    # the costly character comparison only among the closest. Words are compared as
    # numbers, each distinct word one, which rapidfuzz compares fastest.
    numbers: dict[str, int] = {}
    region = [numbers.setdefault(haystack[a:b], len(numbers)) for a, b in bounds]
    words = [numbers.setdefault(word, len(numbers)) for word in fragment.split()]
    # Spans run from word starts[i] to word ends[j] (j >= i), so their lengths in words
    # run from `shortest` to `longest`.
    shortest, longest = max(ends.start - starts.stop + 2, 1), ends.stop - starts.start
    if shortest > longest:
        return None
    # A span's distance is at least the difference in word counts: spans are tried from
    # the closest count out, and none is compared once that floor exceeds the best found.
    distances: dict[tuple[int, int], int] = {}
    fewest = len(words) + longest
    for length in sorted(range(shortest, longest + 1), key=lambda n: abs(n - len(words))):
        if abs(length - len(words)) > fewest:
            break
        for i in range(
            max(starts.start, ends.start - length + 1), min(starts.stop, ends.stop - length + 1)
        ):
            j = i + length - 1
            distances[i, j] = OSA.distance(words, region[i : j + 1], score_cutoff=fewest)
            fewest = min(fewest, distances[i, j])
    closest = [
        (bounds[i][0], bounds[j][1]) for i, j in sorted(distances) if distances[i, j] == fewest
    ]

    def fit(span: tuple[int, int]) -> tuple[int, float]:
        candidate = haystack[span[0] : span[1]]
        return abs(candidate.count(" ") + 1 - len(words)), -fuzz.ratio(fragment, candidate)

    best = min(closest, key=fit)
    score = fuzz.ratio(fragment, haystack[best[0] : best[1]])
    return offset + best[0], offset + best[1], score


def _hopeless(parsed: ParsedQuote, unit_text: str, least: float) -> bool:
    """Whether even the rough places of the quote's fragments fit too badly for any exact
    placement to score `least`. Most candidates do, so this runs before fold(), on
    rapidfuzz's own cheap normalisation of both sides (close enough for a floor): first the
    longest fragments, which carry most of the score, wherever they fit best; then, for a
    quote of several fragments, all of them placed in order as align() would, with its
    penalty for fragments scattered over the unit, which is what sinks most near-misses."""
    haystack = default_process(unit_text)
    pieces = parsed.rough
    longest = sorted(pieces, key=len)[-HOPE_FRAGMENTS:]
    if not longest or not haystack:
        return True
    floor = least - ROUGH_MARGIN
    # Longest first, each asked for the least score that still lets the weighted mean
    # reach the floor if every fragment after it scored 100: below that, rapidfuzz gives
    # up early and the unit is hopeless.
    weight = sum(map(len, longest))
    spare = weight * (100 - floor)  # points the fragments may lose between them
    for piece in reversed(longest):
        least = 100 - spare / len(piece)
        if len(piece) <= min(NEEDLE, len(haystack)):
            score = fuzz.partial_ratio(piece, haystack, score_cutoff=max(least, 0))
        else:
            score = _rough(piece, haystack)[2]
        if score < least:
            return True
        spare -= (100 - score) * len(piece)
    return len(pieces) > 1 and _rough_in_order(pieces, haystack, parsed.evidence) < floor


SPREAD_SLACK = 2  # the rough spread may exceed align()'s limit this many times over before
# it counts: rough edges and rapidfuzz's normalisation (which keeps every character) are
# not align()'s

FRAGMENT_FLOOR = 60  # below it, more of a fragment differs than matches (at 100k benchmark
# units, fragments of found sources fitted at 87.5 or more; two absent quotes' at 46 and 49)


def _spread_limit(evidence: int) -> int:
    """Characters from a quote's first fragment to the end of its last past which they
    are not one quote."""
    return 2 * evidence + 150


def _in_order(
    fragments: tuple[str, ...],
    text: str,
    reach: int,
    place: Callable[[str, str, int], Place | None],
) -> list[Place] | None:
    """Where each fragment stands, in order: the longest wherever it fits best, then each
    other one within `reach` characters of its neighbour towards the longest. A fragment
    of a few words fits in many places, and rapidfuzz offers any of them: looked for from
    the start of the text, "will be" may be placed at a "will become" past the passage,
    and every fragment after it then seems missing. `place(fragment, text, offset)` finds
    a fragment in text[offset:]; None if one is nowhere."""
    anchor = max(range(len(fragments)), key=lambda i: len(fragments[i]))
    places: list[Place | None] = [None] * len(fragments)
    places[anchor] = place(fragments[anchor], text, 0)
    for i in range(anchor + 1, len(fragments)):
        before = places[i - 1]
        if before is None:
            return None
        end = before[1] + reach + len(fragments[i])
        places[i] = place(fragments[i], text[:end], before[1])
    for i in range(anchor - 1, -1, -1):
        after = places[i + 1]
        if after is None:
            return None
        places[i] = place(
            fragments[i], text[: after[0]], max(after[0] - reach - len(fragments[i]), 0)
        )
    found = [p for p in places if p is not None]
    return found if len(found) == len(fragments) else None


def _placed_score(places: list[Place], fragments: tuple[str, ...], limit: int) -> float:
    """The fragments' scores weighted by their length, less 15 when they spread past
    `limit` characters: fragments scattered over a unit are not one quote."""
    score = sum(place[2] * len(f) for place, f in zip(places, fragments, strict=True))
    score /= sum(map(len, fragments))
    return score - 15 if places[-1][1] - places[0][0] > limit else score


def _rough_place(fragment: str, text: str, offset: int) -> Place | None:
    """_rough() as _in_order() asks for a place: in text[offset:], offsets into text."""
    start, end, score = _rough(fragment, text[offset:])
    return offset + start, offset + end, score


def _rough_in_order(pieces: tuple[str, ...], haystack: str, evidence: int) -> float:
    """align()'s score from rough places alone, found as align() finds its places but
    with SPREAD_SLACK times its reach (so never lower for it), less align()'s penalty when
    the fragments are scattered far past its limit."""
    reach = SPREAD_SLACK * _spread_limit(evidence)
    places = _in_order(pieces, haystack, reach, _rough_place)
    return 0.0 if places is None else _placed_score(places, pieces, reach)


def align(
    parsed: ParsedQuote, unit_text: str, least: float | None = None, *, exact: bool = False
) -> Alignment | None:
    """Locate every fragment of the quote, in order, in the unit text; None if one is missing,
    if a [bracket] would stand for more words than an editor's replacement does, or if the
    quote cannot score `least` there (by default the score acceptance requires). With
    `exact` (a quote that may change no word: word_for_word), None too where a word of
    the quote is nowhere in the unit: the near-misses of a short quote in a large corpus
    are many, and this spares placing each one."""
    if _hopeless(parsed, unit_text, required_score(parsed.evidence) if least is None else least):
        return None
    folded = fold(unit_text)
    if exact and not _holds_words(parsed, folded.text):
        return None
    evidence = parsed.evidence
    places = _in_order(parsed.folded, folded.text, _spread_limit(evidence), _locate)
    if places is None:
        return None
    if len(places) > 1 and min(place[2] for place in places) < FRAGMENT_FLOOR:
        return None  # a piece that fits nowhere near the others is not in this unit
    missing = _check_marks(parsed.marks, places, folded.text, _spread_limit(evidence))
    if missing is None:
        return None  # the words either side of a [bracket] stand apart in this unit
    pieces = [Piece(*folded.original_span(start, end), score) for start, end, score in places]
    score = _placed_score(places, parsed.folded, _spread_limit(evidence))
    start, end = _edges(parsed, unit_text, pieces[0].start, pieces[-1].end)
    return Alignment(score, start, end, tuple(pieces), missing)


def _check_marks(
    marks: tuple[Mark | None, ...], places: list[Place], text: str, limit: int
) -> tuple[str, ...] | None:
    """What the marks say of placed fragments, read where each mark falls in the folded
    text: None if a [bracket] stands between words further apart than it may stand for;
    else the words of one-word fragments (too little to align alone, they joined the
    marks around them) that do not stand there, in order, as written or but for a slip,
    within `limit` characters of the rest. "directed) [the plan] Re-map the characters"
    says "directed" comes a few words before the rest, and a unit without it there holds
    the quote with a word added."""
    missing: list[str] = []
    for index, mark in enumerate(marks):
        if mark is None:
            continue
        reach = mark.reach
        carried = _MARK.sub(" ", mark.text).split()  # as the quote writes them
        if 0 < index < len(places):
            region = text[places[index - 1][1] : places[index][0]].split()
            if reach is not None and len(region) > reach:
                return None
        elif not carried:
            continue
        elif index == 0:
            start = places[0][0]
            region = text[max(start - limit, 0) : start].split()
            region = region[-reach:] if reach is not None else region
        else:
            end = places[-1][1]
            region = text[end : end + limit].split()[:reach]
        remaining = iter(region)
        missing += [
            word
            for word in carried
            if not all(
                any(_carried_as(part, other) for other in remaining)
                for part in fold(word).text.split()
            )
        ]
    return tuple(missing)


def _carried_as(word: str, other: str) -> bool:
    """Whether a folded word a mark carries stands as this word of the unit: the same, or
    but for one slip in a word of four letters or more ("are" is no slip for "large")."""
    return word == other or (len(word) >= 4 and _one_slip(word, other))


def _holds_words(parsed: ParsedQuote, folded_text: str) -> bool:
    """Whether every word of the quote stands somewhere in the folded text."""
    padded = f" {folded_text} "
    return all(f" {word} " in padded for fragment in parsed.folded for word in fragment.split())


_SENTENCE_MARKS = ".!?"


def _edges(parsed: ParsedQuote, text: str, start: int, end: int) -> tuple[int, int]:
    """Widen the span over what the quote's edges stand for in the source: the words a
    leading or trailing [bracket] replaces (as many as it has, within the sentence), and
    a final stop when the quote ends on one."""
    first, last = parsed.marks[0], parsed.marks[-1]
    if first and first.kind == "bracket":
        for _ in first.text.split():
            before = text[:start].rstrip()
            word = re.search(r"\S+$", before)
            if not word or word.group()[-1] in _SENTENCE_MARKS or "\n" in text[word.end() : start]:
                break
            start = word.start()
    if last and last.kind == "bracket":
        for _ in last.text.split():
            word = re.match(r"\s*\S+", text[end:])
            if not word or text[end - 1 : end] in _SENTENCE_MARKS or "\n" in word.group():
                break
            end += word.end()
    quote_end = parsed.fragments[-1].rstrip(_QUOTE_EDGES)[-1:]
    if quote_end and quote_end in _SENTENCE_MARKS and text[end : end + 1] in tuple(_SENTENCE_MARKS):
        end += 1
    return start, end


SHORT_EVIDENCE = 40  # folded characters below which a quote must be nearly exact and unique
CONTEXT = 150  # characters either side of a match that say which passage it is


UnitSpan = tuple[str, int, int]  # a unit's text, and where a match starts and ends in it
SAME_SENTENCE_WORDS = 6  # words of a match's sentence, outside it, that two copies share


def distinct_passages(spans: list[UnitSpan]) -> int:
    """How many different passages these matches come from: the same email published
    twice has the same surroundings, or, excerpted or wrapped differently, at least the
    same sentence around the words (SAME_SENTENCE_WORDS of it outside them); a stock
    phrase in two letters has neither."""
    representatives: list[tuple[str, list[str], list[str]]] = []
    for text, start, end in spans:
        context = fold(text[max(start - CONTEXT, 0) : end + CONTEXT]).text
        before, after = (fold(part).text.split() for part in _sentence_rest(text, start, end))
        if not any(
            fuzz.ratio(context, other) >= 80 or _same_sentence(before, after, *sentence)
            for other, *sentence in representatives
        ):
            representatives.append((context, before, after))
    return len(representatives)


def _same_sentence(
    before: list[str], after: list[str], before_2: list[str], after_2: list[str]
) -> bool:
    """Whether two matches stand in one sentence: the words before each end alike and the
    words after each begin alike (one copy may cut the sentence at a wrapped line), and
    enough of them to tell a sentence from a stock phrase."""
    lead = min(len(before), len(before_2))
    tail = min(len(after), len(after_2))
    return (
        lead + tail >= SAME_SENTENCE_WORDS
        and before[len(before) - lead :] == before_2[len(before_2) - lead :]
        and after[:tail] == after_2[:tail]
    )


EXACT_WORDS = 12  # a shorter quote may change no word outright: in a large corpus, one
# changed word in a short phrase is as likely a stranger's sentence as a misquote; in a
# smaller one, a negation or number changed is the quote's own source reversed
_WORD_CHANGES = ("changed", "inserted", "dropped")
LARGE_CORPUS = 10_000  # units from which chance near-matches call for the stricter rules
SLIP_WORDS = 10  # in a large corpus, a shorter quote may not even carry a typo
CHANGED_SHARE = 0.12  # of its words, those a quote may change and still be called altered
CHANGED_SHARE_LARGE = 0.08  # the same from LARGE_CORPUS units


def _changes_allowed(parsed: ParsedQuote, share: float) -> int:
    """Words a quote of its length may change outright: `share` of them, at least one."""
    return max(1, round(share * parsed.words))


def reworded(parsed: ParsedQuote, differences: list[Difference]) -> bool:
    """Whether a quote changes more words than an altered quote of its length may: then it
    is a rewording, where one with a word or two changed ("rose" for "fell") is altered,
    however short it is."""
    return substantive_changes(differences, parsed.sic) > _changes_allowed(parsed, CHANGED_SHARE)


def accepted(
    alignment: Alignment, parsed: ParsedQuote, differences: list[Difference], *, units: int = 0
) -> bool:
    """The decision: short evidence must match almost exactly, long evidence may vary more,
    and a quote may change only a few words outright (typos aside; none if it is short,
    but for one negation or number below LARGE_CORPUS units: "would never pursue" for
    "would pursue" is the source reversed), whatever its score: a sentence with its names
    and numbers swapped is a different claim.
    The more units a corpus has, the likelier a stranger's sentence comes close to a quote
    by chance, so from LARGE_CORPUS units (calibrated with absent quotes at 10k and 100k)
    fewer changed words pass, and a quote under SLIP_WORDS words must match word for word
    (save a slip in a word it marks [sic])."""
    evidence = parsed.evidence
    if evidence < MIN_EVIDENCE or parsed.words < MIN_WORDS:
        return False
    large = units >= LARGE_CORPUS
    allowed = _changes_allowed(parsed, CHANGED_SHARE_LARGE if large else CHANGED_SHARE)
    changed = substantive_changes(differences, parsed.sic)
    if parsed.words < EXACT_WORDS:
        allowed = 1 if not large and changed == 1 and _flips_claim(differences) else 0
    if changed > allowed:
        return False
    if (
        large
        and parsed.words < SLIP_WORDS
        and any(d.kind == "changed" and not _sic_slips(d, parsed.sic) for d in differences)
    ):
        return False
    return alignment.score >= required_score(evidence)


def _flips_claim(differences: list[Difference]) -> bool:
    """Whether the words a quote changes are a negation or a number ("2016" for "2015",
    "would never pursue" for "would pursue"): its source with its claim reversed, which a
    fact-checker must hear of however short the quote, not a stranger's sentence."""
    changed = [d.quote + " " + d.source for d in differences if d.kind in _WORD_CHANGES]
    return bool(claims(fold(" ".join(changed)).text.split()))


def word_for_word(parsed: ParsedQuote, units: int) -> bool:
    """Whether accepted() lets this quote change no word at all, typos included, in a
    corpus of `units` units (a short quote in a large corpus that marks no [sic]): then
    it cannot be accepted where one of its words is missing."""
    return units >= LARGE_CORPUS and parsed.words < SLIP_WORDS and not parsed.sic


def required_score(evidence: int) -> float:
    """The alignment score a quote with this much evidence (folded characters) needs."""
    if evidence < SHORT_EVIDENCE:
        return 95
    if evidence < 80:
        return 90
    return 85


def _typo(a: str, b: str) -> bool:
    """Whether two words differ only by a slip of the keys (numbers never do)."""
    a, b = fold(a).text, fold(b).text
    if any(c.isdigit() for c in a + b):
        return False
    return fuzz.ratio(a, b) >= 75


def _sic_slip(a: str, b: str, sic: frozenset[str]) -> bool:
    """Whether a quote's word marked [sic] is its source's word but for one slip of the keys
    (a letter added, dropped, changed or two swapped, even in a short word): the mark says
    the spelling was noticed, so the spelling alone does not make it another sentence."""
    if not sic:  # most quotes: no fold for every changed word of every candidate
        return False
    a, b = fold(a).text, fold(b).text
    return a in sic and _one_slip(a, b)


def _one_slip(a: str, b: str) -> bool:
    """Whether two folded words differ by one letter added, dropped, changed or two
    swapped (numbers never do)."""
    return not any(c.isdigit() for c in a + b) and OSA.distance(a, b) <= 1


def _sic_slips(difference: Difference, sic: frozenset[str]) -> bool:
    """Whether a changed passage differs only in [sic] words, each by a slip."""
    quote, source = difference.quote.split(), difference.source.split()
    return len(quote) == len(source) and all(
        a == b or _sic_slip(a, b, sic) for a, b in zip(quote, source, strict=True)
    )


def substantive_changes(differences: list[Difference], sic: frozenset[str] = frozenset()) -> int:
    """Words changed, added or dropped without a mark, not counting typos (nor slips in a
    word the quote marks [sic]); a word dropped in one place and added in another moved,
    and counts once."""
    count = 0
    moves: dict[str, Counter[str]] = {"inserted": Counter(), "dropped": Counter()}
    for difference in differences:
        quote, source = difference.quote.split(), difference.source.split()
        if joined_here(difference):
            continue  # the quote's parts stand word for word: shown, not counted as changes
        if difference.kind in moves:
            count += len(quote) + len(source)
            moves[difference.kind].update(fold(word).text for word in quote + source)
        elif difference.kind == "changed":
            if len(quote) == len(source):
                count += sum(
                    1
                    for a, b in zip(quote, source, strict=True)
                    if not (_typo(a, b) or _sic_slip(a, b, sic))
                )
            else:
                count += max(len(quote), len(source))
    return count - sum((moves["inserted"] & moves["dropped"]).values())


# --- verdict ---------------------------------------------------------------------------


DifferenceKind = Literal[
    "omitted", "replaced", "changed", "inserted", "dropped", "punctuation", "truncated"
]
# difflib's opcodes, read from the quote's side: words the quote adds are "inserted".
_OPCODE_KINDS: dict[str, DifferenceKind] = {
    "replace": "changed",
    "delete": "inserted",
    "insert": "dropped",
}


@dataclass(frozen=True)
class Difference:
    """One way the quote departs from its source, in the words of each."""

    kind: DifferenceKind
    quote: str
    source: str


_LIGHT = str.maketrans(dict.fromkeys("“”„«»‘’'", '"'))  # one mark: a quote nested in a quote
# turns its double marks single, and ‘small-shop’ is “small-shop” as typesetting changed it
_DASHES = re.compile(r"\s*(?:-{1,2}|[\u2010-\u2015\u2212])\s*")
_EDGE_PUNCT = " \t\n.,;:\"'"  # a final period may become a comma before "he said"


def _typeset(text: str) -> str:
    """Text with what typesetting changes made one: quote marks, dashes, invisible format
    characters, compatibility forms."""
    if not text.isascii():
        text = "".join(char for char in text if not invisible(char))
    return _DASHES.sub("-", unicodedata.normalize("NFKC", text).translate(_LIGHT))


def _light(text: str) -> str:
    """Normalise only what typesetting changes (see _typeset), spaces and edge punctuation."""
    return " ".join(_typeset(text).split()).strip(_EDGE_PUNCT)


def _punctuation_diff(quote: str, source: str) -> list[Difference]:
    """Where a fragment differs from its source in case or punctuation only: the runs of
    words that differ ("February, alone" / "February alone"), not the whole passage. Quote
    marks and dashes are compared as _light() compares them, the edges' punctuation not."""
    words = [quote.split(), source.split()]
    keys = [[_typeset(word) for word in side] for side in words]
    for key in keys:
        key[0], key[-1] = key[0].lstrip(_EDGE_PUNCT), key[-1].rstrip(_EDGE_PUNCT)
    matcher = difflib.SequenceMatcher(None, keys[0], keys[1], autojunk=False)
    runs = [
        Difference("punctuation", " ".join(words[0][q1:q2]), " ".join(words[1][s1:s2]))
        for tag, q1, q2, s1, s2 in matcher.get_opcodes()
        if tag != "equal"
    ]
    return runs or [Difference("punctuation", quote, source)]


_CLOSING = "\"'”’»)]"  # marks that may stand between a sentence's full stop and the next


def _sentence_bounded(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] starts and ends at sentence boundaries."""
    before = text[:start].rstrip(" \t\"'“‘«([").rstrip(_CLOSING)
    after = text[end:].lstrip(" \t" + _CLOSING)
    starts = not before or before[-1] in ".!?:\n" or text[: start + 1].endswith("\n")
    ends = not after or after[0] in ".!?\n" or text[:end].rstrip(_CLOSING)[-1:] in (".", "!", "?")
    return starts and ends


def _word_diff(quote: str, source: str) -> list[Difference]:
    """Word-level differences between a fragment and the source span it aligned to."""
    quote_words, source_words = quote.split(), source.split()
    folded_q = [fold(w).text for w in quote_words]
    folded_s = [fold(w).text for w in source_words]
    matcher = difflib.SequenceMatcher(None, folded_q, folded_s, autojunk=False)
    differences = []
    for tag, q1, q2, s1, s2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        kind = _OPCODE_KINDS[tag]
        differences.append(
            Difference(kind, " ".join(quote_words[q1:q2]), " ".join(source_words[s1:s2]))
        )
    return differences


def judge(
    parsed: ParsedQuote, alignment: Alignment, unit_text: str, *, units: int = 0
) -> tuple[Verdict, list[Difference]]:
    """The verdict on a located quote and the differences that earn it, in a corpus of
    `units` units (which sets how changed a quote may be and still be called altered)."""
    differences: list[Difference] = []
    same_words = True
    same_type = True
    for fragment, piece in zip(parsed.fragments, alignment.pieces, strict=True):
        source = unit_text[piece.start : piece.end]
        if fold(fragment).text != fold(source).text:
            same_words = False
            differences.extend(_word_diff(fragment, source))
        elif _light(fragment) != _light(source):
            same_type = False
            differences.extend(_punctuation_diff(fragment, source))
    marked = _marked_edits(parsed, alignment, unit_text)
    same_words = same_words and not any(joined_here(d) for d in marked)
    differences.extend(marked)
    differences.extend(_cut_off(parsed, alignment, unit_text))
    if alignment.missing:  # words beside a mark that the source does not have there
        same_words = False
        differences.append(Difference("inserted", " ".join(alignment.missing), ""))
    kinds = {mark.kind for mark in parsed.marks if mark}
    if not same_words:
        if not accepted(alignment, parsed, differences, units=units) and paraphrased(
            parsed, alignment, unit_text, units=units
        ):
            return ("paraphrase" if reworded(parsed, differences) else "altered"), differences
        return "altered", differences
    if "bracket" in kinds or parsed.inline:
        return "bracketed", differences
    if "ellipsis" in kinds:
        return "elided", differences
    if not same_type:
        return "punctuation", differences
    if _sentence_bounded(unit_text, alignment.start, alignment.end):
        return "verbatim", differences
    return "verbatim_truncated", differences


def _marked_edits(parsed: ParsedQuote, alignment: Alignment, unit_text: str) -> list[Difference]:
    """What each ellipsis left out and each [bracket] stands for, from the source: at the
    quote's edges, the words _edges() took in for a bracket, and the rest of the
    sentence for an ellipsis; and the source's words between the parts of a quote its
    credit interrupts, where it has any, as dropped without a mark."""
    edits = []
    for index, mark in enumerate(parsed.marks):
        if mark is None:
            continue
        gap = _stands_for(mark, index, alignment, unit_text).strip(" ,;")
        if mark.kind == "join":
            if fold(gap).text != fold(_MARK.sub(" ", mark.text)).text:
                edits.append(Difference("dropped", mark.text, gap.lstrip(" .!?:")))
            continue
        kind: Literal["omitted", "replaced"] = "replaced" if mark.kind == "bracket" else "omitted"
        edits.append(Difference(kind, mark.text, gap))
    return edits


def _stands_for(mark: Mark, index: int, alignment: Alignment, unit_text: str) -> str:
    """The source's text where the mark before fragment `index` falls: between fragments,
    the text between them; at an edge, the rest of the sentence for an ellipsis, the words
    _edges() took in for a bracket, and nothing for a join (its words are checked by
    _check_marks)."""
    if 0 < index < len(alignment.pieces):
        return unit_text[alignment.pieces[index - 1].end : alignment.pieces[index].start]
    if mark.kind == "join":
        return _MARK.sub(" ", mark.text)
    if mark.kind == "ellipsis":
        return _sentence_rest(unit_text, alignment.start, alignment.end)[0 if index == 0 else 1]
    if index == 0:
        return unit_text[alignment.start : alignment.pieces[0].start]
    return unit_text[alignment.pieces[-1].end : alignment.end]


def _cut_off(parsed: ParsedQuote, alignment: Alignment, unit_text: str) -> list[Difference]:
    """The source sentence's words a quote leaves out at either end without a mark ("…,
    and I intend to keep it that way." where the sentence goes on "no matter what")."""
    before, after = _sentence_rest(unit_text, alignment.start, alignment.end)
    edges = ((parsed.marks[0], before), (parsed.marks[-1], after))
    return [
        Difference("truncated", "", rest.strip(" ,;"))
        for mark, rest in edges
        if mark is None and rest.strip(_CUT_EDGES)
    ]


def _sentence_rest(unit_text: str, start: int, end: int) -> tuple[str, str]:
    """The words of the source's sentence before and after the matched span. The span's
    last character is read with what follows: a full stop there ends the sentence."""
    before = unit_text[max(start - SENTENCE_REACH, 0) : start]
    after = unit_text[max(end - 1, 0) : end + SENTENCE_REACH]
    stop = _SENTENCE_END.search(after)
    rest = after[: stop.end() - 1] if stop else after  # up to the space that ends it
    opening = _LAST_SENTENCE_START.match(before)
    return before[opening.end() :] if opening else before, rest[1:] if end else rest


_CUT_EDGES = " \t,;:.!?\"'“”‘’«»()[]—–-"  # what a sentence's rest may be without words


def _boundary(stops: str) -> str:
    """Where a text parts into sentences: one of `stops`, perhaps a closing mark, and a
    space; or a line break. A match ends just past the space."""
    return rf"[{stops}][{re.escape(_CLOSING)}]?\s|\n"


_SENTENCE_END = re.compile(_boundary(".!?"))
# A colon may introduce the quoted sentence. Greedy, so the last boundary, sought from the
# end: splitting a sentence's 1,000 characters before a match took 50 µs, this takes 4.
_LAST_SENTENCE_START = re.compile(rf"(?s:.*)(?:{_boundary('.!?:')})")
SENTENCE_REACH = 1000  # characters of a sentence an edge ellipsis is shown to leave out


# --- paraphrase --------------------------------------------------------------------------

PARAPHRASE_MIN_WORDS = 8  # a shorter quote reworded is too little to say it means the same
PARAPHRASE_MIN_WORDS_LARGE = 12  # from LARGE_CORPUS units, shorter rewordings of strangers'
# sentences come as close by chance, even with the margin and the ends below
PARAPHRASE_SCORE = 80  # the alignment floor: below it the words are too far apart to compare
PARAPHRASE_SHARED = 0.65  # share of content words, of the side with more, both must have
PARAPHRASE_ENDS = 1  # words at either end of a rewording that may differ from its passage's
PARAPHRASE_MARGIN = 10  # points by which a rewording must fit its passage better than it fits
# any other primary passage: a stranger's sentence that comes close to a quote by chance
# often has others as close beside it, a reworded source stands alone


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string."""
    return frozenset(words.split())


_FUNCTION_WORDS = word_set(
    """a an the and or but nor so of to in on at by for with from into as than then that this
    these those which who whom whose what it its is are was were be been being am there their
    they them we our us i my me you your he his him she her will would shall should can could
    may might must do does did have has had"""
)
_NEGATIONS = word_set(
    """not no never nor none nobody nothing neither cannot dont doesnt didnt wont wouldnt cant
    couldnt shouldnt isnt arent wasnt werent hasnt havent hadnt mustnt aint"""
)
_NUMBER_WORDS = word_set(
    """two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred thousand million billion half third quarter"""
)


def _stem(word: str) -> str:
    """A crude stem, enough for "runs" and "run", "buying" and "buy" to meet."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def claims(words: list[str]) -> Counter[str]:
    """What a rewording must keep: negations (counted as one kind) and numbers."""
    kept = Counter("not" for w in words if w in _NEGATIONS)
    return kept + Counter(w for w in words if w in _NUMBER_WORDS or any(c.isdigit() for c in w))


@functools.lru_cache(maxsize=64)  # within_reach(), judge() and find_matches() ask it in turn
def paraphrased(
    parsed: ParsedQuote, alignment: Alignment, unit_text: str, *, units: int = 0
) -> bool:
    """Whether a quote too changed to be called altered still says what its source says:
    long enough (longer in a large corpus), aligned above a floor, the same negations and
    numbers, two thirds of its content words (stemmed) shared both ways, and its ends
    kept. Lexical only: a paraphrase with new words is missed, and one that keeps the
    words but changes a name or verb is taken for one."""
    least = PARAPHRASE_MIN_WORDS_LARGE if units >= LARGE_CORPUS else PARAPHRASE_MIN_WORDS
    if parsed.words < least or alignment.score < PARAPHRASE_SCORE:
        return False
    said = " ".join(parsed.folded).split()
    quote = said + fold(" ".join(alignment.missing)).text.split()
    source = fold(" ".join(unit_text[p.start : p.end] for p in alignment.pieces)).text.split()
    if claims(quote) != claims(source):
        return False
    content_q = Counter(_stem(w) for w in quote if w not in _FUNCTION_WORDS)
    content_s = Counter(_stem(w) for w in source if w not in _FUNCTION_WORDS)
    shared = sum((content_q & content_s).values())
    if shared < PARAPHRASE_SHARED * max(content_q.total(), content_s.total(), 1):
        return False
    return _ends_changed(said, source) <= PARAPHRASE_ENDS


def within_reach(
    parsed: ParsedQuote, alignment: Alignment, unit_text: str, *, units: int = 0
) -> bool:
    """Whether an alignment scores high enough for accepted() to pass it, or is a
    rewording paraphrased() passes: any other is dropped before judge() and its word
    diff, the costly part (at 100k benchmark units, a fifth of the alignments judged were
    below the score and no rewording)."""
    return alignment.score >= required_score(parsed.evidence) or paraphrased(
        parsed, alignment, unit_text, units=units
    )


def _ends_changed(quote: list[str], source: list[str]) -> int:
    """How many words at the quote's start, or at its end if more, differ from its passage
    before the first word they share or after the last. A rewording changes words within
    its source's sentence and keeps its ends; a stranger's sentence that shares a long
    stretch with a quote parts from it at an end (calibrated on absent quotes at 100k
    units, where most chance rewordings did)."""
    opcodes = difflib.SequenceMatcher(None, quote, source, autojunk=False).get_opcodes()
    if not opcodes:
        return 0
    first, last = opcodes[0], opcodes[-1]
    lead = first[2] - first[1] if first[0] != "equal" else 0
    trail = last[2] - last[1] if last[0] != "equal" else 0
    return max(lead, trail)
