"""The three front doors end to end: crawl over real HTTP on 127.0.0.1, add, trace, check,
and every kind of bad input ending as one line on stderr, exit 2, nothing written."""

from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from misbehaving_server import misbehaving_server
from typer.testing import CliRunner, Result

from crawlers.fetch import Policy, make_client
from provenance.cli import app
from provenance.demo import DEMO
from provenance.ingest import Overrides, capture, ingest
from provenance.models import REDACTED
from provenance.storage import open_db, quotes_behind

README_TEXT = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
CANONICAL = (
    "A for-profit pivot might create a more sustainable revenue stream over time and would, "
    "with the current team, likely bring in a lot of investment."
)


def run(db: Path, *args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), *args], input=input)


def write_sources(tmp_path: Path, base: str, extra: str = "") -> Path:
    config = tmp_path / "sources.toml"
    template = (DEMO / "sources.toml").read_text(encoding="utf-8") + extra
    config.write_text(template.replace("{base}", base), encoding="utf-8")
    return config


def rows(db: Path, sql: str) -> list[dict[str, Any]]:
    return list(open_db(db).query(sql))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, demo_server: str) -> Path:
    """The demo corpus crawled once over HTTP into a real database."""
    tmp = tmp_path_factory.mktemp("demo")
    db = tmp / "demo.db"
    result = run(db, "crawl", "--config", str(write_sources(tmp, demo_server)))
    assert result.exit_code == 0, result.output + result.stderr
    return db


def test_version_needs_no_command() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("provenance ")


