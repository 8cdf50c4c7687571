"""`make demo`: serve the bundled demo corpus on 127.0.0.1, crawl it over HTTP with the real
`provenance crawl`, then check the opinion piece that started the project.

Run as `python -m provenance.demo --db demo.db`. The database is made afresh each time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "demo"


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging each request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve a directory over HTTP on 127.0.0.1 at a free port; yields the base URL."""
    handler = partial(QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def provenance(db: Path, *args: str) -> int:
    """Run the real command line, as a user would, and return its exit status."""
    command = [sys.executable, "-m", "provenance", "--db", str(db), *args]
    return subprocess.run(command, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("demo.db"))
    db: Path = parser.parse_args().db
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    template = (DEMO / "sources.toml").read_text(encoding="utf-8")
    with serve_directory(DEMO) as base, tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "sources.toml"
        config.write_text(template.replace("{base}", base), encoding="utf-8")
        print(f"Serving {DEMO.name}/ at {base}; crawling it into {db} ...", file=sys.stderr)
        status = provenance(db, "crawl", "--config", str(config))
        if status != 0:
            print(f"The crawl failed (exit status {status}).", file=sys.stderr)
            return status
        print(f"\n$ provenance check {base}/opinion.html\n", file=sys.stderr)
        status = provenance(db, "check", f"{base}/opinion.html", "--allow-host", "127.0.0.1")
    print(
        f"\nBrowse it:  .venv/bin/provenance --db {db} serve   (then open http://127.0.0.1:8001/)",
        file=sys.stderr,
    )
    return status


if __name__ == "__main__":
    sys.exit(main())
