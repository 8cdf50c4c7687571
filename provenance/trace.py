"""Trace a quote to the units it comes from, check its attribution, and chain its citations.

`status` speaks of primary sources: a quote found only in other articles is "not_found",
with those appearances listed in `matches`, because repetition is not a source.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from typing import Literal, NamedTuple

from provenance import attribution, citations, matching, shingles, stated_dates, storage
from provenance.anchors import fragment_link
from provenance.chains import canonical, citation_path
from provenance.errors import InputError
from provenance.matching import Difference, Verdict
from provenance.models import REDACTED, DocumentRef, StoredUnit, copies_in_order, written_order
from provenance.storage import Database

CANDIDATES = 20
POOL = 1000  # voted units in which primary sources are sought beyond the first CANDIDATES
PRIMARY_CANDIDATES = 10  # primary-source units added from the pool at most
MIN_SEEDS = 2  # indexed shingles a quote needs before the shingle vote is trusted
FALLBACK_WORDS = 8  # a quote of fewer words may fall back to the full-text index
VOTE_SHARE = 0.5  # a candidate sharing less than this share of the best one's vote is not one
HELD_SHARE = 0.6  # a voted unit holding less than this share of the quote's indexed 3-grams is
# not its source: a quote's words, even altered (an altered quote changes at most 12 % of
# them, each in at most three 3-grams), keep most of their 3-grams, and those a typo breaks
# are found nowhere, so count neither way (at 100k benchmark units, on three draws of
# 8,920 quotes in all, every source found held at least 2/3 of them; 72 % of the voted
# units held less than 0.6, and no match was among them)
EXACT_VERDICTS = ("verbatim", "verbatim_truncated", "punctuation")
CHANGED_VERDICTS = ("altered", "paraphrase")  # the quote's words are not the source's
MAX_FRAGMENTS = 12  # each piece of a quote is aligned on its own: bounds a trace's time


@dataclass(frozen=True)
class Match:
    """A unit the quote was located in, above the acceptance threshold."""

    unit: StoredUnit
    score: float
    verdict: Verdict
    start: int  # offsets into unit.text
    end: int
    differences: tuple[Difference, ...]
    flags: tuple[str, ...]  # attribution checks against this unit

    @property
    def matched_text(self) -> str:
        return self.unit.text[self.start : self.end]

    @property
    def link(self) -> str:
        """Opens the source at the quote: the PDF page of a filing, else a text fragment."""
        page = citations.page_link(self.unit, self.start, self.end)
        return page or fragment_link(self.unit.document.url, self.matched_text)

    @property
    def cite(self) -> str | None:
        """The pin cite of the matched passage in a filing, e.g. "Compl. ¶ 45, ECF No. 1 at 12"."""
        return citations.pin_cite(self.unit.cite, self.unit.pages, self.start, self.end)


@dataclass(frozen=True)
class Hop:
    """One step of a citation chain, from the article in hand to the primary unit."""

    kind: Literal["article", "citation", "source_document", "source_unit"]
    url: str
    title: str
    date: str | None
    linked: bool | None  # reached by a link from the step before; None for the first step
    anchor_text: str | None = None
    author: str | None = None
    verdict: str | None = None
    forwarded_by: str | None = None  # the unit's forwarder and when, if it was forwarded
    forwarded_at: str | None = None


@dataclass(frozen=True)
class TraceResult:
    quote: str
    speaker: str | None
    claimed_date: str | None
    status: Literal["found", "not_found", "untraceable"]
    best: Match | None
    matches: tuple[Match, ...]
    flags: tuple[str, ...]
    chain: tuple[Hop, ...]
    explanation: tuple[str, ...]
    error: str | None = None  # why an untraceable quote cannot be traced
    spliced: bool = False  # not found whole, its parts found apart (`matches` lists them)


def untraceable(quote: str, error: str, *, speaker: str | None, date: str | None) -> TraceResult:
    """The result for a quote an article prints that cannot be traced (too short, too many
    pieces): reported with the reason, so that `check` never drops a quote unsaid."""
    return TraceResult(
        quote=quote,
        speaker=speaker,
        claimed_date=date,
        status="untraceable",
        best=None,
        matches=(),
        flags=(),
        chain=(),
        explanation=(f"Cannot be traced: {error}.",),
        error=error,
    )


class Candidate(NamedTuple):
    """A unit that may hold the quote: its id, its text, whether a primary source holds it,
    and whether it is `thin`, holding too few of the quote's 3-grams to be its source
    (still a rival passage to a rewording, and a place to seek the quote's sentences)."""

    id: int
    text: str
    primary: bool
    thin: bool = False


def _candidates(
    rows: list[tuple[int, str, bool]], thin: frozenset[int] = frozenset()
) -> list[Candidate]:
    """Units (id, text, primary) as candidates, those in `thin` marked so."""
    return [Candidate(unit_id, text, primary, unit_id in thin) for unit_id, text, primary in rows]


def candidates(db: Database, parsed: matching.ParsedQuote) -> list[Candidate]:
    """The units most likely to hold the quote, best first.

    Those sharing the most rare word 3-grams with it (and not far fewer than the best of
    them); when none of those is a primary source, the primary units among the next POOL,
    however few 3-grams they share, so that copies of a quote in many articles never crowd
    out its source, even when the copies repeat words the source does not have. A long
    quote copied so widely that too few of its 3-grams are rare votes with its common ones
    (a short one must match word for word, and common 3-grams would only bring it
    near-misses); one copied past the index's list limit is looked up among primary
    sources in the full-text index. A short quote with fewer than two of its 3-grams
    indexed (a typo in every other word) falls back to the full-text index in a corpus
    small enough for that query to be quick; otherwise a quote sharing no 3-gram with any
    unit has no candidate (the full-text query takes 0.1-0.5 s at 100k units, where a
    short quote must match word for word anyway). Voted units holding too few of the
    quote's 3-grams are marked `thin`: find_matches() does not align them as matches."""
    postings = storage.shingle_postings(db, shingles.shingles(parsed.fragments).tolist())
    lists = postings.lists
    if len(lists) < MIN_SEEDS and parsed.words >= matching.EXACT_WORDS:
        lists = lists + postings.common  # a long quote whose words are common: copied widely
    fallback = parsed.words < FALLBACK_WORDS and postings.units < matching.LARGE_CORPUS
    if len(lists) >= MIN_SEEDS or (lists and not fallback):
        tallied = shingles.tally(lists, postings.units)
        voted = shingles.top(tallied, limit=POOL, share=VOTE_SHARE)
        ranked = [unit_id for unit_id, _ in voted][:CANDIDATES]
        found = _candidates(storage.unit_texts(db, ranked), _thin(tallied, ranked))
        if not any(c.primary for c in found):
            # Below the share too: articles repeating a misquote word for word out-vote
            # the source that says it otherwise.
            rest = [u for u, _ in shingles.top(tallied, limit=POOL) if u not in ranked]
            primary = storage.primary_units(db, rest)[:PRIMARY_CANDIDATES]
            found += _candidates(storage.unit_texts(db, primary))
        if postings.stopped and not any(c.primary for c in found):
            found += _searched(db, parsed, postings.units, primary_only=True)
        return found
    if postings.stopped:
        return _searched(db, parsed, postings.units, primary_only=True)
    if not fallback:
        return []
    return _searched(db, parsed, postings.units, primary_only=False)


def _thin(tallied: shingles.Tally, ranked: list[int]) -> frozenset[int]:
    """The ranked units holding less than HELD_SHARE of the quote's indexed 3-grams."""
    shares = shingles.held_share(tallied, ranked)
    return frozenset(u for u, share in zip(ranked, shares, strict=True) if share < HELD_SHARE)


def _searched(
    db: Database, parsed: matching.ParsedQuote, units: int, *, primary_only: bool
) -> list[Candidate]:
    """Candidates from the full-text index: the quote's word pairs as phrases, or its
    fragments whole when it must match word for word."""
    limit = PRIMARY_CANDIDATES if primary_only else CANDIDATES
    exact = matching.word_for_word(parsed, units)
    query = matching.fts_phrases(parsed) if exact else matching.fts_query(parsed)
    ids = storage.search_unit_ids(db, query, limit=limit, primary_only=primary_only)
    return _candidates(storage.unit_texts(db, ids))


_UNSPACED = re.compile("[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")  # Thai, kana, CJK


def _newer(document: DocumentRef, than: DocumentRef) -> bool:
    return (document.fetched_at, document.version) > (than.fetched_at, than.version)


def _preferred(match: Match, over: Match) -> bool:
    """Whether `match` should stand for `over`, a match of the same passage of the same
    page, whatever their order on it: a primary version over a secondary one (the words
    stood in a primary source), then the newer; in one version, the earlier unit."""
    unit, other = match.unit, over.unit
    if unit.document.role != other.document.role:
        return unit.document.role == "primary"
    if unit.document.id != other.document.id:
        return _newer(unit.document, other.document)
    return (written_order(unit), unit.id) < (written_order(other), other.id)


def _ranked(matches: list[Match]) -> list[Match]:
    """Primary sources first, then by score, then in the order written, an original
    before its forwarded copy whatever time zones they were sent from."""
    orders = copies_in_order([m.unit for m in matches])
    paired = sorted(
        zip(matches, orders, strict=True),
        key=lambda pair: (pair[0].unit.document.role != "primary", -pair[0].score, pair[1]),
    )
    return [match for match, _ in paired]


class _Search(NamedTuple):
    """A quote being located: the database, the quote parsed, its candidates, how many
    units the corpus holds, and the URL that is no source (the article's own)."""

    db: Database
    parsed: matching.ParsedQuote
    pool: list[Candidate]
    units: int
    excluded: str | None


class Located(NamedTuple):
    """Where a quote stands: `matches`, every unit it is located in, and, when no primary
    unit holds it whole, `parts`: where the parts of a quote spliced together stand."""

    matches: list[Match]
    parts: list[Match]


def find_matches(db: Database, quote: str, *, exclude_url: str | None = None) -> list[Match]:
    """Every unit the quote is located in, primary sources first, then by score and date."""
    return locate(db, quote, exclude_url=exclude_url).matches


def locate(db: Database, quote: str, *, exclude_url: str | None = None) -> Located:
    """The units the quote is located in and, failing a primary one, its spliced parts.
    Candidates are aligned on their text alone; only those that align are read whole."""
    parsed = matching.parse_quote(quote)
    if not parsed.fragments:
        if not quote.strip():
            raise InputError("the quote is empty")
        raise InputError(
            "the quote has no words to trace: only [brackets], omission marks or symbols"
        )
    if parsed.words < matching.MIN_WORDS and _UNSPACED.search(quote):
        raise InputError(
            "quotes in a script written without spaces between words (Chinese, Japanese, "
            "Thai) cannot be traced yet"
        )
    if parsed.words < matching.MIN_WORDS or parsed.evidence < matching.MIN_EVIDENCE:
        if len(quote.split()) >= 2 * matching.MIN_WORDS:  # long, but cut to single words
            raise InputError(
                "too few of the quote's words stand together between its omissions and "
                f"[brackets] to trace (at least {matching.MIN_WORDS} in all, in pieces of two "
                "words or more)"
            )
        raise InputError(f"the quote is too short to trace (at least {matching.MIN_WORDS} words)")
    if len(parsed.fragments) > MAX_FRAGMENTS:
        raise InputError(
            f"the quote has {len(parsed.fragments)} pieces between omissions and [brackets]; "
            f"at most {MAX_FRAGMENTS} can be traced: trace its parts one at a time"
        )
    excluded = canonical(exclude_url) if exclude_url else None
    units = storage.unit_count(db)
    pool = candidates(db, parsed)
    exact = matching.word_for_word(parsed, units)
    aligned = {
        c.id: alignment
        for c in pool
        if not c.thin and (alignment := matching.align(parsed, c.text, exact=exact)) is not None
    }
    scored: dict[int, matching.Alignment | None] = dict(aligned)  # rivals to a paraphrase
    found: dict[tuple[str, str, str | None], Match] = {}
    texts = {c.id: c.text for c in pool}
    reachable = [
        u for u, a in aligned.items() if matching.within_reach(parsed, a, texts[u], units=units)
    ]
    for unit in storage.units_by_id(db, reachable):
        if canonical(unit.document.url) == excluded:
            continue
        alignment = aligned[unit.id]
        verdict, differences = matching.judge(parsed, alignment, unit.text, units=units)
        # Too changed to be accepted, changed words may still be a rewording of a passage
        # the quote fits far better than any other (altered when only a word or two).
        if not matching.accepted(alignment, parsed, differences, units=units) and not (
            verdict in CHANGED_VERDICTS
            and matching.paraphrased(parsed, alignment, unit.text, units=units)
            and stands_alone(parsed, unit.id, unit.text, alignment, pool, scored)
        ):
            continue
        match = Match(
            unit, alignment.score, verdict, alignment.start, alignment.end, tuple(differences), ()
        )
        # Several versions of one page, or several units of one version, hold the same
        # passage: one of them stands for all (_preferred); an email and a forward of it
        # are both kept, each with its own writer, date and forwarder.
        key = (canonical(unit.document.url), match.matched_text, unit.forwarded_by)
        if key not in found or _preferred(match, found[key]):
            found[key] = match
    ordered = _ranked(list(found.values()))
    if ordered and ordered[0].unit.document.role == "primary":
        return Located(ordered, [])
    search = _Search(db, parsed, pool, units, excluded)
    parts = matching.pieces(parsed)  # sentences, and the words either side of an omission
    placed = _placed(db, parts, pool, units) if len(parts) > 1 else []
    if invented := _beside_invented(search, placed):
        return Located([*invented, *ordered], [])
    return Located(ordered, _spliced(search, placed))


def _accepted_in(
    parsed: matching.ParsedQuote, text: str, units: int
) -> tuple[matching.Alignment, Verdict, list[Difference]] | None:
    """The alignment, verdict and differences of a quote in a unit, if acceptance passes it."""
    alignment = matching.align(parsed, text)
    if alignment is None or alignment.score < matching.required_score(parsed.evidence):
        return None
    verdict, differences = matching.judge(parsed, alignment, text, units=units)
    if not matching.accepted(alignment, parsed, differences, units=units):
        return None
    return alignment, verdict, differences


def _stands_anywhere(db: Database, sentence: str, units: int) -> bool:
    """Whether a sentence is accepted in a primary unit among its own candidates (those
    of the whole quote were voted for by its other sentences)."""
    parsed = matching.parse_quote(sentence)
    return any(c.primary and _accepted_in(parsed, c.text, units) for c in candidates(db, parsed))


SPLICE_CANDIDATES = 3  # primary units, best voted first, in which a quote's sentences are sought
SPLICE_WORDS = matching.EXACT_WORDS  # words a quote's found sentences need between them,
# and at least half its words
SPLICE_WORDS_LARGE = 18  # the same from LARGE_CORPUS units, where a stranger's sentence of
# 12 words stands word for word by chance (in 6 of 3,000 absent benchmark quotes at 100k)


def _splice_words(units: int) -> int:
    """The words a quote's found sentences must make to name their passage, in a corpus of
    `units` units (SPLICE_WORDS, or SPLICE_WORDS_LARGE in a large one)."""
    return SPLICE_WORDS_LARGE if units >= matching.LARGE_CORPUS else SPLICE_WORDS


@dataclass(frozen=True)
class _Spot:
    """Where a sentence stands word for word: the unit, the alignment, the verdict and
    differences of the sentence there."""

    unit_id: int
    alignment: matching.Alignment
    verdict: Verdict
    differences: tuple[Difference, ...]


@dataclass(frozen=True)
class _Sentence:
    """One sentence of a quote, and where it stands word for word, if anywhere."""

    text: str
    words: int
    spot: _Spot | None = None


def _with_plain(units: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    """Units (id, text) with their plain words, for _located()'s quick test."""
    return [(unit_id, text, matching.plain_words(text)) for unit_id, text in units]


def _located(sentence: str, primary: list[tuple[int, str, str]], units: int) -> _Sentence:
    """A sentence placed word for word (punctuation aside) in the first of these primary
    units (id, text, plain words) that holds it."""
    parsed, plain = matching.parse_quote(sentence), matching.plain_words(sentence)
    words = len(matching.fold(sentence).text.split())
    for unit_id, text, plain_text in primary:
        if plain not in plain_text:  # not word for word: a quick test before aligning
            continue
        placed = _accepted_in(parsed, text, units)
        if placed and placed[1] in EXACT_VERDICTS:
            alignment, verdict, differences = placed
            spot = _Spot(unit_id, alignment, verdict, tuple(differences))
            return _Sentence(sentence, words, spot)
    return _Sentence(sentence, words)


def _beside_invented(search: _Search, sentences: list[_Sentence]) -> list[Match]:
    """A quote not found whole whose sentences are, but for some, found in order in one
    primary passage, where the others are found in none: real sentences with invented
    ones placed beside them. The passage, as an altered match, the other sentences listed
    as inserted; nothing when a sentence stands elsewhere (sources spliced) or the found
    ones are too few words to name a source alone. When every sentence (or the words
    either side of an omission) is found, in consecutive paragraphs, the quote runs over a
    paragraph break: _across_paragraphs(). `sentences` are the quote's parts, placed."""
    db, parsed, _, units, excluded = search
    if not sentences:
        return []
    spots = [s.spot for s in sentences if s.spot]
    if len(spots) == len(sentences) and len({spot.unit_id for spot in spots}) > 1:
        return _across_paragraphs(db, parsed, [spot.unit_id for spot in spots], units, excluded)
    if len(parsed.fragments) > 1:
        return []  # words either side of an omission are no sentences, real or invented
    found_words = sum(s.words for s in sentences if s.spot)
    total_words = sum(s.words for s in sentences)
    least = _splice_words(units)
    starts = [spot.alignment.start for spot in spots]
    if (
        not spots
        or len(spots) == len(sentences)
        or len({spot.unit_id for spot in spots}) > 1
        or starts != sorted(starts)
        or found_words < max(least, total_words / 2)
    ):
        return []
    if any(_stands_anywhere(db, s.text, units) for s in sentences if not s.spot):
        return []  # spliced from another source, not invented
    (unit,) = storage.units_by_id(db, [spots[0].unit_id])
    if canonical(unit.document.url) == excluded:
        return []
    differences = [
        difference
        for s in sentences
        for difference in (
            [d for d in s.spot.differences if d.kind != "truncated"]
            if s.spot
            else [Difference("inserted", s.text, "")]
        )
    ]
    # The quote's share that fits: the found sentences' scores, the invented ones' nothing.
    score = sum(s.spot.alignment.score * s.words for s in sentences if s.spot) / total_words
    end = max(spot.alignment.end for spot in spots)
    return [Match(unit, score, "altered", starts[0], end, tuple(differences), ())]


def _placed(db: Database, parts: list[str], pool: list[Candidate], units: int) -> list[_Sentence]:
    """The parts of a quote, each placed word for word in one of the best voted primary
    candidates or, failing that, in a paragraph beside one where another part stands."""
    first = _with_plain([(c.id, c.text) for c in pool if c.primary][:SPLICE_CANDIDATES])
    located = [_located(part, first, units) for part in parts]
    placed = [s.spot.unit_id for s in located if s.spot]
    if placed and len(placed) < len(located):
        # The rest may stand in the paragraphs beside: a quote over a paragraph break,
        # whose later paragraphs share too little with the whole quote to be candidates.
        beside = storage.neighbours(db, placed, len(located))
        nearby = _with_plain(
            [(unit_id, text) for unit_id, kind, text in beside if kind in RUN_KINDS]
        )
        located = [s if s.spot else _located(s.text, nearby, units) for s in located]
    return located


RUN_KINDS = ("paragraph", "blockquote")  # units one quote may run across: a text's paragraphs


def _across_paragraphs(
    db: Database,
    parsed: matching.ParsedQuote,
    unit_ids: list[int],
    units: int,
    excluded: str | None,
) -> list[Match]:
    """A quote whose sentences all stand word for word, in order, in consecutive
    paragraphs of one primary source: a quote running over a paragraph break, which no one
    unit holds. Those paragraphs joined are one passage, and the quote is aligned with it
    as with any unit. Emails, text messages and a filing's numbered paragraphs are left:
    two in a row are two messages, or two cited paragraphs."""
    order = list(dict.fromkeys(unit_ids))
    run = storage.unit_run(db, order)
    if run is None or [unit.id for unit in run] != order:
        return []  # a paragraph between, or the quote's order is not the source's
    first = run[0]
    if (
        any((u.kind, u.author, u.cite) != (first.kind, first.author, None) for u in run)
        or first.kind not in RUN_KINDS
        or canonical(first.document.url) == excluded
    ):
        return []
    joined = replace(
        first,
        text=storage.RUN_BREAK.join(unit.text for unit in run),
        label=f"{first.label} to {run[-1].label}"
        if first.label
        else f"{len(run)} consecutive {first.kind}s",
        run=len(run),
    )
    placed = _accepted_in(parsed, joined.text, units)
    if placed is None:
        return []
    alignment, verdict, differences = placed
    return [
        Match(
            joined, alignment.score, verdict, alignment.start, alignment.end, tuple(differences), ()
        )
    ]


def _spliced(search: _Search, placed: list[_Sentence]) -> list[Match]:
    """A quote no passage holds whose parts (`placed`: its sentences, or the words an
    omission mark joins, each where it stands, if found) each stand word for word in a
    primary source, in two places or more: words from several sources spliced into one
    quote, as "A … B" hides. Each place's match, in the quote's order; nothing when a part
    stands nowhere, or when the parts standing together in one place are too few words to
    name it (SPLICE_WORDS, as for a sentence found beside an invented one): "Andrej is
    exactly right." names Musk's note only with the sentence after it."""
    db, parsed, _, units, excluded = search
    least = _splice_words(units)
    if parsed.words < 2 * least or max((r.words for r in _runs(placed)), default=0) < least:
        return []  # too short for two places, or the best voted hold no place of it
    found: list[_Sentence] = []
    for sentence in placed:
        if sentence.spot is None:  # sought among the units its own words vote for
            voted = candidates(db, matching.parse_quote(sentence.text))
            own = [(c.id, c.text) for c in voted if c.primary][:SPLICE_CANDIDATES]
            sentence = _located(sentence.text, _with_plain(own), units)
        if sentence.spot is None:
            return []
        found.append(sentence)
    runs = _runs(found)
    if any(run.words < least for run in runs):
        return []  # a place too short to name
    stored = {unit.id: unit for unit in storage.units_by_id(db, [r.unit_id for r in runs])}
    if len(stored) < 2 and not _apart_in_order(found, stored[runs[0].unit_id].text):
        return []  # one passage, its words rearranged
    if any(canonical(unit.document.url) == excluded for unit in stored.values()):
        return []
    return [match for run in runs for match in _together(stored[run.unit_id], run, units)]


def _apart_in_order(sentences: list[_Sentence], unit_text: str) -> bool:
    """Whether parts placed in one unit stand there in the quote's order, words between
    each and the next: words left out without a mark, not the words rearranged."""
    spans = [(s.spot.alignment.start, s.spot.alignment.end) for s in sentences if s.spot]
    return all(
        end <= start and re.search(r"\w", unit_text[end:start]) is not None
        for (_, end), (start, _) in itertools.pairwise(spans)
    )


class _Run(NamedTuple):
    """Parts of a spliced quote in a row that stand in one unit."""

    unit_id: int
    sentences: list[_Sentence]

    @property
    def words(self) -> int:
        return sum(sentence.words for sentence in self.sentences)


def _runs(sentences: list[_Sentence]) -> list[_Run]:
    """The placed sentences grouped into runs, in order, by the unit each stands in."""
    placed = [(sentence.spot.unit_id, sentence) for sentence in sentences if sentence.spot]
    return [
        _Run(unit_id, [sentence for _, sentence in run])
        for unit_id, run in itertools.groupby(placed, key=lambda found: found[0])
    ]


def _together(unit: StoredUnit, run: _Run, units: int) -> list[Match]:
    """A run's parts as one match where they stand together in its unit, two sentences
    in a row, else as a match each."""
    joined = " ".join(sentence.text for sentence in run.sentences)
    together = len(run.sentences) > 1
    placed = _accepted_in(matching.parse_quote(joined), unit.text, units) if together else None
    if placed and placed[1] in EXACT_VERDICTS:
        alignment, verdict, differences = placed
        spans = [(alignment, verdict, tuple(differences))]
    else:
        spots = [sentence.spot for sentence in run.sentences if sentence.spot]
        spans = [(spot.alignment, spot.verdict, spot.differences) for spot in spots]
    return [Match(unit, a.score, verdict, a.start, a.end, diff, ()) for a, verdict, diff in spans]


def trace_quote(
    db: Database,
    quote: str,
    *,
    speaker: str | None = None,
    date: str | None = None,
    article: DocumentRef | None = None,
) -> TraceResult:
    """Trace one quote. With `article`, the quote is that article's: its own text is not a
    source, and the chain starts from it."""
    excluded = article.url if article else None
    dated_by = "by the article" if article else "as given"  # the claim's, or the user's
    located, parts = locate(db, quote, exclude_url=excluded)
    located = _credited_copy_first(located, speaker)
    primary = bool(located) and located[0].unit.document.role == "primary"
    matches = [
        # Only a primary source says who wrote it: an article's byline is not the speaker.
        replace(m, flags=tuple(attribution.attribution_flags(m.unit, speaker=speaker, date=date)))
        if m.unit.document.role == "primary"
        else m
        for m in [*parts, *located]
    ]
    best = matches[0] if primary else None
    if best and _too_common(quote, matches):
        best = None
    chain = _chain(db, best, matches, article) if best else ()
    if parts:
        explanation = explain_splice(
            matches[: len(parts)], speaker=speaker, date=date, dated_by=dated_by
        )
    else:
        sources = best is not None or storage.holds_primary_sources(db)
        explanation = explain(
            best, matches, speaker=speaker, date=date, sources=sources, dated_by=dated_by
        )
    return TraceResult(
        quote=quote,
        speaker=speaker,
        claimed_date=date,
        status="found" if best else "not_found",
        best=best,
        matches=tuple(matches),
        flags=best.flags if best else (),
        chain=chain,
        explanation=tuple(explanation),
        spliced=bool(parts),
    )


def _credited_copy_first(located: list[Match], speaker: str | None) -> list[Match]:
    """The best match's passage as forwarded by the speaker, when the article credits the
    forwarder: that copy records the mistake (who forwarded the words, when, and who wrote
    them), where the original, first otherwise, records only its writer."""
    if not speaker or not located:
        return located
    best = located[0]
    for match in located[1:]:
        forwarder = match.unit.forwarded_by
        same = (match.unit.document.id, match.matched_text, match.score) == (
            best.unit.document.id,
            best.matched_text,
            best.score,
        )
        if same and forwarder and attribution.names_speaker(speaker, forwarder):
            return [match, *(m for m in located if m is not match)]
    return located


def stands_alone(
    parsed: matching.ParsedQuote,
    unit_id: int,
    unit_text: str,
    alignment: matching.Alignment,
    pool: list[Candidate],
    scored: dict[int, matching.Alignment | None],
) -> bool:
    """Whether a rewording fits its passage (in this unit) PARAPHRASE_MARGIN points better
    than any other primary passage among the candidates, copies of the same passage aside:
    one that fits several about as well says nothing about which of them it rewords.
    `scored` holds the candidates' alignments known so far and keeps those made here, so a
    quote with several reworded passages aligns each candidate once."""
    least = alignment.score - matching.PARAPHRASE_MARGIN
    floor = matching.PARAPHRASE_SCORE - matching.PARAPHRASE_MARGIN  # any paraphrase's rival's
    span = (unit_text, alignment.start, alignment.end)
    for other, text, primary, _ in sorted(pool, key=lambda c: c.id not in scored):  # known first
        if other == unit_id or not primary:
            continue
        if other not in scored:
            scored[other] = matching.align(parsed, text, floor)
        rival = scored[other]
        rival_span = (text, rival.start, rival.end) if rival and rival.score > least else None
        if rival_span and matching.distinct_passages([span, rival_span]) > 1:
            return False
    return True


def _too_common(quote: str, matches: list[Match]) -> bool:
    """A short quote found in several unrelated primary passages names none of them; nor
    does an inexact one (elided, bracketed, altered): words that fit several passages
    with edits are words in common, not a source (calibrated on absent quotes at 10k)."""
    exact = matches[0].verdict in EXACT_VERDICTS
    if exact and matching.parse_quote(quote).evidence >= matching.SHORT_EVIDENCE:
        return False
    spans = [(m.unit.text, m.start, m.end) for m in matches if m.unit.document.role == "primary"]
    return matching.distinct_passages(spans) > 1


def _document_hop(
    db: Database, kind: Literal["article", "citation", "source_document"], url: str, **extra: object
) -> Hop:
    document_id = storage.latest_document_id(db, url)
    ref = storage.document_ref(db, document_id) if document_id is not None else None
    return Hop(
        kind=kind,
        url=url,
        title=ref.title if ref else url,
        date=ref.published_at if ref else None,
        **extra,  # type: ignore[arg-type]
    )


def _chain(
    db: Database, best: Match, matches: list[Match], article: DocumentRef | None
) -> tuple[Hop, ...]:
    """article → the pages it links to that carry the quote → the source document → unit."""
    source = best.unit.document
    verdicts = {canonical(m.unit.document.url): m.verdict for m in reversed(matches)}
    hops: list[Hop] = []
    if article is None:
        verdict = verdicts.get(canonical(source.url))  # as check gives it
        hops.append(_document_hop(db, "source_document", source.url, linked=None, verdict=verdict))
    else:
        carriers = {article.url, *(m.unit.document.url for m in matches)}
        links = storage.link_graph(db, carriers)
        steps = citation_path(article.url, source.url, links, set(verdicts))
        for index, step in enumerate(steps):
            kind: Literal["article", "citation", "source_document"] = (
                "article"
                if index == 0
                else "source_document"
                if index == len(steps) - 1
                else "citation"
            )
            hops.append(
                _document_hop(
                    db,
                    kind,
                    step.url,
                    linked=None if index == 0 else step.via is not None,
                    anchor_text=step.via.anchor_text if step.via else None,
                    verdict=None if index == 0 else verdicts.get(step.url),
                )
            )
    unit = best.unit
    hops.append(
        Hop(
            kind="source_unit",
            url=best.link,
            title=unit.label or unit.subject or unit.kind,
            date=unit.date,
            linked=True,
            author=unit.author,
            verdict=best.verdict,
            forwarded_by=unit.forwarded_by,
            forwarded_at=unit.forwarded_at,
        )
    )
    return tuple(hops)


# --- plain words -----------------------------------------------------------------------

VERDICT_WORDS: dict[str, str] = {
    "verbatim": "Found verbatim in",
    "verbatim_truncated": "Found verbatim, as part of a longer sentence, in",
    "punctuation": "Found with changed case or punctuation in",
    "elided": "Found with marked omissions in",
    "bracketed": "Found with [bracketed] editorial changes in",
    "altered": "Found altered (the words differ) in",
    "paraphrase": "A weak match: reworded (check the changed words: the claim may differ) from",
}


def _when(value: str | None) -> str:
    return value.replace("T", " ") if value else "an unknown date"


def _describe_unit(unit: StoredUnit) -> str:
    if unit.kind == "email":
        author = unit.author or "an unknown sender"
        if unit.author == REDACTED:
            author = "[redacted] (the source redacts the sender's name)"
        to = f" to {', '.join(unit.recipients)}" if unit.recipients else ""
        subject = f', subject "{unit.subject}"' if unit.subject else ""
        return f"an email from {author}{to}, sent {_when(unit.date)}{subject}"
    by = f" by {unit.author}" if unit.author else ""
    what = f"{unit.run} consecutive {unit.kind}s" if unit.run > 1 else f"a {unit.kind}"
    return f"{what}{by}" + (f" of {_when(unit.date)}" if unit.date else "")


def explain(
    best: Match | None,
    matches: list[Match],
    *,
    speaker: str | None,
    date: str | None,
    sources: bool = True,
    dated_by: str = "by the article",
) -> list[str]:
    """The result said plainly, a sentence a line, for the terminal and the JSON. `sources`
    says whether the corpus holds any primary source: "not found" in a corpus with none
    says nothing about the quote; `dated_by` who gives the date ("as given" by the user)."""
    if best is None:
        primary = sum(1 for m in matches if m.unit.document.role == "primary")
        if primary:
            return [
                f"Too common to trace: these words stand in {primary} unrelated passages of "
                "primary sources, so none of them can be named as the source."
            ]
        lines = [
            "Not found in any primary source in the corpus."
            if sources
            else "Not found: the corpus holds no primary source yet, so there is nothing to "
            "trace the quote to (add one with `provenance add --role primary` or crawl one)."
        ]
        if matches:
            lines.append(f"It appears in {len(matches)} other document(s), none of them primary.")
        return lines
    return _found_lines(best, speaker=speaker, date=date, dated_by=dated_by)


def in_one_passage(parts: list[Match]) -> bool:
    """Whether a quote's parts, standing apart, all stand in one unit: words between them
    left out without a mark, rather than passages spliced."""
    return len({part.unit.id for part in parts}) == 1


def explain_splice(
    parts: list[Match], *, speaker: str | None, date: str | None, dated_by: str = "by the article"
) -> list[str]:
    """A spliced quote said plainly: no one passage holds it, and where each part stands,
    checked against the speaker and date the quote is credited with as any match is."""
    documents = len({part.unit.document.id for part in parts})
    where = "one document" if documents == 1 else f"{documents} documents"
    lines = [
        f"Not found as one passage: its {len(parts)} parts stand in one passage, in this "
        "order, with words between them that the quote leaves out without a mark."
        if in_one_passage(parts)
        else f"Not found as one passage: its {len(parts)} parts stand in separate passages "
        f"of {where}, joined into one quote."
    ]
    for number, part in enumerate(parts, 1):
        lines += _found_lines(
            part,
            speaker=speaker,
            date=date,
            part=f"Part {number}, “{part.matched_text}”: ",
            dated_by=dated_by,
        )
    return lines


def _found_lines(
    best: Match,
    *,
    speaker: str | None,
    date: str | None,
    part: str = "",
    dated_by: str = "by the article",
) -> list[str]:
    """Where a match stands and how it bears on the speaker and date; `part` introduces
    one part of a spliced quote."""
    unit, document = best.unit, best.unit.document
    published = f", published {document.published_at}" if document.published_at else ""
    found = VERDICT_WORDS[best.verdict]
    lines = [
        f"{part}{found[0].lower() + found[1:] if part else found} {_describe_unit(unit)}, "
        f'in "{document.title}" ({document.url}{published}).'
    ]
    added = [d.quote for d in best.differences if d.kind == "inserted"]
    sentences = [text for text in added if len(text.split()) >= matching.MIN_WORDS]
    if sentences:
        lines.append(
            "The quote adds words the source does not have there: "
            + " ".join(f"“{text}”" for text in sentences)
            + "."
        )
    if any(matching.joined_here(d) for d in best.differences):
        lines.append(
            "The article runs together the parts its credit interrupts (“…,” she wrote, "
            "“…”), but the source has words between them, which the quote leaves out "
            "without a mark."
        )
    if unit.forwarded_by:
        lines.append(f"Forwarded by {unit.forwarded_by} on {_when(unit.forwarded_at)}.")
    if speaker:
        lines.append(_attribution_sentence(best, speaker))
    if date:
        stated = stated_dates.in_words(date)
        if "date_of_forward" in best.flags:
            lines.append(
                f"Dated {stated} {dated_by}: that is the date of the forward; "
                f"the original is dated {_when(unit.date)}."
            )
        elif "date_mismatch" in best.flags:
            lines.append(f"Dated {stated} {dated_by}, but the source is dated {_when(unit.date)}.")
        elif unit.date:
            utc = not attribution.same_date(date, unit.date[:10])  # not its own day: UTC's
            lines.append(
                f"Dated {stated} {dated_by}: matches the source's date"
                + (f" in UTC ({_when(unit.date)} in the sender's time)." if utc else ".")
            )
    return lines


def _attribution_sentence(best: Match, speaker: str) -> str:
    unit = best.unit
    if "misattributed" in best.flags:
        if unit.forwarded_by and attribution.names_speaker(speaker, unit.forwarded_by):
            author = "someone else" if not attribution.known_author(unit.author) else unit.author
            return (
                f"Credited to {speaker}: misattributed. {unit.forwarded_by} forwarded these "
                f"words; they were written by {author}."
            )
        return f"Credited to {speaker}: misattributed. They were written by {unit.author}."
    if "credited_to_organisation" in best.flags:
        return f"Credited to {speaker}, which published them; they were written by {unit.author}."
    if "author_unknown" in best.flags:
        return (
            f"Credited to {speaker}; the source does not name the author, so this is unconfirmed."
        )
    if best.verdict in CHANGED_VERDICTS:  # the author's passage, not the author's words
        return (
            f"Credited to {speaker}, who wrote the passage: the attribution checks out, "
            "the wording does not."
        )
    return f"Credited to {speaker}, who wrote them: the attribution checks out."
