"""Running untrusted parsing where it cannot hang or sink the run: a forked child process
with a memory limit and a wall-clock limit, killed when it overstays.

The child also limits its own CPU time a little past the wall-clock limit and, on Linux,
asks the kernel to kill it when its parent dies: a crawl killed with SIGKILL must not
leave a parse spinning for hours and holding the crawl lock it inherited.

An in-process timeout cannot interrupt native code (lxml, brotli, a regex), and one page
that exhausts memory must not take the crawl with it. The child sends back its result or
its error; the parent only ever sees a value or a ParseError.
"""

from __future__ import annotations

import ctypes
import logging
import math
import multiprocessing
import os
import resource
import signal
import sys
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from provenance.errors import ParseError, ProvenanceError, UnsupportedError

log = logging.getLogger(__name__)
T = TypeVar("T")
MiB = 1024 * 1024
CPU_GRACE = 5  # seconds of CPU time a child may use past its wall-clock limit
PR_SET_PDEATHSIG = 1  # prctl option, <linux/prctl.h>


@dataclass(frozen=True)
class Budget:
    """What one parse may use."""

    seconds: float = 60.0
    memory: int = 1024 * MiB  # address space the child may add to what it inherits


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[0])
    return pages * resource.getpagesize()


def _die_with(parent: int) -> None:
    """On Linux, have the kernel kill this process when its parent dies (and die now if
    it already has); elsewhere the CPU limit alone ends an orphaned child."""
    if sys.platform != "linux":
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        log.warning("prctl(PR_SET_PDEATHSIG) failed: %s", os.strerror(ctypes.get_errno()))
    if os.getppid() != parent:
        os._exit(1)


def _child(
    send: Connection,
    budget: Budget,
    parent: int,
    url: str,
    function: Callable[..., Any],
    args: tuple[Any, ...],
) -> None:
    _die_with(parent)
    memory = budget.memory
    limit = _address_space() + memory
    cpu = math.ceil(budget.seconds) + CPU_GRACE  # an orphan's end where prctl is missing
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))  # SIGXCPU, then SIGKILL
    # A parser's warnings about the shape of untrusted input are not errors of ours, nor
    # are its log lines (BeautifulSoup logs undecodable bytes), which would reach stderr.
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        send.send(("ok", function(*args)))
    except UnsupportedError as error:  # told apart: how to choose a crawler is added to it
        send.send(("unsupported", str(error).removeprefix(f"{url}: ")))
    except ProvenanceError as error:
        send.send(("error", str(error).removeprefix(f"{url}: ")))
    except RecursionError:
        send.send(("error", "nested too deeply to parse"))
    except MemoryError:
        send.send(("error", f"parsing needed more than {memory // MiB} MiB"))
    except Exception as error:  # a crawler bug on this input: report it, keep the run
        send.send(("crash", f"{type(error).__name__}: {error}\n{traceback.format_exc()}"))
    finally:
        send.close()


def contained(function: Callable[..., T], *args: Any, url: str, budget: Budget = Budget()) -> T:
    """Call function(*args) in a child process within the budget and return its result;
    a ProvenanceError, a crash, too much memory or too much time raise ParseError(url)."""
    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(
        target=_child, args=(send, budget, os.getpid(), url, function, args), daemon=True
    )
    child.start()
    send.close()
    try:
        if not receive.poll(budget.seconds):
            child.kill()
            raise ParseError(f"parsing took longer than {budget.seconds:g} s: stopped", url=url)
        try:
            outcome, value = receive.recv()
        except EOFError:
            child.join()
            raise ParseError(
                f"the parser died (exit status {child.exitcode}) before giving a result", url=url
            ) from None
    finally:
        receive.close()
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
            child.join()
        child.close()
    if outcome == "ok":
        return value  # type: ignore[no-any-return]
    if outcome == "crash":
        summary, _, details = value.partition("\n")
        log.warning("parser crashed on %s: %s", url, details)
        raise ParseError(f"the parser failed on this input ({summary})", url=url)
    if outcome == "unsupported":
        raise UnsupportedError(value, url=url)
    raise ParseError(value, url=url)
