"""HTML helpers shared by the HTML crawlers: parsing, page metadata, main content, blocks,
text and links.

Text follows the browser, not the source: runs of whitespace are one space, <br> is a line
break, and block elements are separated by a blank line. Page chrome (nav, header, footer,
aside, forms, scripts, a .byline) is never part of a document's text or links.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PageElement, PreformattedString

from crawlers._charset import HTML_TYPES
from crawlers._dates import iso_date
from crawlers._sniff import UTF16_BOMS, begins_as_html
from crawlers._text import clean
from provenance.errors import ParseError
from provenance.models import Link
from provenance.urls import without_tracking

_CHROME = frozenset({"nav", "header", "footer", "aside", "form", "button", "select", "textarea"})
_NOT_TEXT = frozenset({"head", "title", "meta", "link", "script", "style", "noscript", "template"})
SKIP = _CHROME | _NOT_TEXT | {"svg", "iframe"}
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PARAGRAPHS = frozenset({"p", "pre", "li", "dt", "dd", "figcaption", "td", "th", "address"})
LEAVES = HEADINGS | _PARAGRAPHS | {"blockquote"}
_SECTIONS = frozenset({"html", "body", "article", "main", "section", "div", "center", "hr"})
_LISTS = frozenset({"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr"})
CONTAINERS = _SECTIONS | _LISTS | {"figure", "details", "summary"}
_BLOCKS = LEAVES | CONTAINERS
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_BLANK_RUNS = re.compile(r"\n{3,}")
_BY = re.compile(r"^by\s+", re.IGNORECASE)
_UPDATE_NAME = re.compile(r"updated|modified", re.IGNORECASE)  # class="updated", dateModified
# "Updated", "Last modified on", "Aktualisiert am", "Mis à jour le" just before a <time>.
_UPDATED = re.compile(
    r"\b(?:updated|modified|edited|revised|aktualisiert|mise? à jour)[\s:,]*(?:on|at|am|le)?\s*$",
    re.IGNORECASE,
)
_INLINE = frozenset({"span", "small", "em", "strong", "b", "i", "a"})  # a <time>'s wrappers
_BYLINE_END = re.compile(r"\s+[·•|—–-]\s+|\s*[·•|—–]\s*$")  # "Per Dahl · May 9" or "Per Dahl |"


@dataclass(frozen=True)
class Block:
    """A run of a page's text: "paragraph", "heading", "blockquote", or "whole" for an
    element a caller asked to keep in one piece; `within` is the element it was found in,
    `nodes` the elements and strings its text was read from (for its links)."""

    kind: str
    text: str
    within: Tag | None = field(default=None, compare=False)
    nodes: tuple[PageElement, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Metadata:
    title: str | None
    author: str | None
    publisher: str | None
    published_at: str | None


def looks_like_html(content: bytes, *, url: str, content_type: str | None) -> bool:
    """HTML by content type; without a useful one, by the URL's extension or the bytes;
    labelled text/plain, by how the bytes begin (some servers label every file so)."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in HTML_TYPES:
        return True
    if kind == "text/plain":
        return begins_as_html(content)
    if kind and kind != "application/octet-stream":
        return False
    if urlsplit(url).path.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    return begins_as_html(content) or b"<body" in content[:2048].lower()


def soup_of(content: bytes | str, *, url: str) -> BeautifulSoup:
    """The parsed page; ParseError when the content holds no markup at all."""
    soup = BeautifulSoup(_without_nuls(content), "html.parser")
    if soup.find() is None:
        raise ParseError("no HTML markup found", url=url)
    return soup


def _without_nuls(content: bytes | str) -> bytes | str:
    """The page less its stray NULs (see _sniff.binary_kind), which the HTML standard
    drops from text; left in, one cut its paragraph out of the page. UTF-16 bytes, half
    NULs by their encoding, are left for the parser to decode."""
    if isinstance(content, str):
        return content.replace("\x00", "")
    return content if content.startswith(UTF16_BOMS) else content.replace(b"\x00", b"")


def metadata(soup: BeautifulSoup) -> Metadata:
    """Title, author, publisher and publication date, from meta tags, JSON-LD and markup."""
    objects = json_ld(soup)
    ld = _ld_article(objects)
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    h1 = soup.find("h1")
    title_tag = soup.find("title")
    title = _first(
        meta_content(soup, "og:title", "twitter:title"),
        _ld_text(ld.get("headline")),
        text_of(h1) if h1 is not None else None,
        text_of(title_tag) if title_tag is not None else None,
    )
    author = _first(
        meta_content(soup, "author"),
        _not_url(meta_content(soup, "article:author")),
        _ld_name(ld.get("author"), by_id),
        _byline(soup),
    )
    publisher = _first(meta_content(soup, "og:site_name"), _ld_name(ld.get("publisher"), by_id))
    published = _first(
        iso_date(meta_content(soup, "article:published_time")),
        iso_date(_ld_text(ld.get("datePublished"))),
        time_in(soup),
    )
    return Metadata(title=title, author=author, publisher=publisher, published_at=published)


