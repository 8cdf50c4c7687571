"""Posts on openai.com that publish email threads: "OpenAI and Elon Musk" (2024-03-05) and
"Elon Musk wanted an OpenAI for-profit" (2024-12-13).

Notes:
  The post is narrative (OpenAI's words) with emails set apart, each in one element (a
  box, a footnote, a block quote) opening with From/To/Date/Subject lines, one paragraph
  per header or joined by <br>, addresses emptied ("<>"). A forwarded message sits inside
  the forwarding one under "---------- Forwarded message ---------" and has its own
  sender and date, so it is its own unit, with forwarded_by/forwarded_at naming the
  forwarder; a reply's quoted part (">" lines or a <blockquote> under "On … wrote:") is
  the earlier writer's. Redacted names appear as [redacted] and stay REDACTED, never guessed: as
  published on 2024-03-05 the email Musk forwarded on 2018-02-01 has its sender redacted.
  The post was later edited, so versions matter. Each email is assumed to have an element
  of its own: headers and body as loose paragraphs among the narrative are not grouped.
  The 2024-12-13 post is a timeline by year: emails in figures with each header in its own
  row ("From:" label and value in spans) and dates like "February 1, 2018 3:52 AM", and
  text-message threads ("[Sep 22, 2017, 10:56 AM] Name: words", a row each), a unit per
  text, sent to the thread's other participants.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bs4 import Tag

from crawlers import _email, _html, _replies
from crawlers._text import TextBuilder
from provenance.errors import ParseError
from provenance.models import Document, Role, Unit

KIND = "openai_emails"
ROLE: Role = "primary"
PRIORITY = 30


def recognises(content: bytes, *, url: str, content_type: str | None) -> bool:
    """HTML holding an email thread: two header blocks, or one on openai.com."""
    if not _html.looks_like_html(content, url=url, content_type=content_type):
        return False
    try:
        soup = _html.soup_of(content, url=url)
    except ParseError:
        return False
    blocks = _email.count_header_blocks(_html.text_of(_html.main_content(soup)))
    return blocks >= (1 if _is_openai(url) else 2)


def parse(content: bytes, *, url: str, base: str | None = None) -> Document:
    soup = _html.soup_of(content, url=url)
    meta = _html.metadata(soup)
    publisher = meta.publisher or ("OpenAI" if _is_openai(url) else None)
    author = meta.author or publisher
    main = _html.main_content(soup)
    builder = TextBuilder()
    emails = 0
    for block in _html.blocks(main, whole=_is_set_apart, quoting=True):
        if block.kind != "whole":
            builder.add(block.text, Unit(block.kind, 0, 0, author, meta.published_at))
            continue
        preamble, texts = _replies.split_texts(block.text)
        if texts:
            builder.add(preamble, Unit("paragraph", 0, 0, author, meta.published_at))
            for text, unit in _replies.text_units(texts):
                builder.add(text, unit)
            emails += len(texts)
            continue
        preamble, messages = _email.parse_thread(block.text)
        builder.add(preamble, Unit("paragraph", 0, 0, author, meta.published_at))
        for message in _replies.unfold(messages):
            builder.add(message.text, message.unit())
        emails += len(messages)
    if emails == 0:
        raise ParseError("no email header blocks (From:/Date:/Subject:) found", url=url)
    return Document(
        url=url,
        crawler=KIND,
        role=ROLE,
        title=meta.title or url,
        text=builder.text,
        units=tuple(builder.units),
        links=_html.links(main, base=_html.base_url(soup, base or url)),
        author=author,
        publisher=publisher,
        published_at=meta.published_at,
    )


def _is_set_apart(tag: Tag) -> bool:
    """An element holding emails only, or a text-message thread only."""
    if tag.find(_html.HEADINGS) is not None:
        return False
    return _is_email(tag) or bool(_replies.split_texts(_html.text_of(tag))[1])


def _is_email(tag: Tag) -> bool:
    """An element holding emails only: its text opens with a header block and it has no
    headings (a section that opens with an email and goes on with narrative has some)."""
    if "from" not in tag.get_text().lower() or tag.find(_html.HEADINGS) is not None:
        return False
    return _email.starts_with_headers(_html.text_of(tag))


def _is_openai(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host == "openai.com" or host.endswith(".openai.com")
