"""Discovery in the nightly crawl: a feed, a sitemap or a docket expanded into the URLs of
the documents it names, then each fetched and ingested, within bounds.

Bounds: at most LISTING_PAGES listing pages per source (sitemap indexes, API cursors) and
`follow` documents (FOLLOW unless the source says). URLs that failed before are tried
after the others, the longest-failed first, so dead links cannot take the budget from new
ones night after night. Feeds and sitemaps name new articles, so URLs already stored are
skipped; docket entries change after they are first seen, so a
docket is read again from the start of its last good crawl (date_modified__gte), sorted
by date_modified,id as CourtListener's cursor pagination needs. The CourtListener token
(COURTLISTENER_API_TOKEN) goes only to the API's host; a 429 is waited out for the
Retry-After it gives by the fetcher, like any 429; when the token may not read docket
entries (401/403), the search API's RECAP documents are read instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

import crawlers
from crawlers import courtlistener
from crawlers.fetch import Disallowed, Fetcher, StatusError, fetch
from provenance import storage
from provenance.contain import contained
from provenance.errors import NEXT_RUN, DeferredError, ProvenanceError, reported
from provenance.ingest import Overrides, ingest
from provenance.models import Role
from provenance.storage import Database

LISTING_PAGES = 20
FOLLOW = 50
REFUSED = {401, 403}


class TokenAuth(httpx.Auth):
    """Sends "Authorization: Token …" to one host only (never to the PDF storage host)."""

    def __init__(self, token: str, host: str) -> None:
        self.token, self.host = token, host

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if request.url.host == self.host:
            request.headers["Authorization"] = f"Token {self.token}"
        yield request


@dataclass(frozen=True)
class Listed:
    urls: list[str]
    fallback: bool  # read from the search API because docket entries were refused
    failed: list[str]  # why each further listing page (a child sitemap) could not be read


def with_params(url: str, **params: str) -> str:
    """URL with these query parameters added where it does not already have them."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update({k: v for k, v in params.items() if k not in query})
    return urlunsplit(parts._replace(query=urlencode(query)))


def search_fallback(url: str) -> str:
    """The search API's RECAP documents of the docket a docket-entries URL names."""
    parts = urlsplit(url)
    docket = dict(parse_qsl(parts.query)).get("docket", "")
    path = parts.path.split("/docket-entries/")[0] + "/search/"
    query = urlencode({"type": "rd", "docket_id": docket, "order_by": "entry_date_filed asc"})
    return urlunsplit(parts._replace(path=path, query=query))


def _names_documents_only(url: str, *, listing: bytes) -> bool:
    """is_listing for a lister without one (a feed): every URL it names is a document."""
    return False


def _discover(kind: str, content: bytes, url: str) -> list[tuple[str, bool]]:
    """The URLs a listing page names, each with whether it is a further listing page."""
    lister = crawlers.get_lister(kind)
    is_listing: Callable[..., bool] = getattr(lister, "is_listing", _names_documents_only)
    return [(link, is_listing(link, listing=content)) for link in lister.discover(content, url=url)]


def list_urls(fetcher: Fetcher, kind: str, url: str) -> Listed:
    """Every document URL the listing at URL names, following its further listing pages.
    The listing at URL must be read; a further page that cannot be (a child sitemap that
    is gone) is noted, and what the others name is still listed. Listings are untrusted
    input like any page, so they are read in a contained child process as pages are."""
    pending, seen, pages, fallback, first = [url], {url}, 0, False, url
    found: list[str] = []
    failed: list[str] = []
    while pending and pages < LISTING_PAGES:
        page = pending.pop(0)
        pages += 1
        try:
            listing = fetch(fetcher, page)
            links = contained(_discover, kind, listing.content, listing.final_url, url=page)
        except ProvenanceError as error:
            refused = isinstance(error, StatusError) and error.status in REFUSED
            if kind == "docket" and refused and not fallback:
                fallback, first = True, search_fallback(page)
                pending = [first]
                continue
            if page == first:
                raise
            failed.append(reported(error, later=NEXT_RUN))
            continue
        for link, further in links:
            if link not in seen:
                seen.add(link)
                (pending if further else found).append(link)
    return Listed(found, fallback, failed)


