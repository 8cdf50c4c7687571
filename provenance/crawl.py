"""The nightly crawl: read the sources file, take the lock, fetch and ingest every source,
record the run, and match again the stored quotes that new documents may answer.

A failing source never stops the others: its error is caught here, the one place per-page
failures are caught, and reported in the run's row and the exit status.
"""

from __future__ import annotations

import fcntl
import logging
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import crawlers
from crawlers.fetch import (
    Fetcher,
    Policy,
    Validators,
    fetch_if_changed,
    make_client,
    url_problem,
)
from provenance import storage
from provenance.discovery import LISTING_COUNTS, crawl_listing
from provenance.errors import (
    BY_KEY,
    NEXT_RUN,
    DeferredError,
    InputError,
    LockedError,
    ProvenanceError,
    StorageError,
    reported,
)
from provenance.ingest import Overrides, ingest, rematch
from provenance.models import Role
from provenance.storage import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Source:
    """One entry of the sources file."""

    name: str
    url: str
    crawler: str | None = None
    role: Role | None = None
    kind: str = "page"  # or a lister's kind: "feed", "sitemap", "docket"
    follow: int | None = None  # documents a listing may lead to per crawl


def _known_keys(where: str, table: dict[str, Any], known: set[str]) -> None:
    """Refuse a key the sources file does not know: a typo ("allowed_hosts") would
    otherwise be ignored, and the setting it meant silently missing."""
    if unknown := set(table) - known:
        raise InputError(
            f"{where}: unknown keys {', '.join(sorted(unknown))} "
            f"(known: {', '.join(sorted(known))})"
        )


FETCH_KEYS: dict[str, type | tuple[type, ...]] = {
    "allow_hosts": list,
    "delay": (int, float),
    "user_agent": str,
}


def load_sources(path: Path) -> list[Source]:
    """Read and validate a sources TOML file: a [[source]] table per source."""
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise InputError(f"{path}: no such file") from error
    except OSError as error:  # a directory, no permission
        raise InputError(f"{path}: cannot read: {error.strerror}") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: not valid TOML: {error}") from error
    _known_keys(str(path), config, {"source", *FETCH_KEYS})
    entries = config.get("source")
    if not isinstance(entries, list) or not entries:
        raise InputError(f"{path}: no [[source]] entries")
    sources, names = [], set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: source {number}"
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("url"):
            raise InputError(f"{where}: needs a name and a url")
        _known_keys(where, entry, {"name", "url", "crawler", "role", "kind", "follow"})
        for key in ("name", "url", "crawler", "role", "kind"):
            if key in entry and not isinstance(entry[key], str):
                raise InputError(f"{where}: {key} must be a string")
        if entry["name"] in names:
            raise InputError(f"{where}: duplicate name {entry['name']!r}")
        if problem := url_problem(entry["url"]):
            raise InputError(f"{where}: url {entry['url']!r}: {problem}")
        kind = entry.get("kind", "page")
        try:
            if entry.get("crawler"):
                crawlers.get_crawler(entry["crawler"])
            if kind != "page":
                crawlers.get_lister(kind)
        except InputError as error:
            raise InputError(f"{where}: {error}") from None
        if entry.get("role") not in (None, *get_args(Role)):
            raise InputError(f"{where}: role must be primary or secondary")
        follow = entry.get("follow")
        if follow is not None and (type(follow) is not int or follow < 0):
            raise InputError(f"{where}: follow must be a whole number")
        if kind == "page" and follow is not None:
            raise InputError(f"{where}: follow applies to a feed, sitemap or docket source")
        if kind != "page" and entry.get("crawler"):
            raise InputError(
                f"{where}: crawler applies to a page source; a listing's documents are "
                "each read by the crawler their URL and content pick"
            )
        names.add(entry["name"])
        sources.append(
            Source(
                entry["name"], entry["url"], entry.get("crawler"), entry.get("role"), kind, follow
            )
        )
    return sources


def load_policy(path: Path, *, allow_hosts: tuple[str, ...] = ()) -> Policy:
    """The fetch settings of a sources file (top-level allow_hosts, delay, user_agent),
    with hosts allowed on the command line added."""
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read: {error}") from error
    for key, kind in FETCH_KEYS.items():
        if key in config and not isinstance(config[key], kind):
            raise InputError(f"{path}: {key} has the wrong type")
    hosts = config.get("allow_hosts", [])
    if not all(isinstance(host, str) for host in hosts):
        raise InputError(f"{path}: allow_hosts must be a list of host names")
    default = Policy()
    delay = float(config.get("delay", default.delay))
    if not 0 <= delay <= default.max_crawl_delay:  # never true of NaN
        limit = f"{default.max_crawl_delay:g}"
        raise InputError(f"{path}: delay must be a number of seconds from 0 to {limit}")
    user_agent = config.get("user_agent", default.user_agent)
    if not user_agent.strip() or not (user_agent.isascii() and user_agent.isprintable()):
        raise InputError(f"{path}: user_agent must be one line of printable ASCII")
    return Policy(user_agent=user_agent, delay=delay, allow_hosts=(*hosts, *allow_hosts))


