"""Discovery: the listers on their fixtures (golden lists of URLs), and the crawl loop end to
end against a real server on 127.0.0.1 serving a feed, a sitemap index and CourtListener's
API in its real shape (cursor pages, a token, a 429, refused entries and the search API)."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner

from crawlers import all_listers, get_lister, sitemap
from provenance.cli import app
from provenance.compose_filing import compose_filing
from provenance.crawl import load_sources
from provenance.demo import DEMO, FILING_QUOTE, serve
from provenance.discovery import crawl_listing
from provenance.errors import InputError, ParseError
from provenance.storage import open_db

ROOT = Path(__file__).resolve().parent.parent
LISTERS = ROOT / "fixtures" / "listers"
FILINGS = {
    "gov.uscourts.cand.433688.1.0.pdf": DEMO / "complaint.filing.txt",
    "gov.uscourts.cand.433688.1.1.pdf": ROOT
    / "fixtures/crawlers/court_pdf/musk-v-altman-complaint.filing.txt",
}
REAL_BASE = {"docket": "https://www.courtlistener.com", "feed": "https://ledger.example"}
TOKEN = "good-token"
CRAWLER_FIXTURES = ROOT / "fixtures" / "crawlers"


def _listing_fixtures() -> list[tuple[str, Path]]:
    return [
        (kind, path)
        for kind in all_listers()
        for path in sorted((LISTERS / kind).glob("*"))
        if ".expected." not in path.name
    ]


@pytest.mark.parametrize(("kind", "path"), _listing_fixtures(), ids=lambda x: str(x))
def test_golden_listing(kind: str, path: Path) -> None:
    base = REAL_BASE.get(kind, "https://ledger.example")
    content = path.read_bytes().replace(b"{base}", base.encode())
    found = get_lister(kind).discover(content, url=f"{base}/{path.name}")
    expected = path.with_name(path.name.rsplit(".", 1)[0] + ".expected.json")
    actual = json.dumps(found, indent=2) + "\n"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected.write_text(actual, encoding="utf-8")
    elif not expected.exists():
        expected.write_text(actual, encoding="utf-8")
        pytest.fail(f"wrote {expected.relative_to(ROOT)}: read it, then run the tests again")
    assert actual == expected.read_text(encoding="utf-8")


def test_every_lister_has_fixtures() -> None:
    assert (
        {kind for kind, _ in _listing_fixtures()}
        == set(all_listers())
        == {
            "docket",
            "feed",
            "sitemap",
        }
    )


def test_a_sitemap_with_a_doctype_is_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><urlset>&a;</urlset>'
    with pytest.raises(ParseError, match="DOCTYPE"):
        get_lister("sitemap").discover(bomb, url="https://ledger.example/s.xml")


def test_a_gzipped_sitemap_is_read_within_bounds() -> None:
    sitemap = (LISTERS / "sitemap" / "sitemap-archive.xml").read_bytes()
    sitemap = sitemap.replace(b"{base}", b"https://x.example")
    found = get_lister("sitemap").discover(gzip.compress(sitemap), url="https://x.example/s.xml.gz")
    assert found == ["https://x.example/news-cash-cow.html"]
    bomb = gzip.compress(b"<urlset>" + b" " * 5_000_000)  # 5 MB from 5 KB: past 100 times
    with pytest.raises(ParseError, match="decodes to more than"):
        get_lister("sitemap").discover(bomb, url="https://x.example/s.xml.gz")


@pytest.mark.parametrize(
    "bare",
    [
        b'<rss version="2.0"><channel></channel></rss>',
        b'<feed xmlns="http://www.w3.org/2005/Atom"/>',
    ],
)
def test_a_feed_with_nothing_in_it_yet_lists_nothing(bare: bytes) -> None:
    assert get_lister("feed").discover(bare, url="https://ledger.example/feed") == []


def test_an_unknown_source_kind_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown source kind 'blog'"):
        get_lister("blog")


class API(BaseHTTPRequestHandler):
    """The test server: files, the feed and sitemaps, and CourtListener's API."""

    base = ""
    refuse_entries = False
    throttled = 0  # 429s still to send on the docket-entries endpoint
    requests: ClassVar[list[tuple[str, str | None]]] = []

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        API.requests.append((self.path, self.headers.get("Authorization")))
        name = parts.path.rsplit("/", 1)[-1]
        if parts.path.startswith("/api/"):
            if self.headers.get("Authorization") != f"Token {TOKEN}":
                return self.send(
                    401, b'{"detail": "Authentication credentials were not provided."}'
                )
            if "/docket-entries/" in parts.path:
                if API.throttled:
                    API.throttled -= 1
                    return self.send(
                        429, b'{"detail": "Expected available in 0 seconds."}', {"Retry-After": "0"}
                    )
                if API.refuse_entries:
                    return self.send(403, b'{"detail": "You do not have permission."}')
                if query.get("docket") == ["1"]:  # a mirror's faulty page
                    return self.serve(LISTERS / "docket" / "docket-entries-broken-uri.json")
                if query.get("docket") == ["2"]:  # JSON nested past any parser's depth
                    return self.send(200, b"[" * 200_000 + b"]" * 200_000)
                page = "2" if "cursor" in query else "1"
                return self.serve(LISTERS / "docket" / f"docket-entries-page-{page}.json")
            if "/search/" in parts.path:
                return self.serve(LISTERS / "docket" / "search-recap-documents.json")
            if "/recap-documents/405833921/" in parts.path:
                return self.serve(
                    ROOT / "fixtures/crawlers/courtlistener/recap-document-complaint.json"
                )
            return self.send(404, b"{}")
        if name in FILINGS:
            pdf = compose_filing(FILINGS[name].read_text(encoding="utf-8"))
            return self.send(200, pdf, {"Content-Type": "application/pdf"})
        if parts.path.startswith("/crawlers/"):
            return self.serve(CRAWLER_FIXTURES / parts.path.removeprefix("/crawlers/"))
        if parts.path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private/\n")
        if name == "busy-feed.xml":  # back in an hour: longer than a crawl waits
            return self.send(503, b"maintenance", {"Retry-After": "3600"})
        if name.endswith(".xml.gz"):  # a gzip file, as a CMS serves sitemap.xml.gz
            body = (LISTERS / "sitemap" / name.removesuffix(".gz")).read_bytes()
            body = gzip.compress(body.replace(b"{base}", API.base.encode()))
            return self.send(200, body, {"Content-Type": "application/x-gzip"})
        for folder in (LISTERS / "feed", LISTERS / "sitemap", DEMO):
            if (folder / name).is_file():
                return self.serve(folder / name)
        self.send(404, b"not found")

    def serve(self, path: Path) -> None:
        if not path.is_file():
            return self.send(404, b"not found")
        if path.name.endswith(".filing.txt"):
            pdf = compose_filing(path.read_text(encoding="utf-8"))
            return self.send(200, pdf, {"Content-Type": "application/pdf"})
        types = {
            ".json": "application/json",
            ".xml": "application/xml",
            ".eml": "message/rfc822",
            ".mbox": "application/mbox",
            ".txt": "text/plain; charset=utf-8",
        }
        body = path.read_bytes().replace(b"{base}", API.base.encode())
        self.send(200, body, {"Content-Type": types.get(path.suffix, "text/html; charset=utf-8")})

    def send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def api() -> Iterator[str]:
    API.requests, API.refuse_entries, API.throttled = [], False, 0
    with serve(API) as base:
        API.base = base
        yield base