def test_output_to_a_pipe_keeps_each_line_whole(demo_db: Path) -> None:
    """Cron mail and saved reports get whole lines: rich wraps at 80 columns off a
    terminal, which split a deep link in the chain's tree in two."""
    done = subprocess.run(
        [sys.executable, "-m", "provenance", "--db", str(demo_db), "chain", CANONICAL],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "#:~:text=A%20for%2Dprofit%20pivot%20might,a%20lot%20of%20investment." in done.stdout
    assert not [line for line in done.stdout.splitlines() if line.endswith(" ")]


def test_trace_the_canonical_quote(demo_db: Path) -> None:
    result = run(
        demo_db,
        "trace",
        "A for-profit pivot might create a more sustainable revenue stream",
        "--speaker",
        "Elon Musk",
        "--date",
        "2018-01-31",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == "found"
    best = data["best"]
    assert best["verdict"] in ("verbatim", "verbatim_truncated")
    assert (
        best["matched_text"] == "A for-profit pivot might create a more sustainable revenue stream"
    )
    assert best["unit"]["kind"] == "email"
    assert best["unit"]["author"] == "[redacted]"
    assert best["unit"]["forwarded_by"] == "Elon Musk"
    assert best["unit"]["date"].startswith("2018-01-31")
    assert best["unit"]["forwarded_at"].startswith("2018-02-01")
    assert best["document"]["role"] == "primary"
    assert best["link"].endswith(
        "#:~:text=A%20for%2Dprofit%20pivot%20might,more%20sustainable%20revenue%20stream"
    )
    assert "misattributed" in data["flags"] and "forwarded" in data["flags"]
    assert "date_mismatch" not in data["flags"]
    assert [hop["kind"] for hop in data["chain"]] == ["source_document", "source_unit"]
    assert any("forwarded these words" in line for line in data["explanation"])


def test_an_article_matched_is_not_checked_as_a_source(demo_db: Path) -> None:
    """An article's byline is its writer, not the speaker: a speaker checked against it was
    flagged misattributed, and the browse view named the journalist the "true author"."""
    quote = "A for-profit pivot might create a more sustainable revenue stream"
    data = json.loads(run(demo_db, "trace", quote, "--speaker", "Elon Musk", "--json").stdout)
    articles = [m for m in data["matches"] if m["document"]["role"] == "secondary"]
    assert articles and all(m["flags"] == [] for m in articles)


def test_trace_human_output_says_it_plainly(demo_db: Path) -> None:
    result = run(demo_db, "trace", CANONICAL, "--speaker", "Elon Musk", "--date", "2018-02-01")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "FOUND verbatim score 100.0 [forwarded] [misattributed]" in text
    assert "Forwarded by Elon Musk on 2018-02-01" in text
    assert "misattributed" in text
    assert "that is the date of the forward" in text
    assert "forwarded 2018-02-01 03:52 by Elon Musk) [verbatim]" in text  # how the unit holds them


def test_check_the_opinion_piece(demo_db: Path, demo_server: str) -> None:
    result = run(
        demo_db, "check", f"{demo_server}/opinion.html", "--json", "--allow-host", "127.0.0.1"
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["document"]["role"] == "secondary"
    pull = next(q for q in data["quotes"] if q["form"] == "pull")
    assert pull["quote"] == CANONICAL
    assert (pull["speaker"], pull["claimed_date"]) == ("Elon Musk", "2018-01-31")
    assert pull["status"] == "found" and pull["best"]["verdict"] == "verbatim"
    assert "misattributed" in pull["flags"]
    chain = pull["chain"]
    assert [hop["kind"] for hop in chain] == ["article", "source_document", "source_unit"]
    assert chain[0]["url"] == f"{demo_server}/opinion.html"
    assert chain[1]["url"] == f"{demo_server}/openai-and-elon-musk.html"
    assert chain[1]["linked"] is True
    assert chain[2]["author"] == "[redacted]"
    assert (chain[2]["forwarded_by"], chain[2]["forwarded_at"]) == ("Elon Musk", "2018-02-01T03:52")
    assert chain[1]["forwarded_by"] is None
    assert data["summary"]["not_found"] >= 1, "the made-up quip must not be matched"
    quip = next(q for q in data["quotes"] if q["status"] == "not_found")
    assert quip["best"] is None and quip["chain"] == []


def test_the_source_document_hop_says_how_it_holds_the_quote_in_trace_as_in_check(
    demo_db: Path,
) -> None:
    """trace gave the source document's hop no verdict where check gave "verbatim"."""
    (document,) = rows(demo_db, "SELECT id FROM documents WHERE url LIKE '%/opinion.html'")
    checked = json.loads(run(demo_db, "check", str(document["id"]), "--json").stdout)
    pull = next(q for q in checked["quotes"] if q["form"] == "pull")
    traced = json.loads(run(demo_db, "trace", CANONICAL, "--json").stdout)
    hops = [{h["kind"]: h for h in result["chain"]} for result in (pull, traced)]
    assert [h["source_document"]["verdict"] for h in hops] == ["verbatim", "verbatim"]
    assert [h["source_unit"]["verdict"] for h in hops] == ["verbatim", "verbatim"]
    assert hops[0]["article"]["verdict"] is None  # the quote is the article's own


def test_checks_tally_names_the_quotes_found_credited_to_the_wrong_person(
    demo_db: Path,
) -> None:
    """The tally said "1 found" of the opinion piece, as if its quote checked out: the
    misattributed one was told only in the quote's own lines, further down."""
    (document,) = rows(demo_db, "SELECT id FROM documents WHERE url LIKE '%/opinion.html'")
    shown = run(demo_db, "check", str(document["id"]))
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout.splitlines()[1] == "2 quote(s): 1 found (1 misattributed), 1 not found"


def test_checks_tally_names_the_quotes_found_under_the_wrong_date(tmp_path: Path) -> None:
    db, statement, column = tmp_path / "d.db", tmp_path / "s.txt", tmp_path / "c.txt"
    said = "We will publish every email in full next week"
    statement.write_text(f"A statement\n\n{said}, the company said today.\n")
    added = run(db, "add", str(statement), "--published", "2024-03-05", "--role", "primary")
    assert added.exit_code == 0, added.stderr
    column.write_text(f'Column\n\nOn March 1, 2024, Example Corp said: "{said}."\n')
    shown = run(db, "check", str(column))
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout.splitlines()[1] == "1 quote(s): 1 found (1 misdated), 0 not found"


def test_check_a_stored_document_by_id(demo_db: Path) -> None:
    (document,) = rows(demo_db, "SELECT id FROM documents WHERE url LIKE '%/opinion.html'")
    result = run(demo_db, "check", str(document["id"]), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["document"]["id"] == document["id"]


def test_check_of_a_primary_source_says_why_it_has_no_quotes(demo_db: Path) -> None:
    """It printed "0 quote(s): 0 found, 0 not found" and no more, as if none were printed."""
    (document,) = rows(demo_db, "SELECT id FROM documents WHERE url LIKE '%/openai-and-elon%'")
    shown = run(demo_db, "check", str(document["id"]))
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout.splitlines()[1:3] == [
        "0 quote(s): 0 found, 0 not found",
        "A primary source: quotes are extracted from articles (secondary) only.",
    ]


def test_check_of_a_changed_source_keeps_it_a_source(tmp_path: Path) -> None:
    """Checking a primary source's file after it gained a paragraph stored the new version
    as an article, so quotes of that paragraph were no longer found."""
    db, source = tmp_path / "p.db", tmp_path / "statement.txt"
    source.write_text("Board statement\n\nThe board will publish its accounts every spring.\n")
    assert run(db, "add", str(source), "--role", "primary").exit_code == 0
    added = "The audit committee meets in public from next year onwards, every quarter."
    source.write_text(source.read_text() + f"\n{added}\n")
    shown = run(db, "check", str(source))
    assert shown.exit_code == 0, shown.stderr
    assert "A primary source: quotes are extracted" in shown.stdout
    assert [r["role"] for r in rows(db, "SELECT role FROM documents ORDER BY id")] == [
        "primary",
        "primary",
    ]
    assert run(db, "trace", added).exit_code == 0


def test_check_stores_a_new_page_as_an_article(tmp_path: Path) -> None:
    db, source, page = tmp_path / "p.db", tmp_path / "minutes.txt", tmp_path / "column.txt"
    source.write_text("Minutes\n\nThe council will rebuild the harbour wall by spring.\n")
    assert run(db, "add", str(source), "--role", "primary").exit_code == 0
    page.write_text('Column\n\nThe mayor said "we will rebuild the harbour wall by spring".\n')
    assert run(db, "check", str(page), "--json").exit_code == 0, "its quote is found"
    assert [r["role"] for r in rows(db, "SELECT role FROM documents ORDER BY id")] == [
        "primary",
        "secondary",
    ]


def test_crawl_stores_the_matches_and_a_run(demo_db: Path) -> None:
    (run_row,) = rows(demo_db, "SELECT * FROM crawl_runs")
    assert run_row["status"] == "ok" and run_row["sources"] == 6 and run_row["documents_new"] == 6
    assert run_row["finished_at"] is not None
    flagged = rows(
        demo_db,
        """SELECT q.speaker, u.author, u.forwarded_by FROM matches m
           JOIN quotes q ON q.id = m.quote_id JOIN units u ON u.id = m.unit_id
           WHERE m.rank = 1 AND m.flags LIKE '%misattributed%'""",
    )
    assert {"speaker": "Elon Musk", "author": "[redacted]", "forwarded_by": "Elon Musk"} in flagged


def test_a_second_crawl_stores_nothing_new(tmp_path: Path, demo_server: str) -> None:
    db = tmp_path / "twice.db"
    config = write_sources(tmp_path, demo_server)
    assert run(db, "crawl", "--config", str(config)).exit_code == 0
    second = run(db, "crawl", "--config", str(config), "--json")
    assert second.exit_code == 0
    outcomes = json.loads(second.stdout)["sources"]
    assert all(o["documents_unchanged"] == 1 for o in outcomes)
    assert len(rows(db, "SELECT id FROM documents")) == 6


def test_a_failing_source_is_reported_and_the_others_still_land(
    tmp_path: Path, demo_server: str
) -> None:
    db = tmp_path / "failing.db"
    extra = '\n[[source]]\nname = "gone"\nurl = "{base}/no-such-page.html"\n'
    result = run(db, "crawl", "--config", str(write_sources(tmp_path, demo_server, extra)))
    assert result.exit_code == 1
    assert "gone" in result.stderr and "HTTP 404" in result.stderr
    assert len(rows(db, "SELECT id FROM documents")) == 6
    (run_row,) = rows(db, "SELECT status, sources_failed, report FROM crawl_runs")
    assert run_row["status"] == "failed" and run_row["sources_failed"] == 1
    assert "HTTP 404" in run_row["report"]


def test_a_crawl_while_another_holds_the_lock_exits_75(tmp_path: Path, demo_server: str) -> None:
    """Through a symbolic link to the database too, and before the database is made: a
    crawl through a link took a lock of its own, and two crawls of a new database both
    made its tables, one failing on the other's."""
    db = tmp_path / "locked.db"
    link = tmp_path / "elsewhere" / "link.db"
    link.parent.mkdir()
    link.symlink_to(db)
    sources = str(write_sources(tmp_path, demo_server))
    with (tmp_path / "locked.db.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        results = [run(path, "crawl", "--config", sources) for path in (db, link)]
    assert [result.exit_code for result in results] == [75, 75]
    assert all("another crawl is running" in result.stderr for result in results)
    assert not db.exists()


def test_add_a_url_a_file_and_a_directory(tmp_path: Path, demo_server: str) -> None:
    db = tmp_path / "add.db"
    result = run(
        db,
        "add",
        f"{demo_server}/openai-and-elon-musk.html",
        "--crawler",
        "openai_emails",
        "--allow-host",
        "127.0.0.1",
    )
    assert result.exit_code == 0, result.stderr
    assert "added: " in result.stdout
    article = tmp_path / "articles" / "story.html"
    article.parent.mkdir()
    article.write_bytes((DEMO / "news-cash-cow.html").read_bytes())
    result = run(db, "add", str(article.parent), "--json")
    assert result.exit_code == 0, result.stderr
    (added,) = json.loads(result.stdout)
    assert added["target"] == str(article)  # the directory's file, not the directory
    assert added["url"] == article.resolve().as_uri()
    assert added["quotes"] >= 1 and added["quotes_found"] >= 1
    again = run(db, "add", str(article), "--json")
    (unchanged,) = json.loads(again.stdout)
    assert unchanged["status"] == "unchanged"
    assert unchanged["quotes_found"] == added["quotes_found"]  # it was 0: not matched again


def test_a_malformed_url_in_an_add_batch_costs_only_itself(
    tmp_path: Path, demo_server: str
) -> None:
    db = tmp_path / "batch.db"
    good = f"{demo_server}/news-cash-cow.html"
    result = run(db, "add", "http://[oops/", good, "--allow-host", "127.0.0.1")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: http://[oops/: not a URL: Invalid IPv6 URL"
    assert rows(db, "SELECT url FROM documents") == [{"url": good}]


def test_an_empty_or_undecodable_file_is_one_line_on_the_real_stderr(tmp_path: Path) -> None:
    """In a real process: the parser runs in a child whose stderr CliRunner cannot see."""
    (tmp_path / "zero.html").write_bytes(b"")
    (tmp_path / "bom.html").write_bytes(b"\xff\xfe")  # a BOM and nothing after it
    result = subprocess.run(
        [
            *(sys.executable, "-m", "provenance", "--db", str(tmp_path / "x.db"), "add"),
            *(str(tmp_path / name) for name in ("zero.html", "bom.html")),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all(line.startswith("error: ") for line in lines), lines
    assert lines[0].endswith("zero.html: empty: there is nothing to read")


def test_add_json_lists_a_target_that_failed(tmp_path: Path) -> None:
    """A failed target was only a line on stderr: a script reading the list could not
    tell it from one never asked for."""
    story = tmp_path / "story.txt"
    story.write_text("A story\n\nWe will publish every email in full next week, she said.\n")
    missing = tmp_path / "gone.txt"
    result = run(tmp_path / "add.db", "add", str(missing), str(story), "--json")
    assert result.exit_code == 2
    failed, added = json.loads(result.stdout)
    error = f"{missing}: no such file"
    assert failed == {"target": str(missing), "status": "error", "error": error}
    assert (added["target"], added["status"]) == (str(story), "added")
    assert result.stderr.strip() == f"error: {error}"


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("notaurl", "not an absolute URL (https://…, or another scheme such as urn:)"),
        (
            "example.org/statement",
            "not an absolute URL (https://…, or another scheme such as urn:)",
        ),
        ("https://exa mple.org/", "not a URL: a space in the host"),
        (
            "https://user:secret@example.org/",
            "a user name or password in a URL would be stored and shown with it",
        ),
    ],
)
def test_add_refuses_a_url_that_cannot_be_the_document_s(
    tmp_path: Path, given: str, problem: str
) -> None:
    """A document stored under "notaurl" could never be linked to: the mistake is said,
    and nothing is stored."""
    db = tmp_path / "url.db"
    note = tmp_path / "statement.txt"
    note.write_text("A statement\n\nWe will publish every email in full next week.\n")
    result = run(db, "add", str(note), "--url", given)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: --url {given!r}: {problem}"
    assert not db.exists()


def test_add_keeps_a_url_of_another_scheme(tmp_path: Path) -> None:
    db = tmp_path / "urn.db"
    note = tmp_path / "statement.txt"
    note.write_text("A statement\n\nWe will publish every email in full next week.\n")
    assert run(db, "add", str(note), "--url", "urn:example:statement-12").exit_code == 0
    assert rows(db, "SELECT url FROM documents") == [{"url": "urn:example:statement-12"}]


def test_add_with_the_metadata_a_fact_checker_knows(tmp_path: Path) -> None:
    db = tmp_path / "meta.db"
    note = tmp_path / "statement.txt"
    note.write_text(
        "A statement\n\nWe will publish every email in full next week, the company said today.\n"
    )
    result = run(
        db,
        "add",
        str(note),
        "--url",
        "https://example.org/statement",
        "--title",
        "Statement",
        "--author",
        "Example Corp",
        "--published",
        "2024-03-05",
        "--role",
        "primary",
    )
    assert result.exit_code == 0, result.stderr
    (doc,) = rows(db, "SELECT url, title, author, published_at, role FROM documents")
    assert doc == {
        "url": "https://example.org/statement",
        "title": "Statement",
        "author": "Example Corp",
        "published_at": "2024-03-05",
        "role": "primary",
    }
    quote = "We will publish every email in full next week"
    traced = run(db, "trace", quote, "--speaker", "Example Corp", "--date", "2024-03-01", "--json")
    assert json.loads(traced.stdout)["flags"] == ["date_mismatch"]  # not author_unknown


# Sources files a QA probe found were taken (and failed at fetch time, night after night,
# or were a traceback, or quietly ignored a key): file name → (TOML, the error's words).
SOURCE = '[[source]]\nname = "a"\n'
SOURCES_MISTAKES = {
    **{
        f"delay-{value}": (
            f'delay = {value}\n{SOURCE}url = "https://x.org/a"\n',
            "delay must be a number of seconds from 0 to 60",
        )
        for value in ("inf", "nan", "-5")
    },
    "agent": (
        f'user_agent = "bot\\nX-Evil: 1"\n{SOURCE}url = "https://x.org/a"\n',
        "user_agent must be one line of printable ASCII",
    ),
    "port-word": (f'{SOURCE}url = "http://127.0.0.1:abc/"\n', "the port is not a number"),
    "port-big": (f'{SOURCE}url = "http://127.0.0.1:99999/"\n', "the port is not a number"),
    "control": (f'{SOURCE}url = "https://x.org/a\\tb"\n', "a control character in it"),
    "password": (f'{SOURCE}url = "https://u:secret@x.org/a"\n', "user name or password"),
    "follow-page": (
        f'{SOURCE}url = "https://x.org/a"\nfollow = 5\n',
        "follow applies to a feed, sitemap or docket source",
    ),
    "crawler-feed": (
        f'{SOURCE}url = "https://x.org/feed"\nkind = "feed"\ncrawler = "plain_text"\n',
        "crawler applies to a page source",
    ),
}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "{tmp}/missing.html"], "no such file"),
        (["add", "http://"], "http://: not a URL: no host"),
        (["add", "https://exa mple.org/"], "not a URL: a space in the host"),
        (["add", "http://[oops/"], "http://[oops/: not a URL: Invalid IPv6 URL"),
        (["add", "ftp://example.org/x.html"], "ftp://example.org/x.html: only http(s) URLs"),
        (["check", "FTP://example.org/x.html"], "FTP://example.org/x.html: only http(s) URLs"),
        (["add", "{tmp}/report.docx"], "unsupported file type .docx"),
        (["add", "{tmp}/empty.html"], "no text found"),
        (["add", "{tmp}/photo.html"], "binary content (a PNG image)"),
        (["add", "{tmp}/dump.txt"], "binary content (binary data)"),
        (["add", "{base}/no-such-page.html", "--allow-host", "127.0.0.1"], "HTTP 404"),
        (["add", "{base}/opinion.html"], "non-public address 127.0.0.1"),
        (["check", "{base}/opinion.html"], "allow it with --allow-host"),
        (
            ["add", "{tmp}/one.txt", "{tmp}/one.txt", "--url", "https://x.org"],
            "apply to one target",
        ),
        (["add", "{tmp}/one.txt", "--published", "last week"], "is not YYYY-MM-DD"),
        (["add", "{tmp}/one.txt", "--published", "2018-02-30"], "'2018-02-30' is not a real date"),
        (["add", "{tmp}/one.txt", "--published", "2018\n"], "'2018\\n' is not YYYY-MM-DD"),
        (["trace", "attach to Tesla as its cash cow", "--date", "2018-13"], "not a real date"),
        (["add", "{tmp}/one.txt", "--crawler", "nope"], "unknown crawler 'nope'"),
        (["trace", ""], "the quote is empty"),
        (["trace", "two words"], "too short to trace"),
        (["trace", "Our . . . engineers . . . found . . . cracks"], "between its omissions"),
        (["trace", "我们今年不会提高价格。"], "written without spaces between words"),
        (["check", "{tmp}/missing.html"], "no such file"),
        (["check", "999"], "no document with id 999"),
        (["crawl", "--config", "{tmp}/missing.toml"], "no such file"),
        (["crawl", "--config", "{tmp}/bad.toml"], "not valid TOML"),
        (["crawl", "--config", "{tmp}/ftp.toml"], "source 1: url 'ftp://x.org/a': only http"),
        (["crawl", "--config", "{tmp}/ipv6.toml"], "source 1: url 'http://[oops/': not a URL"),
        (["crawl", "--config", "{tmp}/numbers.toml"], "source 1: name must be a string"),
        (["crawl", "--config", "{tmp}/crawler.toml"], "source 1: unknown crawler 'nope'"),
        (["crawl", "--config", "{tmp}/typo.toml"], "typo.toml: unknown keys allowed_hosts"),
        (["crawl", "--config", "{tmp}"], ": cannot read: Is a directory"),
        *(
            (["crawl", "--config", f"{{tmp}}/{name}.toml"], message)
            for name, (_, message) in SOURCES_MISTAKES.items()
        ),
        (["add", "http://127.0.0.1:99999/x"], "the port is not a number from 0 to 65535"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    tmp_path: Path, demo_server: str, args: list[str], message: str
) -> None:
    (tmp_path / "report.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "empty.html").write_text("<html><body>  </body></html>")
    (tmp_path / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (tmp_path / "dump.txt").write_bytes(b"Title\n\nSome text\x00\x01\x02 and more.\n")
    (tmp_path / "one.txt").write_text("Some words here.\n")
    (tmp_path / "bad.toml").write_text("[[source]\nname = ")
    (tmp_path / "ftp.toml").write_text('[[source]]\nname = "a"\nurl = "ftp://x.org/a"\n')
    (tmp_path / "ipv6.toml").write_text('[[source]]\nname = "a"\nurl = "http://[oops/"\n')
    (tmp_path / "numbers.toml").write_text("[[source]]\nname = 5\nurl = 7\n")
    (tmp_path / "typo.toml").write_text(
        'allowed_hosts = ["127.0.0.1"]\n[[source]]\nname = "a"\nurl = "https://x.org/a"\n'
    )
    (tmp_path / "crawler.toml").write_text(
        '[[source]]\nname = "a"\nurl = "https://x.org/a"\ncrawler = "nope"\n'
    )
    for name, (toml, _) in SOURCES_MISTAKES.items():
        (tmp_path / f"{name}.toml").write_text(toml)
    db = tmp_path / "bad.db"
    open_db(db)
    args = [a.replace("{tmp}", str(tmp_path)).replace("{base}", demo_server) for a in args]
    result = run(db, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert rows(db, "SELECT count(*) AS n FROM documents") == [{"n": 0}]


def test_a_stray_nul_in_an_html_page_is_dropped_not_the_page(tmp_path: Path) -> None:
    """One NUL byte (a CMS's slip) refused a good page as "binary content"; it is read
    now, the paragraph holding the NUL kept whole. Bytes that open as HTML but hold NULs
    throughout are still binary."""
    said = "We will not take chances with the spring survey, said Dana Whitfield."
    page = tmp_path / "statement.html"
    page.write_bytes(
        b'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Survey</title></head>'
        b"<body><article><h1>Survey</h1><p>\x00" + said.encode() + b"</p></article></body></html>"
    )
    db = tmp_path / "nul.db"
    result = run(db, "add", str(page), "--role", "primary", "--json")
    assert result.exit_code == 0, result.output
    texts = [r["text"] for r in rows(db, "SELECT text FROM units")]
    assert said in texts and not any("\x00" in text for text in texts)
    (tmp_path / "dump.html").write_bytes(b"<html>" + bytes(range(256)) * 32)
    refused = run(db, "add", str(tmp_path / "dump.html"))
    assert refused.exit_code == 2 and "binary content (binary data)" in refused.stderr


def test_targets_that_cannot_be_read_are_reported_and_the_others_added(tmp_path: Path) -> None:
    """An empty directory among the targets stopped the whole batch before the first; a
    name too long to look up was a traceback; a pipe named .html was read forever."""
    good = tmp_path / "statement.txt"
    good.write_text("Statement\n\nThe board will publish its accounts every spring.\n")
    (tmp_path / "empty" / ".git").mkdir(parents=True)  # a hidden folder's files are not read
    (tmp_path / "empty" / ".git" / "notes.txt").write_text("Notes\n\nNot a document.\n")
    os.mkfifo(tmp_path / "pipe.html")
    too_long = str(tmp_path / ("a" * 300 + ".html"))
    targets = [str(tmp_path / "empty"), too_long, str(tmp_path / "pipe.html"), str(good)]
    result = run(tmp_path / "p.db", "add", *targets, "--json")
    assert result.exit_code == 2, result.output
    assert [(r["target"], r["status"]) for r in json.loads(result.stdout)] == [
        (targets[0], "error"),
        (targets[1], "error"),
        (targets[2], "error"),
        (targets[3], "added"),
    ]
    assert result.stderr.splitlines() == [
        f"error: {targets[0]}: no files of a supported type (.eml, .htm, .html, .mbox, .pdf, "
        ".txt) in this directory",
        f"error: {too_long}: File name too long",
        f"error: {targets[2]}: not a regular file",
    ]


def test_a_folder_that_cannot_be_listed_is_reported_not_skipped(tmp_path: Path) -> None:
    """A folder inside a target directory that could not be listed was skipped without a
    word. Made here by a path longer than the system takes (no permission, the usual
    cause, does not stop a test run as root), built a folder at a time from the one above."""
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "statement.txt").write_text("Statement\n\nThe board will publish its accounts.\n")
    folder = os.open(batch, os.O_RDONLY)
    depth = 0
    while len(str(batch)) + depth * 201 <= os.pathconf(batch, "PC_PATH_MAX"):
        os.mkdir("d" * 200, dir_fd=folder)
        inner = os.open("d" * 200, os.O_RDONLY, dir_fd=folder)
        os.close(folder)
        folder, depth = inner, depth + 1
    os.close(folder)
    result = run(tmp_path / "p.db", "add", str(batch), "--json")
    assert result.exit_code == 2, result.output
    added, unlisted = json.loads(result.stdout)
    assert (added["target"], added["status"]) == (str(batch / "statement.txt"), "added")
    assert unlisted["status"] == "error" and unlisted["target"].startswith(str(batch / "d"))
    assert unlisted["error"] == f"{unlisted['target']}: File name too long"


def test_a_file_name_that_is_not_utf8_is_printed_as_valid_json(tmp_path: Path) -> None:
    """Its raw bytes went out in `add --json`'s "target", which no UTF-8 reader takes."""
    name = os.fsdecode(b"\xff\xfe-statement.txt")
    (tmp_path / name).write_text("Statement\n\nThe board will publish its accounts.\n")
    result = run(tmp_path / "p.db", "add", str(tmp_path / name), "--json")
    assert result.exit_code == 0, result.output
    (added,) = json.loads(result.stdout_bytes.decode("utf-8"))  # strict: valid UTF-8
    assert os.fsencode(added["target"]) == os.fsencode(tmp_path / name)
    assert "\\udcff\\udcfe-statement.txt" in result.stdout


def test_a_database_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("my notes\n")
    result = run(db, "trace", "attach to Tesla as its cash cow")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {db}: not an SQLite database"
    assert db.read_text() == "my notes\n"


def test_trace_not_found_exits_1(demo_db: Path) -> None:
    result = run(demo_db, "trace", "We will land on the moon before the end of next year", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["status"], data["best"], data["chain"]) == ("not_found", None, [])


def test_trace_reads_a_batch_from_stdin(demo_db: Path) -> None:
    lines = "\n".join(
        [
            "attach to Tesla as its cash cow",
            json.dumps(
                {
                    "quote": "Tesla is the only path that could even hope to hold a candle "
                    "to Google",
                    "speaker": "Elon Musk",
                }
            ),
            "We will land on the moon before the end of next year",
        ]
    )
    result = run(demo_db, "trace", "-", "--json", input=lines)
    assert result.exit_code == 0
    results = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["status"] for r in results] == ["found", "found", "not_found"]
    assert results[1]["flags"] == [] and results[1]["best"]["unit"]["author"] == "Elon Musk"


def test_a_bad_line_in_a_batch_costs_only_its_own_result(demo_db: Path) -> None:
    """A newsroom's thousand quotes do not stop at the one that is too short, mistyped or
    not UTF-8: each bad line gets an error object with its line number, the others their
    results, in order, and the exit status says that something failed."""
    lines = [
        b"attach to Tesla as its cash cow",
        b"two words",
        b"",
        json.dumps({"quote": "attach to Tesla as its cash cow", "date": 2018}).encode(),
        json.dumps({"quote": "attach to Tesla as its cash cow", "date": "Jan 5"}).encode(),
        b'{"quote": "attach to Tesla',
        "caf\u00e9 society is what we need right now".encode("latin-1"),
        b"We will land on the moon before the end of next year",
    ]
    result = run(demo_db, "trace", "-", "--json", input=b"\n".join(lines))
    assert result.exit_code == 2
    results = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["status"] for r in results] == [
        "found", "error", "error", "error", "error", "error", "not_found"
    ]  # fmt: skip
    errors = {r["line"]: r["error"] for r in results if r["status"] == "error"}
    assert errors == {
        2: "the quote is too short to trace (at least 3 words)",
        4: "date is int, not a string",
        5: "date 'Jan 5' is not YYYY-MM-DD (or YYYY-MM, or YYYY)",
        6: 'not a JSON object: {"quote": "attach to Tesla (a quote opening with "{" is read '
        'as JSON: give it as {"quote": "…"})',
        7: "not UTF-8 text",
    }
    assert results[1]["input"] == "two words"
    assert "Traceback" not in result.stderr


def test_a_batch_credits_every_line_to_the_speaker_given_unless_it_names_one(
    demo_db: Path,
) -> None:
    lines = "\n".join(
        [
            "attach to Tesla as its cash cow",
            json.dumps({"quote": "attach to Tesla as its cash cow", "speaker": "Sam Altman"}),
        ]
    )
    result = run(
        demo_db, "trace", "-", "--json", "--speaker", "Elon Musk", "--date", "2018-01-31",
        input=lines,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert (first["speaker"], first["claimed_date"]) == ("Elon Musk", "2018-01-31")
    assert "misattributed" in first["flags"]
    assert (second["speaker"], second["claimed_date"]) == ("Sam Altman", "2018-01-31")


def test_a_bad_line_in_a_batch_is_reported_on_stderr_without_json(demo_db: Path) -> None:
    result = run(demo_db, "trace", "-", input="two words\nattach to Tesla as its cash cow\n")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: line 1: the quote is too short to trace (at least 3 words)"
    )
    assert "FOUND" in result.stdout


CASH_COW = "attach to Tesla as its cash cow"
NOT_AN_OBJECT = 'a JSON line must be an object with a "quote" string'


def batch(db: Path, lines: list[str] | list[bytes], *args: str) -> tuple[int, list[Any]]:
    """Run a --json batch; its exit status and its result objects, one a line."""
    joined = b"\n".join(line if isinstance(line, bytes) else line.encode("utf-8") for line in lines)
    result = run(db, "trace", "-", "--json", *args, input=joined)
    assert "Traceback" not in result.stderr
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()]


def test_a_line_no_json_reader_can_take_is_an_error_in_its_place(demo_db: Path) -> None:
    """A number past Python's 4,300 digits, nesting past the recursion limit and a lone
    surrogate crashed the whole batch: no result for the later lines, exit 1."""
    code, results = batch(
        demo_db,
        [
            '{"quote": ' + "9" * 5000 + "}",
            '{"quote": ' + "[" * 100_000 + "]" * 100_000 + "}",
            '{"quote": "attach to Tesla as its \\ud800 cash cow"}',
            '{"quote": "attach to Tesla as its cash cow", "speaker": "Elon \\udcff"}',
            CASH_COW,
        ],
    )
    assert code == 2
    assert [r["status"] for r in results] == ["error"] * 4 + ["found"]
    too_big = "JSON nested too deep or with a number too long: "
    assert [r["error"][: len(too_big)] for r in results[:2]] == [too_big] * 2
    assert [r["error"] for r in results[2:4]] == [
        "the quote is not valid Unicode text (a byte that is not UTF-8, or a lone surrogate)",
        "the speaker is not valid Unicode text (a byte that is not UTF-8, or a lone surrogate)",
    ]


def trace_in_bytes(
    db: Path, *args: str | bytes, input: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """`trace` with arguments given as bytes, which CliRunner cannot pass."""
    command = [sys.executable, "-m", "provenance", "--db", str(db), "trace", *args]
    return subprocess.run(command, input=input, capture_output=True, check=False)


def not_unicode(field: str) -> bytes:
    reason = "a byte that is not UTF-8, or a lone surrogate"
    return f"error: the {field} is not valid Unicode text ({reason})\n".encode()


def test_a_quote_argument_that_is_not_unicode_is_refused(demo_db: Path) -> None:
    """A byte that is not UTF-8 in argv reached the JSON output raw."""
    result = trace_in_bytes(demo_db, "--json", CASH_COW.encode() + b" \xff")
    assert (result.returncode, result.stdout, result.stderr) == (2, b"", not_unicode("quote"))


@pytest.mark.parametrize(
    ("command", "field"),
    [(["chain"], "quote"), (["appearances"], "quote"), (["history"], "URL"), (["diff"], "URL")],
)
def test_a_lookup_argument_that_is_not_unicode_is_refused(
    demo_db: Path, command: list[str], field: str
) -> None:
    """chain and appearances answered "not found" for a byte that is not UTF-8; history
    and diff printed a traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "provenance", "--db", str(demo_db), *command, b"caf\xe9 time"],
        capture_output=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (2, b"")
    assert (
        result.stderr
        == (
            f"error: the {field} is not valid Unicode text (a byte that is not UTF-8, or a lone "
            "surrogate)\n"
        ).encode()
    )


def test_an_error_line_is_written_at_once(demo_db: Path) -> None:
    """A program feeding one line at a time waited for ever on an error: it was written
    but not flushed (hidden while PYTHONUNBUFFERED is set)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    command = [sys.executable, "-m", "provenance", "--db", str(demo_db), "trace", "-", "--json"]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    ) as child:
        assert child.stdin and child.stdout
        child.stdin.write(b"two words\n")
        child.stdin.flush()
        ready, _, _ = select.select([child.stdout], [], [], 30)
        answer = child.stdout.readline() if ready else b""
        child.stdin.close()
        child.wait(timeout=30)
    assert json.loads(answer)["status"] == "error"


def test_a_line_blank_to_a_reader_is_skipped(demo_db: Path) -> None:
    """A byte order mark alone, a no-break space or an ideographic space was "the quote is
    empty", and a mark before spaces kept the spaces in the quote."""
    code, results = batch(
        demo_db,
        [
            b"\xef\xbb\xbf",
            "\u00a0".encode(),
            "\u3000 ".encode(),
            "\u200b".encode(),  # a zero-width space, a word joiner, a mark amid spaces
            "\u2060".encode(),
            " \ufeff ".encode(),
            b"\xef\xbb\xbf  " + CASH_COW.encode(),
        ],
    )
    assert code == 0
    assert [r["quote"] for r in results] == [CASH_COW]
    code, results = batch(demo_db, [b"\xef\xbb\xbftwo words"])
    assert results[0]["input"] == "two words"  # as the line reads, without its mark


def test_a_file_given_as_the_quote_says_how_to_trace_its_lines(
    demo_db: Path, tmp_path: Path
) -> None:
    """A path was traced as the words of a quote, and not found."""
    quotes = tmp_path / "my quotes for today.txt"
    quotes.write_text(f"{CASH_COW}\n", encoding="utf-8")
    result = run(demo_db, "trace", str(quotes), "--json")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: {quotes} is a file: to check the quotes of an article, check {quotes}; "
        f"to trace a list of quotes, a line each, trace - < {quotes}\n"
    )


def test_a_lone_carriage_return_ends_a_line(demo_db: Path) -> None:
    """A file saved by an old Mac program ends its lines with CR alone: they were one
    line, traced as one quote and not found."""
    code, results = batch(demo_db, [f"{CASH_COW}\rtwo words\r\n{CASH_COW}"])
    assert code == 2
    assert [(r["line"], r["status"]) for r in results] == [
        (1, "found"), (2, "error"), (3, "found")
    ]  # fmt: skip


def test_utf_16_input_is_refused_whole(demo_db: Path) -> None:
    """A Windows "Unicode text" file: its lines were read as quotes full of NULs and came
    back "not found"; a NUL in a UTF-8 line says what it likely means."""
    result = run(demo_db, "trace", "-", "--json", input=f"{CASH_COW}\r\n".encode("utf-16"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "error: the input is UTF-16 text: save it as UTF-8\n"
    code, results = batch(demo_db, [CASH_COW.replace(" cash", "\x00 cash")])
    assert code == 2 and "NUL" in results[0]["error"]


def test_a_unicode_line_separator_in_a_quote_stays_inside_its_record(demo_db: Path) -> None:
    """U+2028 went out raw: a reader splitting the output on Unicode line breaks (as
    batch() does, with str.splitlines) got two broken records for one."""
    quote = CASH_COW.replace("Tesla ", "Tesla\u2028")
    code, results = batch(demo_db, [quote, CASH_COW])
    assert code == 0
    assert [(r["line"], r["quote"], r["status"]) for r in results] == [
        (1, quote, "found"), (2, CASH_COW, "found")
    ]  # fmt: skip


def shell(demo_db: Path, redirections: str, lines: int = 1) -> subprocess.CompletedProcess[str]:
    """`trace - --json` on `lines` copies of a quote, in bash with these redirections; its
    exit status is the last line of stdout."""
    command = f"{sys.executable} -m provenance --db {demo_db} trace - --json"
    script = f"yes '{CASH_COW}' | head -{lines} | {command} {redirections}; echo $?"
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)


def test_a_reader_that_stops_early_ends_the_batch_quietly(demo_db: Path) -> None:
    """`| head -1` gave exit status 1, which says "not found"; it is now 141, as a shell
    reports a writer that SIGPIPE stopped, with nothing on stderr."""
    done = shell(demo_db, '| head -1 > /dev/null; echo "${PIPESTATUS[2]}"; true', lines=500)
    assert done.stdout.split()[0] == "141" and done.stderr == ""


def test_output_that_cannot_be_written_is_one_line_and_exit_2(demo_db: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system to fill")
    done = shell(demo_db, "> /dev/full")
    assert done.stdout == "2\n"
    assert done.stderr == "error: cannot write the output: No space left on device\n"


def test_a_closed_stdin_or_stdout_is_one_line_and_exit_2(demo_db: Path) -> None:
    closed_stdin = shell(demo_db, "<&-")
    assert closed_stdin.stdout.splitlines()[-1] == "2"
    assert closed_stdin.stderr.startswith("error: standard input is closed")
    closed_stdout = shell(demo_db, ">&-")
    assert closed_stdout.stdout == "2\n"
    assert closed_stdout.stderr == "error: standard output is closed: redirect it to a file\n"


def test_every_batch_result_names_its_line(demo_db: Path) -> None:
    """With blank lines skipped, the Nth result is not the Nth line."""
    lines = [CASH_COW, "", json.dumps({"quote": CASH_COW}), "two words", "", CASH_COW]
    code, results = batch(demo_db, lines)
    assert code == 2
    assert [(r["line"], r["status"]) for r in results] == [
        (1, "found"), (3, "found"), (4, "error"), (6, "found")
    ]  # fmt: skip


def test_a_json_line_that_is_no_quote_object_says_so(demo_db: Path) -> None:
    """An array, or an object without "quote", was reported as "the quote is empty"; a line
    opening with an editor's [bracket] is still a plain quote."""
    code, results = batch(
        demo_db,
        [
            "[1, 2]",
            json.dumps([CASH_COW]),
            json.dumps({"speaker": "Elon Musk"}),
            json.dumps({"quote": None}),
            "[We] will land on the moon before the end of next year",
        ],
    )
    assert code == 2
    assert [r.get("error") for r in results] == [NOT_AN_OBJECT] * 4 + [None]
    assert results[4]["quote"].startswith("[We] will land")


def test_an_empty_speaker_or_date_is_as_if_the_line_gave_none(demo_db: Path) -> None:
    """A script writing a CSV's empty cells: "date": "" was an error, "speaker": "" a
    speaker named by no name."""
    line = json.dumps({"quote": CASH_COW, "speaker": "", "date": ""})
    code, results = batch(demo_db, [line], "--speaker", "Sam Altman", "--date", "2018")
    assert code == 0
    assert [(r["speaker"], r["claimed_date"]) for r in results] == [("Sam Altman", "2018")]
    code, results = batch(demo_db, [line])
    assert (code, results[0]["speaker"], results[0]["claimed_date"]) == (0, None, None)


@pytest.mark.parametrize(
    "args",
    [
        ["trace", "attach to Tesla as its cash cow"],
        ["trace", "-"],
        ["check", "1"],
        ["chain", "attach to Tesla as its cash cow"],
        ["appearances", "attach to Tesla as its cash cow"],
        ["history", "https://example.org/story"],
        ["diff", "https://example.org/story"],
        ["serve"],
    ],
)
def test_a_database_that_is_not_there_is_not_made_by_reading_it(
    tmp_path: Path, args: list[str]
) -> None:
    """A mistyped --db would otherwise be a new empty database, where every quote is
    "not found": only add and crawl make one."""
    db = tmp_path / "typo.db"
    result = run(db, *args, input="attach to Tesla as its cash cow\n")
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == f"error: {db}: no such database; add or crawl something first"
    assert not db.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["add", "{tmp}/story.txt"],
        ["crawl", "--config", "{tmp}/sources.toml"],
    ],
)
def test_a_database_that_cannot_be_made_is_one_line_and_exit_2(
    tmp_path: Path, args: list[str]
) -> None:
    """A --db in a directory that is not there cannot be made: add and crawl (cron) say so
    on one line and exit 2, as README says, instead of a traceback and exit 1."""
    (tmp_path / "story.txt").write_text("A story\n\nWe will publish every email, she said.\n")
    (tmp_path / "sources.toml").write_text(
        '[[source]]\nname = "story"\nurl = "http://127.0.0.1:9/story.html"\n'
    )
    db = tmp_path / "no-such-dir" / "corpus.db"
    result = run(db, *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().startswith(f"error: {db}: cannot open the database (")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not db.parent.exists()


def test_a_database_path_sqlite_cannot_open_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """A --db that is there but cannot be opened as a file (here a socket) is refused by
    the commands that read the database too, on one line."""
    db = tmp_path / "corpus.db"
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(db))
        result = run(db, "trace", "attach to Tesla as its cash cow")
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        f"error: {db}: cannot open the database (unable to open database file)"
    )


