"""Every appearance of a quote in the stored corpus, read as plain data for chains.py:
the units it is matched in, and the articles whose printed quotations were matched to the
same passage of the origin (a truncated quotation is still an appearance)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from provenance import attribution, citations, storage
from provenance.anchors import deep_link, pdf_page
from provenance.chains import Appearance, Chain, UnitInfo, build_chain, canonical, origin_of
from provenance.errors import InputError
from provenance.matching import fold
from provenance.models import DocumentRef, Link, StoredUnit, WrittenAt, copies_in_order
from provenance.storage import Database, PrintedQuote
from provenance.trace import Match, find_matches

# A verb of publishing, as a source named without a link does it: "OpenAI published
# emails", "according to Demo Wire".
_PUBLISHING = r"(?i:published|released|posted|reported|announced|stated|disclosed|made public)"
_CITING = re.compile(rf"\b(?:{_PUBLISHING}|(?i:according to))\b")
# What may stand between a publisher and its verb: "OpenAI has released", "Acme today
# announced", "Demo Wire first reported".
_BETWEEN = r"\s+(?:has|have|had|first|also|today|yesterday|earlier|then|itself|just|[a-z]+ly)"
# A sentence, a quotation inside it whole: its own full stop ends the sentence only where
# a new one starts after it ("…job.” The promise was first reported by The Ledger.").
_SENTENCE = re.compile(
    r"(?:“[^”\n]*”|“(?![^”\n]*”)|[^.!?\n“])+?"
    r"(?:[.!?]|(?<=[.!?]”)(?=\s+[A-Z])|(?=\n)|$)"
)
_QUOTATION = re.compile(r"“[^”\n]*”")


def _is_pdf(document: DocumentRef) -> bool:
    return "pdf" in document.crawler or document.url.lower().split("?")[0].endswith(".pdf")


class _Reader:
    """Reads documents once each while appearances are assembled."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.places: dict[int, storage.DocumentPlace] = {}
        self.crawl = storage.latest_crawl(db)

    def place(self, document_id: int) -> storage.DocumentPlace:
        if document_id not in self.places:
            self.places[document_id] = storage.document_place(self.db, document_id)
        return self.places[document_id]

    def _captured_by_latest_crawl(self, first_fetched_at: str) -> bool:
        """Whether a page was first captured during the latest crawl run (while it ran: a
        page added by hand after it is not the crawl's news)."""
        if self.crawl is None:
            return False
        started, finished = self.crawl
        return started <= first_fetched_at and (finished is None or first_fetched_at <= finished)

    def appearance(
        self,
        document: DocumentRef,
        start: int,
        end: int,
        *,
        verdict: str,
        unit: UnitInfo,
        matched: bool = False,
    ) -> Appearance:
        """The document version holding text[start:end], with a deep link to it; a span
        `matched` to the whole quote is judged by the quotation it is, if it is one."""
        place = self.place(document.id)
        page = pdf_page(unit.label) if _is_pdf(document) else None
        printed = storage.quotes_overlapping(self.db, document.id, start, end)
        credited = next((q for q in printed if q.speaker), None)
        quotations = [place.text[q.start : q.end] for q in printed] if matched else []
        return Appearance(
            url=document.url,
            title=document.title,
            role=document.role,
            published_at=document.published_at,
            fetched_at=document.fetched_at,
            version=place.version,
            latest_version=place.latest_version,
            sha256=document.sha256,
            link=deep_link(document.url, place.text, start, end, page=page),
            verdict=_as_quoted(verdict, place.text[start:end], quotations),
            matched_text=place.text[start:end],
            unit=unit,
            speaker=credited.speaker if credited else None,
            claimed_date=credited.claimed_date if credited else None,
            new=self._captured_by_latest_crawl(place.first_fetched_at),
        )

    def matched(self, match: Match) -> Appearance:
        unit = match.unit
        offset = storage.unit_start(self.db, unit.id)
        info = UnitInfo(
            unit.kind,
            unit.label,
            unit.author,
            unit.date,
            unit.subject,
            unit.forwarded_by,
            unit.forwarded_at,
        )
        found = self.appearance(
            unit.document,
            offset + match.start,
            offset + match.end,
            verdict=match.verdict,
            unit=info,
            matched=True,
        )
        # A filing's passage: its pin cite, and its PDF opened at the page it starts on.
        page = citations.page_link(unit, match.start, match.end)
        return replace(found, link=page or found.link, cite=match.cite)

    def printed(self, quote: PrintedQuote) -> Appearance:
        document = storage.document_ref(self.db, quote.document_id)
        info = UnitInfo("quotation", None, None, None)
        return self.appearance(
            document, quote.start, quote.end, verdict=quote.verdict or "verbatim", unit=info
        )


