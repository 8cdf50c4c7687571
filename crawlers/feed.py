"""RSS and Atom feeds of outlets that cover a story: a list of article URLs to crawl.

Notes:
  A lister, not a crawler: the feed itself is not stored, its entries' links are followed
  by the crawl loop. The bytes go to feedparser wrapped in a BytesIO, because feedparser
  fetches a string that looks like a URL or reads one that looks like a path; the feed's
  own URL is passed as Content-Location so relative links resolve. A feed that is not well
  formed still lists what feedparser could read (bozo). feedparser fills `feed` from an
  HTML page's <title> too, so what it finds no RSS or Atom root in (its version is empty)
  and no entries is a ParseError; a valid feed with no entries yet lists nothing. Only
  http(s) links are listed, each once, in feed order.
"""

from __future__ import annotations

import io

import feedparser

from crawlers._listing import http_links
from provenance.errors import ParseError

LISTING = "feed"


def discover(content: bytes, *, url: str) -> list[str]:
    parsed = feedparser.parse(io.BytesIO(content), response_headers={"content-location": url})
    if not parsed.entries and not parsed.get("version"):
        raise ParseError("not an RSS or Atom feed", url=url)
    return http_links(str(entry.get("link", "")) for entry in parsed.entries)
