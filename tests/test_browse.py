"""The browse view, through Datasette's own test client against a real database file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from provenance.browse import (
    LOOPBACK_NAMES,
    answering_only,
    database_name,
    load_metadata,
    make_datasette,
)
from provenance.browse.chain_page import boxes
from provenance.cli import app
from provenance.errors import StorageError
from provenance.models import Capture, Document, Link, Quote, Unit
from provenance.storage import (
    MatchRow,
    finish_crawl_run,
    newest_document_id,
    open_db,
    quotes_of,
    save_document,
    save_matches,
    start_crawl_run,
)

SENTENCE = (
    "A for-profit pivot might create a more sustainable revenue stream over time and would, "
    "with the current team, likely bring in a lot of investment."
)
SOURCE_URL = "https://openai.com/index/openai-elon-musk/"
ARTICLE_URL = "https://news.example/2024/03/musk-openai"
XSS = "<script>alert(1)</script>"
TABLES = ["captures", "documents", "units", "quotes", "matches", "links", "crawl_runs"]


@dataclass(frozen=True)
class Built:
    path: Path
    name: str  # the database name Datasette derives from the file name
    quote_id: int
    unmatched_quote_id: int
    unit_id: int


def _email(sender: str, date: str, body: str) -> str:
    return f"From: {sender}\nTo: Elon Musk\nDate: {date}\n\n{body}\n"


def _build(path: Path) -> Built:
    forwarded = _email("[redacted]", "2018-01-31T23:54", SENTENCE)
    unquoted = _email(
        "Ilya Sutskever", "2018-02-02T10:00", "We don’t have a path to\nbecoming Google-scale."
    )
    source_text = forwarded + "\n" + unquoted
    second = source_text.index(unquoted)
    source = Document(
        url=SOURCE_URL,
        crawler="openai_emails",
        role="primary",
        title="OpenAI and Elon Musk",
        text=source_text,
        units=(
            Unit(
                kind="email",
                start=0,
                end=len(forwarded),
                author="[redacted]",
                date="2018-01-31T23:54",
                recipients=("Elon Musk",),
                forwarded_by="Elon Musk",
                forwarded_at="2018-02-01T03:52",
                label="email 1",
            ),
            Unit(
                kind="email",
                start=second,
                end=second + len(unquoted),
                author="Ilya Sutskever",
                date="2018-02-02T10:00",
                label="email 2",
            ),
        ),
    )
    unmatched = "We will never take outside money."
    article_text = f"Musk wrote: “{SENTENCE}” He later said “{unmatched}”"
    article = Document(
        url=ARTICLE_URL,
        crawler="article",
        role="secondary",
        title=f"Musk’s emails {XSS}",
        text=article_text,
        units=(Unit(kind="paragraph", start=0, end=len(article_text)),),
        links=(
            Link(SOURCE_URL, "the emails"),
            Link("javascript:alert(2)", "click"),
        ),
        publisher="News Example",
        published_at="2024-03-06",
    )
    quotes = [
        Quote(
            SENTENCE,
            article_text.index(SENTENCE),
            article_text.index(SENTENCE) + len(SENTENCE),
            "pull",
            speaker="Elon Musk",
            claimed_date="2018-01-31",
        ),
        Quote(
            unmatched,
            article_text.index(unmatched),
            article_text.index(unmatched) + len(unmatched),
            "quoted",
            speaker="Elon Musk",
        ),
    ]
    db = open_db(path)
    try:
        for document, content in [
            (source, b"<html><body>emails</body></html>"),
            (article, f"<html><title>{XSS}</title></html>".encode()),
        ]:
            capture = Capture(
                url=document.url,
                final_url=document.url,
                fetched_at="2024-03-06T12:00:00+00:00",
                content=content,
                content_type="text/html",
                status=200,
            )
            saved = save_document(db, capture, document, quotes if document is article else [])
            if document is article:
                article_id = saved.document_id
        quote, unmatched_quote = quotes_of(db, article_id)
        (unit_id,) = db.execute("SELECT id FROM units WHERE author = '[redacted]'").fetchone()
        start = source_text.index(SENTENCE)
        save_matches(
            db,
            quote.id,
            [
                MatchRow(
                    unit_id=unit_id,
                    score=100,
                    verdict="verbatim",
                    start=start,
                    end=start + len(SENTENCE),
                    matched_text=SENTENCE,
                    differences=[],
                    flags=["misattributed", "forwarded"],
                )
            ],
            through=newest_document_id(db),
        )
        run_id = start_crawl_run(db, "sources.yml")
        finish_crawl_run(
            db,
            run_id,
            report=[{"source": "openai", "status": "ok", "documents_new": 2}],
            quotes_found=1,
        )
    finally:
        db.close()
    return Built(path, database_name(path), quote.id, unmatched_quote.id, unit_id)


@pytest.fixture
def built(tmp_path: Path) -> Built:
    return _build(tmp_path / "provenance-test.db")


@pytest.fixture
def ds(built: Built) -> Iterator[Any]:
    datasette = make_datasette(built.path)
    yield datasette
    for database in datasette.databases.values():
        database.close()


async def _rows(ds: Any, path: str) -> list[dict[str, Any]]:
    separator = "&" if "?" in path else "?"
    response = await ds.client.get(f"{path}{separator}_shape=array")
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()
    return rows


def test_database_name_is_the_file_stem(built: Built) -> None:
    assert built.name == "provenance-test"


async def test_served_read_only_and_mutable(ds: Any, built: Built) -> None:
    # Immutable mode would be wrong: the nightly crawl writes to the same file.
    (database,) = await _rows(ds, "/-/databases.json")
    assert database["name"] == built.name
    assert database["is_mutable"] is True
    response = await ds.client.get("/-/settings.json")
    settings = response.json()
    assert settings["default_allow_sql"] is False
    assert settings["allow_download"] is False
    assert settings["allow_csv_stream"] is False
    assert 0 < settings["sql_time_limit_ms"] <= 1000


async def test_home_and_every_table_page(ds: Any, built: Built) -> None:
    for path in ["/", f"/{built.name}"] + [f"/{built.name}/{table}" for table in TABLES]:
        response = await ds.client.get(path)
        assert response.status_code == 200, path
    response = await ds.client.get(f"/{built.name}/matches")
    assert "Matches" in response.text  # titled from metadata.yml


async def test_documents_are_labelled_by_title(ds: Any, built: Built) -> None:
    response = await ds.client.get(f"/{built.name}/quotes")
    assert "Musk’s emails" in response.text  # document_id shown with its title


async def test_captures_table_hidden_from_listing(ds: Any, built: Built) -> None:
    tables = (await ds.client.get(f"/{built.name}.json")).json()["tables"]
    hidden = {table["name"]: table["hidden"] for table in tables}
    assert hidden["captures"] is True
    assert hidden["shingle_postings"] is True and hidden["shingle_delta"] is True
    assert hidden["documents"] is False


async def test_trace_quote_finds_quote_and_source(ds: Any, built: Built) -> None:
    rows = await _rows(ds, f"/{built.name}/trace_quote.json?q=for-profit+pivot")
    by_kind = {row["found_in"]: row for row in rows}
    assert set(by_kind) == {"source", "quote"}
    quote = by_kind["quote"]
    assert quote["quote_id"] == built.quote_id
    assert quote["speaker_claimed"] == "Elon Musk"
    assert quote["claimed_date"] == "2018-01-31"
    assert quote["verdict"] == "verbatim"
    assert quote["score"] == 100
    assert quote["matched_text"] == SENTENCE
    assert quote["true_author"] == "[redacted]"
    assert quote["forwarded_by"] == "Elon Musk"
    assert quote["unit_date"] == "2018-01-31T23:54"
    assert quote["source_title"] == "OpenAI and Elon Musk"
    assert quote["source_url"] == SOURCE_URL
    assert quote["article_url"] == ARTICLE_URL
    assert "misattributed" in quote["flags"]
    source = by_kind["source"]
    assert source["unit_id"] == built.unit_id
    assert source["true_author"] == "[redacted]"
    assert source["forwarded_by"] == "Elon Musk"
    assert source["matched_text"] == "for-profit pivot"
    assert source["times_quoted"] == 1


async def test_trace_quote_folds_case_quotes_and_line_breaks(ds: Any, built: Built) -> None:
    # Pasted from a web page: surrounding curly quotes, a curly apostrophe where the source
    # has a straight one, different case, and a space where the source breaks the line.
    q = "%E2%80%9CWe+don%E2%80%99t+HAVE+a+path+to+becoming%E2%80%9D"
    rows = await _rows(ds, f"/{built.name}/trace_quote.json?q={q}")
    assert [(row["found_in"], row["true_author"]) for row in rows] == [("source", "Ilya Sutskever")]
    assert rows[0]["matched_text"] == "We don’t have a path to\nbecoming"


async def test_trace_quote_ignores_blank_and_wildcards(ds: Any, built: Built) -> None:
    for q in ["", "+", "%25", "%25%25%25", "___"]:
        assert await _rows(ds, f"/{built.name}/trace_quote.json?q={q}") == [], q


async def test_misattributed(ds: Any, built: Built) -> None:
    rows = await _rows(ds, f"/{built.name}/misattributed.json")
    assert len(rows) == 1
    (row,) = rows
    assert row["quote_id"] == built.quote_id
    assert row["speaker_claimed"] == "Elon Musk"
    assert row["true_author"] == "[redacted]"
    assert row["forwarded_by"] == "Elon Musk"
    assert row["article_url"] == ARTICLE_URL
    assert row["source_title"] == "OpenAI and Elon Musk"
    assert row["source_url"] == SOURCE_URL


async def test_an_article_with_two_versions_is_listed_once(built: Built) -> None:
    """A page crawled again after a change keeps both versions; the quotes of the older one
    are not the article as it stands, and listed too they looked like a second article."""
    db = open_db(built.path)
    try:
        text = f"Musk wrote: “{SENTENCE}” Updated."
        article = Document(
            ARTICLE_URL, "article", "secondary", "Musk’s emails", text,
            (Unit(kind="paragraph", start=0, end=len(text)),),
        )  # fmt: skip
        start = text.index(SENTENCE)
        quote = Quote(SENTENCE, start, start + len(SENTENCE), "pull", speaker="Elon Musk")
        capture = Capture(ARTICLE_URL, ARTICLE_URL, "2024-03-07T12:00:00+00:00", text.encode())
        saved = save_document(db, capture, article, [quote])
        (stored, *_) = quotes_of(db, saved.document_id)
        at = _email("[redacted]", "2018-01-31T23:54", SENTENCE).index(SENTENCE)
        row = MatchRow(built.unit_id, 100, "verbatim", at, at + len(SENTENCE), SENTENCE, [],
                       ["misattributed", "forwarded"])  # fmt: skip
        save_matches(db, stored.id, [row], through=newest_document_id(db))
    finally:
        db.close()
    datasette = make_datasette(built.path)
    try:
        rows = await _rows(datasette, f"/{built.name}/misattributed.json")
        assert [row["article_version"] for row in rows] == [2]
        q = SENTENCE[:40].replace(" ", "+")
        quoted = await _rows(datasette, f"/{built.name}/trace_quote.json?q={q}")
        assert len([row for row in quoted if row["found_in"] == "quote"]) == 1
    finally:
        for database in datasette.databases.values():
            database.close()


async def test_not_found(ds: Any, built: Built) -> None:
    rows = await _rows(ds, f"/{built.name}/not_found.json")
    assert [row["quote_id"] for row in rows] == [built.unmatched_quote_id]
    assert rows[0]["quote"] == "We will never take outside money."


async def test_quote_chain(ds: Any, built: Built) -> None:
    rows = await _rows(ds, f"/{built.name}/quote_chain.json?quote_id={built.quote_id}")
    assert [row["step"] for row in rows] == ["article", "link", "link", "match"]
    article, link, other_link, match = rows
    assert article["url"] == ARTICLE_URL
    assert article["text"] == SENTENCE
    assert article["author"] == "Elon Musk"  # as the article claims
    assert (link["url"], link["title"], link["role"]) == (
        SOURCE_URL,
        "OpenAI and Elon Musk",
        "primary",
    )
    assert other_link["title"] is None  # not captured
    assert match["unit_id"] == built.unit_id
    assert match["author"] == "[redacted]"
    assert match["forwarded_by"] == "Elon Musk"
    assert match["verdict"] == "verbatim"
    assert match["linked"] == 1


async def test_recent_crawl_runs(ds: Any, built: Built) -> None:
    rows = await _rows(ds, f"/{built.name}/recent_crawl_runs.json")
    assert len(rows) == 1
    assert rows[0]["status"] == "ok"
    assert rows[0]["sources"] == 1
    assert rows[0]["documents_new"] == 2
    assert rows[0]["quotes_found"] == 1


async def test_every_canned_query_page_renders(ds: Any, built: Built) -> None:
    for path in [
        "trace_quote?q=for-profit+pivot",
        "trace_quote",
        "misattributed",
        "not_found",
        f"quote_chain?quote_id={built.quote_id}",
        "quote_chain",
        "recent_crawl_runs",
        "person_quotes?speaker=musk",
        "person_quotes",
        f"quote_appearances?quote_id={built.quote_id}",
        f"document_versions?url={SOURCE_URL}",
        "failed_sources",
        f"-/chain/{built.quote_id}",
        f"-/chain/{built.unmatched_quote_id}",
    ]:
        response = await ds.client.get(f"/{built.name}/{path}")
        assert response.status_code == 200, path


@pytest.mark.parametrize(
    "path",
    ["/{name}?sql=select+1", "/{name}.json?sql=select+1", "/{name}/documents?_where=1"],
)
async def test_arbitrary_sql_refused(ds: Any, built: Built, path: str) -> None:
    response = await ds.client.get(path.format(name=built.name))
    assert response.status_code == 403


async def test_database_download_refused(ds: Any, built: Built) -> None:
    response = await ds.client.get(f"/{built.name}.db")
    assert response.status_code == 403
    assert not response.content.startswith(b"SQLite format 3")


async def test_captured_html_is_escaped(ds: Any, built: Built) -> None:
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for path in [
        f"/{built.name}/documents",
        f"/{built.name}/documents/2",
        f"/{built.name}/trace_quote?q=for-profit+pivot",
        f"/{built.name}/misattributed",
        f"/{built.name}/quote_chain?quote_id={built.quote_id}",
    ]:
        html = (await ds.client.get(path)).text
        assert XSS not in html, path
        assert escaped in html, path
        assert 'href="javascript:' not in html, path


async def test_capture_content_is_a_download_not_a_page(ds: Any, built: Built) -> None:
    (sha256,) = [
        row["sha256"]
        for row in await _rows(ds, f"/{built.name}/documents.json?_col=sha256&role=secondary")
    ]
    response = await ds.client.get(f"/{built.name}/captures/{sha256}.blob?_blob_column=content")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "html" not in response.headers["content-type"]


def test_metadata_describes_every_table_and_column(built: Built) -> None:
    tables = load_metadata(built.name)["databases"][built.name]["tables"]
    conn = sqlite3.connect(built.path)
    try:
        for table in TABLES:
            columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            assert tables[table]["title"], table
            assert tables[table]["description"], table
            assert set(tables[table]["columns"]) == columns, table
    finally:
        conn.close()


def test_refuses_missing_or_non_sqlite_file(tmp_path: Path) -> None:
    with pytest.raises(StorageError):
        make_datasette(tmp_path / "missing.db")
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("hello")
    with pytest.raises(StorageError):
        make_datasette(not_sqlite)


async def test_person_quotes(ds: Any, built: Built) -> None:
    rows = await _rows(ds, f"/{built.name}/person_quotes.json?speaker=MUSK")
    checks = {row["quote_id"]: row["checks_out"] for row in rows}
    assert checks == {built.quote_id: "misattributed", built.unmatched_quote_id: "not found"}
    assert await _rows(ds, f"/{built.name}/person_quotes.json?speaker=Ilya") == []
    assert await _rows(ds, f"/{built.name}/person_quotes.json?speaker=+") == []


async def test_quote_appearances(ds: Any, built: Built) -> None:
    rows = await _rows(ds, f"/{built.name}/quote_appearances.json?quote_id={built.quote_id}")
    assert [(row["quote_id"], row["true_author"]) for row in rows] == [
        (built.quote_id, "[redacted]")
    ]


def _store_email(built: Built, url: str, final_url: str, text: str) -> None:
    """A version of the source's page, one email, captured after the first."""
    units = (Unit(kind="email", start=0, end=len(text)),)
    document = Document(url, "openai_emails", "primary", "OpenAI and Elon Musk", text, units)
    db = open_db(built.path)
    try:
        captured = Capture(url, final_url, "2024-03-07T12:00:00+00:00", text.encode())
        save_document(db, captured, document, [])
    finally:
        db.close()


