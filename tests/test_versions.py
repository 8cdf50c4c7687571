"""Versions over real HTTP: a second crawl costs 304s and stores nothing; an edited page
becomes exactly one new version that history and diff show; a quote only the original
wording holds still traces to that version, named in the result."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from provenance.cli import app
from provenance.demo import build_demo_site, serve
from provenance.models import Capture, Document, Unit
from provenance.storage import open_db, save_document

ORIGINAL = "A for-profit pivot might create a more sustainable revenue stream over time"
EDITED = "A for-profit pivot could create a steadier revenue stream over time"


class Recording(SimpleHTTPRequestHandler):
    """Serves files and records the status of every response."""

    statuses: list[int]

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        self.statuses.append(int(code))

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, str, list[int]]]:
    """A copy of the demo corpus served on 127.0.0.1: its folder, base URL and statuses."""
    folder = tmp_path / "site"
    folder.mkdir()
    build_demo_site(folder)
    statuses: list[int] = []
    handler = type("Handler", (Recording,), {"statuses": statuses})
    with serve(partial(handler, directory=str(folder))) as base:
        yield folder, base, statuses


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), *args])


def test_crawl_twice_then_edit_then_crawl(
    tmp_path: Path, site: tuple[Path, str, list[int]]
) -> None:
    folder, base, statuses = site
    config = tmp_path / "sources.toml"
    config.write_text((folder / "sources.toml").read_text().replace("{base}", base))
    db = tmp_path / "versions.db"
    url = f"{base}/openai-and-elon-musk.html"

    assert run(db, "crawl", "--config", str(config)).exit_code == 0
    statuses.clear()
    second = run(db, "crawl", "--config", str(config), "--json")
    assert second.exit_code == 0
    outcomes = [s["outcome"] for s in json.loads(second.stdout)["sources"]]
    assert outcomes == ["not_modified"] * len(outcomes) and len(outcomes) == 6
    assert statuses.count(304) == 6 and 200 not in statuses  # robots.txt is a 404

    page = folder / "openai-and-elon-musk.html"
    page.write_text(page.read_text().replace(ORIGINAL, EDITED))
    later = page.stat().st_mtime + 10
    os.utime(page, (later, later))
    third = run(db, "crawl", "--config", str(config), "--json")
    assert [s["outcome"] for s in json.loads(third.stdout)["sources"]].count("new") == 1

    history = json.loads(run(db, "history", url, "--json").stdout)
    assert [v["version"] for v in history] == [1, 2]
    assert history[0]["sha256"] != history[1]["sha256"]
    shown = run(db, "diff", url).stdout
    removed = [line for line in shown.splitlines() if line.startswith("-") and "more sus" in line]
    added = [line for line in shown.splitlines() if line.startswith("+") and "steadier" in line]
    assert len(removed) == 1 and len(added) == 1, shown

    traced = run(db, "trace", ORIGINAL, "--speaker", "Elon Musk", "--json")
    best = json.loads(traced.stdout)["best"]
    assert best["verdict"].startswith("verbatim")
    assert best["document"]["version"] == 1 and best["document"]["url"] == url

    page.write_text(page.read_text().replace(EDITED, ORIGINAL))  # the edit is taken back
    os.utime(page, (later + 10, later + 10))
    fourth = json.loads(run(db, "crawl", "--config", str(config), "--json").stdout)
    reverted = next(s for s in fourth["sources"] if s["url"] == url)
    assert (reverted["outcome"], reverted["version"]) == ("new", 3)
    history = json.loads(run(db, "history", url, "--json").stdout)
    assert [v["version"] for v in history] == [1, 2, 3]
    assert history[2]["sha256"] == history[0]["sha256"]
    shown = run(db, "diff", url).stdout
    assert [line for line in shown.splitlines() if line.startswith("+") and "more sus" in line]


def test_history_of_an_unknown_url_is_one_line(tmp_path: Path) -> None:
    open_db(tmp_path / "empty.db")
    result = run(tmp_path / "empty.db", "history", "https://example.org/none")
    assert result.exit_code == 2 and "no stored versions" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_history_of_a_path_no_file_can_stand_at_or_of_nothing_is_one_line(
    tmp_path: Path,
) -> None:
    """A loop of symbolic links was a traceback; an empty name was "error: : no stored
    versions"; a stray space before a URL hid it."""
    db = tmp_path / "p.db"
    save_captures(db, "https://example.org/once", b"<p>Said once.</p>")
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    looped = run(db, "history", str(tmp_path / "loop1"))
    assert looped.exit_code == 2 and "no stored versions" in looped.stderr
    empty = run(db, "history", " ")
    assert (empty.exit_code, empty.stderr) == (
        2, "error: give the URL as crawled or added, or the path of a file added\n"
    )  # fmt: skip
    assert run(db, "history", " https://example.org/once ").exit_code == 0


