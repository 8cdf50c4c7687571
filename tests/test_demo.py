"""`make demo` end to end: a real server on 127.0.0.1, the real CLI in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_the_demo_traces_the_canonical_quote(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    done = subprocess.run(
        [sys.executable, "-m", "provenance.demo", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "FOUND verbatim score 100.0 [forwarded] [misattributed]" in out
    redacted = "an email from [redacted] (the source redacts the sender's name) to Elon Musk"
    assert f"{redacted}, sent 2018-01-31 23:54" in out
    assert "Forwarded by Elon Musk on 2018-02-01 03:52." in out
    assert "Credited to Elon Musk: misattributed." in out
    assert "article: " in out and "source document: OpenAI and Elon Musk (2024-03-05)" in out
    assert "source unit: Email from [redacted], 2018-01-31" in out
    written = "(2018-01-31 23:54, written by [redacted]; forwarded 2018-02-01 03:52 by Elon Musk)"
    assert written in out
    assert "NOT FOUND" in out
    assert "Cite: Compl. ¶ 4, ECF No. 1 at 1–2" in out
    assert "/complaint.pdf#page=1" in out
    assert f"provenance --db {db} serve" in done.stderr
    assert db.exists()
