"""What the listers (feed, sitemap, courtlistener) share: the links they hand the crawl loop."""

from __future__ import annotations

from collections.abc import Iterable

from provenance.urls import stored_url, without_tracking


def http_links(urls: Iterable[str]) -> list[str]:
    """The http(s) URLs among URLS in the form they are stored under (stored_url: no
    fragment, scheme and host in lower case; no tracking parameters, without_tracking: a
    feed's utm_source=rss copy of a page is the page), each once, in order: a feed may name
    javascript:, file: or mailto: links, and those are never fetched. A malformed URL
    (http://[oops/) is listed, so the crawl loop reports it rather than dropping it."""
    found: dict[str, None] = {}
    for url in urls:
        url = without_tracking(stored_url(url.strip()))
        if url.startswith(("http://", "https://")):
            found.setdefault(url)
    return list(found)