def save_captures(db: Path, url: str, *contents: bytes) -> None:
    """One version per capture, each parsed to the same text."""
    text = "Said once, and never changed since."
    document = Document(
        url, "article", "secondary", "Once", text, (Unit("paragraph", 0, len(text)),)
    )
    for content in contents:
        fetched_at = "2026-11-26T00:00:00+00:00"
        capture = Capture(url=url, final_url=url, fetched_at=fetched_at, content=content)
        save_document(open_db(db), capture, document, [])


def test_a_diff_of_a_url_with_one_version_says_so(tmp_path: Path) -> None:
    url = "https://example.org/once"
    save_captures(tmp_path / "once.db", url, b"x")
    result = run(tmp_path / "once.db", "diff", url)
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"error: {url}: only one version is stored (version 1): nothing to compare\n"
    )


@pytest.mark.parametrize(
    ("captures", "versions", "error"),
    [
        ((b"x",), ("1",), "only one version is stored (version 1): nothing to compare"),
        ((b"x", b"y"), ("2",), "version 2 would be compared with itself; give two versions"),
        ((b"x", b"y"), ("1", "1"), "version 1 would be compared with itself; give two versions"),
    ],
)
def test_a_diff_of_a_version_with_itself_is_refused(
    tmp_path: Path, captures: tuple[bytes, ...], versions: tuple[str, ...], error: str
) -> None:
    """`diff URL 1` of a page with one version compared it with itself and said "no
    differences": an answer to a question that was a mistake."""
    url = "https://example.org/once"
    save_captures(tmp_path / "self.db", url, *captures)
    result = run(tmp_path / "self.db", "diff", url, *versions)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {url}: {error}\n")


def test_a_diff_of_versions_with_the_same_text_says_so(tmp_path: Path) -> None:
    """It printed nothing: an empty patch, but to a reader, no answer."""
    url = "https://example.org/reformatted"
    save_captures(tmp_path / "same.db", url, b"x", b"y", b"z")
    result = run(tmp_path / "same.db", "diff", url, "1", "3")
    assert (result.exit_code, result.stdout) == (0, "")  # still an empty patch when piped
    assert result.stderr == "no differences between version 1 and version 3\n"


def test_diff_and_history_are_data_not_wrapped_when_piped(tmp_path: Path) -> None:
    """Under CliRunner stdout is not a terminal, as in `diff URL > d.patch`."""
    url = "https://example.org/long"
    title = "A title long enough that a console eighty columns wide would wrap it somewhere"
    before = "The board said\tthat the plan :smile: was " + "a careful step, " * 12 + "not a leap."
    after = before.replace("careful", "cautious", 1)
    db = tmp_path / "wide.db"
    for text in (before, after):
        save_document(
            open_db(db),
            Capture(
                url=url,
                final_url=url,
                fetched_at="2026-11-26T00:00:00+00:00",
                content=text.encode(),
            ),
            Document(url, "article", "secondary", title, text, (Unit("paragraph", 0, len(text)),)),
            [],
        )
    lines = run(db, "diff", url).stdout.splitlines()
    assert f"-{before}" in lines and f"+{after}" in lines and len(lines) == 5
    history = run(db, "history", url).stdout.splitlines()
    assert len(history) == 2 and all(line.endswith(title) for line in history)


