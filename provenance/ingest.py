"""The one flow from a URL or file to stored, matched quotes, used by add, crawl and check:
capture → pick crawler → parse → extract quotes → store (one transaction) → match."""

from __future__ import annotations

import json
import mimetypes
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import crawlers
from crawlers._charset import as_declared
from crawlers._sniff import binary_kind
from crawlers.fetch import Fetcher, fetch, url_problem
from provenance import storage
from provenance.contain import Budget, contained
from provenance.errors import InputError, ParseError
from provenance.models import Capture, Document, DocumentRef, Role
from provenance.quotes import extract_quotes
from provenance.storage import Database, MatchRow, StoredQuote
from provenance.trace import TraceResult, trace_quote, untraceable
from provenance.urls import path_url, stored_url

FILE_TYPES = {".html", ".htm", ".eml", ".mbox", ".txt", ".pdf"}
PARSE_BUDGET = Budget()


@dataclass(frozen=True)
class Overrides:
    """What the user knows better than the page: metadata and the crawler to use."""

    crawler: str | None = None
    role: Role | None = None
    new_role: Role | None = None  # the role of a URL new to the corpus, where role is None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None

    def given(self) -> tuple[str, ...]:
        """The document columns this sets: what a correction of a stored version changes."""
        columns = [
            ("role", self.role),
            ("title", self.title),
            ("author", self.author),
            ("published_at", self.published),
        ]
        return tuple(column for column, value in columns if value is not None)


@dataclass(frozen=True)
class Ingested:
    """What adding one capture did."""

    document: DocumentRef
    version: int
    new: bool
    units: int
    quotes: int
    matched: int | None  # quotes found in a primary source; None: stored already, not matched
    corrected: tuple[str, ...] = ()  # the metadata a correction changed on a stored version


def is_url(target: str) -> bool:
    """Whether a target is an http(s) URL to fetch: the scheme in any letter case."""
    return target[:8].lower().startswith(("http://", "https://"))


OTHER_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")  # a scheme, as in ftp:// or file://
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+")  # a scheme and more: urn:, doi:


def given_url_problem(url: str) -> str | None:
    """Why a URL given for a document (add --url) cannot be its address, or None: an
    http(s) one must be fetchable, another must at least be absolute (urn:, file://), or
    every link made to the document leads nowhere."""
    if is_url(url):
        return url_problem(url)
    if not _ABSOLUTE.fullmatch(url) or not url.isprintable():
        return "not an absolute URL (https://…, or another scheme such as urn:)"
    return None


def refuse_other_urls(target: str) -> None:
    """Refuse a URL of a scheme other than http(s) by name: read as a file's path, it lost
    a slash ("ftp:/example.org/x.html: no such file") and said nothing of why."""
    if not is_url(target) and OTHER_URL.match(target):
        raise InputError(f"{target}: only http(s) URLs and files can be read")


def expand(targets: Iterable[str]) -> Iterator[str]:
    """URLs as given; files as given; directories as the supported files inside, sorted,
    hidden ones and those in hidden folders (.git) left out. A directory holding none, a
    folder inside that cannot be listed, or a path that cannot be looked at, is given as
    it is, for capture_file() to report while the other targets are added."""
    for target in targets:
        path = Path(target)
        try:
            directory = not is_url(target) and path.is_dir()
        except OSError:  # no permission to look: capture_file() says so
            directory = False
        found, unlisted = _files_in(path) if directory else ([], [])
        yield from (str(p) for p in found) if found or unlisted else (target,)
        yield from unlisted


def _files_in(directory: Path) -> tuple[list[Path], list[str]]:
    """The supported files under a directory, sorted, hidden ones and hidden folders left
    out; and the folders that could not be listed (no permission, a path too long)."""
    found: list[Path] = []
    unlisted: list[str] = []
    for root, folders, files in os.walk(directory, onerror=lambda e: unlisted.append(e.filename)):
        folders[:] = [f for f in folders if not f.startswith(".")]
        found += [
            Path(root, name)
            for name in files
            if not name.startswith(".")
            and Path(name).suffix.lower() in FILE_TYPES
            and Path(root, name).is_file()
        ]
    return sorted(found), sorted(unlisted)


