"""The benchmark's code runs end to end (`make bench` runs it at full size): a smoke check
on a small corpus, with no timing assertion."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

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


def _corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "benchmarks" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_a_drafted_quote_stands_where_the_words_it_shows_do() -> None:
    """The draft check counts the words a quote shows, in order, a [bracket] standing for
    up to 8 words and an omission for any number, not the source span it was cut from:
    an "absent" quote whose shown words stand in the corpus is not absent."""
    corpus = _corpus_module()
    mark = corpus._Mark
    bracketed = corpus._shown(["comes", "from", mark("[the company]"), "(most", "recent", "call"])
    elided = corpus._shown(["a", "b", "c", mark("…"), "d", "e", mark("[she]")])
    assert bracketed == (("comes from", "(most recent call"), (8,))
    assert elided == (("a b c", "d e"), (None,))
    units = [
        "The error comes from the tracer (most recent call last).",
        "It comes from a b c d e f g h i j (most recent call last).",
        "a b c and many more words d e, then a b c d e again",
    ]
    assert corpus.holders([bracketed, elided], units) == [1, 3]  # twice in the last unit