def test_not_found_in_a_corpus_without_primary_sources_says_so(tmp_path: Path) -> None:
    db = tmp_path / "articles-only.db"
    article = tmp_path / "story.txt"
    article.write_text("A story\n\nWe will publish every email in full next week, she said.\n")
    assert run(db, "add", str(article), "--role", "secondary").exit_code == 0
    result = run(db, "trace", "We will publish every email in full next week", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["status"] == "not_found"
    assert data["explanation"] == [
        "Not found: the corpus holds no primary source yet, so there is nothing to trace the "
        "quote to (add one with `provenance add --role primary` or crawl one).",
        "It appears in 1 other document(s), none of them primary.",
    ]


async def test_the_browse_view_traces_the_canonical_quote_in_the_crawled_demo(
    demo_db: Path,
) -> None:
    from provenance.browse import database_name, make_datasette

    datasette = make_datasette(demo_db)
    response = await datasette.client.get(
        f"/{database_name(demo_db)}/trace_quote.json",
        params={"q": "for-profit pivot", "_shape": "array"},
    )
    assert response.status_code == 200
    found = [row for row in response.json() if row.get("forwarded_by") == "Elon Musk"]
    assert found and all(row["true_author"] == "[redacted]" for row in found)


def test_the_database_can_be_named_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "from-env.db"
    monkeypatch.setenv("PROVENANCE_DB", str(db))
    note = tmp_path / "note.txt"
    note.write_text("Title\n\nA paragraph long enough to store as a unit of text.\n")
    result = CliRunner().invoke(app, ["add", str(note)])
    assert result.exit_code == 0, result.stderr
    assert len(rows(db, "SELECT id FROM documents")) == 1


def test_serve_answers_over_http(demo_db: Path) -> None:
    """`provenance serve` as a user starts it: a real server process on 127.0.0.1."""
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "provenance",
        "--db",
        str(demo_db),
        "serve",
        "--port",
        str(port),
    ]
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as server:
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    response = httpx.get(
                        f"http://127.0.0.1:{port}/{demo_db.stem}/misattributed.json?_shape=array"
                    )
                    break
                except httpx.TransportError:
                    assert server.poll() is None, server.stderr.read() if server.stderr else ""
                    assert time.monotonic() < deadline, "serve did not answer within 30 s"
                    time.sleep(0.2)
            assert response.status_code == 200
            assert any(row["forwarded_by"] == "Elon Musk" for row in response.json())
            sql = httpx.get(f"http://127.0.0.1:{port}/{demo_db.stem}?sql=select+1")
            assert sql.status_code == 403
            rebound = httpx.get(f"http://127.0.0.1:{port}/", headers={"Host": "attacker.example"})
            assert rebound.status_code == 421  # a DNS-rebinding page reads nothing
        finally:
            server.terminate()
            server.wait(timeout=10)


