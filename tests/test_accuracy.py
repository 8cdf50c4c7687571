"""The accuracy suite CI defends: figures computed over the matching case table and the
quote extraction table, printed, and held to the floors pinned in fixtures/matching/floor.json.

Every figure is a rate where higher is better, so one rule covers all of them: a figure
below its floor fails, and a floor lower than the last committed one fails too, unless
PROVENANCE_LOWER_FLOOR=1 says the lowering is deliberate (floors only rise otherwise).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from test_matching_cases import build_database, load_cases
from test_quotes import CASES as EXTRACTION_CASES
from test_quotes import as_row, build_document

from provenance.errors import InputError
from provenance.quotes import extract_quotes
from provenance.storage import Database
from provenance.trace import TraceResult, trace_quote

ROOT = Path(__file__).resolve().parent.parent
FLOOR = Path("fixtures") / "matching" / "floor.json"
LOWER_FLAG = "PROVENANCE_LOWER_FLOOR"
VERBATIM_LIKE = {"verbatim", "verbatim_truncated", "punctuation"}
NOT_RECALLED = {"absent", "paraphrase", "misattribution"}  # measured by their own figures


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = build_database(tmp_path_factory.mktemp("accuracy") / "cases.db")
    yield database
    database.conn.close()


def rate(hits: int, total: int) -> float:
    return hits / total if total else 1.0


@dataclass
class Tally:
    """Counts gathered over the case table, turned into the figures by `figures()`."""

    found: Counter[str] = field(default_factory=Counter)  # right unit, by variant
    cases: Counter[str] = field(default_factory=Counter)
    verdicts_right: int = 0
    verdicts_total: int = 0
    flagged: Counter[tuple[bool, bool]] = field(default_factory=Counter)  # (truth, said)
    paraphrase_verbatim: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, case: dict[str, Any], result: TraceResult | None) -> None:
        variant, expect_text = case["variant"], case["expect_text"]
        self.cases[variant] += 1
        best = result.best if result else None
        if expect_text is None:
            self.found[variant] += best is None
            if best is not None:
                self.misses.append(f"{case['id']}: false source {best.matched_text!r}")
            return
        right_unit = best is not None and expect_text in best.unit.text
        self.found[variant] += right_unit
        self.verdicts_total += 1
        verdict = best.verdict if best is not None else None
        self.verdicts_right += right_unit and verdict == case["expect_verdict"]
        if not right_unit or verdict != case["expect_verdict"]:
            self.misses.append(f"{case['id']}: {verdict} (want {case['expect_verdict']})")
        if variant == "paraphrase":
            self.paraphrase_verbatim += verdict in VERBATIM_LIKE
        if case.get("speaker") and right_unit and result is not None:
            truth = "misattributed" in case.get("expect_flags", [])
            said = "misattributed" in result.flags
            self.flagged[truth, said] += 1
            if truth != said:
                self.misses.append(f"{case['id']}: misattributed {said} (want {truth})")

    def figures(self) -> dict[str, float]:
        recall = {
            f"recall.{variant}": rate(self.found[variant], n)
            for variant, n in sorted(self.cases.items())
            if variant not in NOT_RECALLED
        }
        flags = self.flagged
        return recall | {
            "absent_not_found": rate(self.found["absent"], self.cases["absent"]),
            "paraphrase_found": rate(self.found["paraphrase"], self.cases["paraphrase"]),
            "paraphrase_not_verbatim": rate(
                self.cases["paraphrase"] - self.paraphrase_verbatim, self.cases["paraphrase"]
            ),
            "verdict_accuracy": rate(self.verdicts_right, self.verdicts_total),
            "misattribution_recall": rate(
                flags[True, True], flags[True, True] + flags[True, False]
            ),
            "misattribution_precision": rate(
                flags[True, True], flags[True, True] + flags[False, True]
            ),
            "correct_attribution_unflagged": rate(
                flags[False, False], flags[False, False] + flags[False, True]
            ),
        }


def trace_case(db: Database, case: dict[str, Any]) -> TraceResult | None:
    """The trace of one case; None when the quote is refused as too short to trace."""
    try:
        return trace_quote(db, case["quote"], speaker=case.get("speaker"), date=case.get("date"))
    except InputError:
        return None


def extraction_figures() -> dict[str, float]:
    """Recall and precision of quote extraction: a quote counts only with the right text,
    form, speaker and claimed date."""
    expected_total = found_total = correct = 0
    for case in EXTRACTION_CASES:
        expected = list(case["expected"])
        found = [as_row(q) for q in extract_quotes(build_document(case))]
        expected_total += len(expected)
        found_total += len(found)
        for row in found:
            if row in expected:
                expected.remove(row)
                correct += 1
    return {
        "extraction_recall": rate(correct, expected_total),
        "extraction_precision": rate(correct, found_total),
    }


def committed_floor() -> dict[str, float] | None:
    """The floor file as last committed: HEAD's if the working copy differs from it, else
    the one before HEAD's last change. None outside a git checkout or before the first."""
    try:
        changed = subprocess.run(
            ["git", "diff", "--quiet", "HEAD", "--", str(FLOOR)], cwd=ROOT, check=False
        ).returncode
        revision = "HEAD" if changed else "HEAD~1"
        shown = subprocess.run(
            ["git", "show", f"{revision}:{FLOOR}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:  # no git
        return None
    if shown.returncode != 0:
        return None
    floors: dict[str, float] = json.loads(shown.stdout)["floors"]
    return floors


def lowered(previous: dict[str, float], current: dict[str, float]) -> list[str]:
    """The floors the current file lowers or drops, as readable lines."""
    return [
        f"{name}: {value} -> {current.get(name)}"
        for name, value in sorted(previous.items())
        if current.get(name, -1.0) < value
    ]


def test_lowered_detects_a_lower_or_missing_floor() -> None:
    assert lowered({"a": 0.9, "b": 1.0}, {"a": 0.95, "b": 1.0}) == []
    assert lowered({"a": 0.9, "b": 1.0}, {"a": 0.85, "b": 1.0}) == ["a: 0.9 -> 0.85"]
    assert lowered({"a": 0.9}, {}) == ["a: 0.9 -> None"]


def test_floors_only_rise() -> None:
    current: dict[str, float] = json.loads((ROOT / FLOOR).read_text("utf-8"))["floors"]
    previous = committed_floor()
    if previous is None or os.environ.get(LOWER_FLAG) == "1":
        return
    problems = lowered(previous, current)
    assert not problems, f"floors lowered (set {LOWER_FLAG}=1 if deliberate):\n" + "\n".join(
        problems
    )


def test_accuracy_meets_the_floor(db: Database) -> None:
    """Compute every figure, print them beside their floors, and hold each to its floor."""
    tally = Tally()
    for case in load_cases():
        tally.add(case, trace_case(db, case))
    figures = tally.figures() | extraction_figures()
    floors: dict[str, float] = json.loads((ROOT / FLOOR).read_text("utf-8"))["floors"]
    print("\naccuracy (figure / floor):")
    for name, value in figures.items():
        print(f"  {name:<32} {value:6.3f}  {floors.get(name, float('nan')):6.3f}")
    print(f"  cases by variant: {dict(sorted(tally.cases.items()))}")
    print("  misses:\n    " + "\n    ".join(tally.misses or ["none"]))
    assert set(floors) == set(figures), "every figure has a floor, and only those"
    below = [f"{n} {figures[n]:.3f} < {floors[n]}" for n in figures if figures[n] < floors[n]]
    assert not below, "below the floor:\n" + "\n".join(below)
