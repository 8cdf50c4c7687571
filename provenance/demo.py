"""`make demo`: serve the bundled demo corpus on 127.0.0.1, crawl it over HTTP with the real
`provenance crawl`, then check the opinion piece that started the project and trace a
quote to a court filing with its pin cite.

Run as `python -m provenance.demo --db demo.db`. The database is made afresh each time.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import BaseRequestHandler
from typing import Any

from provenance.browse import database_name

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "demo"
CANONICAL = "A for-profit pivot might create a more sustainable revenue stream"
PORT = 8001
FILING_QUOTE = (
    "The emails of 2018, read whole and with their senders named, show who proposed the "
    "for-profit path and who endorsed it"
)


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging each request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve_directory(directory: Path) -> AbstractContextManager[str]:
    """Serve a directory over HTTP on 127.0.0.1 at a free port; yields the base URL."""
    return serve(partial(QuietHandler, directory=str(directory)))


@contextmanager
def serve(handler: Callable[..., BaseRequestHandler]) -> Iterator[str]:
    """Answer HTTP on 127.0.0.1 at a free port with HANDLER; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def build_demo_site(site: Path) -> None:
    """Lay the demo corpus out in `site`, its filings composed into PDFs from the reviewable
    specs beside the pages."""
    from provenance.compose_filing import compose_filing

    for path in DEMO.iterdir():
        if path.name.endswith(".filing.txt"):
            pdf = site / path.name.replace(".filing.txt", ".pdf")
            pdf.write_bytes(compose_filing(path.read_text(encoding="utf-8")))
        elif path.is_file():
            shutil.copy(path, site / path.name)


@contextmanager
def demo_site() -> Iterator[str]:
    """The demo corpus served on 127.0.0.1; yields the base URL."""
    with tempfile.TemporaryDirectory() as scratch:
        build_demo_site(Path(scratch))
        with serve_directory(Path(scratch)) as base:
            yield base


def provenance(db: Path, *args: str) -> int:
    """Run the real command line, as a user would, and return its exit status."""
    command = [sys.executable, "-m", "provenance", "--db", str(db), *args]
    return subprocess.run(command, check=False).returncode


def canonical_quote_id(db: Path, article_url: str) -> int | None:
    """The id of the canonical quote as the opinion piece prints it, for its chain page."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute(
            """SELECT q.id FROM quotes q JOIN documents d ON d.id = q.document_id
               WHERE d.url = ? AND q.text LIKE ? ORDER BY d.version DESC LIMIT 1""",
            [article_url, CANONICAL + "%"],
        ).fetchone()
    finally:
        conn.close()
    return None if row is None else int(row[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("demo.db"))
    db: Path = parser.parse_args().db
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    template = (DEMO / "sources.toml").read_text(encoding="utf-8")
    with demo_site() as base, tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "sources.toml"
        config.write_text(template.replace("{base}", base), encoding="utf-8")
        print(f"Serving {DEMO.name}/ at {base}; crawling it into {db} ...", file=sys.stderr)
        status = provenance(db, "crawl", "--config", str(config))
        if status != 0:
            print(f"The crawl failed (exit status {status}).", file=sys.stderr)
            return status
        print(f"\n$ provenance check {base}/opinion.html\n", file=sys.stderr)
        status = provenance(db, "check", f"{base}/opinion.html", "--allow-host", "127.0.0.1")
        print(f'\n$ provenance trace "{FILING_QUOTE}"\n', file=sys.stderr)
        status = max(status, provenance(db, "trace", FILING_QUOTE))
        quote_id = canonical_quote_id(db, f"{base}/opinion.html")
    print(f"\nBrowse it:  .venv/bin/provenance --db {db} serve --port {PORT}", file=sys.stderr)
    if quote_id is not None:
        chain = f"http://127.0.0.1:{PORT}/{database_name(db)}/-/chain/{quote_id}"
        print(f"The chain of the canonical quote:  {chain}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
