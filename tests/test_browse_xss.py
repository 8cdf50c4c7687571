"""Captured text is hostile: an XSS corpus stored in every text column (titles, quotes, unit
text, URLs, authors, labels, flags, differences, crawl reports) must never appear unescaped
nor execute on any page of the browse view.

Every page is read through Datasette's client and parsed; a sample is opened in a real
chromium that counts every dialog a payload could raise. The figures are printed.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote as urlquote

import figures
import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, serving

from provenance.browse import make_datasette
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

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    '"><script>alert(4)</script>',
    "'><img src=x onerror=alert(5)>",
    "javascript:alert(6)",
    "JaVaScRiPt:alert(7)",
    " javascript:alert(8)",
    "data:text/html,<script>alert(9)</script>",
    "</textarea><script>alert(10)</script>",
    "</title><script>alert(11)</script>",
    '<iframe src="javascript:alert(12)">',
    '<a href="javascript:alert(13)">click</a>',
    "<body onload=alert(14)>",
    "<details open ontoggle=alert(15)>",
    '<math><mi xlink:href="javascript:alert(16)">x</mi></math>',
    "{{7*7}}<script>alert(17)</script>",
    "${alert(18)}",
    "<scr<script>ipt>alert(19)</script>",
    "<style>@import 'javascript:alert(20)'</style>",
    "<input autofocus onfocus=alert(21)>",
    "<video><source onerror=alert(22)>",
    '<object data="javascript:alert(23)">',
    '<embed src="javascript:alert(24)">',
    '" onmouseover="alert(25)',
    "' onfocus='alert(26)' autofocus='",
    "<marquee onstart=alert(27)>",
    '<base href="javascript:alert(28)//">',
    '<form action="javascript:alert(29)"><button>x</button></form>',
    "<svg><script>alert(30)</script></svg>",
    '<!--<img src="--><img src=x onerror=alert(31)//">',
    '<a href=" &#14; javascript:alert(32)">x</a>',
    "\u2028<script>alert(33)</script>",
    "</script><script>alert(34)</script>",
]
LINK_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "background"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


class Scan(HTMLParser):
    """Finds what a payload would need to run: a script holding it, an event handler or a
    link with a script scheme."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            text = (value or "").strip().lower()
            if name.startswith("on") and "alert(" in text:
                self.findings.append(f"<{tag} {name}={value!r}>")
            if name in LINK_ATTRIBUTES and "".join(text.split()).startswith(BAD_SCHEMES):
                self.findings.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.findings.append(f"<script>{data[:60]}")


def unescaped(html: str) -> list[str]:
    """Payloads present raw in the page, and anything that could run one."""
    raw = [p for p in PAYLOADS if any(c in p for c in "<>\"'") and p in html]
    scan = Scan()
    scan.feed(html)
    return raw + scan.findings


