"""The `provenance` command: a thin shell over ingest, trace, crawl and the browse view.

Data goes to stdout, messages to stderr. A ProvenanceError is one line on stderr and exit
status 2, and so is output that cannot be written (a full disk); a reader that stops
reading (`| head`) ends the command quietly with 141, as a shell reports a process that
SIGPIPE stopped. Anything else is a bug and keeps its traceback. Each command group is a
module of this package that registers its commands on `app`.
"""

from __future__ import annotations

import datetime
import errno
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from provenance import __version__, storage
from provenance.errors import BY_OPTION, LATER, InputError, LockedError, ProvenanceError, reported
from provenance.storage import Database

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    help="Find where a quote was first said, by whom, when, and how it travelled.",
)
PIPED_WIDTH = 100_000  # columns for output to a pipe or file: cron mail and saved reports


# keep each line whole, where rich would wrap at 80 and split a deep link in two
class _Console(Console):
    """rich's console, but a reader that stops reading is left to reports_errors, as the
    CLI's own writes are (rich exits with 1 itself, which says "not found")."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


_TERMINAL = sys.stdout is not None and sys.stdout.isatty()
out = _Console(highlight=False, soft_wrap=False, width=None if _TERMINAL else PIPED_WIDTH)
err = Console(stderr=True, highlight=False, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")
EXIT_ERROR = 2
EXIT_LOCKED = 75  # EX_TEMPFAIL: another crawl is running; try again later
EXIT_PIPE = 141  # 128 + SIGPIPE: the reader of stdout stopped reading
_UNWRITABLE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}  # output that cannot land
DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")  # whole, ASCII: see check_date


# Private hosts the fetcher may reach (an intranet source); see crawlers/_guard.py.
AllowHost = Annotated[
    list[str] | None,
    typer.Option(help="Allow fetching this private host (an intranet source). Repeatable."),
]


class RoleChoice(StrEnum):
    primary = "primary"
    secondary = "secondary"


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a ProvenanceError raised by a command into one line on stderr and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            try:
                return command(*args, **kwargs)
            finally:
                sys.stdout.flush()  # output that cannot land fails here, not at exit
        except ProvenanceError as error:
            err.print(f"error: {reported(error, later=LATER, choose=BY_OPTION)}", markup=False)
            code = EXIT_LOCKED if isinstance(error, LockedError) else EXIT_ERROR
            raise typer.Exit(code) from None
        except BrokenPipeError:
            _discard_stdout()
            raise typer.Exit(EXIT_PIPE) from None
        except OSError as error:
            if error.errno not in _UNWRITABLE:
                raise
            _discard_stdout()
            err.print(f"error: cannot write the output: {error.strerror}", markup=False)
            raise typer.Exit(EXIT_ERROR) from None

    return wrapper


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so what it still buffers fails no more at exit."""
    try:
        target = sys.stdout.fileno()
    except (OSError, ValueError):  # no file behind it (a test's buffer): nothing to fail
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, target)
    os.close(devnull)


def open_database(ctx: typer.Context, *, create: bool = False) -> Database:
    """The database --db names. Only the commands that add to it may create it: a trace
    against a database that is not there would answer "not found" for every quote."""
    path = Path(ctx.obj)
    if not database_exists(path) and not create:
        raise InputError(f"{path}: no such database; add or crawl something first")
    return storage.open_db(path, create=create)


def database_exists(path: Path) -> bool:
    """Whether the --db file is there; a name the system cannot take (longer than it allows,
    a quote pasted after --db) is an InputError, where asking would raise OSError."""
    try:
        return path.exists()
    except OSError as error:
        raise InputError(f"{path}: cannot open the database ({error.strerror})") from None


def check_unicode(**fields: str | None) -> None:
    """Refuse text that is not Unicode: a byte of an argument that is not UTF-8 (kept as a
    lone surrogate) or a JSON line's lone surrogate can be neither looked up nor printed.
    File names are left alone: a path with such a byte names a real file."""
    for name, value in fields.items():
        try:
            (value or "").encode("utf-8")
        except UnicodeEncodeError:
            reason = "a byte that is not UTF-8, or a lone surrogate"
            raise InputError(f"the {name} is not valid Unicode text ({reason})") from None


def check_date(value: str | None) -> str | None:
    """A date as given on the command line, if it is one: 2018-13-45 is a typo, not a
    date the record can contradict. The whole value must match (`$` lets a last line
    break through, which would then differ from every date), in ASCII digits (`\\d` takes
    any script's). An empty one ("" from a script's empty cell) gives none, as a batch
    line's "" does."""
    if not value:
        return None
    if not DATE.fullmatch(value):
        raise InputError(f"date {value!r} is not YYYY-MM-DD (or YYYY-MM, or YYYY)")
    try:
        datetime.date.fromisoformat(f"{value}-01-01"[:10])
    except ValueError:
        raise InputError(f"date {value!r} is not a real date") from None
    return value


# Unicode line breaks, and lone surrogates (a file name's byte that is not UTF-8, as Python
# keeps it), which no UTF-8 output can hold.
_ESCAPED = {code: f"\\u{code:04x}" for code in (0x85, 0x2028, 0x2029, *range(0xD800, 0xE000))}


def json_text(data: Any, *, indent: int | None = None) -> str:
    """JSON as the CLI prints it: UTF-8 as is, but escaped where a reader splitting on
    Unicode line breaks (Python's str.splitlines) would break a record, and where a string
    holds a lone surrogate: a file name given in bytes that are not UTF-8 is printed as
    valid UTF-8, and Python's json and os.fsencode() give back its bytes."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return text.translate(_ESCAPED)


def emit_json(data: Any) -> None:
    sys.stdout.write(json_text(data, indent=2) + "\n")


def emit_lines(lines: Iterable[str]) -> None:
    """Data lines exactly as given: never wrapped at a width, tabs and :codes: kept, so a
    diff piped to a file is a valid patch."""
    sys.stdout.writelines(line + "\n" for line in lines)


def _print_version(value: bool) -> None:
    """--version alone: print it and stop before a command is asked for."""
    if value:
        out.print(f"provenance {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        Path,
        typer.Option("--db", envvar="PROVENANCE_DB", help="The database file.", show_default=True),
    ] = Path("provenance.db"),
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    ctx.obj = db


def main() -> None:
    """Run the CLI; with stdout closed, refuse at once: every result would be lost."""
    if sys.stdout is None:
        sys.stderr.write("error: standard output is closed: redirect it to a file\n")
        raise SystemExit(EXIT_ERROR)
    app()


# The command groups register themselves on import.
from provenance.cli import browsing, chains, corpus, crawling, history, tracing  # noqa: E402, F401
