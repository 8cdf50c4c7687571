"""The database: schema, writes and reads. The only module that imports sqlite_utils.

Every write that belongs together happens in one transaction, so a failure leaves no
partial rows. The file runs in WAL mode so Datasette can read while a crawl writes.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import numpy as np
import numpy.typing as npt
import sqlite_utils
from sqlite_utils import Migrations

from provenance import shingles
from provenance.chains import canonical, page_addresses
from provenance.errors import StorageError
from provenance.models import (
    Capture,
    Document,
    DocumentRef,
    Link,
    Quote,
    Role,
    StoredUnit,
)
from provenance.urls import ADDRESS_RELS, stored_url

Database = sqlite_utils.Database

migrations = Migrations("provenance")

SCHEMA = [
    """CREATE TABLE captures (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        content BLOB NOT NULL
    )""",
    # Captures are evidence: never changed or removed once written.
    """CREATE TRIGGER captures_no_update BEFORE UPDATE ON captures
        BEGIN SELECT RAISE(ABORT, 'captures are append-only'); END""",
    """CREATE TRIGGER captures_no_delete BEFORE DELETE ON captures
        BEGIN SELECT RAISE(ABORT, 'captures are append-only'); END""",
    """CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        version INTEGER NOT NULL,
        fetched_at TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES captures(sha256),
        final_url TEXT NOT NULL,
        status INTEGER,
        content_type TEXT,
        crawler TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('primary', 'secondary')),
        title TEXT NOT NULL,
        author TEXT,
        publisher TEXT,
        published_at TEXT,
        text TEXT NOT NULL,
        UNIQUE (url, sha256),
        UNIQUE (url, version)
    )""",
    """CREATE TABLE units (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        ordinal INTEGER NOT NULL,
        kind TEXT NOT NULL,
        label TEXT,
        author TEXT,
        recipients TEXT NOT NULL DEFAULT '[]',
        date TEXT,
        subject TEXT,
        forwarded_by TEXT,
        forwarded_at TEXT,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        UNIQUE (document_id, ordinal)
    )""",
    """CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        ordinal INTEGER NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        form TEXT NOT NULL CHECK (form IN ('quoted', 'block', 'pull')),
        speaker TEXT,
        claimed_date TEXT,
        UNIQUE (document_id, ordinal)
    )""",
    """CREATE TABLE matches (
        id INTEGER PRIMARY KEY,
        quote_id INTEGER NOT NULL REFERENCES quotes(id),
        unit_id INTEGER NOT NULL REFERENCES units(id),
        rank INTEGER NOT NULL,
        score REAL NOT NULL,
        verdict TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        matched_text TEXT NOT NULL,
        differences TEXT NOT NULL DEFAULT '[]',
        flags TEXT NOT NULL DEFAULT '[]',
        matched_at TEXT NOT NULL,
        UNIQUE (quote_id, unit_id)
    )""",
    """CREATE TABLE links (
        document_id INTEGER NOT NULL REFERENCES documents(id),
        ordinal INTEGER NOT NULL,
        url TEXT NOT NULL,
        anchor_text TEXT NOT NULL,
        PRIMARY KEY (document_id, ordinal)
    )""",
    """CREATE TABLE crawl_runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        config TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
        sources INTEGER NOT NULL DEFAULT 0,
        sources_failed INTEGER NOT NULL DEFAULT 0,
        documents_new INTEGER NOT NULL DEFAULT 0,
        documents_unchanged INTEGER NOT NULL DEFAULT 0,
        quotes_new INTEGER NOT NULL DEFAULT 0,
        quotes_found INTEGER NOT NULL DEFAULT 0,
        report TEXT NOT NULL DEFAULT '[]'
    )""",
    "CREATE INDEX documents_url ON documents(url)",
    "CREATE INDEX units_document ON units(document_id)",
    "CREATE INDEX quotes_document ON quotes(document_id)",
    "CREATE INDEX matches_quote ON matches(quote_id)",
    "CREATE INDEX matches_unit ON matches(unit_id)",
    "CREATE INDEX links_url ON links(url)",
]


@migrations()
def create_tables(db: Database) -> None:
    for statement in SCHEMA:
        db.execute(statement)
    # Full-text index over unit text, kept current by triggers: candidate retrieval for
    # matching, and the search box in the browse view.
    db.table("units").enable_fts(["text"], create_triggers=True)
    db.table("documents").enable_fts(["title", "text"], create_triggers=True)


@migrations()
def add_source_fields(db: Database) -> None:
    """Filings and richer articles: a unit's page, cite and page map; a document's
    language, updated date and the raw metadata it was read from."""
    db.execute("ALTER TABLE units ADD COLUMN page INTEGER")
    db.execute("ALTER TABLE units ADD COLUMN cite TEXT")
    db.execute("ALTER TABLE units ADD COLUMN pages TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE documents ADD COLUMN updated_at TEXT")
    db.execute("ALTER TABLE documents ADD COLUMN language TEXT")
    db.execute("ALTER TABLE documents ADD COLUMN metadata TEXT NOT NULL DEFAULT '[]'")


@migrations()
def capture_headers(db: Database) -> None:
    # The response headers of each version's capture: evidence of what the server said,
    # and the validators (ETag, Last-Modified) for the next conditional GET.
    db.execute("ALTER TABLE documents ADD COLUMN headers TEXT NOT NULL DEFAULT '[]'")


@migrations()
def capture_wire_bytes(db: Database) -> None:
    # The body as received, content-coding still on, when it differs from the decoded
    # bytes the parser read: both are kept in captures, by hash.
    db.execute("ALTER TABLE documents ADD COLUMN wire_sha256 TEXT REFERENCES captures(sha256)")


@migrations()
def add_shingle_index(db: Database) -> None:
    """Candidate retrieval without scanning every unit: for each word 3-gram, the units
    holding it (see provenance/shingles.py). `units` is NULL once df passes STOP_DF."""
    db.execute(
        """CREATE TABLE shingle_postings (
            h INTEGER PRIMARY KEY,
            df INTEGER NOT NULL,
            units BLOB
        )"""
    )
    index_units(db)


@migrations()
def add_shingle_delta(db: Database) -> None:
    """The shingles of documents saved one at a time, added in the transaction that saves
    them and merged into shingle_postings DELTA_LIMIT pairs at a time: a save appends a
    few hundred small rows instead of rewriting a few hundred posting lists."""
    db.execute("CREATE TABLE shingle_delta (h INTEGER NOT NULL, unit INTEGER NOT NULL)")
    db.execute("CREATE INDEX shingle_delta_h ON shingle_delta (h)")


def _rebuild(db: Database, table: str, rewrite: Callable[[str], str]) -> None:
    """Rebuild a table under its CREATE statement as `rewrite` changes it (SQLite cannot
    alter a constraint), keeping its rows, indexes and triggers. Outside a transaction,
    because foreign keys can only be switched off outside one."""
    (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()
    rebuilt = rewrite(sql)
    if rebuilt == sql:
        return
    attached = db.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND name != ? AND sql IS NOT NULL",
        [table, table],
    ).fetchall()
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        with transaction(db):
            db.execute(rebuilt.replace(f"CREATE TABLE {table}", f"CREATE TABLE {table}_new", 1))
            db.execute(f"INSERT INTO {table}_new SELECT * FROM {table}")
            db.execute(f"DROP TABLE {table}")
            db.execute(f"ALTER TABLE {table}_new RENAME TO {table}")
            for (statement,) in attached:  # its indexes and triggers
                db.execute(statement)
            if db.execute("PRAGMA foreign_key_check").fetchone():
                raise StorageError(f"rebuilding {table} broke a foreign key")
    finally:
        db.execute("PRAGMA foreign_keys = ON")


@migrations(transactional=False)
def allow_reverted_versions(db: Database) -> None:
    """A page that changes and then reverts to earlier bytes is a new version, so the same
    (url, sha256) may now stand in several versions: documents without that UNIQUE."""
    _rebuild(db, "documents", lambda sql: re.sub(r"UNIQUE \(url, sha256\),\s*", "", sql))


@migrations()
def record_matched_through(db: Database) -> None:
    """The newest document each quote has been matched against, so that a quote stored
    before its source (by add, or a crawl that was killed) is matched again once the
    source is stored, and no quote is traced again while nothing new has arrived. Quotes
    stored before this start at 0: matched once more."""
    db.execute("ALTER TABLE quotes ADD COLUMN matched_through INTEGER NOT NULL DEFAULT 0")
    db.execute("CREATE INDEX quotes_matched_through ON quotes(matched_through)")


@migrations()
def add_fetch_failures(db: Database) -> None:
    """The documents a listing named that could not be fetched, so that a dead link is
    tried after the new ones instead of taking a listing's `follow` budget every night."""
    db.execute(
        """CREATE TABLE fetch_failures (
            url TEXT PRIMARY KEY,
            failed_at TEXT NOT NULL,
            failures INTEGER NOT NULL,
            error TEXT NOT NULL
        )"""
    )


