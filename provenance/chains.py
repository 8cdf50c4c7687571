"""Citation chains on plain data: from the article in hand, through the pages it cites that
carry the quote, back to the document holding the primary unit; the origin (the earliest
primary unit holding it) or, without one, the earliest known appearance; and every
appearance in date order."""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Literal

from provenance.models import Link, Role, WrittenAt, in_time_order, written_order
from provenance.urls import claimed_address, stored_url, without_tracking

MAX_HOPS = 6


@dataclass(frozen=True)
class Step:
    """One document on the way to the source, and the link that led to it (None for the
    starting article, or where nothing leads: found by matching); `named` when that link is
    a sentence naming the page, not an anchor."""

    url: str
    via: Link | None
    named: bool = False


def canonical(url: str) -> str:
    """A URL as the link graph compares it: as stored (urls.stored_url: no fragment, the
    scheme and host in lower case, no default port) and, more loosely than storage, with no
    trailing slash on the path: a link to /a/ is taken for the page stored as /a. Storage
    keeps the slash, because a server may answer the two differently and a capture records
    what was asked; a link only has to find the page it means. Tracking parameters go too
    (urls.without_tracking), for links stored before they were dropped when recorded."""
    bare = without_tracking(stored_url(url))
    return bare[:-1] if bare.endswith("/") and bare.count("/") > 3 else bare


def page_addresses(versions: Iterable[tuple[str, str, str | None]]) -> dict[str, str]:
    """The stored URL each address leads to, by canonical(address), from the stored
    versions' (url, final_url, the href of a <link rel> naming another address of the page,
    canonical or amphtml, or None), oldest first. A page answers to its URL, to where it
    redirected (the server's word: the same page) and to the addresses it names as its
    own on its own site (its word: urls.claimed_address). Of pages answering to one
    address the one stored at it wins, then one that redirected there, then one claiming
    it; of equals, the one stored last."""
    chosen: dict[str, tuple[int, str]] = {}  # by address: (rank, the URL it leads to)
    for url, final_url, href in versions:
        claimed = claimed_address(href, url, final_url) if href else None
        for rank, address in enumerate((url, final_url, claimed)):  # the lower rank wins
            if address is None:
                continue
            key = canonical(address)
            if key not in chosen or rank <= chosen[key][0]:
                chosen[key] = (rank, url)
    return {key: url for key, (_, url) in chosen.items()}


def _cited(
    url: str, links: Mapping[str, Sequence[Link]], named: Mapping[str, Sequence[Link]]
) -> list[Step]:
    """The pages a page cites, each as the step to it: its links first, so that a link wins
    over a sentence naming the same page, then the sources it names without linking."""
    linked = [Step(canonical(link.url), link) for link in links.get(url, ())]
    return linked + [Step(canonical(n.url), n, named=True) for n in named.get(url, ())]


def _fewest_names(
    start: str,
    allowed: Set[str],
    links: Mapping[str, Sequence[Link]],
    named: Mapping[str, Sequence[Link]],
) -> dict[str, tuple[str, Step]]:
    """Each allowed page start reaches within MAX_HOPS, with the page before it and the
    step from there, on the path through fewest names, then fewest hops (of equals, the
    first cited): a Dijkstra search whose cost is (names, hops)."""
    cost = {start: (0, 0)}
    previous: dict[str, tuple[str, Step]] = {}
    order = itertools.count()
    queue = [((0, 0), next(order), start)]
    settled: set[str] = set()
    while queue:
        (names, hops), _, url = heapq.heappop(queue)
        if url in settled or hops >= MAX_HOPS:
            continue
        settled.add(url)
        for step in _cited(url, links, named):
            reach = (names + int(step.named), hops + 1)
            known = cost.get(step.url)
            if step.url not in allowed or (known is not None and known <= reach):
                continue  # of equal paths, the one cited first keeps the page
            cost[step.url] = reach
            previous[step.url] = (url, step)
            heapq.heappush(queue, (reach, next(order), step.url))
    return previous


