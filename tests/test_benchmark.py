"""The benchmark's code runs end to end (`make bench` runs it at full size): a smoke check
on a small corpus, with no timing assertion."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_runs_and_reports(tmp_path: Path) -> None:
    command = [
        sys.executable, "benchmarks/trace.py", "--units", "600", "--present", "16",
        "--absent", "16", "--naive-per-category", "1", "--batch-units", "600",
        "--batch-quotes", "8", "--work", str(tmp_path),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "### 600 units" in done.stdout
    assert "speed-up on p50, paired" in done.stdout
    assert "fastest of three timings per quote" in done.stdout
    assert re.search(r"p50 of each timed pass .* \| [\d.]+ / [\d.]+ / [\d.]+ ms \|", done.stdout)
    assert "false-source rate (absent quotes)" in done.stdout
    assert "paraphrases found" in done.stdout
    assert re.search(r"absent quotes not found: (\d+) of \1;", done.stdout), "a false source"
    assert "faster per quote" in done.stdout