def test_serve_refuses_a_port_in_use_before_it_says_it_serves(demo_db: Path) -> None:
    """A port in use printed "Serving …", uvicorn's log and exit 3; a port past 65535 was
    two tracebacks."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(demo_db, "serve", "--port", str(port))
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        f"error: cannot listen on 127.0.0.1 port {port}: Address already in use"
    )
    assert run(demo_db, "serve", "--port", "99999").exit_code == 2


def test_serve_refuses_a_database_named_as_datasettes_own(tmp_path: Path) -> None:
    """A file named _internal.db was served as "_internal_2", without its queries."""
    internal = tmp_path / "_internal.db"
    open_db(internal).close()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run(internal, "serve", "--port", str(port))
    assert result.exit_code == 2, result.output
    assert "rename the file, Datasette reserves the name '_internal'" in result.stderr


def test_serve_refuses_a_path_datasette_cannot_open_before_touching_the_file(
    tmp_path: Path,
) -> None:
    """A ? in the path was refused only after the file had been migrated (or made)."""
    foreign = tmp_path / "what?.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    before = foreign.read_bytes()
    result = run(foreign, "serve", "--port", "1")
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == f"error: {foreign}: the path may not contain ?, # or %"
    assert foreign.read_bytes() == before


ORIGINAL = """From: Alice Smith <alice@acme.example>
To: Bob Jones <bob@acme.example>
Date: Tue, 10 Mar 2020 09:15:00 -0500
Subject: Pricing for next year