GONE = frozenset({404, 410})  # the statuses that say a page is no more
GONE_AFTER = 3  # failed fetches in a row, the last one GONE, after which a page is given up


def is_gone(status: int | None, failures: int) -> bool:
    """Whether a listed page has failed often enough in a row, the last time as gone, to
    give it up."""
    return status in GONE and failures >= GONE_AFTER


def fresh_first(urls: list[str], failed: dict[str, storage.Failure]) -> list[str]:
    """The URLs in listing order, those that failed before moved to the end, the one
    that failed longest ago first."""
    return [u for u in urls if u not in failed] + sorted(
        (u for u in urls if u in failed), key=lambda u: failed[u].failed_at
    )


LISTING_COUNTS = (
    "discovered",
    "listings_failed",
    "documents_failed",
    "documents_gone",
    "documents_disallowed",
    "documents_new",
    "documents_unchanged",
    "quotes_new",
)  # what a listing source's outcome counts, whatever happened (the README's --json contract)


def crawl_listing(
    db: Database,
    fetcher: Fetcher,
    *,
    name: str,
    kind: str,
    url: str,
    role: Role | None,
    follow: int | None,
) -> dict[str, Any]:
    """Expand a listing source and ingest what it names; the source's outcome (the same keys
    whatever happened, as the README's --json contract lists). A listing the server asks
    us to come back to later is deferred."""
    outcome: dict[str, Any] = {"name": name, "url": url, "kind": kind}
    token = os.environ.get(courtlistener.TOKEN_VARIABLE)
    if kind == "docket":
        if token:
            fetcher.client.auth = TokenAuth(token, urlsplit(url).hostname or "")
        since = storage.last_synced(db, name)
        url = with_params(url, order_by="date_modified,id")
        url = with_params(url, date_modified__gte=since) if since else url
    listed, unlisted, deferred = Listed([], False, []), [], False
    try:
        listed = list_urls(fetcher, kind, url)
    except ProvenanceError as error:
        unlisted = [reported(error, later=NEXT_RUN)]
        deferred = isinstance(error, DeferredError)
    urls = listed.urls
    if kind != "docket":
        urls = [u for u in urls if storage.latest_document_id(db, u) is None]
    failed = storage.failed_before(db, urls)
    gone = [u for u in urls if u in failed and is_gone(failed[u].status, failed[u].failures)]
    urls = fresh_first([u for u in urls if u not in gone], failed)
    urls = urls[: follow if follow is not None else FOLLOW]
    counts = dict.fromkeys(("documents_new", "documents_unchanged", "quotes_new"), 0)
    errors: list[str] = []
    disallowed = 0
    for document_url in urls:
        try:
            result = ingest(db, fetch(fetcher, document_url), Overrides(role=role))
        except Disallowed as error:  # not fetched by our rule, not failed: tried last
            storage.record_fetch(db, document_url, str(error))
            disallowed += 1
            continue
        except ProvenanceError as error:
            answer = error.status if isinstance(error, StatusError) else None
            failures = storage.record_fetch(db, document_url, str(error), answer)
            given_up = is_gone(answer, failures)
            note = f" ({failures} times in a row: given up, not fetched again)" if given_up else ""
            errors.append(reported(error, later=NEXT_RUN) + note)
            continue
        storage.record_fetch(db, document_url, None)
        counts["documents_new" if result.new else "documents_unchanged"] += 1
        counts["quotes_new"] += result.quotes if result.new else 0
    problems = [*unlisted, *listed.failed, *errors]
    status = "deferred" if deferred else "failed" if problems else "ok"
    outcome.update(
        status=status,
        outcome=("new" if counts["documents_new"] else "unchanged") if status == "ok" else status,
        search_fallback=listed.fallback,
        discovered=len(listed.urls),
        listings_failed=len(listed.failed),
        documents_failed=len(errors),
        documents_gone=len(gone),
        documents_disallowed=disallowed,
        **counts,
    )
    if problems:
        outcome["error"] = "; ".join(problems)
    return outcome