LOCAL = 'allow_hosts = ["127.0.0.1"]  # the test server\ndelay = 0\n'


def crawl(tmp_path: Path, base: str, sources: str) -> tuple[int, dict[str, Any], Path]:
    config, db = tmp_path / "sources.toml", tmp_path / "corpus.db"
    config.write_text(LOCAL + sources.replace("{base}", base), encoding="utf-8")
    result = CliRunner().invoke(app, ["--db", str(db), "crawl", "--config", str(config), "--json"])
    return result.exit_code, json.loads(result.stdout), db


DOCKET = """
[[source]]
name = "musk-v-altman"
kind = "docket"
url = "{base}/api/rest/v4/docket-entries/?docket=69013420"
"""


def test_a_docket_is_crawled_through_cursor_pages_with_the_token(
    tmp_path: Path, api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COURTLISTENER_API_TOKEN", TOKEN)
    API.throttled = 1
    status, report, db = crawl(tmp_path, api, DOCKET)
    assert status == 0, report
    (outcome,) = report["sources"]
    assert outcome["discovered"] == 2 and outcome["documents_new"] == 2
    assert outcome["search_fallback"] is False
    documents = {
        row["crawler"]: row
        for row in open_db(db).query("SELECT url, crawler, title, metadata FROM documents")
    }
    text = documents["courtlistener"]
    assert text["url"] == f"{api}/recap/gov.uscourts.cand.433688/gov.uscourts.cand.433688.1.0.pdf"
    assert ["docket_number", "4:24-cv-04722-YGR"] in json.loads(text["metadata"])
    assert documents["court_pdf"]["url"].endswith(".1.1.pdf")
    api_calls = [(p, auth) for p, auth in API.requests if p.startswith("/api/")]
    assert all(auth == f"Token {TOKEN}" for _, auth in api_calls)
    first = parse_qs(urlsplit(api_calls[0][0]).query)
    assert first["order_by"] == ["date_modified,id"] and "date_modified__gte" not in first
    # The 429 was waited out and asked again.
    assert sum("/docket-entries/" in p and "cursor" not in p for p, _ in api_calls) == 2
    # The next night reads only what changed since the last good crawl began.
    API.requests.clear()
    status, report, _ = crawl(tmp_path, api, DOCKET)
    assert status == 0
    first_api_call = next(p for p, _ in API.requests if p.startswith("/api/"))  # after robots.txt
    again = parse_qs(urlsplit(first_api_call).query)
    (started,) = [
        r["started_at"] for r in open_db(db).query("SELECT started_at FROM crawl_runs WHERE id = 1")
    ]
    assert again["date_modified__gte"] == [started]
    assert report["sources"][0]["documents_unchanged"] == 2


def test_a_traced_quote_from_the_docket_has_its_pin_cite(
    tmp_path: Path, api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COURTLISTENER_API_TOKEN", TOKEN)
    _, _, db = crawl(tmp_path, api, DOCKET)
    result = CliRunner().invoke(app, ["--db", str(db), "trace", FILING_QUOTE, "--json"])
    best = json.loads(result.stdout)["best"]
    assert best["cite"] == "Compl. ¶ 4, ECF No. 1 at 1–2"
    assert best["link"].endswith(".1.0.pdf#page=1")


def test_refused_docket_entries_fall_back_to_the_search_api(
    tmp_path: Path, api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COURTLISTENER_API_TOKEN", TOKEN)
    API.refuse_entries = True
    status, report, db = crawl(tmp_path, api, DOCKET)
    assert status == 0, report
    (outcome,) = report["sources"]
    assert outcome["search_fallback"] is True and outcome["documents_new"] == 1
    (row,) = open_db(db).query("SELECT crawler FROM documents")
    assert row["crawler"] == "court_pdf"


def test_without_the_token_the_docket_fails_with_one_line(
    tmp_path: Path, api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COURTLISTENER_API_TOKEN", raising=False)
    status, report, _ = crawl(tmp_path, api, DOCKET)
    assert status == 1
    assert "HTTP 401" in report["sources"][0]["error"]


def test_a_feed_and_a_sitemap_lead_to_new_articles_only(tmp_path: Path, api: str) -> None:
    sources = """
[[source]]
name = "ledger-feed"
kind = "feed"
url = "{base}/outlet-rss.xml"

[[source]]
name = "ledger-sitemap"
kind = "sitemap"
url = "{base}/sitemap-index.xml"
follow = 1
"""
    status, report, db = crawl(tmp_path, api, sources)
    assert status == 0, report
    feed, sitemap = report["sources"]
    assert (feed["discovered"], feed["documents_new"]) == (2, 2)
    assert (sitemap["discovered"], sitemap["documents_new"]) == (2, 1)  # bounded by follow
    urls = {row["url"] for row in open_db(db).query("SELECT url FROM documents")}
    assert urls == {
        f"{api}/news-cash-cow.html",
        f"{api}/news-hold-a-candle.html",
        f"{api}/news-roundup.html",
    }
    assert not any("javascript" in path for path, _ in API.requests)
    _, again, _ = crawl(tmp_path, api, sources)
    assert (
        again["sources"][0]["documents_new"] == 0
        and again["sources"][0]["documents_unchanged"] == 0
    )
    assert again["sources"][1]["documents_new"] == 1  # the one left for the next night


def test_a_sitemap_index_s_children_are_sitemaps_whatever_their_path(
    tmp_path: Path, api: str
) -> None:
    """A child sitemap at /sitemaps/sitemap-opinion (no .xml) is read as a sitemap, not
    fetched as an article, because a sitemap index names it (sitemaps.org)."""
    sources = (
        '[[source]]\nname = "s"\nkind = "sitemap"\nurl = "{base}/sitemap-index-sections.xml"\n'
    )
    status, report, db = crawl(tmp_path, api, sources)
    assert status == 0, report
    (outcome,) = report["sources"]
    assert (outcome["discovered"], outcome["documents_new"]) == (1, 1)
    urls = [row["url"] for row in open_db(db).query("SELECT url FROM documents")]
    assert urls == [f"{api}/opinion.html"]


def test_a_urlset_names_pages_even_at_urls_ending_in_xml() -> None:
    urlset = (LISTERS / "sitemap" / "sitemap-opinion").read_bytes()
    index = (LISTERS / "sitemap" / "sitemap-index.xml").read_bytes()
    assert not sitemap.is_listing("https://x.example/statement.xml", listing=urlset)
    assert sitemap.is_listing("https://x.example/sitemaps/news", listing=index)


def test_a_listing_crawled_as_a_page_is_told_to_set_its_kind(tmp_path: Path, api: str) -> None:
    """A sitemap named without `kind =` is content no crawler reads: a crawl has no
    --crawler, so its error names the sources.toml keys; add keeps naming the option."""
    sources = '[[source]]\nname = "s"\nurl = "{base}/sitemap-news.xml"\n'
    status, report, db = crawl(tmp_path, api, sources)
    assert status == 1
    error = report["sources"][0]["error"]
    assert error == (
        f"{api}/sitemap-news.xml: unsupported content (application/xml); name one with "
        'crawler = "…" in its [[source]], or set kind = "feed", "sitemap" or "docket" if it '
        "lists other pages"
    )
    added = CliRunner().invoke(
        app, ["--db", str(db), "add", f"{api}/sitemap-news.xml", "--allow-host", "127.0.0.1"]
    )
    assert added.exit_code == 2
    assert added.stderr.strip().endswith(
        "unsupported content (application/xml); use --crawler to choose one"
    )


def test_a_dead_link_cannot_take_a_feed_s_follow_budget_night_after_night(
    tmp_path: Path, api: str
) -> None:
    sources = (
        '[[source]]\nname = "f"\nkind = "feed"\nurl = "{base}/dead-link-rss.xml"\nfollow = 1\n'
    )
    gone = f"{api}/taken-down.html"
    nights = [crawl(tmp_path, api, sources) for _ in range(3)]
    outcomes = [report["sources"][0] for _, report, _ in nights]
    assert [(o["documents_new"], o["documents_failed"]) for o in outcomes] == [
        (0, 1),  # the dead link, first in the feed, fails
        (1, 0),  # the next night the new article goes first
        (0, 1),  # and then the dead link is tried again
    ]
    db = nights[-1][2]
    (failure,) = open_db(db).query("SELECT url, failures, error FROM fetch_failures")
    assert failure == {"url": gone, "failures": 2, "error": f"{gone}: HTTP 404"}
    fetched = [path for path, _ in API.requests if path.endswith(".html")]
    assert fetched == ["/taken-down.html", "/news-cash-cow.html", "/taken-down.html"]


def test_a_listed_page_robots_txt_disallows_is_not_a_failure_nor_first_in_line(
    tmp_path: Path, api: str
) -> None:
    """Not fetching it is our rule, not the page's failure: the source stays ok night after
    night, the outcome counts it, and it goes after the pages never tried."""
    sources = '[[source]]\nname = "f"\nkind = "feed"\nurl = "{base}/robots-rss.xml"\nfollow = 1\n'
    nights = [crawl(tmp_path, api, sources) for _ in range(2)]
    assert [status for status, _, _ in nights] == [0, 0]
    outcomes = [report["sources"][0] for _, report, _ in nights]
    assert [(o["status"], o["documents_disallowed"], o["documents_new"]) for o in outcomes] == [
        ("ok", 1, 0),
        ("ok", 0, 1),  # the article listed after it goes first the next night
    ]
    assert "error" not in outcomes[0]
    private = f"{api}/private/full-memo.html"
    assert not [path for path, _ in API.requests if path.startswith("/private/")]  # not asked
    (failure,) = open_db(nights[-1][2]).query("SELECT url, error FROM fetch_failures")
    assert failure == {
        "url": private,
        "error": f"{private}: robots.txt of {api} disallows {private}",
    }


def test_a_page_gone_three_nights_in_a_row_is_given_up(tmp_path: Path, api: str) -> None:
    """A publisher's dead link is reported until it has 404ed three times, then no longer
    fetched: the operator is told once, not every night."""
    sources = '[[source]]\nname = "f"\nkind = "feed"\nurl = "{base}/dead-link-rss.xml"\n'
    nights = [crawl(tmp_path, api, sources) for _ in range(4)]
    outcomes = [report["sources"][0] for _, report, _ in nights]
    assert [status for status, _, _ in nights] == [1, 1, 1, 0]
    assert [(o["documents_failed"], o["documents_gone"]) for o in outcomes] == [
        (1, 0),
        (1, 0),
        (1, 0),
        (0, 1),
    ]
    gone = f"{api}/taken-down.html"
    assert outcomes[0]["error"] == f"{gone}: HTTP 404"
    assert outcomes[2]["error"] == (
        f"{gone}: HTTP 404 (3 times in a row: given up, not fetched again)"
    )
    assert "error" not in outcomes[3]
    fetched = [path for path, _ in API.requests if path == "/taken-down.html"]
    assert len(fetched) == 3


def crawl_feeds(tmp_path: Path, api: str, *names: str) -> list[dict[str, Any]]:
    """Crawl a feed source for each of these files of the test server, one of which fails;
    their outcomes."""
    sources = "".join(
        f'[[source]]\nname = "{name}"\nkind = "feed"\nurl = "{{base}}/{name}"\n\n' for name in names
    )
    status, report, _ = crawl(tmp_path, api, sources)
    assert status == 1
    return list(report["sources"])


def test_a_feed_source_that_is_a_page_fails_and_an_empty_feed_does_not(
    tmp_path: Path, api: str
) -> None:
    page, rss, atom = crawl_feeds(
        tmp_path, api, "news-cash-cow.html", "empty-rss.xml", "empty-atom.xml"
    )
    assert page["status"] == "failed" and "not an RSS or Atom feed" in page["error"]
    assert (rss["status"], rss["discovered"]) == (atom["status"], atom["discovered"]) == ("ok", 0)


def test_a_listing_deferred_or_failed_at_discovery_has_every_listing_key(
    tmp_path: Path, api: str
) -> None:
    busy, gone, good = crawl_feeds(
        tmp_path, api, "busy-feed.xml", "no-such-feed.xml", "outlet-rss.xml"
    )
    assert (busy["status"], busy["outcome"]) == ("deferred", "deferred")
    assert "deferred to the next run" in busy["error"]
    assert (gone["status"], gone["outcome"], gone["error"]) == (
        "failed",
        "failed",
        f"{api}/no-such-feed.xml: HTTP 404",
    )
    assert (good["status"], good["outcome"]) == ("ok", "new")
    assert set(busy) == set(gone) == {*good, "error"}
    for outcome in (busy, gone):
        assert outcome["discovered"] == outcome["documents_failed"] == outcome["documents_new"] == 0
        assert outcome["search_fallback"] is False


def test_a_malformed_url_in_a_sitemap_costs_only_itself(tmp_path: Path, api: str) -> None:
    sources = '[[source]]\nname = "s"\nkind = "sitemap"\nurl = "{base}/sitemap-broken-loc.xml"\n'
    status, report, db = crawl(tmp_path, api, sources)
    assert status == 1
    (outcome,) = report["sources"]
    assert (outcome["discovered"], outcome["documents_new"], outcome["documents_failed"]) == (
        2,
        1,
        1,
    )
    assert outcome["error"] == "http://[oops/story: not a URL: Invalid IPv6 URL"
    (run,) = open_db(db).query("SELECT status, finished_at, sources_failed FROM crawl_runs")
    assert run["status"] == "failed" and run["finished_at"] and run["sources_failed"] == 1


def test_a_malformed_document_url_in_a_docket_costs_only_itself(
    tmp_path: Path, api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COURTLISTENER_API_TOKEN", TOKEN)
    status, report, db = crawl(tmp_path, api, DOCKET.replace("docket=69013420", "docket=1"))
    assert status == 1
    (outcome,) = report["sources"]
    assert (outcome["discovered"], outcome["documents_new"], outcome["documents_failed"]) == (
        2,
        1,
        1,
    )
    assert outcome["error"].startswith("http://[oops/api/rest/v4/recap-documents/405833920/: ")
    (document,) = open_db(db).query("SELECT crawler FROM documents")
    assert document["crawler"] == "courtlistener"


def test_a_listing_nested_too_deeply_fails_its_source_and_the_crawl_goes_on(
    tmp_path: Path, api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Listings are parsed in a contained child, as pages are: a listing that makes the
    parser raise what it should not (RecursionError here) fails its own source only."""
    monkeypatch.setenv("COURTLISTENER_API_TOKEN", TOKEN)
    deep = DOCKET.replace("docket=69013420", "docket=2").replace("musk-v-altman", "deep")
    status, report, _ = crawl(tmp_path, api, deep + DOCKET)
    assert status == 1
    nested, good = report["sources"]
    assert (nested["status"], nested["discovered"]) == ("failed", 0)
    assert "nested too deeply" in nested["error"]
    assert (good["status"], good["documents_new"]) == ("ok", 2)  # the complaint and exhibit


def test_a_source_whose_crawl_raises_a_bug_fails_alone_with_every_key(
    tmp_path: Path, api: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Fault injection: no input of ours is known to make the crawl of a source raise what
    is not a ProvenanceError, so one is made to. That source fails, with the keys its kind
    always has; the others are crawled and the run is closed."""

    def faulty(db: Any, client: Any, **source: Any) -> dict[str, Any]:
        if source["name"] == "faulty":
            raise KeyError("a bug")
        return crawl_listing(db, client, **source)

    monkeypatch.setattr("provenance.crawl.crawl_listing", faulty)
    feed = '[[source]]\nname = "{name}"\nkind = "feed"\nurl = "{{base}}/outlet-rss.xml"\n\n'
    sources = feed.format(name="faulty") + feed.format(name="good")
    status, report, db = crawl(tmp_path, api, sources)
    assert status == 1
    broken, good = report["sources"]
    assert (broken["status"], broken["outcome"], good["status"]) == ("failed", "failed", "ok")
    assert broken["error"] == ("internal error (KeyError: 'a bug'); the traceback is on stderr")
    assert set(broken) == {*good, "error"}
    assert broken["discovered"] == broken["documents_new"] == 0
    (run,) = open_db(db).query("SELECT status, finished_at, sources_failed FROM crawl_runs")
    assert run["status"] == "failed" and run["finished_at"] and run["sources_failed"] == 1
    assert "KeyError: 'a bug'" in caplog.text  # the traceback, logged


def test_a_child_sitemap_that_is_gone_costs_only_itself(tmp_path: Path, api: str) -> None:
    sources = '[[source]]\nname = "s"\nkind = "sitemap"\nurl = "{base}/sitemap-index-partial.xml"\n'
    status, report, db = crawl(tmp_path, api, sources)
    assert status == 1
    (outcome,) = report["sources"]
    assert (outcome["discovered"], outcome["documents_new"]) == (1, 1)
    assert (outcome["listings_failed"], outcome["documents_failed"]) == (1, 0)
    assert outcome["error"] == f"{api}/sitemap-2019.xml: HTTP 404"
    urls = [row["url"] for row in open_db(db).query("SELECT url FROM documents")]
    assert urls == [f"{api}/news-cash-cow.html"]  # named by the gzipped child


def test_a_bad_follow_or_kind_is_an_input_error(tmp_path: Path) -> None:
    config = tmp_path / "sources.toml"
    config.write_text('[[source]]\nname = "x"\nurl = "https://x.example/"\nkind = "blog"\n')
    result = CliRunner().invoke(
        app, ["--db", str(tmp_path / "x.db"), "crawl", "--config", str(config)]
    )
    assert result.exit_code == 2 and "unknown source kind 'blog'" in result.stderr


def test_the_example_sources_file_loads_and_is_in_the_readme() -> None:
    sources = load_sources(ROOT / "sources.example.toml")
    kinds = {source.kind for source in sources}
    assert kinds == {"page", "feed", "docket"}
    docket = next(s for s in sources if s.kind == "docket")
    assert "docket=69013420" in docket.url
    assert "sources.example.toml" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_crawl_loop_takes_every_crawler_s_fixture_over_http(tmp_path: Path, api: str) -> None:
    """A page source per fixture, served over HTTP; each lands, parsed by its own crawler."""
    fixtures = [
        path
        for path in sorted(CRAWLER_FIXTURES.glob("*/*"))
        if path.name != "sources.json" and ".expected." not in path.name
    ]
    entries = "".join(
        f'[[source]]\nname = "{path.parent.name}-{path.name}"\n'
        f'url = "{{base}}/crawlers/{path.parent.name}/{path.name}"\n\n'
        for path in fixtures
    )
    status, report, db = crawl(tmp_path, api, entries)
    assert status == 0, [o for o in report["sources"] if o["status"] != "ok"]
    crawled = {row["crawler"] for row in open_db(db).query("SELECT crawler FROM documents")}
    assert crawled == {path.parent.name for path in fixtures}
