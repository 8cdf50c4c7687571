"""News and blog pages: the fallback for any HTML no more specific crawler recognises.

Notes:
  Metadata comes from wherever the site put it: Open Graph and article:* meta tags, JSON-LD
  (sometimes inside an @graph, authors as a list of Person objects), an <h1>, a <time
  datetime>, a byline; trafilatura's reading of the page fills what those leave empty. The
  publication date is an itemprop="datePublished" (<time> or <meta>), else the first <time
  datetime> not marked as an update (itemprop="dateModified", class "updated", or
  "Updated"/"Last modified" just before it, or before the <span> it opens: such a time is
  the update date), never trafilatura's date when that is the day of the update.
  article:author is often a profile URL, not a name, and is skipped then. The raw JSON-LD,
  the og:/article: meta tags, the <link rel="canonical"> (the address the page claims as
  its own) and <link rel="amphtml"> (its AMP edition's) are kept as the document's
  metadata, as evidence: normalisers guess, and who wrote a page and when is itself a
  claim. The language is the one the page declares (<html
  lang>, og:locale, Content-Language); nothing is guessed. The main content is the
  <article> (the longest, as teaser cards are <article>s too), else <main>, else <body>;
  nav, header, footer and aside are chrome. Each paragraph, block quote and heading is a
  unit, written by the article's author, unless trafilatura (favouring recall) leaves it
  out of the main text: paywall notices, newsletter boxes, tag lists and photo credits are
  boilerplate, not the article's words; so are elements named as a paywall, newsletter or
  subscription box, which trafilatura may keep; so is a reader comments section
  (WordPress's #comments, .comment-list, Disqus): its words are readers', and a commenter's
  "she told us “…”" is no quote the article prints. When trafilatura finds no main text at
  all, every block is kept. The links are those of the blocks kept (and of a link around
  one), in page order: a share bar, a related-stories box, a "more from this section" list
  or an author bio left out of the text gives no citations either. A link's tracking
  parameters (utm_*, fbclid, gclid, mc_cid, mc_eid) are dropped: a newsletter's or a
  share's copy of a link cites the same page. A <figure> around a <blockquote> is a pull
  quote, kept though trafilatura drops figures as media, and its <figcaption> ("— Jane Roe,
  chief executive") with it, as the paragraph crediting it; so is a <footer> or <cite>
  closing a <blockquote> ("Jane Roe, May 9"), a paragraph after the quote, not its words,
  kept with it. An <article> nested in the main
  one is an entry of it (a live blog's post, a comment): its units are dated by its own
  <time datetime>, not the page's.
"""

from __future__ import annotations

import re
import unicodedata

import trafilatura
from bs4 import BeautifulSoup, Tag
from bs4.element import PageElement

from crawlers import _html
from crawlers._dates import iso_date
from crawlers._text import TextBuilder
from provenance import urls
from provenance.errors import ParseError
from provenance.models import Document, Role, Unit

KIND = "article"
ROLE: Role = "secondary"
PRIORITY = 90

_EVIDENCE_PREFIXES = ("og:", "article:")
_BOILERPLATE = re.compile(r"paywall|newsletter|subscri|regwall|piano-", re.IGNORECASE)
# A comments section's names: comments, comment-list, comments-area, comment-body,
# disqus_thread; not "commentary" or "comment-is-free", a column's name.
_COMMENTS = re.compile(
    r"comments?(?:[-_](?:area|list|section|body|content|respond|wrap\w*))?|disqus_thread"
)
_COMPARED = 60  # characters of a block looked for in trafilatura's text
# A reference to a character XML forbids (a C0 control but tab, newline and return; DEL):
# lxml, under trafilatura, refuses such a character in a heading's text, which lost the page.
_FORBIDDEN_REFERENCE = re.compile(
    rb"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])(?![0-9a-fA-F])"
    rb"|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]|127)(?![0-9]));?"
)


def recognises(content: bytes, *, url: str, content_type: str | None) -> bool:
    return _html.looks_like_html(content, url=url, content_type=content_type)


