"""Articles read with trafilatura's help: metadata, the raw evidence it came from, the
language, and boilerplate (paywall, newsletter, tag lists, photo credits) left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crawlers import get_crawler
from provenance.cli import app
from provenance.quotes import extract_quotes
from provenance.storage import open_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "crawlers" / "article"
GERMAN = FIXTURES / "de-paywall-newsletter.html"
URL = "https://zeitung.example.de/digital/musk-openai-emails-2018"


def test_a_german_article_keeps_its_language_dates_and_evidence() -> None:
    document = get_crawler("article").parse(GERMAN.read_bytes(), url=URL)
    assert document.language == "de-DE"
    assert (document.published_at, document.updated_at) == (
        "2024-03-06T11:00:00+01:00",
        "2024-03-07T08:30:00+01:00",
    )
    assert (document.author, document.publisher) == ("Lena Beispiel", "Beispiel-Zeitung")
    kinds = [key for key, _ in document.metadata]
    assert kinds[:2] == ["og:title", "og:site_name"] and "json-ld" in kinds
    ld = json.loads(dict(document.metadata)["json-ld"])
    assert ld["inLanguage"] == "de-DE"


def test_paywall_and_newsletter_text_is_not_a_unit() -> None:
    document = get_crawler("article").parse(GERMAN.read_bytes(), url=URL)
    assert "Newsletter" not in document.text and "Plus" not in document.text
    assert "Zustimmung ist nicht Urheberschaft." in document.text
    assert not any("anmelden" in link.url for link in document.links)


def test_tag_lists_and_photo_credits_are_left_out() -> None:
    blog = get_crawler("article").parse(
        (FIXTURES / "blog-meta-blockquote.html").read_bytes(), url="https://blog.example/x"
    )
    assert "Filed under" not in blog.text
    news = get_crawler("article").parse(
        (FIXTURES / "news-jsonld-graph.html").read_bytes(), url="https://news.example/x"
    )
    assert "Photo: Example" not in news.text


def test_the_language_and_evidence_are_stored(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    result = CliRunner().invoke(app, ["--db", str(db), "add", str(GERMAN), "--url", URL])
    assert result.exit_code == 0, result.output
    (row,) = open_db(db).query("SELECT language, updated_at, metadata FROM documents")
    assert row["language"] == "de-DE" and row["updated_at"] == "2024-03-07T08:30:00+01:00"
    assert ["og:locale", "de_DE"] in json.loads(row["metadata"])


def test_a_malformed_link_costs_only_that_link() -> None:
    page = (
        b'<html><head><title>T</title><base href="http://[bad/"></head><body><article>'
        b"<p>The harbour board will publish its accounts next spring, the chair said.</p>"
        b'<p><a href="http://[oops/x">broken</a> <a href="/minutes">minutes</a></p>'
        b"</article></body></html>"
    )
    document = get_crawler("article").parse(page, url="https://port.example/news/a.html")
    assert [link.url for link in document.links] == ["https://port.example/minutes"]


def test_a_byline_gives_its_names_not_its_date() -> None:
    """The byline's <time> and what follows a separator were stored as part of the name."""
    for byline in (
        'By Per Dahl · <time datetime="2024-05-09">May 9, 2024</time>',
        "By Per Dahl | Updated 12:40",
        'Per Dahl — <time datetime="2024-05-09">9 May</time>',
    ):
        page = (
            "<html><head><title>Recall</title></head><body><article><h1>Recall</h1>"
            f'<p class="byline">{byline}</p><p>Halvorsen Foods recalled its mackerel tins on '
            "Monday, and the inquiry into the plant goes on.</p></article></body></html>"
        )
        document = get_crawler("article").parse(page.encode(), url="https://news.example/r")
        assert document.author == "Per Dahl", byline


def test_a_pull_quote_in_a_figure_keeps_its_caption_credit() -> None:
    """trafilatura drops a <figure> as media, the pull quote in it and the <figcaption>
    crediting it with it; the quote is the article's words, and the caption its speaker."""
    page = FIXTURES / "feature-figure-pullquote.html"
    document = get_crawler("article").parse(page.read_bytes(), url="https://coastline.example/a")
    quotes = [(q.form, q.text, q.speaker) for q in extract_quotes(document)]
    assert quotes == [
        (
            "block",
            "We cannot keep turning ships away while the harbour next door takes our trade.",
            "Jane Roe",
        )
    ]
    assert "Photo: Harbour Pictures" not in document.text


def test_a_live_blog_post_is_dated_by_its_own_time() -> None:
    """An <article> nested in the main one is an entry, its units dated by its <time>."""
    page = FIXTURES / "liveblog-entry-times.html"
    document = get_crawler("article").parse(page.read_bytes(), url="https://coastline.example/l")
    dates = [unit.date for unit in document.units]
    assert dates == [
        "2024-05-09T18:00:00+01:00",  # the heading and standfirst: the page's
        "2024-05-09T18:00:00+01:00",
        "2024-05-09T17:40:00+01:00",
        "2024-05-07T08:15:00+01:00",
        "2024-05-06T07:30:00+01:00",
    ]