async def test_document_versions_show_what_changed(ds: Any, built: Built) -> None:
    text = "From: [redacted]\nTo: Elon Musk\n\nA new paragraph appeared."
    _store_email(built, SOURCE_URL, SOURCE_URL, text)
    rows = await _rows(ds, f"/{built.name}/document_versions.json?url={SOURCE_URL}")
    assert [(row["version"], row["change"]) for row in rows] == [
        (1, "version"),
        (2, "version"),
        (2, "added"),
        (2, "removed"),
        (2, "removed"),
    ]
    assert rows[2]["unit_text"] == text


async def test_document_versions_keep_to_one_pages_history(ds: Any, built: Built) -> None:
    """A URL that redirects to the source's was listed with it: two "version 1" rows."""
    old_link = "https://openai.example/old-link"
    text = "From: [redacted]\nTo: Elon Musk\n\nThe same email, reached by an old link."
    _store_email(built, old_link, SOURCE_URL, text)
    rows = await _rows(ds, f"/{built.name}/document_versions.json?url={SOURCE_URL}")
    assert [row["version"] for row in rows if row["change"] == "version"] == [1]
    redirected = await _rows(ds, f"/{built.name}/document_versions.json?url={old_link}")
    assert [row["characters"] for row in redirected if row["change"] == "version"] == [len(text)]


