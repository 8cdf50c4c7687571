"""Shared fixtures: a real database file and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import figures
import httpx
import pytest

from provenance.demo import DEMO, demo_site
from provenance.storage import Database, open_db

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return open_db(tmp_path / "test.db")


@pytest.fixture(scope="session")
def demo_server() -> Iterator[str]:
    """The demo corpus served over real HTTP; yields its base URL."""
    with demo_site() as base:
        yield base


CHROMIUM = shutil.which("chromium")  # Debian's; the browser tests skip without it
# Without the background-networking flags chromium keeps dialling out to a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(db: Path, log: Path) -> Iterator[str]:
    """`provenance serve` on a database, run as a user runs it, its output in `log`;
    yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "provenance", "--db", str(db), "serve", "--port", str(port)]
    with log.open("wb") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"provenance serve did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def demo_crawl_command(db: Path, base: str, *, config: Path) -> list[str]:
    """The real command line that crawls the demo corpus served at `base` into `db`,
    its sources file written to `config`."""
    template = (DEMO / "sources.toml").read_text(encoding="utf-8")
    config.write_text(template.replace("{base}", base), encoding="utf-8")
    return [sys.executable, "-m", "provenance", "--db", str(db), "crawl", "--config", str(config)]


def crawl_demo(db: Path, base: str, *, config: Path) -> None:
    """Crawl the demo corpus served at `base` into `db` with the real command line."""
    command = demo_crawl_command(db, base, config=config)
    subprocess.run(command, check=True, capture_output=True, timeout=300)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the figures the fault, bounds, guard, corpus and kill tests asserted on."""
    for line in figures.LINES:
        terminalreporter.write_line(line)