def meta_content(soup: BeautifulSoup, *keys: str) -> str | None:
    """The content of the first <meta property=KEY> or <meta name=KEY> that has one."""
    for key in keys:
        for attribute in ("property", "name"):
            tag = soup.find("meta", attrs={attribute: key})
            if tag is not None:
                value = _attr(tag, "content")
                if value:
                    return value
    return None


def json_ld(soup: BeautifulSoup) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, @graph members included; bad JSON is skipped."""
    objects: list[dict[str, Any]] = []
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.get_text())
        except json.JSONDecodeError:
            continue
        pending = data if isinstance(data, list) else [data]
        while pending:
            item = pending.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    pending.extend(graph)
    return objects


def main_content(soup: BeautifulSoup) -> Tag:
    """The longest <article>, else <main>, else <body>, else the whole page."""
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda tag: len(tag.get_text()))
    return soup.find("main") or soup.find("body") or soup


def blocks(
    root: Tag, *, whole: Callable[[Tag], bool] | None = None, quoting: bool = False
) -> Iterator[Block]:
    """The blocks of ROOT in page order, skipping chrome. Elements for which WHOLE is true
    come out as one "whole" block instead of being split (with QUOTING, see text_of). A
    <blockquote>'s closing credit (_credit) is a paragraph after it, `within` the quote."""
    run: list[PageElement] = []
    for child in root.children:
        if isinstance(child, PreformattedString):
            continue
        if isinstance(child, NavigableString):
            run.append(child)
            continue
        if not isinstance(child, Tag) or _is_chrome(child):
            continue
        nested = child.find(_BLOCKS) is not None
        if child.name not in _BLOCKS and not nested:
            run.append(child)
            continue
        if run:
            yield Block("paragraph", _text(run), root, tuple(run))
            run = []
        if whole is not None and whole(child):
            yield Block("whole", text_of(child, quoting=quoting), root, (child,))
        elif child.name == "blockquote" and (credit := _credit(child)) is not None:
            words = (node for node in child.children if node is not credit)
            yield Block("blockquote", _text(words), root, (child,))
            yield Block("paragraph", _text(credit.children), child, (credit,))
        elif child.name in LEAVES or not nested:
            yield Block(_kind(child.name), text_of(child), root, (child,))
        else:
            yield from blocks(child, whole=whole, quoting=quoting)
    if run:
        yield Block("paragraph", _text(run), root, tuple(run))


def _credit(quote: Tag) -> Tag | None:
    """The <footer> or <cite> closing a <blockquote>, naming who said it ("Jane Roe, May 9"):
    the quote's credit, none of its words."""
    last = next((c for c in reversed(quote.contents) if not _blank(c)), None)
    return last if isinstance(last, Tag) and last.name in ("footer", "cite") else None


def _blank(node: PageElement) -> bool:
    """Whether a node is only whitespace between elements."""
    return isinstance(node, NavigableString) and not node.strip()


def text_of(element: Tag, *, quoting: bool = False) -> str:
    """The text of an element as a browser lays it out (see the module docstring); with
    QUOTING, the lines of a <blockquote> inside it begin with ">" as a plain-text email
    quotes them (the element itself may be a block quote that sets an email apart)."""
    return _text(element.children if quoting else [element], quoting=quoting)


def html_text(markup: str) -> str:
    """The text of an HTML fragment or page (an email's HTML part), markup or not, its
    block quotes (a reply's quoted message) marked with ">"."""
    return text_of(BeautifulSoup(markup, "html.parser"), quoting=True)


def links(*roots: PageElement, base: str) -> tuple[Link, ...]:
    """Links out of ROOTS (elements, or a block's nodes), absolute, without fragment and
    tracking parameters (urls.without_tracking), with anchor text, in page order, each
    (url, text) once; links to the page itself, mailto and other non-http links and links
    inside chrome are skipped."""
    found: dict[tuple[str, str], Link] = {}
    page = without_tracking(urldefrag(base).url)
    for anchor in _anchors(roots):
        href = (_attr(anchor, "href") or "").strip()
        if not href or href.startswith("#"):
            continue
        try:
            url = without_tracking(urldefrag(urljoin(base, href)).url)
            scheme = urlsplit(url).scheme
        except ValueError:  # a malformed href (http://[oops/) costs only that link
            continue
        if url == page or scheme not in ("http", "https"):
            continue
        link = Link(url=url, anchor_text=" ".join(anchor.get_text(" ").split()))
        found.setdefault((link.url, link.anchor_text), link)
    return tuple(found.values())


def _anchors(roots: Iterable[PageElement]) -> Iterator[Tag]:
    """The <a> elements that are ROOTS or inside them, in page order, none inside chrome."""
    for root in roots:
        if not isinstance(root, Tag):
            continue
        if root.name == "a":
            yield root
        yield from (a for a in root.find_all("a") if not _in_chrome(a, root))


def base_url(soup: BeautifulSoup, url: str) -> str:
    """The URL relative links resolve against: <base href> if there is one, else URL."""
    base = soup.find("base")
    href = _attr(base, "href") if base is not None else None
    try:
        return urljoin(url, href) if href else url
    except ValueError:  # a malformed <base href> is ignored, as browsers do
        return url


