"""News and blog pages: the fallback for any HTML no more specific crawler recognises.

Notes:
  Metadata comes from wherever the site put it: Open Graph and article:* meta tags,
  JSON-LD (sometimes inside an @graph, authors as a list of Person objects), an <h1>, a
  <time datetime>, a byline. article:author is often a profile URL, not a name, and is
  skipped then. The main content is the <article> (the longest, as teaser cards are
  <article>s too), else <main>, else <body>; nav, header, footer and aside are chrome.
  Each paragraph, block quote and heading is a unit, written by the article's author.
"""

from __future__ import annotations

from crawlers import _html
from crawlers._text import TextBuilder
from provenance.errors import ParseError
from provenance.models import Document, Role, Unit

KIND = "article"
ROLE: Role = "secondary"
PRIORITY = 90


def recognises(content: bytes, *, url: str, content_type: str | None) -> bool:
    return _html.looks_like_html(content, url=url, content_type=content_type)


def parse(content: bytes, *, url: str) -> Document:
    soup = _html.soup_of(content, url=url)
    meta = _html.metadata(soup)
    main = _html.main_content(soup)
    builder = TextBuilder()
    for block in _html.blocks(main):
        builder.add(block.text, Unit(block.kind, 0, 0, meta.author, meta.published_at))
    if not builder.units:
        raise ParseError("no text found in the page", url=url)
    return Document(
        url=url,
        crawler=KIND,
        role=ROLE,
        title=meta.title or url,
        text=builder.text,
        units=tuple(builder.units),
        links=_html.links(main, base=_html.base_url(soup, url)),
        author=meta.author,
        publisher=meta.publisher,
        published_at=meta.published_at,
    )
