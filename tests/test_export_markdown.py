"""The Markdown export shows text taken from captures literally: rendered with a real
Markdown parser (markdown-it, CommonMark), no title, quote, name or anchor text becomes
markup, HTML or a link, and only http, https and file URLs are links."""

from __future__ import annotations

import re

from chain_parts import appearance
from markdown_it import MarkdownIt

from provenance.chains import Chain, ChainHop
from provenance.export import markdown

HOSTILE = "Minister's \"reform\" <script>alert('t')</script> *x* [click](javascript:alert(1))\\"
TWO_LINES = "First line\n# Second line"


def hostile_chain() -> Chain:
    source = appearance(
        "https://gov.example/s", HOSTILE, "primary", author="*Jo* <b>Bo</b>", label=HOSTILE
    )
    article = appearance(
        "https://news.example/a",
        TWO_LINES,
        "secondary",
        speaker="_Someone_ & <i>else</i>",
        flags=("misattributed",),
        link="javascript:alert(1)",
    )
    hops = (
        ChainHop("article", article, None),
        ChainHop("source_document", source, "link", "[click](javascript:alert(1))"),
        ChainHop("origin_unit", source, "within"),
    )
    return Chain(HOSTILE, hops, source, source, (source, article), 0)


def test_captured_text_renders_as_the_text_it_is() -> None:
    text = markdown.render(hostile_chain())
    html = MarkdownIt("commonmark").render(text)
    assert "<script" not in html and "<b>" not in html and "<i>" not in html
    assert "<em>" not in html  # *x* and _Someone_ stay as written
    assert "javascript:" not in re.sub(r">[^<]*<", "><", html)  # in no attribute: no link
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs == ["https://gov.example/s"], hrefs  # the javascript: link is text
    # the trailing backslash does not eat the closing ** of the bold title
    assert html.count("<strong>") == html.count("</strong>") == 3
    assert "[click](javascript:alert(1))\\" in html.replace("&quot;", '"')
    assert "<h1>" not in html  # a newline in a title does not start a heading


def test_a_newline_in_a_title_keeps_the_hop_on_its_line() -> None:
    lines = markdown.render(hostile_chain()).splitlines()
    assert "1. **First line \\# Second line**, published 2024-03-06: verbatim," in "\n".join(lines)
    assert [line[:3] for line in lines if re.match(r"\d\. ", line)] == ["1. ", "2. ", "3. "]
