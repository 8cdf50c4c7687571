"""The browse view read while the crawl writes: `provenance serve` on a database that
`provenance crawl` keeps writing to (each pass stores new versions of the demo corpus),
while a load generator on 127.0.0.1 reads the main pages. Every read must succeed.
"""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import figures
import httpx
import pytest
from conftest import serving

from provenance.demo import DEMO, QuietHandler, build_demo_site, serve
from provenance.storage import open_db

READS = 2000
WORKERS = 6
DEADLINE = 400  # seconds: catches a hang, not a speed target
CANONICAL = "A for-profit pivot might create a more sustainable revenue stream"
PAGES = [
    "/",
    "/{db}",
    "/{db}/documents",
    "/{db}/units",
    "/{db}/quotes",
    "/{db}/matches",
    "/{db}/crawl_runs",
    "/{db}/trace_quote?q=" + CANONICAL.replace(" ", "+"),
    "/{db}/misattributed",
    "/{db}/not_found",
    "/{db}/recent_crawl_runs",
    "/{db}/-/chain/1",
]


class ChangingHandler(QuietHandler):
    """Serves the demo corpus with a counter appended to each HTML page, so every crawl
    pass captures new bytes and stores new versions: the crawl keeps writing."""

    counter = itertools.count()

    def do_GET(self) -> None:
        path = Path(self.directory) / self.path.lstrip("/").split("?")[0]
        if path.suffix != ".html" or not path.is_file():
            super().do_GET()
            return
        body = path.read_bytes() + f"\n<!-- pass {next(self.counter)} -->\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def changing_demo(tmp_path: Path) -> Iterator[str]:
    site = tmp_path / "site"
    site.mkdir()
    build_demo_site(site)
    with serve(partial(ChangingHandler, directory=str(site))) as base:
        yield base


def crawl(db: Path, config: Path) -> None:
    command = [sys.executable, "-m", "provenance", "--db", str(db), "crawl"]
    subprocess.run([*command, "--config", str(config)], check=True, capture_output=True)


async def load(base: str, paths: list[str], total: int) -> tuple[list[float], list[str]]:
    """Read `total` pages over `WORKERS` connections; latencies in seconds, and errors."""
    latencies: list[float] = []
    errors: list[str] = []
    order = itertools.cycle(paths)
    remaining = itertools.count(total, -1)

    async def worker(client: httpx.AsyncClient) -> None:
        while next(remaining) > 0:
            path = next(order)
            started = time.perf_counter()
            try:
                response = await client.get(base + path)
            except httpx.HTTPError as error:
                errors.append(f"{path}: {error!r}")
                continue
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                errors.append(f"{path}: {response.status_code}")

    async with httpx.AsyncClient(timeout=30) as client:
        await asyncio.gather(*(worker(client) for _ in range(WORKERS)))
    return latencies, errors


def test_reads_while_the_crawl_writes(tmp_path: Path, changing_demo: str) -> None:
    db = tmp_path / "demo.db"
    open_db(db).close()
    config = tmp_path / "sources.toml"
    template = (DEMO / "sources.toml").read_text(encoding="utf-8")
    config.write_text(template.replace("{base}", changing_demo), encoding="utf-8")
    crawl(db, config)  # the first pass, so every page has rows to show
    stop = threading.Event()
    passes: list[float] = []

    def keep_crawling() -> None:
        while not stop.is_set():
            crawl(db, config)
            passes.append(time.monotonic())

    with serving(db, tmp_path / "serve.log") as base:
        paths = [page.format(db="demo") for page in PAGES]
        writer = threading.Thread(target=keep_crawling, daemon=True)
        started = time.monotonic()
        writer.start()
        latencies, errors = asyncio.run(asyncio.wait_for(load(base, paths, READS), DEADLINE))
        elapsed = time.monotonic() - started
        stop.set()
        writer.join(timeout=120)
    conn = sqlite3.connect(db)
    (versions,) = conn.execute("SELECT max(version) FROM documents").fetchone()
    conn.close()
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
    assert errors == []
    assert len(latencies) >= READS
    assert len(passes) >= 1 and versions >= 2  # the crawl really wrote during the reads
    figures.report(
        f"concurrency: {len(latencies)} reads in {elapsed:.1f}s over {WORKERS} connections, "
        f"0 errors, p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95:.0f} ms; "
        f"{len(passes)} crawl passes wrote meanwhile (documents now at version {versions})"
    )


def test_the_served_view_sees_every_write(tmp_path: Path) -> None:
    """`provenance serve` once held the file open so that closing a handle dropped its
    locks: each writer then took itself for the last reader and deleted the write-ahead
    log, and the view froze on old rows, then read "database disk image is malformed"."""
    db = tmp_path / "p.db"
    add = [sys.executable, "-m", "provenance", "--db", str(db), "add"]

    def add_page(n: int) -> None:
        page = tmp_path / f"page{n}.html"
        page.write_text(
            f"<html><head><title>Page {n}</title></head><body><article><p>Report number {n}: "
            f"“We will open plant {n} in the spring,” Ana Lima said.</p></article></body></html>",
            encoding="utf-8",
        )
        subprocess.run([*add, str(page)], check=True, capture_output=True)

    add_page(0)
    with serving(db, tmp_path / "serve.log") as base:
        for n in range(1, 7):
            add_page(n)
            response = httpx.get(f"{base}/p/documents.json?_size=1", timeout=30)
            assert response.status_code == 200, response.text[:300]
            assert response.json()["filtered_table_rows_count"] == n + 1
        assert (tmp_path / "p.db-wal").exists()
