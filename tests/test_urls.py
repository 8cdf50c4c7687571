"""The URL a capture is stored under: the spellings of one page's URL that are one URL, and
the differences that make another page."""

from __future__ import annotations

import pytest

from crawlers._listing import http_links
from provenance.chains import canonical
from provenance.urls import claimed_address, stored_url, without_tracking

SAME = [
    ("https://example.org/story#comments", "https://example.org/story"),
    ("https://example.org/story#", "https://example.org/story"),
    ("https://Example.ORG/story", "https://example.org/story"),
    ("HTTPS://example.org/story", "https://example.org/story"),
    ("https://example.org:443/story", "https://example.org/story"),
    ("http://Example.org:80/story?id=7#top", "http://example.org/story?id=7"),
    ("http://[::1]:80/story", "http://[::1]/story"),
    ("https://example.org#top", "https://example.org"),
]
KEPT = [
    "https://example.org/story/",  # a trailing slash may be another page
    "https://example.org/Story",  # so may the path's letter case
    "https://example.org/story?ID=Seven&b=1",  # and the query, as written, in its order
    "https://example.org?Q=A",  # a query straight after the host is not the host
    "https://Ann:Secret@example.org/story",  # user info is case-sensitive
    "https://example.org/a%2Fb",  # escapes are not decoded
    "http://example.org:443/story",  # not http's default port
    "https://example.org:8443/story",
    "https://example.org:0443/story",
    "http://[oops/story",  # not a URL: kept for the fetch to report
    "mailto:Someone@Example.org",  # no authority: nothing to lower-case
]


@pytest.mark.parametrize(("written", "stored"), SAME)
def test_spellings_of_one_url_are_stored_as_one(written: str, stored: str) -> None:
    assert stored_url(written) == stored
    assert stored_url(stored) == stored


@pytest.mark.parametrize("url", KEPT)
def test_what_may_be_another_page_is_kept_as_written(url: str) -> None:
    assert stored_url(url) == url


def test_the_link_graph_compares_more_loosely_than_storage() -> None:
    """A link to /story/ finds the page stored as /story; storage keeps the two apart."""
    assert stored_url("https://Example.org:443/story/#x") == "https://example.org/story/"
    assert canonical("https://Example.org:443/story/#x") == "https://example.org/story"
    assert canonical("https://example.org/story/?utm_source=tw") == "https://example.org/story"


def test_listings_name_pages_as_they_are_stored() -> None:
    links = ["HTTPS://Example.org/a#top", "https://example.org/a", " http://x.org:80/b ", "ftp://x"]
    assert http_links(links) == ["https://example.org/a", "http://x.org/b"]


def test_a_feed_s_tracked_links_to_one_page_list_it_once() -> None:
    """A feed tagging its links utm_source=rss, a newsletter's mc_cid: one page, one history."""
    links = ["https://x.org/a?utm_source=rss", "https://x.org/a?mc_cid=9&p=2", "https://x.org/a"]
    assert http_links(links) == ["https://x.org/a", "https://x.org/a?p=2"]


@pytest.mark.parametrize(
    ("url", "untracked"),
    [
        ("https://x.org/a?utm_source=rss&utm_medium=feed", "https://x.org/a"),
        ("https://x.org/a?id=7&UTM_Campaign=spring&fbclid=Iw", "https://x.org/a?id=7"),
        (
            "https://x.org/a?b=2&gclid=1&a=%20&mc_cid=3&mc_eid=4#top",
            "https://x.org/a?b=2&a=%20#top",
        ),
        ("https://x.org/a?utm=1&utmost=2&fbclid_x=3", "https://x.org/a?utm=1&utmost=2&fbclid_x=3"),
        ("https://x.org/a?q&&r=1", "https://x.org/a?q&&r=1"),
        ("https://x.org/a#utm_source=x", "https://x.org/a#utm_source=x"),
    ],
)
def test_tracking_parameters_are_dropped_and_the_rest_kept_as_written(
    url: str, untracked: str
) -> None:
    assert without_tracking(url) == untracked


NEWS = "https://news.example"


@pytest.mark.parametrize(
    ("href", "url", "final_url", "claimed"),
    [
        # a mobile, AMP or www. page naming the publisher's own address for it
        (f"{NEWS}/story", "https://m.news.example/story", "", f"{NEWS}/story"),
        ("https://www.news.example/a", "https://amp.news.example/a", "", "https://www.news.example/a"),
        ("http://News.example/a", f"{NEWS}/a?page=1", "", "http://News.example/a"),
        # relative: read against where the page was fetched from after redirects
        ("story", f"{NEWS}/s/7", f"{NEWS}/2024/x?ref=share", f"{NEWS}/2024/story"),
        ("/story#top", f"{NEWS}/s/7", f"{NEWS}/2024/x", f"{NEWS}/story#top"),
        ("//m.news.example/a", f"{NEWS}/s/7", f"{NEWS}/a", "https://m.news.example/a"),
        # on the site of the address it redirected to, though not of the one asked for
        (f"{NEWS}/story", "https://short.example/x7", f"{NEWS}/story?ref=x7", f"{NEWS}/story"),
        # another publisher's page, claimed by a syndicated copy: not this page's address
        (f"{NEWS}/story", "https://wire.example/copy", "", None),
        (f"{NEWS}/a", "https://mnews.example/a", "", None),
        (f"{NEWS}/a", "https://blog.news.example/a", "", None),
        ("https://news.example.evil/a", f"{NEWS}/a", "", None),
        # nothing a link can lead to
        ("/story", "file:///home/ann/story.html", "", None),
        ("javascript:void(0)", f"{NEWS}/a", "", None),
        ("http://[oops/story", f"{NEWS}/a", "", None),
    ],
)  # fmt: skip
def test_a_page_claims_an_address_on_its_own_site_only(
    href: str, url: str, final_url: str, claimed: str | None
) -> None:
    """FINAL_URL "" is URL: the page was not redirected."""
    assert claimed_address(href, url, final_url or url) == claimed
