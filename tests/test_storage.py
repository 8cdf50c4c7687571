"""Storage: schema, idempotent saves, versions, atomicity, append-only captures."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from provenance import storage
from provenance.errors import StorageError
from provenance.models import Capture, Document, Link, Quote, Unit
from provenance.storage import (
    Database,
    MatchRow,
    migrations,
    open_db,
    save_document,
    save_matches,
)


def capture(content: bytes, url: str = "https://example.org/a") -> Capture:
    return Capture(url=url, final_url=url, fetched_at="2026-11-26T00:00:00+00:00", content=content)


def document(
    text: str = "First paragraph here.\n\nSecond one.", url: str = "https://example.org/a"
) -> Document:
    first = text.index("\n\n")
    return Document(
        url=url,
        crawler="article",
        role="secondary",
        title="A page",
        text=text,
        units=(Unit("paragraph", 0, first), Unit("paragraph", first + 2, len(text))),
        links=(Link("https://example.org/b", "b"),),
    )


def count(db: Database, table: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_open_db_is_idempotent_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    first = open_db(path)
    schema = first.schema
    second = open_db(path)
    assert second.schema == schema
    assert second.journal_mode == "wal"
    assert {"documents", "units", "quotes", "matches", "links", "crawl_runs", "captures"} <= set(
        second.table_names()
    )


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n")
    with pytest.raises(StorageError, match="not an SQLite database"):
        open_db(path)
    assert path.read_text() == "these are my notes, not a database\n"


def test_another_programs_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    """Opening it brought provenance's schema into it: 25 tables in a stranger's file."""
    path = tmp_path / "bookmarks.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE bookmarks (url TEXT)")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="another program's database, not provenance's"):
        open_db(path)
    assert path.read_bytes() == before


def test_an_empty_database_is_made_only_by_those_that_add(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(StorageError, match="an empty database; add or crawl something first"):
        open_db(path, create=False)
    assert path.stat().st_size == 0
    assert "documents" in open_db(path).table_names()


def test_a_write_the_file_refuses_is_a_storage_error(tmp_path: Path) -> None:
    """A database the user may read but not write was a traceback on the first write."""
    path = tmp_path / "x.db"
    open_db(path).close()
    read_only = Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
    try:
        with pytest.raises(StorageError, match="cannot write to the database"):
            save_document(read_only, capture(b"<p>a</p>"), document(), [])
        assert count(read_only, "documents") == 0
    finally:
        read_only.close()


def test_a_database_that_cannot_be_read_now_is_not_called_not_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every error reading the header was "not an SQLite database", a lock included."""
    path = tmp_path / "x.db"
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode = DELETE")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(storage, "BUSY_TIMEOUT", 0.1)
    with pytest.raises(StorageError, match=r"cannot read the database \(database is locked\)"):
        open_db(path)
    holder.execute("ROLLBACK")
    holder.close()


def test_save_stores_units_with_exact_text_links_and_quotes(db: Database) -> None:
    doc = document()
    quote = Quote("Second one", 23, 33, "quoted", speaker="Someone")
    saved = save_document(db, capture(b"<p>1</p>"), doc, [quote])
    assert saved.new and saved.version == 1
    texts = [r["text"] for r in db.query("SELECT text FROM units ORDER BY ordinal")]
    assert texts == ["First paragraph here.", "Second one."]
    assert [r["url"] for r in db.query("SELECT url FROM links")] == ["https://example.org/b"]
    assert count(db, "quotes") == 1


def test_same_bytes_are_the_same_version_changed_bytes_a_new_one(db: Database) -> None:
    first = save_document(db, capture(b"v1"), document(), [])
    again = save_document(db, capture(b"v1"), document(), [])
    assert (again.document_id, again.new) == (first.document_id, False)
    second = save_document(db, capture(b"v2"), document("Changed text.\n\nAnd more."), [])
    assert second.new and second.version == 2
    assert count(db, "documents") == 2 and count(db, "captures") == 2
    assert count(db, "units") == 4  # the first version keeps its units


def test_a_page_that_reverts_to_earlier_bytes_is_a_new_version(db: Database) -> None:
    first = save_document(db, capture(b"v1"), document(), [])
    save_document(db, capture(b"v2"), document("Changed text.\n\nAnd more."), [])
    reverted = save_document(db, capture(b"v1"), document(), [])
    assert reverted.new and reverted.version == 3 and reverted.document_id != first.document_id
    assert count(db, "captures") == 2  # the bytes are stored once, the capture three times
    again = save_document(db, capture(b"v1"), document(), [])
    assert (again.document_id, again.new) == (reverted.document_id, False)