def citation_path(
    start: str,
    target: str,
    graph: Mapping[str, Sequence[Link]],
    carriers: Set[str],
    named: Mapping[str, Sequence[Link]] | None = None,
) -> list[Step]:
    """The chain of citations (links, and sources `named` without a link) from start to
    target passing only through documents that carry the quote: the one through fewest
    names, then fewest hops, since a link to a page carrying the quote is how it travelled
    and a name only says where it may have. Without one, start then target, unlinked."""
    start, target = canonical(start), canonical(target)
    if start == target:
        return [Step(start, None)]
    allowed = {canonical(url) for url in carriers} | {target}
    outbound = {canonical(url): links for url, links in graph.items()}
    naming = {canonical(url): cited for url, cited in (named or {}).items()}
    previous = _fewest_names(start, allowed, outbound, naming)
    if target not in previous:
        return [Step(start, None), Step(target, None)]
    steps = [previous[target][1]]
    url = previous[target][0]
    while url != start:
        source, step = previous[url]
        steps.append(step)
        url = source
    steps.append(Step(start, None))
    return steps[::-1]


# --- the chain of one quote, on plain data ---------------------------------------------

DateKind = Literal["sent", "dated", "published", "captured"]
Via = Literal["link", "named", "matched", "within"]
HopKind = Literal["article", "citation", "source_document", "origin_unit", "earliest_appearance"]


@dataclass(frozen=True)
class UnitInfo:
    """The unit of a document the quote was found in, as its source records it."""

    kind: str
    label: str | None
    author: str | None
    date: str | None
    subject: str | None = None
    forwarded_by: str | None = None
    forwarded_at: str | None = None


@dataclass(frozen=True)
class Appearance:
    """One document version where the quote stands, matched above the threshold."""

    url: str
    title: str
    role: Role
    published_at: str | None
    fetched_at: str  # the capture time: the date of last resort, marked as such
    version: int
    latest_version: int  # a quote only in an older version names that version
    sha256: str
    link: str  # a deep link that opens this version at the quote
    verdict: str  # how this document reproduces the source's words
    matched_text: str
    unit: UnitInfo
    speaker: str | None = None  # who this document says spoke
    claimed_date: str | None = None
    flags: tuple[str, ...] = ()  # attribution checks against the origin unit
    new: bool = False  # first captured in the latest crawl
    whole: bool = True  # prints the whole quote, not a part of it: the chain may pass here
    cite: str | None = None  # a filing's pin cite of the passage: "Compl. ¶ 7, ECF No. 1 at 2"

    @property
    def current(self) -> bool:
        return self.version == self.latest_version

    @property
    def date(self) -> tuple[str, DateKind]:
        """When the words stood here: a primary unit's own date, else publication, else
        the capture time."""
        if self.role == "primary" and self.unit.date:
            return self.unit.date, "sent" if self.unit.kind == "email" else "dated"
        return self.document_date

    @property
    def document_date(self) -> tuple[str, DateKind]:
        if self.published_at:
            return self.published_at, "published"
        return self.fetched_at, "captured"


@dataclass(frozen=True)
class ChainHop:
    """One step of the chain: the document (or, last, the origin unit) and how the step
    above reached it: a link, a source it names without linking, or matching alone."""

    kind: HopKind
    appearance: Appearance
    via: Via | None  # None for the first hop
    anchor_text: str | None = None  # the link's text, or the sentence naming the source

    @property
    def date(self) -> tuple[str, DateKind]:
        unit_hop = self.kind in ("origin_unit", "earliest_appearance")
        return self.appearance.date if unit_hop else self.appearance.document_date


@dataclass(frozen=True)
class Chain:
    """A quote's chain of citation, its origin, and every appearance in date order."""

    quote: str
    hops: tuple[ChainHop, ...]  # the article in hand first, the origin unit last
    origin: Appearance | None  # the earliest primary unit holding it, if any holds it
    earliest: Appearance | None  # the earliest known appearance, origin or not
    appearances: tuple[Appearance, ...]
    misattributed_at: int | None  # index into hops where a wrong speaker first enters


def _by_date(appearance: Appearance) -> tuple[WrittenAt, str, str]:
    """Appearances in the order they were written; on the same date, the one captured
    first (a copy is captured after the page it copies, as a rule), then by URL."""
    unit = appearance.unit
    written = (
        written_order(unit)
        if appearance.role == "primary" and unit.date
        else in_time_order(appearance.date[0])
    )
    return written, appearance.fetched_at, appearance.url