def test_two_captures_in_the_same_second_trace_to_the_later_version(tmp_path: Path) -> None:
    """Fetch times are kept to the second: two versions captured within one both hold the
    quote, and the match is the newer version's, as `chain` and `trace` name it."""
    url, when = "https://example.org/press", "2026-11-27T16:09:01+00:00"
    db = open_db(tmp_path / "same-second.db")
    for role in ("chief executive", "chief operating officer"):
        text = f"Our {role} said that {ORIGINAL} and would bring in investment."
        document = Document(
            url, "article", "primary", "Press", text, (Unit("paragraph", 0, len(text)),)
        )
        save_document(db, Capture(url, url, when, text.encode()), document, [])
    result = json.loads(run(tmp_path / "same-second.db", "trace", ORIGINAL, "--json").stdout)
    assert result["best"]["document"]["version"] == 2


MINUTES = (
    "<html><head><title>Minutes</title></head><body><article><p>{}</p></article></body></html>"
)
SAID = "The board met on Tuesday and said the plan was “a careful step, not a leap”, it seems."


def test_spellings_of_one_url_are_one_page_with_one_history(
    tmp_path: Path, site: tuple[Path, str, list[int]]
) -> None:
    """A fragment is never sent and the scheme is case-insensitive: each was a document of
    its own, with its own version 1, and history by one spelling missed the others."""
    folder, base, _ = site
    page = folder / "minutes.html"
    page.write_text(MINUTES.format(SAID), encoding="utf-8")
    db = tmp_path / "spellings.db"
    url = f"{base}/minutes.html"

    def add(target: str) -> dict[str, Any]:
        result = run(db, "add", target, "--json", "--allow-host", "127.0.0.1")
        assert result.exit_code == 0, result.output
        (added,) = json.loads(result.stdout)
        return dict(added)

    first = add(f"{url}#a")
    assert (first["status"], first["version"], first["url"]) == ("added", 1, url)
    again = add(f"{url}#comments")  # the same bytes by another spelling
    assert (again["status"], again["version"]) == ("unchanged", 1)
    assert again["document_id"] == first["document_id"]

    page.write_text(MINUTES.format(SAID.replace("careful", "cautious")), encoding="utf-8")
    second = add(url.replace("http://", "HTTP://"))
    assert (second["status"], second["version"], second["url"]) == ("added", 2, url)
    stored = open_db(db).execute("SELECT DISTINCT url FROM documents").fetchall()
    assert stored == [(url,)]

    for spelling in (url, f"{url}#top", url.replace("http://", "HTTP://") + "#"):
        history = json.loads(run(db, "history", spelling, "--json").stdout)
        assert [v["version"] for v in history] == [1, 2], spelling
    shown = run(db, "diff", f"{url}#a").stdout
    assert [line for line in shown.splitlines() if line.startswith("+") and "cautious" in line]


def test_history_and_diff_take_the_path_a_file_was_added_by(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`add site/minutes.html` stores it under its file:// URL; history and diff given the
    same path found nothing ("no stored versions") where they should find that page."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site").mkdir()
    page, db = Path("site/minutes.html"), tmp_path / "local.db"
    page.write_text(MINUTES.format(SAID), encoding="utf-8")
    assert run(db, "add", str(page)).exit_code == 0
    page.write_text(MINUTES.format(SAID.replace("careful", "cautious")), encoding="utf-8")
    assert run(db, "add", str(page)).exit_code == 0

    history = run(db, "history", str(page), "--json")
    assert history.exit_code == 0, history.output
    assert [v["version"] for v in json.loads(history.stdout)] == [1, 2]
    by_url = json.loads(run(db, "history", page.resolve().as_uri(), "--json").stdout)
    assert by_url == json.loads(history.stdout)
    shown = run(db, "diff", str(page)).stdout
    assert [line for line in shown.splitlines() if line.startswith("+") and "cautious" in line]