def test_a_live_blog_post_dates_its_quotes_from_its_own_time() -> None:
    """A "yesterday" in a post of Tuesday 7 May is 6 May, not the day before the last update."""
    page = FIXTURES / "liveblog-entry-times.html"
    document = get_crawler("article").parse(page.read_bytes(), url="https://coastline.example/l")
    dated = [(q.speaker, q.claimed_date) for q in extract_quotes(document)]
    assert dated == [("Petra Aune", "2024-05-06"), ("Tor Eide", "2024-05-05")]


def test_a_control_character_in_the_page_costs_neither_page_nor_paragraph() -> None:
    """A heading holding "&#x0c;" made lxml, under trafilatura, refuse the page; a
    paragraph holding a raw control character was not found in trafilatura's main text
    (which drops them) and was left out as boilerplate."""
    page = (
        b"<html><head><title>T</title></head><body><article><h1>Harbour &#x0c;news&#31</h1>"
        b"<p>The chair said the harbour board \x1bwill publish its accounts next spring.</p>"
        b"<p>Its members did not reply to questions about the delay on Tuesday.</p>"
        b"</article></body></html>"
    )
    document = get_crawler("article").parse(page, url="https://port.example/news/b.html")
    assert [document.text[u.start : u.end][:9] for u in document.units] == [
        "Harbour n", "The chair", "Its membe"
    ]  # fmt: skip


def test_reader_comments_are_not_the_article() -> None:
    """A WordPress comments section sits inside the <article>: its comments were units
    written by the article's author, and a commenter's "Maria Holm told us ... that
    “...”" became a quote the article credits to her; the commenter's links were citations."""
    page = FIXTURES / "wordpress-comments.html"
    url = "https://coast.example/news/2024/05/09/pier-closes/"
    document = get_crawler("article").parse(page.read_bytes(), url=url)
    assert "fifty years" not in document.text and "Leave a Reply" not in document.text
    assert [(q.text, q.speaker) for q in extract_quotes(document)] == [
        ("The structure is no longer safe for the public", "Maria Holm"),
        ("Nobody asked us", "Per Nilsen"),
    ]
    assert [link.url for link in document.links] == [
        "https://coast-board.example/minutes/2024-05-09"
    ]


def test_links_come_only_from_the_text_the_article_keeps() -> None:
    """A share bar, a "Related" box, a "More from Ports" list and an author bio inside the
    <article> are left out of its text, but their links were recorded as its citations."""
    page = FIXTURES / "related-stories-links.html"
    url = "https://coastline.example/ports/dredging-budget-cut"
    document = get_crawler("article").parse(page.read_bytes(), url=url)
    assert "More from Ports" not in document.text and "covers ports" not in document.text
    assert [(link.url, link.anchor_text) for link in document.links] == [
        (
            "https://fjordvik-harbour.example/board/papers/2024-06-11.pdf",
            "the papers for Tuesday's meeting",
        ),
        ("https://lindqvist-shipping.example/news/channel-letter", "a letter to the board"),
    ]


def test_a_link_around_a_kept_paragraph_is_kept() -> None:
    """A link wrapping a whole paragraph of the text is one of its citations."""
    page = (
        b"<html><head><title>T</title></head><body><article><h1>Harbour accounts</h1>"
        b"<p>The harbour board will publish its accounts next spring, the chair said.</p>"
        b'<a href="https://port.example/report.pdf"><p>The auditors\' report on the '
        b"harbour accounts for the year is published in full.</p></a>"
        b"<p>Its members did not reply to questions about the delay on Tuesday.</p>"
        b"</article></body></html>"
    )
    document = get_crawler("article").parse(page, url="https://port.example/news/c.html")
    assert "published in full" in document.text
    assert [link.url for link in document.links] == ["https://port.example/report.pdf"]


def test_an_updated_time_before_the_published_one_is_not_the_publication() -> None:
    """With no date in meta tags or JSON-LD, the page's first <time datetime> was taken
    as its publication, and here it is the "Updated" one: every "last week" in the
    article counted from the update."""
    page = FIXTURES / "updated-before-published.html"
    url = "https://fjordvik-courier.example/2024/02/27/ferry-winter-route"
    document = get_crawler("article").parse(page.read_bytes(), url=url)
    assert document.published_at == "2024-02-27T07:30:00+01:00"
    assert document.updated_at == "2024-03-02T16:05:00+01:00"
    assert {unit.date for unit in document.units} == {"2024-02-27T07:30:00+01:00"}


@pytest.mark.parametrize(
    "dates",
    [
        '<time itemprop="dateModified" datetime="2024-03-02">2 March</time>'
        ' <time itemprop="datePublished" datetime="2024-02-27">27 February</time>',
        '<meta itemprop="datePublished" content="2024-02-27">'
        '<time datetime="2024-03-02">2 March</time>',
        '<time class="updated" datetime="2024-03-02">2 March</time>'
        '<time class="entry-date published" datetime="2024-02-27">27 February</time>',
        'Last updated: <time datetime="2024-03-02">2 March</time>'
        ' · First published <time datetime="2024-02-27">27 February</time>',
        '<span class="label">Updated</span> <span><time datetime="2024-03-02">2 March</time>'
        '</span> <span class="label">Published</span>'
        ' <span><time datetime="2024-02-27">27 February</time></span>',
    ],
    ids=["itemprop", "meta-itemprop", "wordpress-classes", "words", "words-in-a-label"],
)
def test_the_publication_time_is_the_one_marked_published(dates: str) -> None:
    """itemprop="datePublished", a <meta> one included, and an update's marks
    (itemprop="dateModified", hAtom's class "updated", the word "Updated") are read."""
    document = get_crawler("article").parse(_dated_page(dates), url="https://port.example/d")
    assert document.published_at == "2024-02-27"