The warehouse in Dayton is losing money every quarter and we should close it before the summer.

Alice
"""
FORWARD = """From: Carol Diaz <carol@acme.example>
To: Dan Wu <dan@acme.example>
Date: Fri, 13 Mar 2020 17:40:00 -0500
Subject: Fwd: Pricing for next year

FYI.

---------- Forwarded message ---------
From: Alice Smith <alice@acme.example>
Date: Tue, Mar 10, 2020 at 9:15 AM
Subject: Pricing for next year
To: Bob Jones <bob@acme.example>

The warehouse in Dayton is losing money every quarter and we should close it before the summer.

Alice
"""


def test_the_original_email_is_the_source_not_a_later_forward(tmp_path: Path) -> None:
    """A forward copies its original's time without an offset ("9:15 AM"), which sorted
    as text before the original's "09:15:00-05:00": the forward was named the source."""
    (tmp_path / "original.eml").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "forward.eml").write_text(FORWARD, encoding="utf-8")
    db = tmp_path / "p.db"
    files = [str(tmp_path / name) for name in ("original.eml", "forward.eml")]
    assert run(db, "add", *files, "--role", "primary").exit_code == 0
    quote = "The warehouse in Dayton is losing money every quarter and we should close it"
    traced = json.loads(run(db, "trace", quote, "--speaker", "Alice Smith", "--json").stdout)
    assert traced["best"]["document"]["url"].endswith("original.eml")
    assert traced["flags"] == []
    chained = json.loads(run(db, "chain", quote, "--json").stdout)
    assert chained["origin"]["url"].endswith("original.eml")


YEARLESS = """<html><head><title>Dayton, a year on</title>
<meta property="article:published_time" content="2021-03-12T09:00:00Z"></head><body><article>
<p>In her March 10 email, Alice Smith wrote: "The warehouse in Dayton is losing money every
quarter and we should close it before the summer."</p></article></body></html>"""


def test_a_date_without_its_year_is_said_in_words_and_checked_on_day_and_month(
    tmp_path: Path,
) -> None:
    """An article of 2021 recalls "her March 10 email" of 2020: the year is not the
    article's, so no date mismatch, and the reader sees "March 10", not "--03-10"."""
    (tmp_path / "original.eml").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "a.html").write_text(YEARLESS, encoding="utf-8")
    db = tmp_path / "p.db"
    assert run(db, "add", str(tmp_path / "original.eml"), "--role", "primary").exit_code == 0
    assert (
        run(db, "add", str(tmp_path / "a.html"), "--url", "https://news.example/a").exit_code == 0
    )
    (quote,) = json.loads(run(db, "check", "2", "--json").stdout)["quotes"]
    assert (quote["claimed_date"], quote["flags"]) == ("--03-10", [])
    text = " ".join(run(db, "check", "2").stdout.split())
    assert "(credited to Alice Smith, dated March 10 (no year given))" in text
    assert "Dated March 10 (no year given) by the article: matches the source's date." in text


def test_a_difference_with_one_side_empty_says_which(demo_db: Path) -> None:
    quote = "A for-profit pivot might create a sustainable revenue stream over time"
    text = " ".join(run(demo_db, "trace", quote).stdout.split())
    assert "dropped: source “more” (not in the quote)" in text
    quote = "A for-profit pivot might create a more sustainable revenue stream …"
    text = " ".join(run(demo_db, "trace", quote).stdout.split())
    assert "omitted: “…” / source “over time and would, with the current team," in text


def primary_matches(db: Path) -> int:
    (row,) = rows(
        db,
        """SELECT count(*) AS n FROM matches m JOIN units u ON u.id = m.unit_id
           JOIN documents d ON d.id = u.document_id WHERE d.role = 'primary'""",
    )
    return int(row["n"])


def write_article_sources(tmp_path: Path, base: str, extra: str = "") -> Path:
    """A sources file with only the opinion piece (and whatever `extra` adds)."""
    config = tmp_path / "articles.toml"
    config.write_text(
        f'allow_hosts = ["127.0.0.1"]\ndelay = 0\n'
        f'[[source]]\nname = "opinion"\nurl = "{base}/opinion.html"\ncrawler = "article"\n' + extra,
        encoding="utf-8",
    )
    return config


def test_a_quote_stored_before_its_source_is_matched_once_add_stores_it(
    tmp_path: Path, demo_server: str
) -> None:
    db = tmp_path / "later.db"
    config = write_article_sources(tmp_path, demo_server)
    assert run(db, "crawl", "--config", str(config)).exit_code == 0
    assert primary_matches(db) == 0
    primary = f"{demo_server}/openai-and-elon-musk.html"
    added = run(db, "add", primary, "--crawler", "openai_emails", "--role", "primary",
                "--allow-host", "127.0.0.1")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert primary_matches(db) > 0
    matched = rows(db, "SELECT DISTINCT matched_through FROM quotes")
    assert matched == [{"matched_through": 2}]
    assert quotes_behind(open_db(db)) == {}  # a run with nothing new traces nothing


def test_a_source_stored_by_a_killed_crawl_is_matched_by_the_next_run(
    tmp_path: Path, demo_server: str
) -> None:
    db = tmp_path / "killed.db"
    primary = f"{demo_server}/openai-and-elon-musk.html"
    extra = f'[[source]]\nname = "emails"\nurl = "{primary}"\ncrawler = "openai_emails"\n'
    config = write_article_sources(tmp_path, demo_server, extra)
    store = open_db(db)
    # What a run killed after storing both pages, before matching, leaves behind.
    with make_client(Policy(allow_hosts=("127.0.0.1",), delay=0)) as client:
        for url, crawler in ((f"{demo_server}/opinion.html", "article"),
                             (primary, "openai_emails")):  # fmt: skip
            ingest(store, capture(url, client), Overrides(crawler=crawler))
    assert primary_matches(db) == 0
    result = run(db, "crawl", "--config", str(config), "--json")
    assert result.exit_code == 0, result.stderr
    outcomes = json.loads(result.stdout)["sources"]
    assert [o["outcome"] for o in outcomes] == ["not_modified", "not_modified"]
    assert primary_matches(db) > 0
    (run_row,) = rows(db, "SELECT quotes_found FROM crawl_runs")
    assert run_row["quotes_found"] > 0


