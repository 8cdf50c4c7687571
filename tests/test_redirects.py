"""A page fetched through a redirect reads its relative links against where it was served
from, as a browser does, and keeps the address asked for as its own. The pages are served
over real HTTP on 127.0.0.1: a folder at the new address, and the old address answering
every request with a permanent redirect to the same path there, as a site moved from
http:// to https:// does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from chain_corpora import QUOTE, link, page, quoting
from typer.testing import CliRunner

from crawlers.fetch import Fetcher, Policy, fetch
from provenance.cli import app
from provenance.demo import serve, serve_directory
from provenance.discovery import list_urls
from provenance.ingest import Overrides, capture, parse

POLICY = Policy(delay=0, retries=0, obey_robots=False, allow_hosts=("127.0.0.1",))


class MovedHandler(BaseHTTPRequestHandler):
    """Answers every request with a 301 to the same path at the NEW address."""

    def __init__(self, *args: Any, new: str) -> None:
        self.new = new
        super().__init__(*args)  # handles the request

    def do_GET(self) -> None:
        self.send_response(301)
        self.send_header("Location", self.new + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class Site:
    folder: Path
    new: str  # where the files are served
    old: str  # the site's former address: a redirect to `new`

    def put(self, path: str, content: bytes) -> None:
        (self.folder / path).parent.mkdir(parents=True, exist_ok=True)
        (self.folder / path).write_bytes(content)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    folder = tmp_path / "site"
    folder.mkdir()
    with serve_directory(folder) as new, serve(partial(MovedHandler, new=new)) as old:
        yield Site(folder, new, old)


def story(links: str) -> bytes:
    return page("Acme picks Ohio", "2024-01-11", quoting(QUOTE), links=links)


def test_a_page_that_moved_to_a_folder_reads_its_links_from_there(site: Site) -> None:
    """/2024 redirects to /2024/ (the server's own redirect for a folder): its link
    "statement.html" is /2024/statement.html, not /statement.html."""
    site.put("2024/index.html", story(link("statement.html", "the statement")))
    with Fetcher(POLICY) as fetcher:
        captured = fetch(fetcher, f"{site.new}/2024")
    document = parse(captured, Overrides())
    assert captured.final_url == f"{site.new}/2024/"
    assert document.url == f"{site.new}/2024"
    assert [link.url for link in document.links] == [f"{site.new}/2024/statement.html"]


def test_a_page_given_its_address_reads_its_links_from_that_address(site: Site) -> None:
    """add --url names where the page is, as for a file: its links are read from there."""
    site.put("2024/index.html", story(link("statement.html", "the statement")))
    given = "https://news.example/2024/story"
    with Fetcher(POLICY) as fetcher:
        captured = capture(f"{site.new}/2024", fetcher, url=given)
    document = parse(captured, Overrides(url=given))
    assert document.url == given
    assert [link.url for link in document.links] == ["https://news.example/2024/statement.html"]


def test_a_feed_that_moved_lists_its_entries_at_the_new_address(site: Site) -> None:
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
        "<item><title>Acme picks Ohio</title><link>2024/story.html</link></item>"
        "</channel></rss>"
    )
    site.put("feed.xml", feed.encode())
    with Fetcher(POLICY) as fetcher:
        listed = list_urls(fetcher, "feed", f"{site.old}/feed.xml")
    assert listed.urls == [f"{site.new}/2024/story.html"]


def run(db: Path, *args: str) -> Any:
    result = CliRunner().invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output + result.stderr
    return result


def test_a_chain_through_a_page_that_moved_follows_its_relative_link(
    site: Site, tmp_path: Path
) -> None:
    """The column links the story at the site's old address; the story links the
    statement as "statement.html", which is at the new address: the chain reached the
    statement "found by matching"."""
    db = tmp_path / "moved.db"
    body = f"<p>Acme today announced its next factory.</p><p>{QUOTE}</p>"
    site.put("2024/statement.html", page("Acme statement", "2024-01-10", body, site="Acme"))
    site.put("2024/story.html", story(link("statement.html", "the statement")))
    statement, old_story = f"{site.new}/2024/statement.html", f"{site.old}/2024/story.html"
    allow = ("--allow-host", "127.0.0.1")
    run(db, "add", statement, "--role", "primary", *allow)
    run(db, "add", old_story, "--role", "secondary", *allow)
    column = tmp_path / "column.html"
    column.write_bytes(
        page("Column: Ohio", "2024-01-20", quoting(QUOTE) + link(old_story, "the story"))
    )
    run(db, "add", str(column), "--role", "secondary")
    chain = json.loads(run(db, "chain", QUOTE, "--json").stdout)
    assert [(h["appearance"]["url"], h["via"]) for h in chain["hops"][:3]] == [
        (column.resolve().as_uri(), None),
        (old_story, "link"),
        (statement, "link"),
    ]
