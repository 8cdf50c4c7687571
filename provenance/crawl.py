"""The nightly crawl: read the sources file, take the lock, fetch and ingest every source,
record the run, and match all quotes again when new primary sources arrived.

A failing source never stops the others: its error is caught here, the one place per-page
failures are caught, and reported in the run's row and the exit status.
"""

from __future__ import annotations

import fcntl
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import crawlers
from crawlers.fetch import make_client
from provenance import storage
from provenance.discovery import crawl_listing
from provenance.errors import InputError, LockedError, ProvenanceError
from provenance.ingest import Overrides, capture, ingest, rematch
from provenance.models import Role
from provenance.storage import Database


@dataclass(frozen=True)
class Source:
    """One entry of the sources file."""

    name: str
    url: str
    crawler: str | None = None
    role: Role | None = None
    kind: str = "page"  # or a lister's kind: "feed", "sitemap", "docket"
    follow: int | None = None  # documents a listing may lead to per crawl


def load_sources(path: Path) -> list[Source]:
    """Read and validate a sources TOML file: a [[source]] table per source."""
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise InputError(f"{path}: no such file") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: not valid TOML: {error}") from error
    entries = config.get("source")
    if not isinstance(entries, list) or not entries:
        raise InputError(f"{path}: no [[source]] entries")
    sources, names = [], set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: source {number}"
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("url"):
            raise InputError(f"{where}: needs a name and a url")
        unknown = set(entry) - {"name", "url", "crawler", "role", "kind", "follow"}
        if unknown:
            raise InputError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        if entry["name"] in names:
            raise InputError(f"{where}: duplicate name {entry['name']!r}")
        if entry.get("crawler"):
            crawlers.get_crawler(entry["crawler"])
        if entry.get("role") not in (None, *get_args(Role)):
            raise InputError(f"{where}: role must be primary or secondary")
        kind = entry.get("kind", "page")
        if kind != "page":
            crawlers.get_lister(kind)
        follow = entry.get("follow")
        if follow is not None and (not isinstance(follow, int) or follow < 0):
            raise InputError(f"{where}: follow must be a whole number")
        names.add(entry["name"])
        sources.append(
            Source(
                entry["name"], entry["url"], entry.get("crawler"), entry.get("role"), kind, follow
            )
        )
    return sources


@contextmanager
def crawl_lock(db_path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the database for the length of a crawl."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    with lock_path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise LockedError(f"another crawl is running on {db_path} ({lock_path})") from error
        yield


def crawl(
    db: Database,
    sources: list[Source],
    *,
    config_name: str,
    on_source: Callable[[Source, dict[str, Any]], None] = lambda source, outcome: None,
) -> tuple[int, list[dict[str, Any]]]:
    """Crawl every source; returns the crawl run id and the per-source report."""
    run_id = storage.start_crawl_run(db, config_name)
    report: list[dict[str, Any]] = []
    new_documents = False
    with make_client() as client:
        for source in sources:
            outcome: dict[str, Any]
            if source.kind != "page":
                outcome, new = crawl_listing(
                    db,
                    name=source.name,
                    kind=source.kind,
                    url=source.url,
                    role=source.role,
                    follow=source.follow,
                )
                new_documents |= new
                report.append(outcome)
                on_source(source, outcome)
                continue
            outcome = {"name": source.name, "url": source.url}
            try:
                captured = capture(source.url, client)
                result = ingest(db, captured, Overrides(crawler=source.crawler, role=source.role))
            except ProvenanceError as error:
                outcome.update(status="failed", error=str(error))
            else:
                new_documents |= result.new
                outcome.update(
                    status="ok",
                    document_id=result.document.id,
                    version=result.version,
                    documents_new=int(result.new),
                    documents_unchanged=int(not result.new),
                    quotes_new=result.quotes if result.new else 0,
                )
            report.append(outcome)
            on_source(source, outcome)
    # A new primary source can be the origin of quotes stored on earlier nights.
    found = rematch(db) if new_documents else 0
    storage.finish_crawl_run(db, run_id, report=report, quotes_found=found)
    return run_id, report
