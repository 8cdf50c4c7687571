"""CourtListener's REST API v4 (Free Law Project): a docket's entries and their documents,
e.g. Musk v. Altman, N.D. Cal. 4:24-cv-04722, docket 69013420.

Notes:
  As a lister it reads a page of docket entries (/docket-entries/?docket=N: each entry
  with its recap_documents, the main document and attachments) or, where the token may
  not read entries, of the search API's RECAP documents (/search/?type=rd&docket_id=N),
  and names each document: its API URL when CourtListener has its plain_text, else its
  PDF (filepath_local, served from storage.courtlistener.com, or from the same origin
  for a mirror or a test server); the cursor URL in "next" is the next listing page. As a
  crawler it reads one recap document: plain_text as Doctor extracted it, with the ECF
  header on every page, which gives the docket number, the filing date and the pages for
  pin cites. The document's URL is its PDF, so a match opens it at the page. CourtListener
  numbers a district court's documents by their docket entry, so document_number is the
  entry number too. The crawl loop adds the token, the date_modified filter and 429 waits.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin, urlsplit

from crawlers import _filing
from crawlers._listing import http_links
from provenance.errors import ParseError
from provenance.models import Document, Role

KIND = "courtlistener"
LISTING = "docket"
ROLE: Role = "primary"
PRIORITY = 15
STORAGE = "https://storage.courtlistener.com/"
TOKEN_VARIABLE = "COURTLISTENER_API_TOKEN"


def _json(content: bytes, *, url: str) -> dict[str, Any]:
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError) as error:
        raise ParseError(f"not JSON: {error}", url=url) from error
    except RecursionError:
        raise ParseError("not JSON a crawler reads: nested too deeply", url=url) from None
    if not isinstance(data, dict):
        raise ParseError("not a CourtListener object", url=url)
    return data


def _is_json(content: bytes, content_type: str | None) -> bool:
    kind = (content_type or "").split(";")[0].strip().lower()
    return kind == "application/json" or content.lstrip()[:1] == b"{"


def recognises(content: bytes, *, url: str, content_type: str | None) -> bool:
    """A recap document as the API returns it."""
    return (
        _is_json(content, content_type)
        and b'"plain_text"' in content
        and (b'"document_number"' in content)
    )


def is_listing(url: str, *, listing: bytes) -> bool:
    """A URL an API page names that is another API page (a cursor page, the search API),
    told by its path: the page naming it holds documents and next pages alike. A malformed
    URL is a document's, for the crawl loop to report."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    return "/docket-entries/" in path or "/search/" in path


def storage_url(filepath: str, *, url: str) -> str:
    """Where a document's PDF is: CourtListener's storage host, or the same origin as the
    API for anything else (a mirror, a test server)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    base = STORAGE if host.endswith("courtlistener.com") else f"{parts.scheme}://{parts.netloc}/"
    return _joined(base, filepath.lstrip("/"))


def _joined(base: str, reference: str) -> str:
    """urljoin(), but a malformed reference (http://[oops/) as given: the crawl loop
    reports it with that document, where raising would lose the whole listing."""
    try:
        return urljoin(base, reference)
    except ValueError:
        return reference


def discover(content: bytes, *, url: str) -> list[str]:
    data = _json(content, url=url)
    results = data.get("results")
    if not isinstance(results, list):
        raise ParseError("no results in the listing", url=url)
    found: list[str] = []
    for result in results:
        documents = result.get("recap_documents") if isinstance(result, dict) else None
        for document in documents if isinstance(documents, list) else [result]:
            if isinstance(document, dict):
                found.extend(_document_url(document, url=url))
    if isinstance(data.get("next"), str):
        found.append(data["next"])
    return http_links(found)


def _document_url(document: dict[str, Any], *, url: str) -> list[str]:
    resource, filepath = document.get("resource_uri"), document.get("filepath_local")
    if document.get("plain_text") and resource and isinstance(resource, str):
        return [_joined(url, resource)]
    if filepath and isinstance(filepath, str):
        return [storage_url(filepath, url=url)]
    return []  # not in RECAP: nobody has bought it from PACER yet


def parse(content: bytes, *, url: str, base: str | None = None) -> Document:
    data = _json(content, url=url)
    text = data.get("plain_text")
    if not isinstance(text, str) or not text.strip():
        raise ParseError("the document has no plain_text (fetch its PDF instead)", url=url)
    number = "-".join(str(data[k]) for k in ("document_number", "attachment_number") if data.get(k))
    filing = _filing.parse_filing(_filing.pages_from_text(_pages(text)), ecf_number=number or None)
    if not filing.units:
        raise ParseError("no text found in plain_text", url=url)
    header = filing.header
    pdf = str(data["filepath_local"]) if data.get("filepath_local") else None
    fields = [
        (key, str(data[key]))
        for key in ("document_number", "attachment_number", "description", "page_count", "id")
        if data.get(key) not in (None, "")
    ]
    entry = [("entry_number", str(data["document_number"]))] if data.get("document_number") else []
    description = str(data.get("description") or "") or (filing.title or "").title()
    return Document(
        url=storage_url(pdf, url=base or url) if pdf else url,
        crawler=KIND,
        role=ROLE,
        title=description
        + (
            f", ECF No. {header.document}, {header.case}"
            if header
            else f", ECF No. {number}"
            if number
            else ""
        ),
        text=filing.text,
        units=filing.units,
        published_at=header.filed if header else None,
        metadata=tuple(dict([*_filing.header_metadata(header), *entry, *fields]).items()),
    )


def _pages(text: str) -> list[str]:
    """plain_text cut into pages: at form feeds, or before each ECF header."""
    if "\f" in text:
        return text.split("\f")
    pages: list[list[str]] = [[]]
    for line in text.splitlines():
        if _filing.HEADER.search(line) and any(x.strip() for x in pages[-1]):
            pages.append([])
        pages[-1].append(line)
    return ["\n".join(page) for page in pages]
