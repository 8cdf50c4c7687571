"""A link to the address a stored page declares as its own (<link rel="canonical">) leads
to that page, as a link to where it redirected does, when the address is on the page's
own site. The pages are composed here, served over real HTTP on 127.0.0.1 under the
hosts they name, and stored in a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from chain_corpora import QUOTE, link, page, quoting

from crawlers._guard import GuardedBackend
from crawlers.fetch import Fetcher, Policy, fetch
from provenance import storage
from provenance.appearances import chain_for
from provenance.demo import serve_directory
from provenance.ingest import Overrides, ingest
from provenance.storage import Database

HOSTS = ("news.example", "m.news.example", "amp.news.example", "wire.example", "blog.example")


def loopback(host: str, port: int) -> list[str]:
    """Every host these pages name is the server on 127.0.0.1."""
    return ["127.0.0.1"]


class Site:
    """Pages written to a folder served on 127.0.0.1, fetched and stored as a crawl would."""

    def __init__(self, folder: Path, port: str, fetcher: Fetcher) -> None:
        self.folder, self.port, self.fetcher = folder, port, fetcher

    def url(self, host: str, path: str) -> str:
        return f"http://{host}:{self.port}/{path}"

    def store(self, db: Database, url: str, content: bytes) -> None:
        """Serve CONTENT at URL's path (any host) and store what a fetch of URL gets."""
        path = url.split(f":{self.port}/", 1)[1].partition("?")[0]
        (self.folder / path).write_bytes(content)
        ingest(db, fetch(self.fetcher, url), Overrides(role="secondary"))


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    folder = tmp_path / "site"
    folder.mkdir()
    backend = GuardedBackend(HOSTS, resolver=loopback)
    policy = Policy(delay=0, retries=0, obey_robots=False)
    with serve_directory(folder) as base, Fetcher(policy, network_backend=backend) as fetcher:
        yield Site(folder, base.rsplit(":", 1)[1], fetcher)


def story(published: str, canonical: str) -> bytes:
    head = f'<link rel="canonical" href="{canonical}">'
    return page("Acme picks Ohio", published, quoting(QUOTE), head=head)


def chain_from_column(db: Database, site: Site, linked: str) -> list[tuple[str, str | None]]:
    """Store a column quoting QUOTE and linking LINKED; its chain, hop by hop: the page and
    how the one above reached it."""
    column = site.url("blog.example", "column.html")
    body = quoting(QUOTE) + link(linked, "the story")
    site.store(db, column, page("Column: Ohio", "2024-01-20", body, site="Other Views"))
    (quote,) = storage.quotes_of(db, storage.latest_document_id(db, column) or 0)
    return [(hop.appearance.url, hop.via) for hop in chain_for(db, str(quote.id)).hops]


def test_a_link_to_the_canonical_address_reaches_the_mobile_capture(
    db: Database, site: Site
) -> None:
    """The story was captured at its mobile address; the column links the address the
    story names as its own: the chain was "found by matching"."""
    desktop = site.url("news.example", "story.html")
    mobile = site.url("m.news.example", "story.html")
    site.store(db, mobile, story("2024-01-11", desktop))
    hops = chain_from_column(db, site, desktop)
    assert hops == [(site.url("blog.example", "column.html"), None), (mobile, "link")]


def test_a_copy_naming_another_sites_page_as_canonical_is_not_that_page(
    db: Database, site: Site
) -> None:
    """A wire's copy stored after the publisher's mobile capture names the publisher's
    address as canonical too: a link to the publisher leads to the publisher's capture."""
    desktop = site.url("news.example", "story.html")
    mobile = site.url("m.news.example", "story.html")
    site.store(db, mobile, story("2024-01-11", desktop))
    site.store(db, site.url("wire.example", "copy.html"), story("2024-01-12", desktop))
    hops = chain_from_column(db, site, desktop)
    assert hops == [(site.url("blog.example", "column.html"), None), (mobile, "link")]


def test_a_relative_canonical_is_read_against_the_pages_address(db: Database, site: Site) -> None:
    """The story's first page, captured at ?page=1, names itself "story.html"."""
    first_page = site.url("news.example", "story.html?page=1")
    site.store(db, first_page, story("2024-01-11", "story.html"))
    hops = chain_from_column(db, site, site.url("news.example", "story.html"))
    assert hops == [(site.url("blog.example", "column.html"), None), (first_page, "link")]


def test_of_pages_claiming_one_address_the_one_stored_at_it_then_the_last_stored_wins(
    db: Database, site: Site
) -> None:
    desktop = site.url("news.example", "story.html")
    mobile, amp = (
        site.url(host, f"{host}.html") for host in ("m.news.example", "amp.news.example")
    )
    site.store(db, mobile, story("2024-01-11", desktop))
    site.store(db, amp, story("2024-01-11", desktop))
    assert chain_from_column(db, site, desktop)[1] == (amp, "link")
    site.store(db, desktop, story("2024-01-11", desktop))
    assert chain_from_column(db, site, desktop)[1] == (desktop, "link")


def test_a_link_to_the_amp_edition_a_page_names_reaches_the_page(db: Database, site: Site) -> None:
    """The column links the story's AMP edition, as a share from a phone does; only the
    desktop page was captured, and it names the AMP address in <link rel="amphtml">."""
    desktop = site.url("news.example", "story.html")
    amp = site.url("amp.news.example", "story.html")
    head = f'<link rel="canonical" href="{desktop}"><link rel="amphtml" href="{amp}">'
    site.store(db, desktop, page("Acme picks Ohio", "2024-01-11", quoting(QUOTE), head=head))
    hops = chain_from_column(db, site, amp)
    assert hops == [(site.url("blog.example", "column.html"), None), (desktop, "link")]