@contextmanager
def crawl_lock(db_path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the database for the length of a crawl: beside the
    file itself, so that a symbolic link to it, or another spelling of its path, names
    the same lock."""
    real = db_path.resolve()
    lock_path = real.with_name(real.name + ".lock")
    try:
        handle = lock_path.open("w")
    except OSError as error:
        reason = f"cannot make its crawl lock {lock_path.name}: {error.strerror}"
        raise StorageError(f"{db_path}: cannot open the database ({reason})") from None
    with handle:
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
    policy: Policy | None = None,
    on_source: Callable[[Source, dict[str, Any]], None] = lambda source, outcome: None,
) -> tuple[int, list[dict[str, Any]]]:
    """Crawl every source; returns the crawl run id and the per-source report."""
    run_id = storage.start_crawl_run(db, config_name)
    report: list[dict[str, Any]] = []
    with make_client(policy) as client:
        for source in sources:
            try:
                outcome = _crawl_one(db, client, source)
            except Exception as error:  # a bug of ours on this source: report it, go on
                log.error("crawling source %s failed", source.name, exc_info=True)
                outcome = _crashed(source, error)
            report.append(outcome)
            on_source(source, outcome)
    # A source stored tonight, by add since the last run, or by a run killed before it
    # got here, can be the origin of quotes stored earlier.
    found = rematch(db)
    storage.finish_crawl_run(db, run_id, report=report, quotes_found=found)
    return run_id, report


def _crawl_one(db: Database, client: Fetcher, source: Source) -> dict[str, Any]:
    """One source's outcome: a listing expanded, or a page fetched."""
    if source.kind == "page":
        return crawl_source(db, client, source)
    return crawl_listing(
        db,
        client,
        name=source.name,
        kind=source.kind,
        url=source.url,
        role=source.role,
        follow=source.follow,
    )


def _crashed(source: Source, error: Exception) -> dict[str, Any]:
    """The outcome of a source whose crawl raised what no crawl should: failed, with the
    keys its kind's outcome always has, and the error named (its traceback is logged)."""
    outcome: dict[str, Any] = {"name": source.name, "url": source.url}
    if source.kind != "page":
        outcome.update(kind=source.kind, search_fallback=False, **dict.fromkeys(LISTING_COUNTS, 0))
    reason = f"internal error ({type(error).__name__}: {error}); the traceback is on stderr"
    return outcome | {"status": "failed", "outcome": "failed", "error": reason}


def crawl_source(db: Database, client: Fetcher, source: Source) -> dict[str, Any]:
    """Fetch one source (conditionally, if a version is stored) and ingest what changed;
    its outcome, whatever happened: new, unchanged, not_modified, deferred or failed."""
    outcome: dict[str, Any] = {"name": source.name, "url": source.url}
    try:
        validators = Validators.of(storage.latest_headers(db, source.url))
        captured = fetch_if_changed(client, source.url, validators)
        if captured is None:
            document_id = storage.latest_document_id(db, source.url)
            assert document_id is not None  # validators come from a stored version
            ref = storage.document_ref(db, document_id)
            outcome.update(
                status="ok",
                outcome="not_modified",
                document_id=ref.id,
                version=ref.version,
                documents_new=0,
                documents_unchanged=1,
                quotes_new=0,
            )
            return outcome
        result = ingest(db, captured, Overrides(crawler=source.crawler, role=source.role))
    except DeferredError as error:
        outcome.update(status="deferred", outcome="deferred", error=reported(error, later=NEXT_RUN))
    except ProvenanceError as error:
        outcome.update(
            status="failed", outcome="failed", error=reported(error, later=NEXT_RUN, choose=BY_KEY)
        )
    else:
        outcome.update(
            status="ok",
            outcome="new" if result.new else "unchanged",
            document_id=result.document.id,
            version=result.version,
            documents_new=int(result.new),
            documents_unchanged=int(not result.new),
            quotes_new=result.quotes if result.new else 0,
        )
    return outcome