async def test_document_versions_find_a_url_however_written(ds: Any, built: Built) -> None:
    """As `provenance history` does: a fragment, a host in capitals, a default port."""
    scheme, rest = SOURCE_URL.split("://")
    host, _, path = rest.partition("/")
    written = f"{scheme.upper()}://{host.upper()}:443/{path}#the-email"
    rows = await _rows(ds, f"/{built.name}/document_versions.json?url={quote(written)}")
    assert [row["version"] for row in rows if row["change"] == "version"] == [1]


async def test_failed_sources(ds: Any, built: Built) -> None:
    db = open_db(built.path)
    try:
        run_id = start_crawl_run(db, "sources.toml")
        report = [
            {"name": "court", "url": "https://court.example/1", "status": "failed", "error": "404"},
            {"name": "openai", "url": SOURCE_URL, "status": "ok"},
        ]
        finish_crawl_run(db, run_id, report=report, quotes_found=0)
    finally:
        db.close()
    rows = await _rows(ds, f"/{built.name}/failed_sources.json")
    assert [(row["run_id"], row["source"], row["error"]) for row in rows] == [
        (run_id, "court", "404")
    ]


async def test_full_text_search_over_units_and_documents(ds: Any, built: Built) -> None:
    units = await _rows(ds, f"/{built.name}/units.json?_search=becoming")
    assert [row["author"] for row in units] == ["Ilya Sutskever"]
    documents = await _rows(ds, f"/{built.name}/documents.json?_search=becoming")
    assert [row["url"] for row in documents] == [SOURCE_URL]