_QUOTATION_EDGES = " \t\n,;:.!?\"'“”‘’"  # what a quotation's edges may be without words


def _as_quoted(verdict: str, matched: str, quotations: Sequence[str]) -> str:
    """A span cut from its paragraph's sentence ("Okoro had said “…”") that is the whole of
    a quotation the page prints stands there verbatim: the sentence around it is the
    article's own, not the speaker's."""
    bare = matched.strip(_QUOTATION_EDGES)
    whole = any(q.strip(_QUOTATION_EDGES) == bare for q in quotations)
    return "verbatim" if verdict == "verbatim_truncated" and whole else verdict


def _one_per_page(matches: Sequence[Match]) -> dict[str, Match]:
    """The match each page stands for: a primary page's earliest unit (an original before
    its forwarded copy), else the best."""
    chosen: dict[str, tuple[Match, WrittenAt]] = {}
    orders = copies_in_order([match.unit for match in matches])
    for match, order in zip(matches, orders, strict=True):  # best first
        url = canonical(match.unit.document.url)
        held = chosen.get(url)
        if held is None or (match.unit.document.role == "primary" and order < held[1]):
            chosen[url] = (match, order)
    return {url: match for url, (match, _) in chosen.items()}


def _quoting_the_origin(
    db: Database, reader: _Reader, origin: Match, text: str
) -> dict[str, tuple[PrintedQuote, bool]]:
    """Quotations printed in the newest version of a page, matched to the origin's span
    and printing the quote's words (`text`), whole or cut short; with each, whether it
    prints the whole quote."""
    found: dict[str, tuple[PrintedQuote, bool]] = {}
    for quote in storage.quotes_matched_to(db, origin.unit.id):
        if (quote.unit_end or 0) <= origin.start or (quote.unit_start or 0) >= origin.end:
            continue
        whole = _held(text, quote.text) >= SHARED_WORDS
        if not whole and _held(quote.text, text) < SHARED_WORDS:
            continue  # other words of the same passage
        place = reader.place(quote.document_id)
        if place.version == place.latest_version:
            document = storage.document_ref(db, quote.document_id)
            found[canonical(document.url)] = (quote, whole)
    return found


SHARED_WORDS = 0.75  # of a quotation's words, those another must hold to print it


def _held(words: str, by: str) -> float:
    """The share of a quotation's words that another holds: a quotation printing "stability
    . . . no matter what the board says" holds few of "stability, and I intend to keep it
    that way", though both are matched to the same passage."""
    wanted, held = Counter(fold(words).text.split()), Counter(fold(by).text.split())
    return (wanted & held).total() / max(wanted.total(), 1)


