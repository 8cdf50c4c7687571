"""The browse view in a real headless chromium, as an editor uses it: open the home page, run
"Trace a quote" for the canonical quote, follow the match to its chain page.

Screenshots go to the test's tmp folder (or to $BROWSE_SCREENSHOTS, e.g. `docs`, to refresh
the README's picture after reviewing it). Skipped where chromium is not installed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, crawl_demo, serving

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (.ci/run installs Debian's chromium)"
)
CANONICAL = (
    "A for-profit pivot might create a more sustainable revenue stream over time and would, "
    "with the current team, likely bring in a lot of investment."
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo_server: str) -> Iterator[str]:
    """The demo corpus crawled over HTTP and served by `provenance serve`."""
    tmp = tmp_path_factory.mktemp("browse")
    db = tmp / "demo.db"
    crawl_demo(db, demo_server, config=tmp / "sources.toml")
    with serving(db, tmp / "serve.log") as base:
        yield base


def test_trace_a_quote_then_its_chain(browser: Any, site: str, tmp_path: Path) -> None:
    shots = Path(os.environ.get("BROWSE_SCREENSHOTS", tmp_path))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(site)
    assert page.title().startswith("Quote provenance")
    page.screenshot(path=shots / "home.png", full_page=True)
    page.click("h2 a")  # the database
    page.click("text=Trace a quote")
    page.fill("input[name=q]", CANONICAL)
    page.click("input[type=submit]")
    page.wait_for_selector("mark")
    marks = page.locator("mark").all_inner_texts()
    assert CANONICAL in marks  # the matched span, highlighted within its unit
    assert page.locator(".pv-flag-misattributed").count() >= 1
    assert page.locator("a:has-text('open the source at the quote')").count() >= 1
    page.evaluate("document.querySelector('table.rows-and-columns').scrollIntoView()")
    page.screenshot(path=shots / "browse.png")  # the README's picture: the highlighted match
    page.screenshot(path=shots / "trace.png", full_page=True)

    page.click("a.pv-chain >> nth=0")
    page.wait_for_selector("svg.pv-graph")
    assert "/-/chain/" in page.url
    kinds = page.locator("svg .pv-hop-kind").all_text_contents()
    assert [kind.lower() for kind in kinds] == ["article", "source document", "source unit"]
    assert "misattributed" in page.locator(".pv-explanation").inner_text()
    graph = page.locator("svg.pv-graph").text_content() or ""
    assert "linked as “OpenAI published emails”" in graph
    page.screenshot(path=shots / "chain.png", full_page=True)

    for path in ["/", "/demo", "/demo/matches", "/demo/quotes", "/demo/misattributed"]:
        page.goto(site + path)
    assert problems == []
    print(f"screenshots: {shots}")