async def test_plugin_is_loaded(ds: Any) -> None:
    names = {plugin["name"] for plugin in (await ds.client.get("/-/plugins.json")).json()}
    assert {"provenance.browse.cells", "provenance.browse.chain_page"} <= names


async def test_match_cell_highlights_the_span_and_links_the_source(ds: Any, built: Built) -> None:
    html = (await ds.client.get(f"/{built.name}/matches")).text
    assert f"<mark>{SENTENCE}</mark>" in html
    assert f'href="{SOURCE_URL}#:~:text=A%20for%2Dprofit%20pivot%20might,' in html
    assert 'class="pv-capture"' in html
    assert 'class="pv-flag pv-flag-misattributed"' in html
    assert f'href="/{built.name}/-/chain/{built.quote_id}"' in html


async def test_trace_quote_cells_link_to_the_chain(ds: Any, built: Built) -> None:
    html = (await ds.client.get(f"/{built.name}/trace_quote?q=for-profit+pivot")).text
    assert "<mark>for-profit pivot</mark>" in html  # the source row: the pasted words
    assert f"<mark>{SENTENCE}</mark>" in html  # the quote row: its stored match
    assert f'href="/{built.name}/-/chain/{built.quote_id}"' in html


async def test_quotes_link_to_their_chain(ds: Any, built: Built) -> None:
    html = (await ds.client.get(f"/{built.name}/quotes")).text
    for quote_id in (built.quote_id, built.unmatched_quote_id):
        assert f'href="/{built.name}/-/chain/{quote_id}"' in html


