"""Contained parsing: whatever the parser does on hostile input, the caller gets a value
or a one-line ParseError within the budget, never a hang, a crash or an exhausted host."""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from provenance.contain import CPU_GRACE, Budget, MiB, contained
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


def cpu_limit() -> tuple[int, int]:
    return resource.getrlimit(resource.RLIMIT_CPU)


def test_a_parse_limits_its_own_cpu_time_a_little_past_its_budget() -> None:
    assert contained(cpu_limit, url=URL, budget=Budget(seconds=1.5)) == (
        2 + CPU_GRACE,
        3 + CPU_GRACE,
    )


# A parent that starts a parse which never ends: the parse writes its pid, then spins.
SPINNING_PARENT = """
import os, sys
from provenance.contain import Budget, contained

def spin(path):
    with open(path, "w") as f:
        f.write(str(os.getpid()))
    while True:
        pass

contained(spin, sys.argv[1], url="https://example.org/spin", budget=Budget(seconds=2))
"""


def running(pid: int) -> bool:
    """Whether a process is alive: not gone, and not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def test_a_parse_dies_when_its_parent_is_killed(tmp_path: Path) -> None:
    """A crawl killed with SIGKILL must not leave its parse spinning (holding the crawl
    lock it inherited) until the next night."""
    pid_file = tmp_path / "child.pid"
    parent = subprocess.Popen([sys.executable, "-c", SPINNING_PARENT, str(pid_file)])
    deadline = time.monotonic() + 30
    while not (pid_file.exists() and pid_file.read_text()):
        assert time.monotonic() < deadline and parent.poll() is None
        time.sleep(0.05)
    child = int(pid_file.read_text())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    try:
        deadline = time.monotonic() + 2 + CPU_GRACE + 10
        while running(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not running(child), "the parse outlived its killed parent"
    finally:
        if running(child):
            os.kill(child, signal.SIGKILL)