def build(path: Path) -> list[int]:
    """One primary and one secondary document per payload, the payload in every text
    column, a match between them, and a crawl run reporting it; returns the quote ids."""
    db = open_db(path)
    quote_ids = []
    try:
        for number, payload in enumerate(PAYLOADS):
            url = payload if number % 2 else f"https://news.example/{number}?q={urlquote(payload)}"
            text = f"{payload} said the source. {payload}"
            source = Document(
                url=f"{url}#source",
                crawler=payload,
                role="primary",
                title=payload,
                text=text,
                units=(
                    Unit(
                        kind=payload,
                        start=0,
                        end=len(text),
                        author=payload,
                        date=payload,
                        recipients=(payload,),
                        subject=payload,
                        forwarded_by=payload,
                        forwarded_at=payload,
                        label=payload,
                    ),
                ),
                links=(Link(payload, payload),),
                author=payload,
                publisher=payload,
                published_at=payload,
            )
            article = Document(
                url=url,
                crawler=payload,
                role="secondary",
                title=payload,
                text=text,
                units=(Unit(kind=payload, start=0, end=len(text), label=payload),),
                links=(Link(f"{url}#source", payload), Link(payload, payload)),
                author=payload,
                publisher=payload,
                published_at=payload,
            )
            quote = Quote(payload, 0, len(payload), "quoted", speaker=payload, claimed_date=payload)
            for document, quotes in ((source, []), (article, [quote])):
                capture = Capture(url, url, payload, payload.encode(), payload, 200)
                saved = save_document(db, capture, document, quotes)
            (stored,) = quotes_of(db, saved.document_id)
            (unit_id,) = db.execute(
                "SELECT u.id FROM units u JOIN documents d ON d.id = u.document_id "
                "WHERE d.url = ? AND d.role = 'primary'",
                [f"{url}#source"],
            ).fetchone()
            difference = {"kind": payload, "quote": payload, "source": payload}
            save_matches(
                db,
                stored.id,
                [
                    MatchRow(
                        unit_id, 99.0, payload, 0, len(payload), payload, [difference], [payload]
                    )
                ],
                through=newest_document_id(db),
            )
            quote_ids.append(stored.id)
        run_id = start_crawl_run(db, PAYLOADS[0])
        report = [{"name": p, "url": p, "status": "failed", "error": p} for p in PAYLOADS]
        finish_crawl_run(db, run_id, report=report, quotes_found=0)
    finally:
        db.close()
    return quote_ids


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[int]]:
    path = tmp_path_factory.mktemp("xss") / "demo.db"
    return path, build(path)


def pages(quote_ids: list[int], payloads: list[str] = PAYLOADS) -> list[str]:
    tables = ["documents", "units", "quotes", "matches", "links", "crawl_runs", "captures"]
    listed = ["/", "/demo"] + [f"/demo/{table}" for table in tables]
    listed += [f"/demo/{table}?_search=alert" for table in ("documents", "units")]
    listed += [
        f"/demo/{table}/{row}" for table in ("documents", "units", "quotes") for row in (1, 2)
    ]
    listed += [f"/demo/matches/{row}" for row in (1, 2)] + ["/demo/crawl_runs/1"]
    listed += ["/demo/misattributed", "/demo/not_found", "/demo/recent_crawl_runs"]
    listed += ["/demo/failed_sources"]
    for payload in payloads:
        q = urlquote(payload)
        listed += [f"/demo/trace_quote?q={q}", f"/demo/person_quotes?speaker={q}"]
        listed += [f"/demo/document_versions?url={q}"]
    for quote_id in quote_ids:
        listed += [f"/demo/-/chain/{quote_id}", f"/demo/quote_chain?quote_id={quote_id}"]
        listed += [f"/demo/quote_appearances?quote_id={quote_id}"]
    return listed


async def test_no_payload_unescaped_on_any_page(hostile: tuple[Path, list[int]]) -> None:
    path, quote_ids = hostile
    datasette = make_datasette(path)
    failures: dict[str, list[str]] = {}
    checked = 0
    try:
        for page in pages(quote_ids):
            response = await datasette.client.get(page)
            assert response.status_code == 200, page
            checked += 1
            found = unescaped(response.text)
            if found:
                failures[page] = found
    finally:
        for database in datasette.databases.values():
            database.close()
    assert failures == {}
    figures.report(
        f"XSS: {len(PAYLOADS)} payloads in every text column, {checked} pages checked, 0 unescaped"
    )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_no_payload_executes_in_chromium(hostile: tuple[Path, list[int]], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    path, quote_ids = hostile
    sample = pages(quote_ids[::5], PAYLOADS[::5])
    dialogs: list[str] = []
    with serving(path, tmp_path / "serve.log") as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()

        def dismiss(dialog: Any) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dismiss)
        for address in sample:
            page.goto(base + address, wait_until="load")
            page.mouse.move(200, 300)  # hover handlers get their chance too
        browser.close()
    assert dialogs == []
    figures.report(f"XSS in chromium: {len(sample)} pages opened, 0 executions")