async def test_chain_page(ds: Any, built: Built) -> None:
    response = await ds.client.get(f"/{built.name}/-/chain/{built.quote_id}")
    assert response.status_code == 200
    html = response.text
    assert '<svg class="pv-graph"' in html
    assert html.count('<g class="pv-hop">') == 3  # article, source document, unit
    assert "linked as “the emails”" in html
    assert "misattributed" in html
    assert "Elon Musk forwarded these words" in html
    assert html.count("misattribution enters here") == 2  # the picture and the list
    assert html.count('stroke="#c0392b" stroke-width="2"') == 1


def test_chain_page_boxes_give_verdicts_in_words() -> None:
    """As the CLI does: "truncated", not the token verbatim_truncated; and the page where
    the misattribution enters is marked, whatever the case of its host."""
    hops = (
        SimpleNamespace(kind="article", url="https://News.example/a", verdict=None),
        SimpleNamespace(kind="citation", url="https://b.example/b", verdict="verbatim_truncated"),
    )
    article, cited = boxes(hops, "https://news.example/a")
    assert cited.meta == "truncated" and not cited.misattributed
    assert article.meta == "misattribution enters here" and article.misattributed


async def test_chain_page_of_a_quote_not_found(ds: Any, built: Built) -> None:
    html = (await ds.client.get(f"/{built.name}/-/chain/{built.unmatched_quote_id}")).text
    assert "Not found in any primary source" in html
    assert '<svg class="pv-graph"' not in html