def collect(db: Database, quote: str, *, also: PrintedQuote | None = None) -> list[Appearance]:
    """Every appearance of the quote, each page once; `also` is a quotation that must be
    among them (the article in hand), added as printed if matching missed it."""
    reader = _Reader(db)
    matches = _one_per_page(find_matches(db, quote))
    appearances = {url: reader.matched(m) for url, m in matches.items()}
    origin = origin_of(list(appearances.values()))
    printed: dict[str, tuple[PrintedQuote, bool]] = {}
    if origin is not None:
        printed = _quoting_the_origin(db, reader, matches[canonical(origin.url)], quote)
    if also is not None:
        document = storage.document_ref(db, also.document_id)
        whole = _held(quote, also.text) >= SHARED_WORDS
        printed.setdefault(canonical(document.url), (also, whole))
    for url, (quotation, whole) in printed.items():
        if url not in appearances:
            appearances[url] = replace(reader.printed(quotation), whole=whole)
        elif quotation.verdict:  # how the article's own quotation reproduces the source
            appearances[url] = replace(appearances[url], verdict=quotation.verdict)
        if quotation.speaker:
            appearances[url] = replace(
                appearances[url], speaker=quotation.speaker, claimed_date=quotation.claimed_date
            )
    if origin is None:
        return list(appearances.values())
    source = matches[canonical(origin.url)].unit
    return [_checked(a, source) for a in appearances.values()]


def _checked(appearance: Appearance, source: StoredUnit) -> Appearance:
    """The appearance with the speaker it names checked against the origin unit."""
    flags = attribution.attribution_flags(
        source, speaker=appearance.speaker, date=appearance.claimed_date
    )
    return replace(appearance, flags=tuple(flags))


def _citing_sentences(text: str) -> list[tuple[str, str]]:
    """Each sentence with a verb of publishing outside its quotations, as written and with
    its quotations taken out: the words a page cites with are its own, not its speaker's."""
    found = []
    for match in _SENTENCE.finditer(text):
        sentence = match.group().strip()
        own = _QUOTATION.sub(" ", sentence)
        if _CITING.search(own):
            found.append((sentence, own))
    return found


@cache
def _publishing(name: str) -> re.Pattern[str]:
    """NAME as the one publishing: before its verb ("Demo Wire reported", "OpenAI has
    released") or after it ("reported by Demo Wire", "according to Demo Wire"). A page
    named elsewhere in the sentence is not its source: "As Demo Wire reported, Musk wanted
    OpenAI to …" names Demo Wire, not OpenAI."""
    named = rf"(?<!\w){re.escape(name)}(?!\w)"
    return re.compile(
        rf"{named}(?:{_BETWEEN}){{0,2}}\s+{_PUBLISHING}\b"
        rf"|\b(?:{_PUBLISHING}\s+(?:by|in)|(?i:according\s+to))\s+(?:the\s+)?{named}"
    )


def named_citations(db: Database, appearances: Sequence[Appearance]) -> dict[str, list[Link]]:
    """Sources a page names without linking: a sentence naming another appearance's
    publication (its publisher or its title) as the one doing its verb of publishing
    ("OpenAI released emails", "as first reported by The Ledger"). The author is not
    enough: a page naming a statement's author names the speaker, not where it read the
    words."""
    refs = {a.url: storage.latest_document_id(db, a.url) for a in appearances}
    places = {url: storage.document_place(db, i) for url, i in refs.items() if i is not None}
    named: dict[str, list[Link]] = {}
    for citing in appearances:
        text = places[citing.url].text if citing.url in places else ""
        sentences = _citing_sentences(text)
        for cited in appearances:
            place = places.get(cited.url)
            if cited is citing or place is None:
                continue
            names = {n for n in (place.publisher, cited.title) if n and len(n) > 2}
            for sentence, own in sentences:
                if any(_publishing(n).search(own) for n in names):
                    named.setdefault(citing.url, []).append(Link(cited.url, sentence))
                    break
    return named


def chain_for(db: Database, target: str) -> Chain:
    """The chain of a quote given as text, or as the id of a quote stored from an article
    (which is then the article in hand)."""
    start: PrintedQuote | None = None
    if (quote_id := storage.row_id(target)) is not None:
        start = storage.quote_by_id(db, quote_id)
        if start is None:
            raise InputError(f"no stored quote with id {target.strip()}")
        target = start.text
    appearances = collect(db, target, also=start)
    first = storage.document_ref(db, start.document_id).url if start else None
    return build_chain(
        target,
        appearances,
        links=storage.link_graph(db, (a.url for a in appearances)),
        named=named_citations(db, appearances),
        start=first,
    )