def origin_of(appearances: Sequence[Appearance]) -> Appearance | None:
    """The earliest primary unit holding the quote; None when no primary unit holds it."""
    primary = [a for a in appearances if a.role == "primary"]
    return min(primary, key=_by_date) if primary else None


def _path(
    start: str,
    target: str,
    links: Mapping[str, Sequence[Link]],
    named: Mapping[str, Sequence[Link]],
    dates: Mapping[str, str],
) -> list[Step]:
    """Citations from start through carriers to target; failing that, to the earliest
    carrier the citations reach, then one unlinked step to target. Cycles end at a seen
    page."""
    steps = citation_path(start, target, links, set(dates), named)
    if len(steps) > 2 or steps[-1].via is not None or len(steps) == 1:
        return steps
    reached = {start: [Step(start, None)]}
    queue = deque([start])
    while queue:
        url = queue.popleft()
        if len(reached[url]) > MAX_HOPS:
            continue
        for step in _cited(url, links, named):
            if step.url in dates and step.url not in reached and step.url != target:
                reached[step.url] = [*reached[url], step]
                queue.append(step.url)
    last = min(reached, key=lambda url: (url == start, in_time_order(dates.get(url)), url))
    return [*reached[last], Step(target, None)]


def _step_to(step: Step, first: bool) -> tuple[Via | None, str | None]:
    """How the page above reached this step, and the words it did it with."""
    if first:
        return None, None
    if step.via is None:
        return "matched", None
    return "named" if step.named else "link", step.via.anchor_text


def pick_start(
    appearances: Sequence[Appearance],
    target: Appearance,
    links: Mapping[str, Sequence[Link]],
    named: Mapping[str, Sequence[Link]],
) -> Appearance:
    """The article in hand when none is given: the newest secondary appearance that cites
    its way (by links or by name) to the target; else the newest secondary one."""
    secondary = sorted((a for a in appearances if a.role == "secondary"), key=_by_date)
    dates = {canonical(a.url): a.date[0] for a in appearances}
    for appearance in reversed(secondary):
        steps = _path(canonical(appearance.url), canonical(target.url), links, named, dates)
        if _step_to(steps[-1], len(steps) == 1)[0] != "matched":
            return appearance
    return secondary[-1] if secondary else target


def build_chain(
    quote: str,
    appearances: Sequence[Appearance],
    *,
    links: Mapping[str, Sequence[Link]],
    named: Mapping[str, Sequence[Link]],
    start: str | None = None,
) -> Chain:
    """The chain from `start` (or the article `pick_start` chooses) to the origin unit, or
    to the earliest known appearance when no primary unit holds the quote."""
    ordered = sorted(appearances, key=_by_date)
    if not ordered:
        return Chain(quote, (), None, None, (), None)
    origin = origin_of(ordered)
    # Without an origin, the chain ends at the earliest page printing the words, not one
    # that only rewords them (unless every appearance does).
    earliest = next((a for a in ordered if a.whole and a.verdict != "paraphrase"), ordered[0])
    target = origin or earliest
    by_url = {canonical(a.url): a for a in ordered}
    links = {canonical(url): out for url, out in links.items()}
    named = {canonical(url): out for url, out in named.items()}
    first = by_url.get(canonical(start)) if start else pick_start(ordered, target, links, named)
    if first is None:
        raise ValueError(f"{start} is not an appearance of the quote")
    ends = (canonical(first.url), canonical(target.url))
    dates = {url: a.date[0] for url, a in by_url.items() if a.whole or url in ends}
    steps = _path(*ends, links, named, dates)
    hops: list[ChainHop] = []
    for index, step in enumerate(steps):
        via, anchor = _step_to(step, index == 0)
        last = index == len(steps) - 1
        kind: HopKind = "article" if index == 0 else "citation"
        if last and origin:
            kind = "source_document"
        elif last:
            kind = "earliest_appearance"
        hops.append(ChainHop(kind, by_url[step.url], via, anchor))
    if origin:
        hops.append(ChainHop("origin_unit", origin, "within"))
    entered = next(
        (i for i in range(len(hops) - 1, -1, -1) if "misattributed" in hops[i].appearance.flags),
        None,
    )
    return Chain(quote, tuple(hops), origin, earliest, tuple(ordered), entered)