@pytest.mark.parametrize(
    "dates",
    [
        '<time itemprop="dateModified" datetime="2024-03-02">2 March</time>',
        'Updated <time datetime="2024-03-02">2 March</time>',
    ],
    ids=["itemprop", "words"],
)
def test_a_page_dated_only_by_its_update_has_no_publication_date(dates: str) -> None:
    """The update's time is no publication date, from the markup or from trafilatura."""
    document = get_crawler("article").parse(_dated_page(dates), url="https://port.example/d")
    assert (document.published_at, document.updated_at) == (None, "2024-03-02")


def _dated_page(dates: str) -> bytes:
    """An article whose only dates are DATES, at its head."""
    return (
        "<html><head><title>T</title></head><body><article><h1>Harbour accounts</h1>"
        f"<p>{dates}</p><p>The harbour board will publish its accounts next spring, the "
        "chair said.</p><p>Its members did not reply to questions about the delay.</p>"
        "</article></body></html>"
    ).encode()


def test_tracking_parameters_do_not_make_one_cited_page_many() -> None:
    """A newsletter's utm_* and a share's fbclid on a link made the page it cites look like
    another (the page itself, too); the page's own parameters stay, as written and in
    their order."""
    page = (
        b"<html><head><title>T</title></head><body><article><h1>Harbour accounts</h1>"
        b'<p>The <a href="https://port.example/accounts?utm_source=news&amp;utm_medium=email">'
        b"harbour board</a> will publish <a href='https://port.example/accounts?fbclid=IwA1'>"
        b"its accounts</a> next spring, as <a href='https://port.example/minutes?year=2024"
        b"&amp;gclid=x1&amp;page=2&amp;mc_cid=9&amp;mc_eid=8'>its minutes</a> say. "
        b'<a href="/news/e.html?utm_source=share">Share this story</a></p>'
        b"<p>Its members did not reply to questions about the delay on Tuesday.</p>"
        b"</article></body></html>"
    )
    document = get_crawler("article").parse(page, url="https://port.example/news/e.html")
    assert [link.url for link in document.links] == [
        "https://port.example/accounts",
        "https://port.example/accounts",
        "https://port.example/minutes?year=2024&page=2",
    ]


def test_the_canonical_url_the_page_gives_is_kept_as_evidence() -> None:
    """<link rel="canonical"> is the page's claim to its own address, like og:url; it was
    not kept, so a capture fetched at a share's or a mobile address lost it."""
    page = (
        b'<html><head><title>T</title><link rel="canonical" href="/news/f.html">'
        b'<meta property="og:url" content="https://port.example/news/f.html"></head><body>'
        b"<article><h1>Harbour accounts</h1><p>The harbour board will publish its accounts "
        b"next spring, the chair said.</p></article></body></html>"
    )
    url = "https://m.port.example/news/f.html?share=1"
    document = get_crawler("article").parse(page, url=url)
    assert document.metadata == (
        ("canonical", "/news/f.html"),
        ("og:url", "https://port.example/news/f.html"),
    )


CREDITED_BLOCKS = (
    "<html><head><title>Quay</title>"
    '<meta property="article:published_time" content="2024-05-09T09:00:00Z"></head>'
    "<body><article><h1>Quay</h1>"
    "<p>The harbour board met on Thursday, and Ingrid Solheim and Tor Eide spoke.</p>"
    "<blockquote><p>We cannot keep turning ships away while the harbour next door takes our "
    "trade.</p><footer>Ingrid Solheim, March 3, 2024</footer></blockquote>"
    "<blockquote><p>Nobody on the night shift has been paid for the extra hours.</p>"
    "<cite>Tor Eide</cite></blockquote>"
    "</article></body></html>"
)


def test_a_block_quotes_footer_or_cite_is_its_credit_not_its_words() -> None:
    """<footer> and <cite> closing a <blockquote> name who said it, as a "— Name" line
    does: the speaker and date of the quote, and never words of the quote."""
    document = get_crawler("article").parse(CREDITED_BLOCKS.encode(), url="https://q.example/a")
    quotes = [(q.form, q.text, q.speaker, q.claimed_date) for q in extract_quotes(document)]
    assert quotes == [
        (
            "block",
            "We cannot keep turning ships away while the harbour next door takes our trade.",
            "Ingrid Solheim",
            "2024-03-03",
        ),
        (
            "block",
            "Nobody on the night shift has been paid for the extra hours.",
            "Tor Eide",
            None,
        ),
    ]