@migrations()
def record_failure_status(db: Database) -> None:
    """The HTTP status of a listed document's last failed fetch, so that a page gone (404,
    410) night after night is given up instead of failing its listing every night."""
    db.execute("ALTER TABLE fetch_failures ADD COLUMN status INTEGER")


@migrations(transactional=False)
def allow_interview_answers(db: Database) -> None:
    """A quote may be an interview's answer (form 'answer'), printed without marks."""
    _rebuild(db, "quotes", lambda sql: sql.replace("'pull')", "'pull', 'answer')"))


BUSY_TIMEOUT = 30.0  # seconds a write waits for another writer's lock before giving up


def now() -> str:
    """The current time as ISO 8601 UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _readable(conn: sqlite3.Connection, path: Path) -> None:
    """Raise StorageError unless the connection's file is an SQLite database, asking SQLite
    to read the header: closing any other handle on the file would drop every lock this
    process's connections hold on it (POSIX locks are per process), after which a writer
    elsewhere takes itself for the last reader, checkpoints and deletes the write-ahead log."""
    try:
        conn.execute("PRAGMA schema_version")
    except sqlite3.DatabaseError as error:
        conn.close()
        if error.sqlite_errorcode == sqlite3.SQLITE_NOTADB:
            raise StorageError(f"{path}: not an SQLite database") from error
        raise StorageError(f"{path}: cannot read the database ({error})") from error


def _ours(conn: sqlite3.Connection, path: Path, *, create: bool) -> None:
    """Raise StorageError for a database another program made, and for an empty one
    unless `create`: bringing the schema up to date would write provenance's tables into
    another program's file, or fill a file a reader was pointed at by mistake."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if tables and "_sqlite_migrations" not in tables:
        conn.close()
        raise StorageError(f"{path}: another program's database, not provenance's")
    if not tables and not create:
        conn.close()
        raise StorageError(f"{path}: an empty database; add or crawl something first")


def _connect(path: Path, database: str, *, uri: bool = False) -> sqlite3.Connection:
    """A connection to the database file, or a StorageError naming it when SQLite cannot
    open it (no such directory, no permission, not a file): one line, not a traceback."""
    try:
        return sqlite3.connect(database, timeout=BUSY_TIMEOUT, uri=uri)
    except sqlite3.Error as error:
        raise StorageError(f"{path}: cannot open the database ({error})") from error


def check_sqlite(path: Path) -> None:
    """Raise StorageError unless the file is an SQLite database (see _readable)."""
    probe = _connect(path, f"file:{quote(str(path))}?mode=ro", uri=True)
    _readable(probe, path)
    probe.close()