def test_the_migration_lets_an_older_database_store_a_reverted_page(tmp_path: Path) -> None:
    path = tmp_path / "before.db"
    old = Database(sqlite3.connect(path))
    migrations.apply(old, stop_before="allow_reverted_versions")
    save_document(old, capture(b"v1"), document(), [])
    save_document(old, capture(b"v2"), document("Changed text.\n\nAnd more."), [])
    old.conn.close()
    db = open_db(path)
    assert save_document(db, capture(b"v1"), document(), []).version == 3
    assert [r["id"] for r in db.query("SELECT rowid AS id FROM documents_fts")] == [1, 2, 3]
    with pytest.raises(sqlite3.IntegrityError):  # a version number is still taken once
        db.execute("UPDATE documents SET version = 1 WHERE id = 2")
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_the_migration_lets_an_older_database_store_an_interview_answer(tmp_path: Path) -> None:
    """Its quotes, and the matches that refer to them, survive the table's rebuild."""
    path = tmp_path / "before.db"
    old = Database(sqlite3.connect(path))
    migrations.apply(old, stop_before="allow_interview_answers")
    quoted = Quote("First paragraph here", 0, 20, "quoted", "Ingrid Solberg")
    saved = save_document(old, capture(b"v1"), document(), [quoted])
    ((quote_id,),) = old.execute("SELECT id FROM quotes").fetchall()
    match = MatchRow(1, 100.0, "verbatim", 0, 20, "First paragraph here", [], [])
    save_matches(old, quote_id, [match], through=saved.document_id)
    old.conn.close()
    db = open_db(path)
    answer = Quote("Second one.", 23, 34, "answer", "Ingrid Solberg")
    save_document(db, capture(b"v2"), document(), [answer])
    assert db.execute("SELECT quote_id FROM matches").fetchall() == [(quote_id,)]
    assert [r["form"] for r in db.query("SELECT form FROM quotes ORDER BY id")] == [
        "quoted",
        "answer",
    ]
    with pytest.raises(sqlite3.IntegrityError):  # the CHECK still holds
        db.execute("UPDATE quotes SET form = 'nonsense'")
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_failing_save_leaves_no_partial_rows(db: Database) -> None:
    bad = Quote("x", 0, 1, "nonsense", None)  # type: ignore[arg-type]  # violates a CHECK
    with pytest.raises(sqlite3.IntegrityError):
        save_document(db, capture(b"v1"), document(), [bad])
    for table in ("documents", "units", "links", "quotes", "captures"):
        assert count(db, table) == 0, table


def test_captures_are_append_only(db: Database) -> None:
    save_document(db, capture(b"evidence"), document(), [])
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE captures SET size = 0")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM captures")


def test_save_matches_replaces_a_quotes_matches(db: Database) -> None:
    saved = save_document(
        db, capture(b"v1"), document(), [Quote("First paragraph here", 0, 20, "quoted")]
    )
    quote_id = db.execute("SELECT id FROM quotes").fetchone()[0]
    unit_id = db.execute(
        "SELECT id FROM units WHERE document_id = ?", [saved.document_id]
    ).fetchone()[0]
    row = MatchRow(unit_id, 100.0, "verbatim", 0, 20, "First paragraph here", [], ["forwarded"])
    save_matches(db, quote_id, [row], through=saved.document_id)
    save_matches(db, quote_id, [row], through=saved.document_id)
    assert count(db, "matches") == 1
    assert db.execute("SELECT flags FROM matches").fetchone()[0] == '["forwarded"]'


def test_the_link_graph_reads_only_the_pages_a_chain_may_pass_through(db: Database) -> None:
    """It read every stored page's links and addresses for each quote a check traced: 0.66 s
    a quote in a corpus of 100,000 documents, for a chain through two or three pages."""
    for name in "acd":
        url = f"https://example.org/{name}"
        save_document(db, capture(name.encode(), url), document(url=url), [])
    graph = storage.link_graph(db, ["https://example.org/a", "https://example.org/c"])
    assert sorted(graph) == ["https://example.org/a", "https://example.org/c"]
    assert graph["https://example.org/a"] == [Link("https://example.org/b", "b")]