def _text(nodes: Iterable[PageElement], *, quoting: bool = False) -> str:
    parts: list[str] = []
    for node in nodes:
        _collect(node, parts, pre=False, quoting=quoting)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def _collect(node: PageElement, parts: list[str], *, pre: bool, quoting: bool) -> None:
    if isinstance(node, PreformattedString):
        return
    if isinstance(node, NavigableString):
        parts.append(str(node) if pre else _WHITESPACE.sub(" ", str(node)))
        return
    if not isinstance(node, Tag) or _is_chrome(node):
        return
    if node.name == "br":
        parts.append("\n")
        return
    if quoting and node.name == "blockquote":
        quoted = _text(node.children, quoting=True).split("\n")
        parts.append("\n\n" + "\n".join(f"> {line}".rstrip() for line in quoted) + "\n\n")
        return
    block = node.name in _BLOCKS
    if block:
        parts.append("\n\n")
    for child in node.children:
        _collect(child, parts, pre=pre or node.name == "pre", quoting=quoting)
    if block:
        parts.append("\n\n")


def _kind(name: str) -> str:
    if name in HEADINGS:
        return "heading"
    return "blockquote" if name == "blockquote" else "paragraph"


def _is_chrome(tag: Tag) -> bool:
    """Page furniture: SKIP elements, and a byline set inside the story."""
    return tag.name in SKIP or "byline" in tag.get_attribute_list("class")


def _in_chrome(tag: Tag, root: Tag) -> bool:
    for parent in tag.parents:
        if parent is root:
            return False
        if _is_chrome(parent):
            return True
    return False


def _attr(tag: Tag, name: str) -> str | None:
    value = tag.get(name)
    if isinstance(value, list):
        value = " ".join(value)
    return value.strip() if value else None


def _first(*values: str | None) -> str | None:
    return next((v for v in values if v), None)


def _ld_article(objects: list[dict[str, Any]]) -> dict[str, Any]:
    return next((o for o in objects if "headline" in o or "datePublished" in o), {})


def _ld_text(value: object) -> str | None:
    return clean(value) or None if isinstance(value, str) else None


def _ld_name(value: object, by_id: dict[str, dict[str, Any]]) -> str | None:
    """A JSON-LD person or organisation (or a list of them) as names joined by ", ";
    {"@id": ...} references (Yoast's @graph) are looked up."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict) and "name" not in item:
            item = by_id.get(str(item.get("@id")), item)
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and clean(name) and not _is_url(name):
            names.append(clean(name))
    return ", ".join(names) or None


def _byline(soup: BeautifulSoup) -> str | None:
    """The names a byline gives: "By Per Dahl · May 9, 2024" is Per Dahl, its <time> and
    whatever follows a separator left out."""
    tag = soup.select_one('[rel~="author"], [itemprop="author"], .byline, .author')
    if tag is None:
        return None
    words = " ".join(s for s in tag.find_all(string=True) if s.find_parent("time") is None)
    text = _BYLINE_END.split(_BY.sub("", " ".join(words.split())), maxsplit=1)[0].strip()
    return text if 0 < len(text) <= 80 else None


def time_in(root: Tag) -> str | None:
    """When ROOT was published, as ISO 8601: its itemprop="datePublished" (a <time> or a
    <meta>), else its first <time datetime> that is not an update's (see _is_update)."""
    stated = root.find(True, attrs={"itemprop": "datePublished"})
    if stated is not None and (
        date := iso_date(_attr(stated, "datetime") or _attr(stated, "content"))
    ):
        return date
    return next(iter(_times(root, updates=False)), None)


def update_times(root: Tag) -> list[str]:
    """The <time datetime>s in ROOT that say when it was updated, as ISO 8601."""
    return _times(root, updates=True)


def _times(root: Tag, *, updates: bool) -> list[str]:
    """The <time datetime>s in ROOT that are (UPDATES) or are not an update's, as ISO 8601."""
    tags = root.find_all("time", attrs={"datetime": True})
    found = (iso_date(_attr(tag, "datetime")) for tag in tags if _is_update(tag) == updates)
    return [date for date in found if date]


def _is_update(time: Tag) -> bool:
    """A <time> of a page's last change, not its publication: itemprop="dateModified", a
    class naming an update (hAtom's and WordPress's "updated"), or "Updated" just before it,
    beside it or, when it opens an inline element of its own, beside that ("<span>Updated
    </span> <span><time>")."""
    names = f"{time.get('class') or ''} {time.get('itemprop') or ''}"
    before = _text_before(time)
    parent = time.parent
    if not before.strip() and isinstance(parent, Tag) and parent.name in _INLINE:
        before = _text_before(parent)
    return _UPDATE_NAME.search(names) is not None or _UPDATED.search(before) is not None


def _text_before(element: Tag) -> str:
    """The text of the nodes before ELEMENT within its parent, in page order."""
    before = [
        node.get_text() if isinstance(node, Tag) else str(node)
        for node in element.previous_siblings
    ]
    return "".join(reversed(before))


def _not_url(value: str | None) -> str | None:
    return None if value is None or _is_url(value) else value


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))