def capture_file(path: Path, *, url: str | None = None) -> Capture:
    """Read a local file as a capture; its URL is its file:// path unless one is given."""
    supported = ", ".join(sorted(FILE_TYPES))
    try:
        if path.is_dir():
            os.scandir(path).close()  # a folder that cannot be listed says why (below)
            raise InputError(
                f"{path}: no files of a supported type ({supported}) in this directory"
            )
        if not path.exists():
            raise InputError(f"{path}: no such file")
        if path.suffix.lower() not in FILE_TYPES:
            raise InputError(
                f"{path}: unsupported file type {path.suffix or '(none)'}; use {supported}"
            )
        if not path.is_file():  # a pipe would be read until its writer stops: maybe never
            raise InputError(f"{path}: not a regular file")
        content = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: {error.strerror}") from error
    document_url = url or path_url(path)
    return Capture(
        url=document_url,
        final_url=document_url,
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
        content=content,
        content_type=mimetypes.guess_type(path.name)[0],
    )


def capture(target: str, client: Fetcher, *, url: str | None = None) -> Capture:
    """Fetch a URL or read a file. The URL given for it (add --url), when http(s), is
    stored as a fetched URL is (stored_url), so it joins that page's history."""
    if url and is_url(url):
        url = stored_url(url)
    refuse_other_urls(target)
    if is_url(target):
        captured = fetch(client, target)
        return replace(captured, url=url) if url else captured
    return capture_file(Path(target), url=url)


def parse(captured: Capture, overrides: Overrides, budget: Budget = PARSE_BUDGET) -> Document:
    """Pick the crawler (or use the one named) and parse in a contained child process, then
    apply the user's metadata, to the units too where they name no author or date."""
    if overrides.crawler:
        crawlers.get_crawler(overrides.crawler)  # an unknown name is the user's mistake
    if not captured.content.strip():
        raise ParseError("empty: there is nothing to read", url=captured.url)
    if kind := binary_kind(captured.content):
        raise ParseError(f"binary content ({kind}), not text a crawler reads", url=captured.url)
    base = _base(captured, overrides)
    document = contained(
        _parse_with, overrides.crawler, captured, base, url=captured.url, budget=budget
    )
    if not document.text.strip() or not document.units:
        raise ParseError("no text found", url=captured.url)
    units = tuple(  # a statement's paragraphs are the words of the author the user names
        replace(u, author=u.author or overrides.author, date=u.date or overrides.published)
        for u in document.units
    )
    return replace(
        document,
        role=overrides.role or document.role,
        title=overrides.title or document.title,
        author=overrides.author or document.author,
        published_at=overrides.published or document.published_at,
        units=units,
    )


def _base(captured: Capture, overrides: Overrides) -> str:
    """The address a page's relative links resolve against: where it was served from, after
    redirects, as in a browser; or the address the user gives it (add --url), as for a file."""
    return captured.url if overrides.url else captured.final_url