def test_an_add_of_nothing_but_mistakes_leaves_no_database(tmp_path: Path) -> None:
    db = tmp_path / "provenance.db"
    result = run(db, "add", str(tmp_path / "exhibits"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'exhibits'}: no such file"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_deferred_add_says_to_try_again_later_not_at_a_next_run(tmp_path: Path) -> None:
    with misbehaving_server() as server:
        result = run(tmp_path / "x.db", "add", f"{server.base}/too-many-for-tonight",
                     "--allow-host", "127.0.0.1")  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("more than 60 s: try again later")
    assert "next run" not in result.stderr


def test_add_again_with_corrected_metadata_applies_it_and_keeps_the_evidence(
    tmp_path: Path,
) -> None:
    """A second add with --role or --author was "unchanged" and did nothing, though a trace
    then said to run that very command."""
    db = tmp_path / "correct.db"
    note = tmp_path / "statement.txt"
    note.write_text(
        "A statement\n\nWe will publish every email in full next week, the company said today.\n"
    )
    quote = "We will publish every email in full next week"
    assert (
        run(db, "add", str(note), "--role", "secondary", "--author", "Wrong Person").exit_code == 0
    )
    (before,) = rows(db, "SELECT id, version, sha256, fetched_at FROM documents")
    assert run(db, "trace", quote, "--json").exit_code == 1

    result = run(db, "add", str(note), "--role", "primary", "--author", "Right Person", "--json")
    assert result.exit_code == 0, result.stderr
    (updated,) = json.loads(result.stdout)
    assert (updated["status"], updated["version"]) == ("updated", 1)
    assert rows(db, "SELECT id, version, sha256, fetched_at FROM documents") == [before]
    assert rows(db, "SELECT count(*) AS n FROM captures") == [{"n": 1}]
    assert rows(db, "SELECT role, author FROM documents") == [
        {"role": "primary", "author": "Right Person"}
    ]
    assert {r["author"] for r in rows(db, "SELECT author FROM units")} == {"Right Person"}
    assert rows(db, "SELECT count(*) AS n FROM quotes") == [{"n": 0}]  # a source has none
    traced = json.loads(run(db, "trace", quote, "--speaker", "Right Person", "--json").stdout)
    assert traced["status"] == "found" and "author_unknown" not in traced["flags"]

    again = run(db, "add", str(note), "--role", "primary")
    assert again.stdout.startswith("unchanged: "), again.stdout


def statement_and_story(tmp_path: Path) -> tuple[Path, Path]:
    """A company's statement, and a story quoting it, credited to Right Person."""
    source, article = tmp_path / "statement.txt", tmp_path / "story.txt"
    source.write_text(
        "A statement\n\nWe will publish every email in full next week, the company said today.\n"
    )
    article.write_text(
        'A story\n\n"We will publish every email in full next week," Right Person said.\n'
    )
    return source, article


def test_a_corrected_author_redoes_the_stored_matches_of_the_quotes_from_it(
    tmp_path: Path,
) -> None:
    db = tmp_path / "rematch.db"
    source, article = statement_and_story(tmp_path)
    run(db, "add", str(source), "--role", "primary", "--author", "Wrong Person")
    run(db, "add", str(article), "--role", "secondary")
    assert rows(db, "SELECT flags FROM matches") == [{"flags": '["misattributed"]'}]
    assert run(db, "add", str(source), "--author", "Right Person").stdout.startswith("updated: ")
    assert rows(db, "SELECT flags FROM matches") == [{"flags": "[]"}]


def test_a_source_corrected_to_primary_is_matched_by_the_stored_quotes(tmp_path: Path) -> None:
    """No document is new, yet every stored quote may now come from this one."""
    db = tmp_path / "promote.db"
    source, article = statement_and_story(tmp_path)
    run(db, "add", str(source), "--role", "secondary")
    run(db, "add", str(article), "--role", "secondary")
    assert rows(db, "SELECT flags FROM matches") == [{"flags": "[]"}]  # an article: no checks
    assert run(db, "add", str(source), "--role", "primary").stdout.startswith("updated: ")
    # Matched again, as a source now: its author is checked against the speaker.
    assert rows(db, "SELECT flags FROM matches") == [{"flags": '["author_unknown"]'}]


def test_add_while_another_writer_holds_the_lock_reports_each_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It was a rich traceback of "database is locked" after 30 s, and the rest of the
    batch was dropped."""
    monkeypatch.setattr("provenance.storage.BUSY_TIMEOUT", 0.2)
    db = tmp_path / "lock.db"
    open_db(db).conn.close()
    stories = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for story in stories:
        story.write_text(f"{story.stem}\n\nWe will publish every email in full, she said.\n")
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        result = run(db, "add", *map(str, stories), "--json")
    finally:
        writer.execute("ROLLBACK")
    assert result.exit_code == 2
    locked = "database is locked by another writer; try again"
    assert json.loads(result.stdout) == [
        {"target": str(s), "status": "error", "error": f"{s}: {locked}"} for s in stories
    ]
    assert result.stderr.splitlines() == [f"error: {s}: {locked}" for s in stories]
    assert run(db, "add", *map(str, stories)).exit_code == 0  # the lock gone, they land


def test_senders_named_last_first_or_by_address_alone_are_not_misattributed(
    tmp_path: Path,
) -> None:
    solberg = tmp_path / "solberg.eml"
    solberg.write_text(
        'From: "Solberg, Ingrid" <ingrid.solberg@fsa.example>\nSubject: Bergen night shift\n\n'
        "Our inspectors found one person doing the work of three on the Bergen night shift.\n"
    )
    eide = tmp_path / "eide.eml"
    eide.write_text(
        "From: jonas.eide@halvorsenfoods.example\nSubject: Re: Inspector question\n\n"
        "We do not comment on individual inspectors, and we never will.\n"
    )
    article = tmp_path / "article.html"
    article.write_text(
        "<html><head><title>Bergen</title></head><body><article>"
        '<p>"Our inspectors found one person doing the work of three on the Bergen night '
        'shift," Ingrid Solberg wrote to her staff.</p>'
        '<p>"We do not comment on individual inspectors, and we never will," Jonas Eide '
        "wrote in reply.</p></article></body></html>"
    )
    db = tmp_path / "senders.db"
    added = run(db, "add", str(solberg), str(eide), "--role", "primary")
    assert added.exit_code == 0, added.stderr
    checked = run(db, "check", str(article), "--json")
    assert checked.exit_code == 0, checked.stderr
    quotes = json.loads(checked.stdout)["quotes"]
    assert [(q["speaker"], q["best"]["unit"]["author"], q["flags"]) for q in quotes] == [
        ("Ingrid Solberg", "Ingrid Solberg", []),
        ("Jonas Eide", "jonas.eide@halvorsenfoods.example", []),
    ]


PIECES = "…".join(["the tide was higher than forecast"] * 14)
TIDE_ARTICLE = (
    "<html><head><title>Tide report</title></head><body><article>"
    f"<p>“{PIECES}” said Ola Brekke, the harbour master.</p>"
    "<p>“The sea wall held through the night, and not one boat broke its mooring,” said "
    "Ola Brekke.</p></article></body></html>"
)


def test_check_reports_a_quote_it_cannot_trace_with_the_reason(tmp_path: Path) -> None:
    """A quote of 14 pieces between omission marks was dropped: "0 found, 0 not found"
    of an article `add` had said holds it."""
    article, db = tmp_path / "tide.html", tmp_path / "tide.db"
    article.write_text(TIDE_ARTICLE, encoding="utf-8")
    assert run(db, "add", str(article)).exit_code == 0
    checked = run(db, "check", str(article), "--json")
    assert checked.exit_code == 0, checked.stderr
    data = json.loads(checked.stdout)
    assert data["summary"] == {
        "quotes": 2, "found": 0, "not_found": 1, "untraceable": 1, "misattributed": 0
    }  # fmt: skip
    (quote,) = [q for q in data["quotes"] if q["status"] == "untraceable"]
    assert quote["quote"] == PIECES and quote["speaker"] == "Ola Brekke"
    assert "14 pieces" in quote["error"] and quote["error"] in quote["explanation"][0]
    assert (quote["best"], quote["matches"], quote["chain"]) == (None, [], [])
    shown = run(db, "check", str(article))
    assert "2 quote(s): 0 found, 1 not found, 1 untraceable" in shown.stdout
    assert "UNTRACEABLE" in shown.stdout and "at most 12 can be traced" in shown.stdout


@pytest.mark.parametrize("given", ["2018-01-31\n", "２０１８", "٢٠١٨-٠١"])
def test_a_date_with_a_line_break_or_digits_not_ascii_is_refused(demo_db: Path, given: str) -> None:
    """ "2018-01-31\\n" (a date read from a file with its line's end) passed the check, as
    `$` matches before a last line break, and flagged a quote of the source's own date
    date_mismatch; full-width digits were "not a real date" rather than not a date."""
    result = run(demo_db, "trace", CANONICAL, "--date", given)
    assert (result.exit_code, result.stdout) == (2, "")
    assert "is not YYYY-MM-DD" in result.stderr
    code, results = batch(demo_db, [json.dumps({"quote": CANONICAL, "date": given})])
    assert code == 2
    assert results[0]["error"].endswith("is not YYYY-MM-DD (or YYYY-MM, or YYYY)")


def test_a_speaker_blank_to_a_reader_is_as_if_none_were_given(demo_db: Path) -> None:
    """A speaker of spaces or a zero-width space (a CSV's cell of one space) was taken for
    a name: "Credited to    ; the source does not name the author", flagged author_unknown,
    and on a batch line it overrode --speaker."""
    result = run(demo_db, "trace", CANONICAL, "--speaker", "   ", "--json")
    assert result.exit_code == 0, result.stderr
    traced = json.loads(result.stdout)
    assert (traced["speaker"], traced["flags"]) == (None, ["forwarded"])
    lines = [json.dumps({"quote": CANONICAL, "speaker": blank}) for blank in (" ", "\u200b")]
    code, results = batch(demo_db, lines, "--speaker", "Elon Musk")
    assert code == 0
    assert [r["speaker"] for r in results] == ["Elon Musk", "Elon Musk"]
    assert ["misattributed" in r["flags"] for r in results] == [True, True]


@pytest.mark.skipif(not hasattr(fcntl, "F_SETPIPE_SZ"), reason="no pipe sizes to set here")
@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_ctrl_c_while_a_result_is_written_leaves_every_line_whole(
    demo_db: Path, unbuffered: str
) -> None:
    """Ctrl-C while a slow reader held a result half-written left half a JSON line, which
    a reader of the lines printed so far cannot parse; the result is now finished first,
    then the batch stops with 130 and no traceback, with stdout buffered or not."""
    env = {**os.environ, "PYTHONUNBUFFERED": unbuffered}
    quote = " ".join(f"word{n}" for n in range(3000))  # a result longer than the pipe
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    command = [sys.executable, "-m", "provenance", "--db", str(demo_db), "trace", "-", "--json"]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=write_end, stderr=subprocess.PIPE, env=env
    ) as child:
        os.close(write_end)
        assert child.stdin and child.stderr
        child.stdin.write(f"{quote}\n{quote}\n".encode())
        child.stdin.flush()
        assert select.select([read_end], [], [], 60)[0], "no result written"
        time.sleep(0.5)  # the pipe is full: the child waits in the middle of its result
        child.send_signal(signal.SIGINT)
        with os.fdopen(read_end, "rb") as reader:
            written = reader.read()
        child.stdin.close()
        assert child.wait(timeout=30) == 130
        assert "Traceback" not in child.stderr.read().decode()
    assert written.endswith(b"\n")
    assert [json.loads(line)["line"] for line in written.splitlines()] in ([1], [1, 2])


@pytest.mark.parametrize("quote", ["[All of it the editor's words]", "🙂 🙂 🙂 🙂", ". . . …"])
def test_a_quote_with_no_words_to_trace_says_so_not_that_it_is_empty(
    demo_db: Path, quote: str
) -> None:
    """A line all in [brackets] (a quote opening with an editor's bracket, closed too
    soon) or of symbols was refused as "the quote is empty", which it plainly is not."""
    code, results = batch(demo_db, [quote])
    assert code == 2
    assert results[0]["error"].startswith("the quote has no words to trace")


def test_a_quote_longer_than_a_file_name_is_traced(demo_db: Path) -> None:
    """A quote of more than 255 bytes (a paragraph, no slash in it) crashed with "OSError:
    File name too long" while trace asked whether it named a file, exit status 1."""
    quote = " ".join(["Nothing in the record says this, however long it runs."] * 6)
    result = run(demo_db, "trace", quote, "--json")
    assert isinstance(result.exception, SystemExit), result.exception
    assert (result.exit_code, json.loads(result.stdout)["status"]) == (1, "not_found")


@pytest.mark.parametrize(
    "args", [["trace", "attach to Tesla as its cash cow"], ["add", "{tmp}/story.txt"]]
)
def test_a_database_name_longer_than_the_system_takes_is_one_line_and_exit_2(
    tmp_path: Path, args: list[str]
) -> None:
    """A --db named longer than a file name may be (a quote pasted after --db by mistake)
    crashed with "OSError: File name too long" and exit status 1."""
    (tmp_path / "story.txt").write_text("A story\n\nWe will publish every email, she said.\n")
    db = tmp_path / ("x" * 300)
    result = run(db, *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 2, result.exception
    assert result.stderr == f"error: {db}: cannot open the database (File name too long)\n"


def test_a_json_line_with_a_key_it_does_not_know_is_an_error(demo_db: Path) -> None:
    """A misspelt key ("speakr") was ignored: the line was traced credited to no one, and
    the attribution check it asked for silently left out. A key that is one of the three
    miswritten is refused; a newsroom's own keys ("id", "url", "note") pass."""
    lines = [
        json.dumps({"quote": CANONICAL, "speakr": "Elon Musk"}),
        json.dumps({"quote": CANONICAL, "Speaker": "Elon Musk", "id": 7, "dates": "2018"}),
        json.dumps({"quote": CANONICAL, "speaker": "Elon Musk", "id": 7, "url": "x", "note": ""}),
    ]
    code, results = batch(demo_db, lines)
    assert code == 2
    assert [r.get("error") for r in results] == [
        "unknown keys speakr (known: date, quote, speaker)",
        "unknown keys Speaker, dates (known: date, quote, speaker)",
        None,
    ]
    assert results[2]["speaker"] == "Elon Musk" and results[2]["status"] == "found"


def test_a_speaker_option_that_is_not_unicode_refuses_the_batch_at_once(demo_db: Path) -> None:
    """--speaker with a byte that is not UTF-8 gave every line of a batch the same error,
    about none of them, where a bad --date refuses the batch before reading a line."""
    lines = f"{CANONICAL}\n{CANONICAL}\n".encode()
    result = trace_in_bytes(demo_db, "-", "--json", "--speaker", b"Elon \xff", input=lines)
    assert (result.returncode, result.stdout, result.stderr) == (2, b"", not_unicode("speaker"))


def test_a_line_past_the_longest_is_an_error_and_memory_stays_bounded(demo_db: Path) -> None:
    """`trace - < /dev/zero` (or a file with no line end) read one line for ever, holding
    it all: gigabytes within seconds, and never an answer. A line past LONGEST_LINE is now
    an error in its place, at once, and the rest of it is let go."""
    command = [sys.executable, "-m", "provenance", "--db", str(demo_db), "trace", "-", "--json"]
    with (
        open("/dev/zero", "rb") as zeros,
        subprocess.Popen(
            command, stdin=zeros, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        ) as child,
    ):
        assert child.stdout
        ready, _, _ = select.select([child.stdout], [], [], 20)
        answer = child.stdout.readline() if ready else b""
        child.kill()
    assert (
        json.loads(answer)["error"] == "a line longer than 1,048,576 bytes: no quote is that long"
    )


def test_the_lines_after_one_past_the_longest_are_traced(demo_db: Path) -> None:
    """What follows a line too long is read as ever, whether lines end in LF, CRLF or CR."""
    long_line = b"word " * (1 << 19)
    lines = [long_line, CASH_COW.encode(), long_line + b"\r\n" + CASH_COW.encode()]
    code, results = batch(demo_db, lines)
    assert code == 2
    assert [(r["line"], r["status"]) for r in results] == [
        (1, "error"), (2, "found"), (3, "error"), (4, "found")
    ]  # fmt: skip
    blank = b" " * 1000  # an old Mac file, its lines ended by CR alone, past the longest line
    code, results = batch(demo_db, [b"\r".join([blank] * 1100 + [CASH_COW.encode()])])
    assert (code, [(r["line"], r["status"]) for r in results]) == (0, [(1101, "found")])


# The --json contract, as README.md "The `--json` contract" documents it: each kind of
# object with its keys, the kind of object each nested key holds, and the values an
# enumerated key may take. A key printed and not listed here, or listed and not printed,
# fails the test below; so does a listed key the README does not name.
Kind = tuple[set[str], dict[str, str]]
TRACE = {"quote", "speaker", "claimed_date", "status", "best", "matches", "flags"}
TRACE |= {"explanation", "chain"}
TRACED = {"best": "match", "matches": "match", "chain": "hop"}
LISTING = {"kind", "discovered", "listings_failed", "documents_failed", "documents_gone"}
LISTING |= {"documents_disallowed", "search_fallback"}
COUNTS = {"documents_new", "documents_unchanged", "quotes_new"}
OUTCOME = {"name", "url", "status", "outcome"}
CONTRACT: dict[str, Kind] = {
    "trace": (TRACE, TRACED),
    "untraceable": (TRACE | {"form", "error"}, TRACED),
    "batch_line": (TRACE | {"line"}, TRACED),
    "batch_error": ({"line", "input", "status", "error"}, {}),
    "match": (
        {"verdict", "score", "matched_text", "start", "end", "unit", "document", "link"}
        | {"cite", "differences", "flags"},
        {"unit": "match_unit", "document": "document", "differences": "difference"},
    ),
    "match_unit": (
        {"id", "kind", "label", "author", "date", "recipients", "subject", "forwarded_by"}
        | {"forwarded_at", "page", "cite"},
        {},
    ),
    "document": (
        {"id", "url", "title", "published_at", "role", "crawler", "fetched_at", "sha256"}
        | {"version"},
        {},
    ),
    "difference": ({"kind", "quote", "source"}, {}),
    "hop": (
        {"kind", "url", "title", "date", "linked", "anchor_text", "author", "verdict"}
        | {"forwarded_by", "forwarded_at"},
        {},
    ),
    "check": ({"document", "quotes", "summary"}, {"document": "document", "summary": "summary"}),
    "check_quote": (TRACE | {"form"}, TRACED),
    "summary": ({"quotes", "found", "not_found", "untraceable", "misattributed"}, {}),
    "add": (
        {"target", "status", "version", "units", "quotes", "quotes_found", "document_id"}
        | {"url", "title"},
        {},
    ),
    "add_error": ({"target", "status", "error"}, {}),
    "crawl": ({"run_id", "sources", "failed"}, {}),
    "page_ok": (OUTCOME | COUNTS | {"document_id", "version"}, {}),
    "page_failed": (OUTCOME | {"error"}, {}),
    "listing_failed": (OUTCOME | LISTING | COUNTS | {"error"}, {}),
    "history": (
        {"version", "document_id", "fetched_at", "sha256", "size", "status", "final_url"}
        | {"title"},
        {},
    ),
    "chain": (
        {"quote", "status", "origin", "earliest_appearance", "misattributed_at", "hops"}
        | {"appearances"},
        {"origin": "appearance", "earliest_appearance": "appearance", "hops": "chain_hop"}
        | {"appearances": "appearance"},
    ),
    "chain_hop": (
        {"kind", "via", "anchor_text", "date", "date_kind", "appearance"},
        {"appearance": "appearance"},
    ),
    "appearance": (
        {"url", "link", "title", "role", "date", "date_kind", "published_at", "fetched_at"}
        | {"version", "latest_version", "current", "sha256", "verdict", "matched_text", "cite"}
        | {"speaker", "claimed_date", "flags", "new", "unit"},
        {"unit": "appearance_unit"},
    ),
    "appearance_unit": (
        {"kind", "label", "author", "date", "subject", "forwarded_by", "forwarded_at"},
        {},
    ),
}
VERDICTS = {"verbatim", "verbatim_truncated", "punctuation", "elided", "bracketed", "altered"}
VERDICTS |= {"paraphrase"}
FLAGS = {"misattributed", "credited_to_organisation", "forwarded", "author_unknown"}
FLAGS |= {"date_mismatch", "date_of_forward"}
ENUMS: dict[tuple[str, str], set[Any]] = {
    ("trace", "status"): {"found", "not_found"},
    ("untraceable", "status"): {"untraceable"},
    ("untraceable", "form"): {"quoted", "block", "pull", "answer"},
    ("batch_line", "status"): {"found", "not_found"},
    ("batch_error", "status"): {"error"},
    ("check_quote", "status"): {"found", "not_found", "untraceable"},
    ("check_quote", "form"): {"quoted", "block", "pull", "answer"},
    ("match", "verdict"): VERDICTS,
    ("appearance", "verdict"): VERDICTS,
    ("hop", "verdict"): VERDICTS | {None},
    ("match", "flags"): FLAGS,
    ("appearance", "flags"): FLAGS,
    **{(kind, "flags"): FLAGS for kind in ("trace", "untraceable", "batch_line", "check_quote")},
    ("difference", "kind"): {"omitted", "replaced", "changed", "inserted", "dropped"}
    | {"punctuation", "truncated"},
    ("document", "role"): {"primary", "secondary"},
    ("appearance", "role"): {"primary", "secondary"},
    ("hop", "kind"): {"article", "citation", "source_document", "source_unit"},
    ("hop", "linked"): {True, False, None},
    ("add", "status"): {"added", "updated", "unchanged"},
    ("add_error", "status"): {"error"},
    ("page_ok", "status"): {"ok"},
    ("page_ok", "outcome"): {"new", "unchanged", "not_modified"},
    ("page_failed", "status"): {"failed", "deferred"},
    ("listing_failed", "status"): {"failed", "deferred"},
    ("listing_failed", "kind"): {"feed", "sitemap", "docket"},
    ("chain", "status"): {"origin", "no_primary_source", "not_found"},
    ("chain_hop", "kind"): {"article", "citation", "source_document", "origin_unit"}
    | {"earliest_appearance"},
    ("chain_hop", "via"): {"link", "named", "matched", "within", None},
    ("chain_hop", "date_kind"): {"sent", "dated", "published", "captured"},
    ("appearance", "date_kind"): {"sent", "dated", "published", "captured"},
}


def conforms(kind: str, value: dict[str, Any], seen: set[str]) -> None:
    """Check an object of the contract, and every object inside it, against the table;
    `seen` collects the kinds met, so a test can say that it met them all."""
    keys, nested = CONTRACT[kind]
    assert set(value) == keys, f"{kind}: printed {sorted(set(value) ^ keys)} against the README"
    seen.add(kind)
    for key in keys:
        given = value[key] if isinstance(value[key], list) else [value[key]]
        if (kind, key) in ENUMS:
            assert set(given) <= ENUMS[kind, key], f"{kind}.{key}: {given}"
        for item in given if key in nested else []:
            if item is not None:
                conforms(nested[key], item, seen)


def test_the_json_contract_table_is_the_readme_s() -> None:
    """Each key in the contract section; each value of an enumeration there too, or, for a
    verdict or a flag, in its row of the Verdicts or Flags table."""
    section = README_TEXT.split("## The `--json` contract", 1)[1].split("\n## ", 1)[0]
    keys = {key for keys, _ in CONTRACT.values() for key in keys}
    assert not sorted(k for k in keys if f"`{k}`" not in section)
    values = {v for values in ENUMS.values() for v in values if isinstance(v, str)}
    rows = {v for v in VERDICTS | FLAGS if f"| `{v}` |" in README_TEXT}
    assert not sorted(
        v for v in values - rows if f"`{v}`" not in section and f'"{v}"' not in section
    )


def test_every_json_output_prints_the_keys_the_readme_documents(
    demo_db: Path, demo_server: str, tmp_path: Path
) -> None:
    """Every command's --json, every kind of object in it: a key renamed, dropped or added
    without the README saying so fails here, as does a value outside its enumeration."""
    seen: set[str] = set()

    def printed(*args: str, db: Path = demo_db, input: str | None = None) -> Any:
        result = run(db, *args, "--json", input=input)
        assert result.exit_code in (0, 1, 2), result.output + result.stderr
        if args[:2] == ("trace", "-"):
            return [json.loads(line) for line in result.stdout.splitlines()]
        return json.loads(result.stdout)

    for quote in (CANONICAL, "A for-profit pivot might create a less sustainable revenue stream"):
        conforms("trace", printed("trace", quote, "--speaker", "Elon Musk"), seen)
    conforms("trace", printed("trace", "nobody has ever written these particular words"), seen)
    for line in printed("trace", "-", input=f"{CASH_COW}\n{{oops\n"):
        conforms("batch_error" if line["status"] == "error" else "batch_line", line, seen)
    checked = printed("check", f"{demo_server}/opinion.html", "--allow-host", "127.0.0.1")
    conforms("check", checked, seen)
    for quote in checked["quotes"]:
        conforms("check_quote", quote, seen)
    article, tide = tmp_path / "tide.html", tmp_path / "tide.db"
    article.write_text(TIDE_ARTICLE, encoding="utf-8")
    for item in printed("add", str(article), str(tmp_path / "gone.html"), db=tide):
        conforms("add_error" if item["status"] == "error" else "add", item, seen)
    for quote in printed("check", str(article), db=tide)["quotes"]:
        conforms("untraceable" if quote["status"] == "untraceable" else "check_quote", quote, seen)
    extra = '\n[[source]]\nname = "gone"\nurl = "{base}/no-such-page.html"\n'
    extra += '\n[[source]]\nname = "feed"\nkind = "feed"\nurl = "{base}/no-such-feed.xml"\n'
    config = write_sources(tmp_path, demo_server, extra)
    crawled = printed("crawl", "--config", str(config), db=tmp_path / "crawl.db")
    conforms("crawl", crawled, seen)
    for outcome in crawled["sources"]:
        page = "page_ok" if outcome["status"] == "ok" else "page_failed"
        conforms("listing_failed" if "kind" in outcome else page, outcome, seen)
    (url,) = {r["url"] for r in rows(demo_db, "SELECT url FROM documents WHERE id = 1")}
    for version in printed("history", url):
        conforms("history", version, seen)
    for quote in (CANONICAL, "nobody has ever written these particular words"):
        conforms("chain", printed("chain", quote), seen)
        for appearance in printed("appearances", quote):
            conforms("appearance", appearance, seen)
    assert seen == set(CONTRACT), f"never printed: {sorted(set(CONTRACT) - seen)}"


def test_an_empty_speaker_or_date_option_gives_none(demo_db: Path) -> None:
    """`--speaker ""` printed "speaker": "", where a batch line's "" prints null: the
    contract's "string or null" had two ways to say nobody. `--date ""` was an error where
    a line's "" date is none: a script passing an empty cell failed on one and not the
    other."""
    options = ("--speaker", "", "--date", "", "--json")
    single = run(demo_db, "trace", CASH_COW, *options)
    assert single.exit_code == 0, single.output
    (line,) = [json.loads(x) for x in run(demo_db, "trace", "-", *options,
                                          input=CASH_COW).stdout.splitlines()]  # fmt: skip
    for result in (json.loads(single.stdout), line):
        assert (result["speaker"], result["claimed_date"]) == (None, None)


@pytest.mark.parametrize(
    ("quote", "verdict"),
    [
        ("The option I keep coming back to,” “is for OpenAI to attach to Tesla as its cash cow.",
         "verbatim"),
        ("We may wish it otherwise,” “but the probability of being a counterweight to Google is "
         "small.", "altered"),
    ],
)  # fmt: skip
def test_a_quote_its_credit_interrupts_is_judged_by_what_the_source_has_between_its_parts(
    demo_db: Path, quote: str, verdict: str
) -> None:
    """“The option …,” Musk wrote, “is for …” as the article stores it: parts that run on in
    the source are verbatim; parts with a sentence between them there are shown to leave it
    out without a mark, not as an omission mark the article never printed."""
    result = run(demo_db, "trace", quote, "--json")
    data = json.loads(result.stdout)
    assert data["best"]["verdict"] == verdict
    kinds = [d["kind"] for d in data["best"]["differences"]]
    assert "omitted" not in kinds
    unmarked = "the source has words between them, which the quote leaves out without a mark"
    assert any(unmarked in line for line in data["explanation"]) == (verdict == "altered")
    if verdict == "altered":
        assert {"kind": "dropped", "quote": "” “", "source": (
            "but, in my and Andrej's opinion, Tesla is the only path that could even hope to "
            "hold a candle to Google. Even"
        )} in data["best"]["differences"]  # fmt: skip
        text = run(demo_db, "trace", quote).stdout
        assert "dropped where the article's credit interrupts the quote: source “but, in my" in text


def test_a_forwarders_note_spliced_to_the_email_he_forwarded_is_not_found_part_by_part(
    demo_db: Path,
) -> None:
    """The README's `status`: a quote that joins Musk's note to the email under it with an
    omission mark is no passage of either; `matches` gives each part, checked apart."""
    quote = (
        "Tesla is the only path that could even hope to hold a candle to Google … "
        "the option I keep coming back to is for OpenAI to attach to Tesla as its cash cow"
    )
    result = run(demo_db, "trace", quote, "--speaker", "Elon Musk", "--json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert (data["status"], data["best"], data["flags"], data["chain"]) == (
        "not_found",
        None,
        [],
        [],
    )
    parts = [(m["unit"]["author"], m["unit"]["forwarded_by"], m["flags"]) for m in data["matches"]]
    assert parts == [
        ("Elon Musk", None, []),
        (REDACTED, "Elon Musk", ["forwarded", "misattributed"]),
    ]
    assert data["explanation"][0] == (
        "Not found as one passage: its 2 parts stand in separate passages of one document, "
        "joined into one quote."
    )


def test_musks_note_run_on_into_the_email_he_forwarded_is_two_parts(demo_db: Path) -> None:
    """A block credited to Musk from his note into the email under it: his two sentences
    (the first too short to name a passage alone) are one part, the forwarded line the
    other, misattributed."""
    note = (
        "Andrej is exactly right. We may wish it otherwise, but, in my and Andrej's opinion, "
        "Tesla is the only path that could even hope to hold a candle to Google."
    )
    forwarded = (
        "A for-profit pivot might create a more sustainable revenue stream over time and "
        "would, with the current team, likely bring in a lot of investment."
    )
    result = run(demo_db, "trace", f"{note} {forwarded}", "--speaker", "Elon Musk", "--json")
    data = json.loads(result.stdout)
    assert (result.exit_code, data["status"]) == (1, "not_found")
    parts = [(m["matched_text"], m["unit"]["author"], m["flags"]) for m in data["matches"]]
    assert parts == [
        (note, "Elon Musk", []),
        (forwarded, REDACTED, ["forwarded", "misattributed"]),
    ]


def test_a_spliced_quote_checked_in_an_article_stores_no_source(tmp_path: Path) -> None:
    """The browse view reads a quote's stored primary match as its source: a quote `check`
    finds spliced from two documents (not found) stores neither as its match."""
    db, memo, letter, page = (tmp_path / name for name in ("s.db", "m.txt", "l.txt", "c.txt"))
    wall = "The council will rebuild the harbour wall by the end of next spring at the latest."
    divers = "We have asked the county for the money to pay the divers and the engineers."
    memo.write_text(f"Memo\n\n{wall}\n")
    letter.write_text(f"Letter\n\n{divers}\n")
    assert run(db, "add", str(memo), str(letter), "--role", "primary").exit_code == 0
    page.write_text(f'Column\n\nThe mayor said "{wall} {divers}"\n')
    checked = run(db, "check", str(page), "--json")
    assert checked.exit_code == 0, checked.stderr
    (quote,) = json.loads(checked.stdout)["quotes"]
    assert quote["status"] == "not_found"
    assert [m["matched_text"] for m in quote["matches"]] == [wall, divers]
    assert rows(db, "SELECT count(*) AS n FROM matches") == [{"n": 0}]
    shown = run(db, "check", str(page))
    assert "1 quote(s): 0 found, 1 not found (1 joined from parts found apart)" in shown.stdout


def test_words_in_several_unrelated_primary_passages_are_not_found_with_them_listed(
    tmp_path: Path,
) -> None:
    """The README's `status`: not found, though primary units hold the words, when a short
    quote stands in unrelated passages alike; `matches` lists them and no one is named."""
    said = "We will move fast and fix things later"
    (tmp_path / "a.txt").write_text(f"Memo\n\nThe board met. {said}, the chair said at noon.\n")
    (tmp_path / "b.txt").write_text(f"Log\n\nShips at dawn. {said}, said the captain.\n")
    db = tmp_path / "common.db"
    added = run(db, "add", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--role", "primary")
    assert added.exit_code == 0, added.stderr
    data = json.loads(run(db, "trace", said, "--json").stdout)
    assert (data["status"], data["best"], data["chain"], data["flags"]) == (
        "not_found",
        None,
        [],
        [],
    )
    assert [m["document"]["role"] for m in data["matches"]] == ["primary", "primary"]
    assert data["explanation"][0].startswith("Too common to trace")


def test_words_changed_from_their_authors_are_not_said_to_check_out(tmp_path: Path) -> None:
    """ "Credited to Ana Lima, who wrote them: the attribution checks out." under ALTERED
    read as if the article had her words right; she wrote the passage, not these words."""
    said = "The council is the only body that could even hope to rebuild the harbour wall"
    memo, db = tmp_path / "memo.txt", tmp_path / "m.db"
    memo.write_text(f"Memo\n\n{said}.\n")
    added = run(db, "add", str(memo), "--role", "primary", "--author", "Ana Lima")
    assert added.exit_code == 0, added.stderr
    changed = said.replace("is the only", "is not the only")
    traced = json.loads(run(db, "trace", changed, "--speaker", "Ana Lima", "--json").stdout)
    assert traced["best"]["verdict"] == "altered"
    assert (
        "Credited to Ana Lima, who wrote the passage: the attribution checks out, "
        "the wording does not."
    ) in traced["explanation"]


def test_a_date_that_is_the_senders_next_day_in_utc_matches_and_says_so(tmp_path: Path) -> None:
    db, mail = tmp_path / "z.db", tmp_path / "late.eml"
    mail.write_text(
        "From: Dana Whitfield <dana@example.org>\nTo: Board <board@example.org>\n"
        "Subject: Resignation\nDate: Tue, 5 Mar 2024 23:45:00 -0800\n\n"
        "I am resigning from the board because the audit findings were withheld from us.\n"
    )
    assert run(db, "add", str(mail), "--role", "primary").exit_code == 0
    quote = "I am resigning from the board because the audit findings were withheld from us"
    traced = json.loads(run(db, "trace", quote, "--date", "2024-03-06", "--json").stdout)
    assert traced["flags"] == []
    assert traced["explanation"][-1] == (
        "Dated 2024-03-06 as given: matches the source's date in UTC "
        "(2024-03-05 23:45:00-08:00 in the sender's time)."
    )


def test_two_sentences_of_one_email_with_words_between_them_left_out_are_its_parts(
    demo_db: Path,
) -> None:
    """Two sentences of the email Musk forwarded, run together without a mark over the
    sentence between them, came back "Not found in any primary source", as if invented."""
    labs = (
        "The labs that lead are the ones that can pay for compute on a scale we cannot "
        "reach through donations."
    )
    option = "The option I keep coming back to is for OpenAI to attach to Tesla as its cash cow."
    result = run(demo_db, "trace", f"{labs} {option}", "--json")
    data = json.loads(result.stdout)
    assert (result.exit_code, data["status"], data["best"]) == (1, "not_found", None)
    assert [m["matched_text"] for m in data["matches"]] == [labs, option]
    assert len({m["unit"]["id"] for m in data["matches"]}) == 1
    assert data["explanation"][0] == (
        "Not found as one passage: its 2 parts stand in one passage, in this order, with "
        "words between them that the quote leaves out without a mark."
    )