def open_db(path: str | Path, *, create: bool = True) -> Database:
    """Open a provenance database and bring its schema up to date; with `create`, an empty
    or missing file becomes one."""
    path = Path(path)
    if path.is_dir():
        raise StorageError(f"{path}: is a directory, not a database file")
    conn = _connect(path, str(path))
    _readable(conn, path)
    _ours(conn, path, create=create)
    try:
        db = Database(conn)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = FULL")
        if db.journal_mode != "wal":
            db.enable_wal()
        migrations.apply(db)
    except sqlite3.DatabaseError as error:
        raise StorageError(f"{path}: {error}") from error
    return db


def remove_db(db: Database, path: Path) -> None:
    """Close a database this process made and delete it, with its write-ahead log and
    shared-memory files: what a command that stored nothing leaves behind."""
    db.close()
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        path.with_name(name).unlink(missing_ok=True)


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One write transaction, taken with BEGIN IMMEDIATE so a read-then-write cannot fail
    half-way on a concurrent writer. A writer that still holds the lock after BUSY_TIMEOUT
    is a StorageError the user can act on (wait and try again), not a traceback."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        raise _write_refused(error) from None
    try:
        yield db
    except sqlite3.OperationalError as error:
        db.conn.execute("ROLLBACK")
        raise _write_refused(error) from None
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def _write_refused(error: sqlite3.OperationalError) -> Exception:
    """A write SQLite refused, as the user can act on it: a lock (wait and try again) or a
    read-only file or directory (its permissions); any other error as it is."""
    code = error.sqlite_errorcode & 0xFF  # the primary code of an extended one
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StorageError("database is locked by another writer; try again")
    if code == sqlite3.SQLITE_READONLY:
        return StorageError(f"cannot write to the database ({error}: see its permissions)")
    return error


@dataclass(frozen=True)
class Saved:
    """What saving a capture did: the document version it maps to, whether it is new, and
    the metadata fields a correction changed on a version stored already."""

    document_id: int
    version: int
    new: bool
    corrected: tuple[str, ...] = ()


def save_document(
    db: Database,
    capture: Capture,
    document: Document,
    quotes: Sequence[Quote],
    *,
    index: bool = True,
    corrections: Collection[str] = (),
) -> Saved:
    """Store a capture, the document parsed from it, its units, links and quotes, all or
    nothing. The same bytes as the URL's latest version map to that version, which takes
    the `corrections` (document columns the user set, see _correct); bytes that
    revert to an earlier version are a new one (a new capture is new evidence). The units are
    searchable once this commits; index=False leaves that to one index_units() after a
    bulk load. A save that fills the shingle delta then merges it, in a transaction of
    its own, so the document was searchable before that work began."""
    with transaction(db):
        saved = _store(db, capture, document, quotes, index=index, corrections=corrections)
    if saved.new and index:
        (size,) = db.execute("SELECT coalesce(max(rowid), 0) FROM shingle_delta").fetchone()
        if size > DELTA_LIMIT:
            with transaction(db):
                merge_delta(db)
    return saved


def _store(
    db: Database,
    capture: Capture,
    document: Document,
    quotes: Sequence[Quote],
    *,
    index: bool,
    corrections: Collection[str],
) -> Saved:
    """save_document's writes, inside its transaction."""
    latest = db.execute(
        "SELECT id, version, sha256 FROM documents WHERE url = ? ORDER BY version DESC LIMIT 1",
        [document.url],
    ).fetchone()
    if latest is not None and latest[2] == capture.sha256:
        corrected = _correct(db, latest[0], document, quotes, corrections)
        return Saved(latest[0], latest[1], new=False, corrected=corrected)
    version = latest[1] + 1 if latest else 1
    for body in (capture.content, capture.wire):
        if body is not None:
            db.execute(
                "INSERT OR IGNORE INTO captures (sha256, size, content) VALUES (?, ?, ?)",
                [hashlib.sha256(body).hexdigest(), len(body), body],
            )
    document_id = (
        db.table("documents")
        .insert(
            {
                "url": document.url,
                "version": version,
                "fetched_at": capture.fetched_at,
                "sha256": capture.sha256,
                "final_url": capture.final_url,
                "status": capture.status,
                "content_type": capture.content_type,
                "crawler": document.crawler,
                "role": document.role,
                "title": document.title,
                "author": document.author,
                "publisher": document.publisher,
                "published_at": document.published_at,
                "text": document.text,
                "updated_at": document.updated_at,
                "language": document.language,
                "metadata": json.dumps(document.metadata, ensure_ascii=False),
                "headers": json.dumps(capture.headers, ensure_ascii=False),
                "wire_sha256": capture.wire_sha256,
            }
        )
        .last_pk
    )
    db.table("units").insert_all(
        {
            "document_id": document_id,
            "ordinal": ordinal,
            "kind": unit.kind,
            "label": unit.label,
            "author": unit.author,
            "recipients": json.dumps(list(unit.recipients), ensure_ascii=False),
            "date": unit.date,
            "subject": unit.subject,
            "forwarded_by": unit.forwarded_by,
            "forwarded_at": unit.forwarded_at,
            "start": unit.start,
            "end": unit.end,
            "text": document.unit_text(unit),
            "page": unit.page,
            "cite": unit.cite,
            "pages": json.dumps(unit.pages),
        }
        for ordinal, unit in enumerate(document.units)
    )
    db.table("links").insert_all(
        {"document_id": document_id, "ordinal": ordinal, **_link_row(link)}
        for ordinal, link in enumerate(document.links)
    )
    _insert_quotes(db, cast(int, document_id), quotes)
    if index:
        _add_delta(db, cast(int, document_id))
    return Saved(cast(int, document_id), version, new=True)


def _insert_quotes(db: Database, document_id: int, quotes: Sequence[Quote]) -> None:
    db.table("quotes").insert_all(
        {
            "document_id": document_id,
            "ordinal": ordinal,
            "text": quote.text,
            "start": quote.start,
            "end": quote.end,
            "form": quote.form,
            "speaker": quote.speaker,
            "claimed_date": quote.claimed_date,
        }
        for ordinal, quote in enumerate(quotes)
    )


