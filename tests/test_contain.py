"""Contained parsing: whatever the parser does on hostile input, the caller gets a value
or a one-line ParseError within the budget, never a hang, a crash or an exhausted host."""

from __future__ import annotations

import os
import re
import time

import pytest

from provenance.contain import Budget, MiB, contained
from provenance.errors import ParseError

URL = "https://example.org/hostile"


def backtrack() -> object:
    """Catastrophic backtracking: minutes inside the regex engine's C code, where no
    in-process timeout can interrupt it."""
    return re.match(r"(a+)+$", "a" * 64 + "b")


def allocate() -> int:
    return len(bytearray(2048 * MiB))


def explode() -> None:
    raise ValueError("a crawler bug")


def vanish() -> None:
    os._exit(3)


def test_a_parse_that_runs_in_native_code_past_its_time_is_stopped() -> None:
    started = time.monotonic()
    with pytest.raises(ParseError, match="took longer than 1 s: stopped"):
        contained(backtrack, url=URL, budget=Budget(seconds=1))
    assert time.monotonic() - started < 10


def test_a_parse_that_wants_too_much_memory_is_refused_it() -> None:
    with pytest.raises(ParseError, match="needed more than 256 MiB"):
        contained(allocate, url=URL, budget=Budget(memory=256 * MiB))


def test_a_crash_or_a_dead_parser_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match=r"the parser failed on this input \(ValueError"):
        contained(explode, url=URL)
    with pytest.raises(ParseError, match="died \\(exit status 3\\)"):
        contained(vanish, url=URL)


def test_a_good_parse_returns_its_value() -> None:
    assert contained(sum, [1, 2, 3], url=URL) == 6