def _parse_with(kind: str | None, captured: Capture, base: str) -> Document:
    """Pick the crawler (recognising content parses it too) and parse, relative references
    against BASE: in the child. The parser reads HTML in the encoding the HTTP header
    gives; the capture keeps its bytes."""
    url = captured.url
    content = as_declared(captured.content, captured.content_type)
    crawler = (
        crawlers.get_crawler(kind)
        if kind
        else crawlers.pick_crawler(
            content, url=captured.final_url, content_type=captured.content_type
        )
    )
    document = crawler.parse(content, url=url, base=base)
    try:  # lone surrogates (undecodable email headers) cannot be stored or printed
        json.dumps(asdict(document), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise ParseError(f"undecodable bytes in the parsed text: {error.reason}", url=url) from None
    return document


def ingest(
    db: Database, captured: Capture, overrides: Overrides = Overrides(), *, correct: bool = False
) -> Ingested:
    """Parse and store one capture, then match its quotes against the corpus. With
    `correct`, the metadata the overrides set is applied to a version stored already (see
    storage._correct), and the stored matches it bears on are made again."""
    document = _inherit_role(db, parse(captured, overrides), overrides)
    quotes = extract_quotes(document) if document.role == "secondary" else []
    corrections = overrides.given() if correct else ()
    saved = storage.save_document(db, captured, document, quotes, corrections=corrections)
    if saved.corrected:
        became_primary = "role" in saved.corrected and document.role == "primary"
        _rematch_after_correction(db, saved.document_id, became_primary=became_primary)
    ref = storage.document_ref(db, saved.document_id)
    return Ingested(
        document=ref,
        version=saved.version,
        new=saved.new,
        units=len(document.units),
        quotes=len(quotes),
        matched=found_count(db, saved.document_id) if saved.new else None,
        corrected=saved.corrected,
    )


def _inherit_role(db: Database, document: Document, overrides: Overrides) -> Document:
    """A new version of a stored URL keeps the role of its latest version unless a role is
    given: a primary source re-added, re-crawled or checked without one is still a primary
    source. A URL new to the corpus takes `new_role`, if one is set."""
    if overrides.role:
        return document
    latest = storage.latest_document_id(db, document.url)
    if latest is not None:
        return replace(document, role=storage.document_ref(db, latest).role)
    return replace(document, role=overrides.new_role) if overrides.new_role else document


def _rematch_after_correction(db: Database, document_id: int, *, became_primary: bool) -> None:
    """Match again the quotes a corrected document bears on: those matched to its units
    (their verdicts and flags read its author, date and role), and every article's when it
    is now a primary source, which any quote may come from."""
    if became_primary:
        storage.mark_all_behind(db)
        rematch(db)
        return
    for matched in storage.documents_matched_to(db, document_id):
        if matched != document_id:
            match_document(db, matched)


def _trace_stored(db: Database, quote: StoredQuote, article: DocumentRef) -> TraceResult:
    """Trace an article's stored quote; one that cannot be traced (extraction is looser
    than tracing: too short, too many pieces) is an untraceable result, with the reason."""
    try:
        return trace_quote(
            db, quote.text, speaker=quote.speaker, date=quote.claimed_date, article=article
        )
    except InputError as error:
        return untraceable(quote.text, str(error), speaker=quote.speaker, date=quote.claimed_date)


def match_document(db: Database, document_id: int) -> list[tuple[StoredQuote, TraceResult]]:
    """Trace every quote of a stored document and store the matches; return the results."""
    return _match_quotes(db, document_id, storage.quotes_of(db, document_id))


def _match_quotes(
    db: Database, document_id: int, quotes: list[StoredQuote]
) -> list[tuple[StoredQuote, TraceResult]]:
    """Trace these quotes of a document, store their matches and the newest document they
    were traced against (read first: a document stored meanwhile is not yet seen)."""
    article = storage.document_ref(db, document_id)
    through = storage.newest_document_id(db)
    results = []
    for quote in quotes:
        result = _trace_stored(db, quote, article)
        rows = [
            MatchRow(
                unit_id=m.unit.id,
                score=m.score,
                verdict=m.verdict,
                start=m.start,
                end=m.end,
                matched_text=m.matched_text,
                differences=[vars(d) for d in m.differences],
                flags=list(m.flags),
            )
            for m in result.matches
            # A quote not found names no source, though primary units hold its words (too
            # common, or spliced): stored, they would read as its source in the browse view.
            if result.best or m.unit.document.role != "primary"
        ]
        storage.save_matches(db, quote.id, rows, through=through)
        results.append((quote, result))
    return results


def found_count(db: Database, document_id: int) -> int:
    """Match a stored document's quotes (storing the matches) and count those found in a
    primary source: whether a quote is found is decided by tracing, not stored."""
    return sum(1 for _, result in match_document(db, document_id) if result.status == "found")


def rematch(db: Database) -> int:
    """Match again every quote (of the newest version of a secondary document) last matched
    before the newest document was stored, whatever stored it: add, a crawl, a run that was
    killed. Nothing is traced when nothing is new. Returns how many are found in a primary
    source."""
    found = 0
    for document_id, quotes in storage.quotes_behind(db).items():
        results = _match_quotes(db, document_id, quotes)
        found += sum(1 for _, r in results if r.status == "found")
    return found