@pytest.mark.parametrize(
    "path", ["/{name}/-/chain/999999", "/nodb/-/chain/1", "/no-such-page", "/{name}/no_table"]
)
async def test_a_missing_page_is_a_quiet_404(
    ds: Any, built: Built, path: str, capfd: pytest.CaptureFixture[str]
) -> None:
    response = await ds.client.get(path.format(name=built.name))
    assert response.status_code == 404
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err and "NotFound" not in out + err


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/{name}/quotes?_sort=no_such_column", "Cannot sort table by no_such_column"),
        ("/{name}/quotes.json?_sort_desc=nope", "Cannot sort table by nope"),
        ("/{name}/quotes?_through=%7B%7D", "_through must be a JSON object"),
        ("/{name}/quotes?_through=not-json", "_through must be a JSON object"),
        ("/{name}/quotes?_through=%5B1%5D", "_through must be a JSON object"),
        (
            "/{name}/quotes?_through=%7B%22table%22%3A%22x%22%2C%22column%22%3A%22y%22%2C"
            "%22value%22%3A1%7D",
            "Invalid _through",
        ),
        ("/{name}/documents?id__gt=99999999999999999999999", "past the largest integer"),
        ("/{name}/documents?version__gte=99999999999999999999999", "past the largest integer"),
        (
            "/{name}/quotes?_through=%7B%22table%22%3A%22matches%22%2C%22column%22%3A%22unit_id"
            "%22%2C%22value%22%3A99999999999999999999999%7D",
            "past the largest integer",
        ),
    ],
)
async def test_a_malformed_table_argument_is_a_quiet_400(
    ds: Any, built: Built, path: str, message: str, capfd: pytest.CaptureFixture[str]
) -> None:
    """Datasette answers these with a server error, two with a traceback in the log."""
    response = await ds.client.get(path.format(name=built.name))
    assert response.status_code == 400
    assert message in response.text
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err


@pytest.mark.parametrize(
    "path", ["/{name}/trace_quote", "/{name}/misattributed", "/{name}/documents"]
)
async def test_a_write_to_the_read_only_view_is_405(
    ds: Any, built: Built, path: str, capfd: pytest.CaptureFixture[str]
) -> None:
    """A POST to a canned query or a table was a server error (500) with a traceback."""
    response = await ds.client.post(path.format(name=built.name), data={"q": "x"})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err