CORRECTABLE = ("role", "title", "author", "published_at")  # document columns add may correct
UNIT_COLUMNS = {"author": "author", "published_at": "date"}  # a unit's own, where it names none


def _correct(
    db: Database,
    document_id: int,
    document: Document,
    quotes: Sequence[Quote],
    fields: Collection[str],
) -> tuple[str, ...]:
    """Apply the metadata the user set (`fields`, of CORRECTABLE) to a stored version parsed
    from the same bytes, and return the fields that changed. The capture, its hash and fetch
    time are evidence and stay; the units take the author and date the document now gives
    them; a change of role replaces the quotes (a primary source has none)."""
    fields = [field for field in CORRECTABLE if field in fields]
    if not fields:
        return ()
    stored = db.execute(
        f"SELECT {', '.join(fields)} FROM documents WHERE id = ?", [document_id]
    ).fetchone()
    changed = [f for f, old in zip(fields, stored, strict=True) if getattr(document, f) != old]
    if changed:
        db.table("documents").update(document_id, {f: getattr(document, f) for f in changed})
    columns = {UNIT_COLUMNS[f]: f for f in fields if f in UNIT_COLUMNS}
    units = db.execute(
        f"SELECT {', '.join(['id', *columns])} FROM units WHERE document_id = ? ORDER BY ordinal",
        [document_id],
    ).fetchall()
    for (unit_id, *old), unit in zip(units, document.units, strict=False):
        update = {
            column: getattr(unit, column)
            for column, value in zip(columns, old, strict=True)
            if getattr(unit, column) != value
        }
        if update:
            db.table("units").update(unit_id, update)
            changed += [columns[c] for c in update if columns[c] not in changed]
    if "role" in changed:
        db.execute(
            "DELETE FROM matches WHERE quote_id IN (SELECT id FROM quotes WHERE document_id = ?)",
            [document_id],
        )
        db.execute("DELETE FROM quotes WHERE document_id = ?", [document_id])
        _insert_quotes(db, document_id, quotes)
    return tuple(changed)


def documents_matched_to(db: Database, document_id: int) -> list[int]:
    """The documents whose quotes are matched to units of this one, oldest first."""
    rows = db.execute(
        """SELECT DISTINCT q.document_id FROM matches m JOIN quotes q ON q.id = m.quote_id
           JOIN units u ON u.id = m.unit_id WHERE u.document_id = ? ORDER BY q.document_id""",
        [document_id],
    ).fetchall()
    return [int(row[0]) for row in rows]


def _link_row(link: Link) -> dict[str, str]:
    return {"url": link.url, "anchor_text": link.anchor_text}


@dataclass(frozen=True)
class MatchRow:
    """One quote → unit match as stored."""

    unit_id: int
    score: float
    verdict: str
    start: int
    end: int
    matched_text: str
    differences: list[dict[str, str]]
    flags: list[str]


def save_matches(db: Database, quote_id: int, matches: Sequence[MatchRow], *, through: int) -> None:
    """Replace the stored matches of a quote with these, best first, found against the
    corpus up to document id `through`."""
    with transaction(db):
        db.execute("DELETE FROM matches WHERE quote_id = ?", [quote_id])
        db.execute("UPDATE quotes SET matched_through = ? WHERE id = ?", [through, quote_id])
        db.table("matches").insert_all(
            {
                "quote_id": quote_id,
                "unit_id": match.unit_id,
                "rank": rank,
                "score": round(match.score, 2),
                "verdict": match.verdict,
                "start": match.start,
                "end": match.end,
                "matched_text": match.matched_text,
                "differences": json.dumps(match.differences, ensure_ascii=False),
                "flags": json.dumps(match.flags),
                "matched_at": now(),
            }
            for rank, match in enumerate(matches, start=1)
        )


# --- reads -----------------------------------------------------------------------------

_UNIT_COLUMNS = """
    u.id, u.kind, u.label, u.text, u.author, u.date, u.recipients, u.subject,
    u.forwarded_by, u.forwarded_at,
    d.id, d.url, d.title, d.role, d.crawler, d.published_at, d.fetched_at, d.sha256,
    u.page, u.cite, u.pages, d.version
"""


def _json_tuple(text: str) -> tuple[Any, ...]:
    """A JSON list column as a tuple; most are empty, and a trace reads twenty rows."""
    return () if text == "[]" else tuple(json.loads(text))


def _stored_unit(row: Sequence[Any]) -> StoredUnit:
    return StoredUnit(
        id=row[0],
        kind=row[1],
        label=row[2],
        text=row[3],
        author=row[4],
        date=row[5],
        recipients=_json_tuple(row[6]),
        subject=row[7],
        forwarded_by=row[8],
        forwarded_at=row[9],
        document=DocumentRef(
            id=row[10],
            url=row[11],
            title=row[12],
            role=cast(Role, row[13]),
            crawler=row[14],
            published_at=row[15],
            fetched_at=row[16],
            sha256=row[17],
            version=row[21],
        ),
        page=row[18],
        cite=row[19],
        pages=tuple((start, page, ecf) for start, page, ecf in _json_tuple(row[20])),
    )


def search_unit_ids(
    db: Database, fts_query: str, *, limit: int, primary_only: bool = False
) -> list[int]:
    """The ids of units whose text matches an FTS5 query, best-ranked first (of primary
    sources only, if asked)."""
    if not fts_query:
        return []
    role = "AND d.role = 'primary'" if primary_only else ""
    rows = db.execute(
        f"""SELECT u.id FROM units_fts JOIN units u ON u.rowid = units_fts.rowid
            JOIN documents d ON d.id = u.document_id
            WHERE units_fts MATCH ? {role} ORDER BY units_fts.rank LIMIT ?""",
        [fts_query, limit],
    ).fetchall()
    return [unit_id for (unit_id,) in rows]