def parse(content: bytes, *, url: str, base: str | None = None) -> Document:
    soup = _html.soup_of(content, url=url)
    meta = _html.metadata(soup)
    readable = _FORBIDDEN_REFERENCE.sub(b"", content)
    found = trafilatura.extract_metadata(readable, default_url=url)
    author = meta.author or (found.author if found else None)
    updated = _updated(soup)
    published = meta.published_at or _unless_updated(
        iso_date(found.date if found else None), updated
    )
    main_text = _squash(trafilatura.extract(readable, url=url, favor_recall=True) or "")
    main = _html.main_content(soup)
    for box in main.find_all(_is_boilerplate):
        box.decompose()
    builder = TextBuilder()
    kept: list[PageElement] = []
    quote: PageElement | None = None  # the block quote last kept, whose credit goes with it
    for block in _html.blocks(main):
        holders = _holders(block, main)
        in_main = (
            any(map(_sets_quote_apart, holders))
            or _squash(block.text)[:_COMPARED] in main_text
            or (block.within is not None and block.within is quote)
        )
        if main_text and not in_main:
            continue
        quote = block.nodes[0] if block.kind == "blockquote" else None
        date = _entry_time(holders) or published
        builder.add(block.text, Unit(block.kind, 0, 0, author, date))
        kept.extend([*(tag for tag in holders if tag.name == "a"), *block.nodes])
    if not builder.units:
        raise ParseError("no text found in the page", url=url)
    return Document(
        url=url,
        crawler=KIND,
        role=ROLE,
        title=meta.title or (found.title if found else None) or url,
        text=builder.text,
        units=tuple(builder.units),
        links=_html.links(*kept, base=_html.base_url(soup, base or url)),
        author=author,
        publisher=meta.publisher or (found.sitename if found else None),
        published_at=published,
        updated_at=updated,
        language=_language(soup),
        metadata=_evidence(soup),
    )


def _is_boilerplate(tag: Tag) -> bool:
    """A paywall, subscription or newsletter box or a reader comments section, by the
    names sites give them."""
    names = f"{tag.get('class') or ''} {tag.get('id') or ''}"
    if tag.has_attr("data-paywall") or _BOILERPLATE.search(names) is not None:
        return True
    tokens = [*tag.get_attribute_list("class"), *tag.get_attribute_list("id")]
    return any(isinstance(t, str) and _COMMENTS.fullmatch(t.lower()) for t in tokens)


def _holders(block: _html.Block, main: Tag) -> list[Tag]:
    """The elements a block sits in, innermost first, below the main content."""
    holders: list[Tag] = []
    tag = block.within
    while tag is not None and tag is not main:
        holders.append(tag)
        tag = tag.parent
    return holders


def _entry_time(holders: list[Tag]) -> str | None:
    """The time of the entry a block is part of: the <time datetime> of the innermost
    <article> holding it below the main content (a live blog's post, a comment)."""
    entry = next((tag for tag in holders if tag.name == "article"), None)
    return _html.time_in(entry) if entry is not None else None


def _sets_quote_apart(tag: Tag) -> bool:
    """A <figure> around a <blockquote>: a pull quote, its <figcaption> the credit."""
    return tag.name == "figure" and tag.find("blockquote") is not None


def _squash(text: str) -> str:
    """The text less its spaces and control characters, which trafilatura drops: a block
    holding one was not found in its main text, and was left out of the page."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cc")


def _updated(soup: BeautifulSoup) -> str | None:
    """When the page was last changed: meta tags, JSON-LD, else a <time> marked an update."""
    modified = _html.meta_content(soup, "article:modified_time", "og:updated_time")
    ld = [o.get("dateModified") for o in _html.json_ld(soup) if isinstance(o, dict)]
    return (
        iso_date(modified)
        or next((iso_date(v) for v in ld if isinstance(v, str)), None)
        or next(iter(_html.update_times(soup)), None)
    )


def _unless_updated(date: str | None, updated: str | None) -> str | None:
    """DATE (trafilatura's), unless it is the day the page was UPDATED: a page dated only
    "Updated 2 March" gives trafilatura that day, which is no publication date."""
    return None if date and updated and updated[:10] == date[:10] else date


def _language(soup: BeautifulSoup) -> str | None:
    html = soup.find("html")
    declared = html.get("lang") if html is not None else None
    if not isinstance(declared, str) or not declared.strip():
        declared = _html.meta_content(soup, "og:locale", "content-language")
    for tag in soup.find_all("meta"):
        if declared or str(tag.get("http-equiv", "")).lower() != "content-language":
            continue
        content = tag.get("content")
        declared = content if isinstance(content, str) else None
    return declared.strip().replace("_", "-") if declared and declared.strip() else None


def _evidence(soup: BeautifulSoup) -> tuple[tuple[str, str], ...]:
    """The raw JSON-LD scripts, og:/article: meta tags and the <link rel="canonical"> and
    <link rel="amphtml"> (their hrefs as written), in page order."""
    found: list[tuple[str, str]] = []
    for tag in soup.find_all(["script", "meta", "link"]):
        if tag.name == "script" and tag.get("type") == "application/ld+json":
            found.append(("json-ld", tag.get_text().strip()))
        elif tag.name == "link":
            href = tag.get("href")
            rels = {rel.lower() for rel in tag.get_attribute_list("rel")}
            if isinstance(href, str) and href.strip():
                found.extend((rel, href.strip()) for rel in sorted(urls.ADDRESS_RELS & rels))
        elif tag.name == "meta":
            key = tag.get("property") or tag.get("name")
            content = tag.get("content")
            if (
                isinstance(key, str)
                and key.startswith(_EVIDENCE_PREFIXES)
                and isinstance(content, str)
            ):
                found.append((key, content))
    return tuple(found)