async def test_demo_ends_with_the_chain_page_of_the_canonical_quote(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    command = [sys.executable, "-m", "provenance.demo", "--db", str(db)]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    serve_line, chain_line = finished.stderr.strip().splitlines()[-2:]
    assert serve_line == f"Browse it:  .venv/bin/provenance --db {db} serve --port 8001"
    url = chain_line.removeprefix("The chain of the canonical quote:  ")
    assert url.startswith("http://127.0.0.1:8001/demo/-/chain/")
    datasette = make_datasette(db)
    try:
        html = (await datasette.client.get(url.removeprefix("http://127.0.0.1:8001"))).text
    finally:
        for database in datasette.databases.values():
            database.close()
    assert html.count('<g class="pv-hop">') == 3
    assert "A for-profit pivot might create" in html
    assert "misattributed" in html


async def test_the_server_answers_only_to_its_own_names(built: Built) -> None:
    """A page at attacker.example whose DNS name is pointed at 127.0.0.1 must read nothing
    from a local `serve` (DNS rebinding); a proxy's public name is allowed when given."""
    import httpx

    datasette = make_datasette(built.path)
    try:
        names = LOOPBACK_NAMES | {"news.example.org"}
        app = answering_only(datasette.app(), names)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://x") as client:
            for host, status in [
                ("127.0.0.1:8001", 200),
                ("localhost", 200),
                ("[::1]:8001", 200),
                ("news.example.org", 200),
                ("attacker.example", 421),
                ("attacker.example:8001", 421),
            ]:
                response = await client.get("/-/versions.json", headers={"Host": host})
                assert response.status_code == status, host
    finally:
        for database in datasette.databases.values():
            database.close()


async def test_a_quote_only_other_articles_repeat_is_not_found(tmp_path: Path) -> None:
    """Another article printing the same words is no source: the quote stays in the
    queue of quotes not found, and is "not found" for its speaker, not "checks out"
    with the other article standing as its source."""
    said = "we will never sell the harbour to a private buyer, not while I am mayor"
    files = {
        "memo.txt": ("primary", "Memo\n\nThe council will rebuild the harbour wall by spring.\n"),
        "one.txt": ("secondary", f'Column one\n\nThe mayor said "{said}".\n'),
        "two.txt": ("secondary", f'Column two\n\nMayor Ana Lima said "{said}".\n'),
    }
    db = tmp_path / "harbour.db"
    for name, (role, text) in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        added = CliRunner().invoke(
            app, ["--db", str(db), "add", str(tmp_path / name), "--role", role]
        )
        assert added.exit_code == 0, added.output
    datasette = make_datasette(db)
    try:
        queue = await _rows(datasette, "/harbour/not_found.json")
        assert sorted((row["article_title"], row["quote"]) for row in queue) == [
            ("Column one", said),
            ("Column two", said),
        ]
        (lima,) = await _rows(datasette, "/harbour/person_quotes.json?speaker=Lima")
        assert (lima["checks_out"], lima["source_title"]) == ("not found", None)
    finally:
        for database in datasette.databases.values():
            database.close()


async def test_a_quote_whose_words_were_changed_does_not_check_out(tmp_path: Path) -> None:
    """Words credited to their author but changed ("is not the only path" for "is the only
    path") read "checks out" in a person's quotes, as if the article had them right."""
    said = "The council is the only body that could even hope to rebuild the harbour wall"
    changed = said.replace("is the only", "is not the only")
    db = tmp_path / "harbour.db"
    (tmp_path / "memo.txt").write_text(f"Memo\n\n{said}.\n", encoding="utf-8")
    (tmp_path / "column.txt").write_text(f'Column\n\nAna Lima said "{changed}".\n')
    for name, extra in (("memo.txt", ["--author", "Ana Lima"]), ("column.txt", [])):
        role = "primary" if name == "memo.txt" else "secondary"
        added = CliRunner().invoke(
            app, ["--db", str(db), "add", str(tmp_path / name), "--role", role, *extra]
        )
        assert added.exit_code == 0, added.output
    datasette = make_datasette(db)
    try:
        (lima,) = await _rows(datasette, "/harbour/person_quotes.json?speaker=Lima")
        assert (lima["verdict"], lima["checks_out"]) == ("altered", "words changed")
    finally:
        for database in datasette.databases.values():
            database.close()