def test_a_url_given_for_a_file_is_stored_as_a_fetched_one_is(tmp_path: Path) -> None:
    page = tmp_path / "minutes.html"
    page.write_text(MINUTES.format(SAID), encoding="utf-8")
    db = tmp_path / "given.db"
    given = "HTTPS://Example.ORG:443/Minutes.html#p2"
    added = json.loads(run(db, "add", str(page), "--url", given, "--json").stdout)
    assert added[0]["url"] == "https://example.org/Minutes.html"
    history = json.loads(run(db, "history", "https://example.org/Minutes.html", "--json").stdout)
    assert [v["version"] for v in history] == [1]


def test_a_url_stored_under_a_spelling_of_its_own_is_found_by_that_spelling(
    tmp_path: Path,
) -> None:
    """Rows stored before URLs were stored in one form are never rewritten: the spelling
    they were stored under still finds them, until the page is stored in its stored form."""
    db = tmp_path / "old.db"
    old = "https://Example.ORG/story#top"
    save_captures(db, old, b"x", b"y")
    history = json.loads(run(db, "history", old, "--json").stdout)
    assert [v["version"] for v in history] == [1, 2]
    assert open_db(db).execute("SELECT DISTINCT url FROM documents").fetchall() == [(old,)]

    save_captures(db, "https://example.org/story", b"z")
    history = json.loads(run(db, "history", old, "--json").stdout)
    assert [v["version"] for v in history] == [1]


NOTICE = (
    "The ferry will not run on Sundays this winter, and the timetable will be posted at "
    "the harbour office as soon as the crew rota is settled."
)
NOTICE_URL = "https://ferry.example/notice"


def add_notice(db: Path, page: Path, text: str, *role: str) -> None:
    """Write the notice page with this text and add it as NOTICE_URL, with the role given."""
    page.write_text(MINUTES.format(text), encoding="utf-8")
    added = run(db, "add", str(page), "--url", NOTICE_URL, *role)
    assert added.exit_code == 0, added.output


def test_a_changed_primary_page_added_again_without_a_role_stays_primary(tmp_path: Path) -> None:
    """The new version took the crawler's default, secondary, and the quotes of the page's
    words were no longer found: the first version's were shadowed by the second's."""
    db, page = tmp_path / "notice.db", tmp_path / "notice.html"
    add_notice(db, page, NOTICE, "--role", "primary")
    add_notice(db, page, NOTICE.replace("is settled", "has been agreed"))
    roles = open_db(db).execute("SELECT role FROM documents ORDER BY version").fetchall()
    assert roles == [("primary",), ("primary",)]
    for quote, version in ((NOTICE, 1), (NOTICE.replace("is settled", "has been agreed"), 2)):
        result = json.loads(run(db, "trace", quote, "--json").stdout)
        assert (result["status"], result["best"]["document"]["version"]) == ("found", version)


def test_words_of_an_older_primary_version_trace_to_it_past_a_secondary_one(
    tmp_path: Path,
) -> None:
    """A version stored secondary on purpose holds the same words: the primary version
    before it is still their source."""
    db, page = tmp_path / "notice.db", tmp_path / "notice.html"
    add_notice(db, page, NOTICE, "--role", "primary")
    add_notice(db, page, NOTICE.replace("winter", "winter season"), "--role", "secondary")
    quote = "the timetable will be posted at the harbour office as soon as the crew rota is settled"
    result = json.loads(run(db, "trace", quote, "--json").stdout)
    assert (result["status"], result["best"]["document"]["version"]) == ("found", 1)
