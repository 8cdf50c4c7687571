"""Citation chains on plain data: from the article in hand, through the pages it cites that
carry the quote, back to the document holding the primary unit."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Set
from dataclasses import dataclass
from urllib.parse import urldefrag

from provenance.models import Link

MAX_HOPS = 6


@dataclass(frozen=True)
class Step:
    """One document on the way to the source, and the link that led to it (None for the
    starting article, or where no link leads: an unlinked citation)."""

    url: str
    via: Link | None


def canonical(url: str) -> str:
    """A URL as the link graph compares it: no fragment, no trailing slash on the path."""
    bare = urldefrag(url).url
    return bare[:-1] if bare.endswith("/") and bare.count("/") > 3 else bare


def citation_path(
    start: str,
    target: str,
    graph: Mapping[str, list[Link]],
    carriers: Set[str],
) -> list[Step]:
    """The shortest chain of links from start to target passing only through documents that
    carry the quote. Without one, start then target, the last step unlinked."""
    start, target = canonical(start), canonical(target)
    if start == target:
        return [Step(start, None)]
    allowed = {canonical(url) for url in carriers} | {target}
    outbound = {canonical(url): links for url, links in graph.items()}
    previous: dict[str, tuple[str, Link]] = {}
    queue = deque([(start, 0)])
    seen = {start}
    while queue:
        url, depth = queue.popleft()
        if url == target:
            break
        if depth >= MAX_HOPS:
            continue
        for link in outbound.get(url, []):
            next_url = canonical(link.url)
            if next_url in seen or next_url not in allowed:
                continue
            seen.add(next_url)
            previous[next_url] = (url, link)
            queue.append((next_url, depth + 1))
    if target not in previous:
        return [Step(start, None), Step(target, None)]
    steps = [Step(target, previous[target][1])]
    url = previous[target][0]
    while url != start:
        source, link = previous[url]
        steps.append(Step(url, link))
        url = source
    steps.append(Step(start, None))
    return steps[::-1]