def _unit_rows(db: Database, columns: str, ids: Iterable[int], where: str = "") -> list[Any]:
    """Rows of `columns` (the unit's id first) of these units joined to their documents,
    in the order of the ids given; ids with no unit, or failing `where`, are left out."""
    ids = list(ids)
    marks = ",".join("?" * len(ids))
    rows = db.execute(
        f"""SELECT {columns} FROM units u JOIN documents d ON d.id = u.document_id
            WHERE {where} u.id IN ({marks})""",
        ids,
    ).fetchall()
    by_id = {row[0]: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def unit_texts(db: Database, ids: Sequence[int]) -> list[tuple[int, str, bool]]:
    """(id, text, from a primary source) of these units, in the order given: all a trace
    needs to rule most candidates out before it reads them whole."""
    rows = _unit_rows(db, "u.id, u.text, d.role = 'primary'", ids)
    return [(unit_id, text, bool(primary)) for unit_id, text, primary in rows]


RUN_BREAK = "\n\n"  # between the units of a run joined into one passage (trace, browse)


def unit_run(db: Database, ids: Sequence[int]) -> list[StoredUnit] | None:
    """These units in the order they stand in their document, if they are consecutive
    units of one document version; None if not (another document, or a unit between)."""
    marks = ",".join("?" * len(ids))
    rows = db.execute(
        f"SELECT id, document_id, ordinal FROM units WHERE id IN ({marks})", list(ids)
    ).fetchall()
    ordinals = sorted(ordinal for _, _, ordinal in rows)
    if (
        len(rows) != len(set(ids))
        or len({document for _, document, _ in rows}) != 1
        or ordinals[-1] - ordinals[0] != len(ordinals) - 1
    ):
        return None
    return units_by_id(db, [unit_id for unit_id, _, _ in sorted(rows, key=lambda r: r[2])])


def neighbours(db: Database, ids: Sequence[int], reach: int) -> list[tuple[int, str, str]]:
    """(id, kind, text) of the units within `reach` places of these in their document,
    these left out, in document order."""
    marks = ",".join("?" * len(ids))
    rows = db.execute(
        f"""SELECT DISTINCT n.id, n.kind, n.text, n.ordinal FROM units u
            JOIN units n ON n.document_id = u.document_id
             AND n.ordinal BETWEEN u.ordinal - ? AND u.ordinal + ?
            WHERE u.id IN ({marks}) AND n.id NOT IN ({marks}) ORDER BY n.ordinal""",
        [reach, reach, *ids, *ids],
    ).fetchall()
    return [(unit_id, kind, text) for unit_id, kind, text, _ in rows]


def units_by_id(db: Database, ids: Iterable[int]) -> list[StoredUnit]:
    """The units with these ids, in the order given."""
    return [_stored_unit(row) for row in _unit_rows(db, _UNIT_COLUMNS, ids)]


def document_ref(db: Database, document_id: int) -> DocumentRef:
    if document_id > MAX_ID:
        raise StorageError(f"no document with id {document_id}")
    row = db.execute(
        """SELECT id, url, title, role, crawler, published_at, fetched_at, sha256, version
           FROM documents WHERE id = ?""",
        [document_id],
    ).fetchone()
    if row is None:
        raise StorageError(f"no document with id {document_id}")
    return DocumentRef(
        row[0], row[1], row[2], cast(Role, row[3]), row[4], row[5], row[6], row[7], row[8]
    )


def stored_spelling(db: Database, url: str) -> str:
    """The spelling of URL its versions are stored under, however it is written: its stored
    form (stored_url) when a version is stored so, else URL as written, which finds what
    was stored before URLs were stored in that form. Those rows are evidence of what was
    asked and are never rewritten; a page stored then under a spelling of its own (with a
    fragment, a capital in the host) is found by that spelling until the page is captured
    again, under its stored form. Two lookups on the url index at most, whatever the size
    of the corpus, where gathering every spelling of a page would need a scan of them all."""
    normal = stored_url(url)
    if normal == url:
        return url
    found = db.execute("SELECT 1 FROM documents WHERE url = ? LIMIT 1", [normal]).fetchone()
    return normal if found is not None else url


def latest_document_id(db: Database, url: str) -> int | None:
    """The id of the newest stored version of a URL (however written), or None."""
    row = db.execute(
        "SELECT id FROM documents WHERE url = ? ORDER BY version DESC LIMIT 1",
        [stored_spelling(db, url)],
    ).fetchone()
    return None if row is None else int(row[0])


def latest_headers(db: Database, url: str) -> list[tuple[str, str]]:
    """The response headers of the newest stored version of a URL (however written); empty
    if there is none."""
    row = db.execute(
        "SELECT headers FROM documents WHERE url = ? ORDER BY version DESC LIMIT 1",
        [stored_spelling(db, url)],
    ).fetchone()
    return [] if row is None else [(name, value) for name, value in json.loads(row[0])]


@dataclass(frozen=True)
class StoredQuote:
    id: int
    document_id: int
    text: str
    form: str
    speaker: str | None
    claimed_date: str | None


def quotes_of(db: Database, document_id: int) -> list[StoredQuote]:
    """The quotes extracted from a document version, in page order."""
    rows = db.execute(
        """SELECT id, document_id, text, form, speaker, claimed_date FROM quotes
           WHERE document_id = ? ORDER BY ordinal""",
        [document_id],
    ).fetchall()
    return [StoredQuote(*row) for row in rows]


def newest_document_id(db: Database) -> int:
    """The id of the document stored last (ids only grow), 0 in an empty corpus."""
    (newest,) = db.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()
    return int(newest)


def mark_all_behind(db: Database) -> None:
    """Have every quote matched again by the next rematch: a document that became a
    primary source changes what any quote may be found in, though no document is new."""
    with transaction(db):
        db.execute("UPDATE quotes SET matched_through = 0")


def quotes_behind(db: Database) -> dict[int, list[StoredQuote]]:
    """The quotes of the newest version of every secondary document that were last matched
    before the newest document was stored, by document id, oldest first."""
    rows = db.execute(
        """SELECT q.id, q.document_id, q.text, q.form, q.speaker, q.claimed_date
           FROM quotes q JOIN documents d ON d.id = q.document_id
           WHERE q.matched_through < (SELECT max(id) FROM documents) AND d.role = 'secondary'
             AND d.version = (SELECT max(version) FROM documents WHERE url = d.url)
           ORDER BY q.document_id, q.ordinal"""
    ).fetchall()
    behind: dict[int, list[StoredQuote]] = {}
    for row in rows:
        behind.setdefault(row[1], []).append(StoredQuote(*row))
    return behind


def link_graph(db: Database, among: Iterable[str]) -> dict[str, list[Link]]:
    """Outbound links of the newest version of each stored URL `among` (the pages a chain
    may pass through), by URL, each leading to the page among them its target is an
    address of (chains.page_addresses): a link to where a page redirected, or to an
    address it names as its own (urls.ADDRESS_RELS), is a link to that page. Only those
    pages are read, so a chain costs the same in a corpus of any size."""
    urls = json.dumps(sorted(set(among)))
    pages = page_addresses(
        db.execute(
            """SELECT d.url, d.final_url, json_extract(m.value, '$[1]') FROM documents d
               LEFT JOIN json_each(d.metadata) m
                 ON json_extract(m.value, '$[0]') IN (SELECT value FROM json_each(?))
               WHERE d.url IN (SELECT value FROM json_each(?))
               GROUP BY 1, 2, 3 ORDER BY max(d.id)""",
            [json.dumps(sorted(ADDRESS_RELS)), urls],
        )
    )
    rows = db.execute(
        """SELECT d.url, l.url, l.anchor_text FROM links l
           JOIN documents d ON d.id = l.document_id
           WHERE d.url IN (SELECT value FROM json_each(?))
             AND d.version = (SELECT max(version) FROM documents WHERE url = d.url)
           ORDER BY d.url, l.ordinal""",
        [urls],
    ).fetchall()
    graph: dict[str, list[Link]] = {}
    for source, target, anchor in rows:
        graph.setdefault(source, []).append(Link(pages.get(canonical(target), target), anchor))
    return graph


# --- fetch failures --------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """A listed URL's failed fetches: when the last was, how many in a row, and the HTTP
    status of the last (None when it was no HTTP answer)."""

    failed_at: str
    failures: int
    status: int | None


def failed_before(db: Database, urls: Sequence[str]) -> dict[str, Failure]:
    """The failed fetches of each of these URLs, for those whose last fetch failed."""
    failed: dict[str, Failure] = {}
    for i in range(0, len(urls), _LOOKUP):
        batch = list(urls[i : i + _LOOKUP])
        marks = ",".join("?" * len(batch))
        rows = db.execute(
            f"""SELECT url, failed_at, failures, status FROM fetch_failures
                WHERE url IN ({marks})""",
            batch,
        ).fetchall()
        failed.update((url, Failure(*rest)) for url, *rest in rows)
    return failed


def record_fetch(db: Database, url: str, error: str | None, status: int | None = None) -> int:
    """Note that fetching a URL failed with this error (and HTTP status), or forget its
    failures when it succeeded; how many times in a row it has now failed."""
    with transaction(db):
        if error is None:
            db.execute("DELETE FROM fetch_failures WHERE url = ?", [url])
            return 0
        (failures,) = db.execute(
            """INSERT INTO fetch_failures (url, failed_at, failures, error, status)
               VALUES (?, ?, 1, ?, ?)
               ON CONFLICT (url) DO UPDATE SET failed_at = excluded.failed_at,
                   failures = failures + 1, error = excluded.error, status = excluded.status
               RETURNING failures""",
            [url, now(), error, status],
        ).fetchone()
        return int(failures)


# --- crawl runs ------------------------------------------------------------------------


def start_crawl_run(db: Database, config: str) -> int:
    """Open a crawl run. The caller holds the crawl lock, so a run still marked running
    was killed before it finished: it is closed as failed, saying so, before this one."""
    interrupted = json.dumps([{"status": "failed", "error": "interrupted before it finished"}])
    with transaction(db):
        db.execute(
            "UPDATE crawl_runs SET status = 'failed', report = ? WHERE status = 'running'",
            [interrupted],
        )
        row_id = (
            db.table("crawl_runs")
            .insert({"started_at": now(), "config": config, "status": "running"})
            .last_pk
        )
    return cast(int, row_id)


def finish_crawl_run(
    db: Database, run_id: int, *, report: list[dict[str, Any]], quotes_found: int
) -> None:
    """Close a crawl run with its per-source report, the totals derived from it, and how
    many stored quotes were found in a primary source when matched again."""
    failed = sum(1 for source in report if source["status"] != "ok")
    with transaction(db):
        db.table("crawl_runs").update(
            run_id,
            {
                "finished_at": now(),
                "status": "failed" if failed else "ok",
                "sources": len(report),
                "sources_failed": failed,
                "documents_new": sum(s.get("documents_new", 0) for s in report),
                "documents_unchanged": sum(s.get("documents_unchanged", 0) for s in report),
                "quotes_new": sum(s.get("quotes_new", 0) for s in report),
                "quotes_found": quotes_found,
                "report": json.dumps(report, ensure_ascii=False),
            },
        )


# --- reads for citation chains and appearances -----------------------------------------


@dataclass(frozen=True)
class DocumentPlace:
    """Where a stored document version stands: its text, its version among the URL's
    versions, and when the URL was first captured."""

    text: str
    version: int
    latest_version: int
    first_fetched_at: str
    publisher: str | None
    author: str | None


def document_place(db: Database, document_id: int) -> DocumentPlace:
    row = db.execute(
        """SELECT d.text, d.version,
                  (SELECT max(version) FROM documents WHERE url = d.url),
                  (SELECT min(fetched_at) FROM documents WHERE url = d.url),
                  d.publisher, d.author
           FROM documents d WHERE d.id = ?""",
        [document_id],
    ).fetchone()
    if row is None:
        raise StorageError(f"no document with id {document_id}")
    return DocumentPlace(*row)


def unit_start(db: Database, unit_id: int) -> int:
    """The offset of a unit in its document's text."""
    row = db.execute("SELECT start FROM units WHERE id = ?", [unit_id]).fetchone()
    if row is None:
        raise StorageError(f"no unit with id {unit_id}")
    return int(row[0])


@dataclass(frozen=True)
class PrintedQuote:
    """A quote as a document prints it, with offsets into that document's text, and how it
    was matched to a unit when it was (verdict None otherwise)."""

    id: int
    document_id: int
    text: str
    start: int
    end: int
    speaker: str | None
    claimed_date: str | None
    verdict: str | None = None
    unit_start: int | None = None  # the matched span, offsets into the unit's text
    unit_end: int | None = None


_PRINTED = 'q.id, q.document_id, q.text, q.start, q."end", q.speaker, q.claimed_date'


MAX_ID = 2**63 - 1  # SQLite's largest INTEGER: a larger id names no row (and cannot be bound)


def row_id(text: str) -> int | None:
    """The row id a command-line argument gives, if it is one: ASCII digits alone ("²" and
    "１" are digits to str.isdigit(), not to int() or to a reader)."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def quote_by_id(db: Database, quote_id: int) -> PrintedQuote | None:
    if quote_id > MAX_ID:
        return None
    row = db.execute(f"SELECT {_PRINTED} FROM quotes q WHERE q.id = ?", [quote_id]).fetchone()
    return None if row is None else PrintedQuote(*row)


def quotes_overlapping(db: Database, document_id: int, start: int, end: int) -> list[PrintedQuote]:
    """The quotes a document prints over any part of text[start:end], in page order."""
    rows = db.execute(
        f"""SELECT {_PRINTED} FROM quotes q
            WHERE q.document_id = ? AND q.start < ? AND q."end" > ? ORDER BY q.ordinal""",
        [document_id, end, start],
    ).fetchall()
    return [PrintedQuote(*row) for row in rows]


def quotes_matched_to(db: Database, unit_id: int) -> list[PrintedQuote]:
    """Every stored quote matched to a unit, with the verdict and the span it matched."""
    rows = db.execute(
        f"""SELECT {_PRINTED}, m.verdict, m.start, m."end" FROM matches m
            JOIN quotes q ON q.id = m.quote_id WHERE m.unit_id = ? ORDER BY q.id""",
        [unit_id],
    ).fetchall()
    return [PrintedQuote(*row) for row in rows]


def latest_crawl(db: Database) -> tuple[str, str | None] | None:
    """When the most recent crawl run started and finished (None while it runs, or if it
    was killed), or None before the first."""
    row = db.execute(
        "SELECT started_at, finished_at FROM crawl_runs ORDER BY started_at DESC, id DESC LIMIT 1"
    ).fetchone()
    return None if row is None else (row[0], row[1])


def last_synced(db: Database, source: str) -> str | None:
    """When the last crawl run in which SOURCE succeeded started, or None: a docket is read
    again from then, since its entries change after they are first seen."""
    rows = db.execute(
        "SELECT started_at, report FROM crawl_runs WHERE status != 'running' ORDER BY id DESC"
    ).fetchall()
    for started_at, report in rows:
        if any(o.get("name") == source and o.get("status") == "ok" for o in json.loads(report)):
            return str(started_at)
    return None


# --- versions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """One stored version of a URL and the capture it was parsed from."""

    document_id: int
    version: int
    fetched_at: str
    sha256: str
    size: int
    status: int | None
    final_url: str
    title: str
    text: str


def versions_of(db: Database, url: str) -> list[Version]:
    """Every stored version of a URL (however written: see stored_spelling), oldest first."""
    rows = db.execute(
        """SELECT d.id, d.version, d.fetched_at, d.sha256, c.size, d.status, d.final_url,
                  d.title, d.text
           FROM documents d JOIN captures c ON c.sha256 = d.sha256
           WHERE d.url = ? ORDER BY d.version""",
        [stored_spelling(db, url)],
    ).fetchall()
    return [Version(*row) for row in rows]


# --- shingle index ---------------------------------------------------------------------

INDEX_CHUNK = 2_000  # units hashed at a time while indexing: bounds memory, not speed
PARTITIONS = 16  # hash ranges merged one at a time, each a sixteenth of the postings
_LOOKUP = 500  # hashes per IN (...) lookup


def index_units(db: Database, *, after: int = 0) -> int:
    """Add every unit with id > after to the shingle postings: the index of a corpus loaded
    with save_document(index=False), or of one that predates the index. Chunks of units
    are hashed into per-hash-range run files, then each range is merged with the stored
    postings and written in hash order, so memory stays bounded whatever the corpus size.
    Returns how many units were indexed."""
    query, args = "SELECT id, text FROM units WHERE id > ? ORDER BY id", [after]
    cursor = db.conn.execute(query, args)
    rows = cursor.fetchmany(INDEX_CHUNK)
    if len(rows) < INDEX_CHUNK:  # a few documents: merged straight from memory
        h, u = _hash_units(rows)
        order = np.argsort(h, kind="stable")
        _merge_postings(db, h[order], u[order])
        return len(rows)
    indexed = 0
    with tempfile.TemporaryDirectory(prefix="shingles-") as scratch:
        runs = [Path(scratch) / str(p) for p in range(PARTITIONS)]
        while rows:
            indexed += len(rows)
            h, u = _hash_units(rows)
            part = (h >> 60) + PARTITIONS // 2  # the top bits, in signed order
            for p in np.unique(part).tolist():
                keep = part == p
                with runs[p].open("ab") as run:
                    run.write(np.stack([h[keep], u[keep].astype(np.int64)]).T.tobytes())
            rows = cursor.fetchmany(INDEX_CHUNK)
        for run in runs:
            if run.exists():
                pairs = np.fromfile(run, dtype=np.int64).reshape(-1, 2)
                order = np.argsort(pairs[:, 0], kind="stable")  # unit ids stay ascending
                _merge_postings(db, pairs[order, 0], pairs[order, 1].astype(np.int32))
    return indexed


def _hash_units(rows: list[tuple[int, str]]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """The (shingle hash, unit id) pairs of these (id, text) rows, in unit order."""
    hashes = [shingles.shingles([text]) for _, text in rows]
    if not hashes:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int32)
    ids = np.array([unit_id for unit_id, _ in rows], dtype=np.int32)
    return np.concatenate(hashes), np.repeat(ids, [len(x) for x in hashes])


def _merge_postings(db: Database, h: npt.NDArray[np.int64], u: npt.NDArray[np.int32]) -> None:
    """Append unit ids (grouped by hash, ascending) to the stored posting lists."""
    if not len(h):
        return
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    ends = np.r_[starts[1:], len(h)]
    keys = h[starts].tolist()
    stored: dict[int, tuple[int, bytes | None]] = {}
    for i in range(0, len(keys), _LOOKUP):
        batch = keys[i : i + _LOOKUP]
        marks = ",".join("?" * len(batch))
        for key, df, units in db.conn.execute(
            f"SELECT h, df, units FROM shingle_postings WHERE h IN ({marks})", batch
        ):
            stored[key] = (df, units)
    rows = []
    for key, start, end in zip(keys, starts.tolist(), ends.tolist(), strict=True):
        df, units = stored.get(key, (0, b""))
        df += end - start
        rows.append(
            (key, df, None if df > shingles.STOP_DF else (units or b"") + u[start:end].tobytes())
        )
    db.conn.executemany(
        "INSERT OR REPLACE INTO shingle_postings (h, df, units) VALUES (?, ?, ?)", rows
    )


DELTA_LIMIT = 100_000  # (shingle, unit) pairs the delta holds before they are merged


def _add_delta(db: Database, document_id: int) -> None:
    """Index one saved document: its units' shingles go to the delta."""
    rows = db.conn.execute(
        "SELECT id, text FROM units WHERE document_id = ? ORDER BY id", [document_id]
    ).fetchall()
    h, u = _hash_units(rows)
    db.conn.executemany(
        "INSERT INTO shingle_delta (h, unit) VALUES (?, ?)",
        zip(h.tolist(), u.tolist(), strict=True),
    )


def merge_delta(db: Database) -> int:
    """Move the delta's pairs into the posting lists (inside the caller's transaction);
    returns how many were moved."""
    pairs = np.array(
        db.conn.execute("SELECT h, unit FROM shingle_delta ORDER BY h, unit").fetchall(),
        dtype=np.int64,
    ).reshape(-1, 2)
    _merge_postings(db, pairs[:, 0], pairs[:, 1].astype(np.int32))
    db.conn.execute("DELETE FROM shingle_delta")
    return len(pairs)


@dataclass(frozen=True)
class Postings:
    """The posting lists of a quote's shingles, and the corpus size. `lists` may vote;
    `common` are stored but too common to vote as a rule (boilerplate, or the quote's own
    words repeated in many articles); `stopped` counts shingles so common their lists
    were no longer kept."""

    units: int
    lists: list[bytes]
    common: list[bytes]
    stopped: int


def holds_primary_sources(db: Database) -> bool:
    """Whether any primary source is stored: what a quote can be traced to."""
    row = db.execute("SELECT 1 FROM documents WHERE role = 'primary' LIMIT 1").fetchone()
    return row is not None


def unit_count(db: Database) -> int:
    """How many units the corpus holds (ids are never reused, so the largest id)."""
    (units,) = db.execute("SELECT coalesce(max(id), 0) FROM units").fetchone()
    return int(units)


def shingle_postings(db: Database, hashes: Sequence[int]) -> Postings:
    """The posting lists of these shingle hashes, the delta's units included, split by how
    common they are."""
    units = unit_count(db)
    usable = shingles.usable_df(units)
    stored: dict[int, tuple[int, bytes | None]] = {}
    added: dict[int, list[int]] = {}
    for i in range(0, len(hashes), _LOOKUP):
        batch = list(hashes[i : i + _LOOKUP])
        marks = ",".join("?" * len(batch))
        for h, df, blob in db.execute(
            f"SELECT h, df, units FROM shingle_postings WHERE h IN ({marks})", batch
        ):
            stored[h] = (df, blob)
        for h, unit in db.execute(
            f"SELECT h, unit FROM shingle_delta WHERE h IN ({marks}) ORDER BY h, unit", batch
        ):
            added.setdefault(h, []).append(unit)
    lists: list[bytes] = []
    common: list[bytes] = []
    stopped = 0
    # Each list as merging the delta would leave it: the delta's units are the newest.
    for h in [*stored, *(h for h in added if h not in stored)]:
        df, blob = stored.get(h, (0, b""))
        extra = added.get(h, [])
        df += len(extra)
        if blob is None or df > shingles.STOP_DF:
            stopped += 1
        else:
            blob += shingles.pack(extra) if extra else b""
            (lists if df <= usable else common).append(blob)
    return Postings(units, lists, common, stopped)


def primary_units(db: Database, unit_ids: Sequence[int]) -> list[int]:
    """Those of these units that belong to a primary source, in the order given."""
    return [row[0] for row in _unit_rows(db, "u.id", unit_ids, "d.role = 'primary' AND")]
