"""XML sitemaps (sitemaps.org 0.9): a publisher's list of its pages, or of its sitemaps.

Notes:
  A lister: a <urlset> lists pages, a <sitemapindex> lists more sitemaps, which the crawl
  loop fetches in turn (is_listing tells it which URLs those are: by the root they stand
  in, never by how their path ends). News sitemaps carry the
  same <loc> elements inside <url>. The XML is read with ElementTree, which never fetches
  external entities; a DOCTYPE is refused outright, since sitemaps have none and entity
  tricks need one. A sitemap may be a gzip file (sitemap.xml.gz, served as
  application/x-gzip rather than with a Content-Encoding): it is gunzipped here, within
  the protocol's 50 MB and the fetcher's ratio bound, so a small bomb cannot expand.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from functools import lru_cache

from crawlers._decode import MAX_RATIO, DecodeError, decode_body
from crawlers._listing import http_links
from crawlers._sniff import GZIP
from provenance.errors import ParseError

LISTING = "sitemap"
_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MAX_BYTES = 50 * 1024 * 1024  # sitemaps.org: at most 50 MB uncompressed


def is_listing(url: str, *, listing: bytes) -> bool:
    """Whether a URL the listing names is another sitemap: every child of a sitemap index
    is one (sitemaps.org), whatever its path ends in (/sitemaps/news), and a <urlset>
    names pages, even at a URL ending in .xml. The crawl loop asks once per URL it names;
    the listing is parsed again once for all of them (see _is_index)."""
    return _is_index(listing)


@lru_cache(maxsize=1)
def _is_index(listing: bytes) -> bool:
    """Whether the sitemap is a <sitemapindex>: cached for the last listing asked about."""
    return _root(listing, url="").tag == f"{_NS}sitemapindex"


def discover(content: bytes, *, url: str) -> list[str]:
    root = _root(content, url=url)
    return http_links(loc.text or "" for loc in root.iter(f"{_NS}loc"))


def _root(content: bytes, *, url: str) -> ElementTree.Element:
    """The sitemap's root element, gunzipped and checked: a <urlset> or <sitemapindex>."""
    if content.startswith(GZIP):
        try:
            content = decode_body(content, "gzip", max_bytes=MAX_BYTES, max_ratio=MAX_RATIO)
        except DecodeError as error:
            raise ParseError(f"not a gzipped sitemap: {error}", url=url) from error
    if b"<!DOCTYPE" in content[:4096].upper():
        raise ParseError("a sitemap with a DOCTYPE is refused", url=url)
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as error:
        raise ParseError(f"not a sitemap: {error}", url=url) from error
    if root.tag not in (f"{_NS}urlset", f"{_NS}sitemapindex"):
        raise ParseError(f"not a sitemap: the root is <{root.tag}>", url=url)
    return root
