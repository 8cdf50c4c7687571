"""What the listers (feed, sitemap, courtlistener) share: the links they hand the crawl loop."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urldefrag


def http_links(urls: Iterable[str]) -> list[str]:
    """The http(s) URLs among URLS, without fragments, each once, in order: a feed may name
    javascript:, file: or mailto: links, and those are never fetched."""
    found: dict[str, None] = {}
    for url in urls:
        url = urldefrag(url.strip()).url
        if url.startswith(("http://", "https://")):
            found.setdefault(url)
    return list(found)
