"""The trace command: one quote, or a batch from stdin."""

from __future__ import annotations

import functools
import itertools
import json
import signal
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, BinaryIO

import typer
from rapidfuzz.distance import OSA

from provenance.cli import (
    EXIT_ERROR,
    app,
    check_date,
    check_unicode,
    emit_json,
    err,
    json_text,
    open_database,
    out,
    reports_errors,
)
from provenance.errors import InputError
from provenance.matching import invisible
from provenance.output import print_trace, trace_json
from provenance.storage import Database
from provenance.trace import TraceResult, trace_quote

Item = tuple[str, str | None, str | None]  # a quote, who it is credited to, and when
FIELDS = ("quote", "speaker", "date")  # the keys of a JSON line
LONGEST_LINE = 1 << 20  # bytes of a line of stdin: far past any quote, and memory bounded


def _misspelt(key: str) -> bool:
    """Whether a JSON line's key is one of FIELDS miswritten ("speakr", "Speaker", "qoute"),
    which would drop what it meant (the attribution check) without a word; a key of the
    caller's own ("id", "url", "note") is left alone, as a newsroom's lines carry them."""
    folded = key.strip().casefold()
    return key not in FIELDS and any(OSA.distance(folded, field) <= 1 for field in FIELDS)


def _traced(db: Database, quote: str, speaker: str | None, date: str | None) -> TraceResult:
    """Trace a quote given on the command line or on a line of stdin."""
    check_unicode(quote=quote, speaker=speaker)
    return trace_quote(db, quote, speaker=speaker, date=date)


def _read_line(raw: bytes, speaker: str | None, date: str | None) -> Item | None:
    """A stdin line as a quote: a plain line, or a JSON object with quote, speaker and date;
    `speaker` and `date` stand for those a line does not give, or gives empty (a CSV's empty
    cell; a speaker blank to a reader too). None for a line blank to a reader: spaces of any
    kind and invisible format characters (a byte order mark, a zero-width space) alone."""
    if isinstance(raw, _Overlong):
        raise InputError(f"a line longer than {LONGEST_LINE:,} bytes: no quote is that long")
    try:
        line = _trimmed(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InputError("not UTF-8 text") from error
    if "\x00" in line:
        raise InputError("a NUL character: not text (UTF-16 without a byte order mark?)")
    if not line:
        return None
    if not line.startswith(("{", "[")):
        return line, speaker, date
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        if line.startswith("["):  # a plain quote opening with an editor's [bracket]
            return line, speaker, date
        raise InputError(
            f'not a JSON object: {line[:60]} (a quote opening with "{{" is read as JSON: '
            'give it as {"quote": "…"})'
        ) from error
    except (ValueError, RecursionError) as error:  # over 4,300 digits; nesting past the limit
        raise InputError(f"JSON nested too deep or with a number too long: {line[:60]}") from error
    if not isinstance(item, dict) or item.get("quote") is None:
        raise InputError('a JSON line must be an object with a "quote" string')
    if misspelt := sorted(key for key in item if _misspelt(key)):
        raise InputError(f"unknown keys {', '.join(misspelt)} (known: {', '.join(sorted(FIELDS))})")
    fields = {key: item.get(key) for key in FIELDS}
    for key, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise InputError(f"{key} is {type(value).__name__}, not a string")
    return (
        item["quote"],
        _named(fields["speaker"]) or speaker,
        check_date(fields["date"]) if fields["date"] else date,
    )


@app.command()
@reports_errors
def trace(
    ctx: typer.Context,
    quote: Annotated[str, typer.Argument(help="The quote, or - to read one a line from stdin.")],
    speaker: Annotated[
        str | None,
        typer.Option(help="Who the quote is credited to (with -, every line naming no one)."),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            help="The date it is credited to: YYYY-MM-DD, YYYY-MM or YYYY (with -, as --speaker)."
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Trace a quote to its primary source: where, by whom, when, in what words.
    Exit status 0 when found, 1 when not found, 2 on error.

    With -, read a quote a line from stdin: a plain line, or a JSON object
    with "quote" and optionally "speaker" and "date". One result a line as
    each is traced (with --json, a JSON object with the line's number); a
    line that cannot be traced gets an error in its place and the batch goes
    on. Exit status 2 if any line failed, else 0 if any quote was found,
    else 1. See README.md, "provenance trace".

    Example: provenance trace "attach to Tesla as its cash cow" --speaker "Elon Musk"
    """
    db = open_database(ctx)
    date = check_date(date)
    check_unicode(speaker=speaker)  # once, not on every line of a batch
    speaker = _named(speaker)
    if quote == "-":
        if sys.stdin is None:
            raise InputError("standard input is closed: give it the quotes, a line each")
        lines = _lines(sys.stdin.buffer)
        batch = _trace_batch(db, lines, speaker, date, json_output=json_output)
        raise typer.Exit(batch)
    if _names_a_file(quote):
        raise InputError(  # an article's page (check), or a list of quotes (trace -)
            f"{quote} is a file: to check the quotes of an article, check {quote}; "
            f"to trace a list of quotes, a line each, trace - < {quote}"
        )
    result = _traced(db, quote, speaker, date)
    if json_output:
        emit_json(trace_json(result))
    else:
        print_trace(out, result)
    raise typer.Exit(0 if result.status == "found" else 1)


def _names_a_file(quote: str) -> bool:
    """Whether the quote names a file (`trace notes.txt`, meant as `trace - < notes.txt`, or
    `trace column.html`, meant as `check column.html`).
    A quote longer than a file name may be names none: asking the system raises."""
    try:
        return Path(quote).is_file()
    except OSError:  # "File name too long"
        return False


def _trimmed(line: str) -> str:
    """A line without the spaces and invisible format characters at its ends."""
    start, end = 0, len(line)
    while start < end and _blank(line[start]):
        start += 1
    while end > start and _blank(line[end - 1]):
        end -= 1
    return line[start:end]


def _named(speaker: str | None) -> str | None:
    """The speaker, or None for one blank to a reader (a CSV's cell of one space): a name
    of spaces is no one to credit, and a batch line's stands for none of its own."""
    return speaker if speaker is not None and _trimmed(speaker) else None


def _blank(char: str) -> bool:
    """Whether a reader sees nothing of the character: a space or a format character."""
    return char.isspace() or invisible(char)


class _Overlong(bytes):
    """The head of a line longer than LONGEST_LINE, the rest of which was let go."""


def _lines(stream: BinaryIO) -> Iterator[bytes]:
    """stdin's lines as they come, ended by LF, CRLF or a lone CR (a file saved by an old
    Mac program); a UTF-16 file is refused whole, for its every line would be misread. A
    line longer than LONGEST_LINE comes as its _Overlong head and the rest is let go, so
    no input (/dev/zero, a file with no line end) is held whole in memory."""
    chunks = iter(functools.partial(stream.readline, LONGEST_LINE + 1), b"")
    first = next(chunks, b"")
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("the input is UTF-16 text: save it as UTF-8")
    pending = b""  # the start of a line whose end has not come, or a CR a LF may follow
    skipping = False  # in a line too long, until its end
    for chunk in itertools.chain([first] if first else [], chunks):
        pieces = (pending + chunk).splitlines(keepends=True)
        pending = pieces.pop() if not pieces[-1].endswith(b"\n") else b""
        for piece in pieces:
            if not skipping:
                yield _bounded(piece.rstrip(b"\r\n"))
            skipping = False
        if len(pending.rstrip(b"\r")) > LONGEST_LINE:
            if not skipping:
                yield _bounded(pending)
            skipping = True
            pending = pending[-1:] if pending.endswith(b"\r") else b""
    if pending and not skipping:
        yield _bounded(pending.rstrip(b"\r"))


def _bounded(line: bytes) -> bytes:
    """The line, or its _Overlong head when longer than LONGEST_LINE."""
    return line if len(line) <= LONGEST_LINE else _Overlong(line[:LONGEST_LINE])


def _trace_batch(
    db: Database,
    lines: Iterable[bytes],
    speaker: str | None,
    date: str | None,
    *,
    json_output: bool,
) -> int:
    """Trace a quote a line as the lines come, each credited to `speaker` on `date` unless
    the line says otherwise; with --json, each result has its line number. A line that
    cannot be traced costs only its own result: it gets an error (with --json, an object
    with status "error"; otherwise a line on stderr) and the batch goes on. The exit status
    is 2 if any line failed, else 0 if any quote was found, else 1."""
    found = failed = False
    for number, raw in enumerate(lines, start=1):
        result: TraceResult | None = None
        try:
            item = _read_line(raw, speaker, date)
            if item is None:
                continue
            result = _traced(db, *item)
        except InputError as error:
            failed = True
            line = _trimmed(raw.decode("utf-8", errors="replace"))
            record = {"input": line, "status": "error", "error": str(error)}
            if not json_output:
                err.print(f"error: line {number}: {error}", markup=False)
        else:
            found |= result.status == "found"
            record = trace_json(result) if json_output else {}
        with _whole():
            if json_output:
                sys.stdout.write(json_text({"line": number, **record}) + "\n")
            elif result is not None:
                print_trace(out, result)
            sys.stdout.flush()  # a program feeding a line at a time waits for this one's answer
    return EXIT_ERROR if failed else 0 if found else 1


@contextmanager
def _whole() -> Iterator[None]:
    """Hold Ctrl-C back while a result is written, so that it stops the batch between
    results: sent while a slow reader kept a result half-written, it left half a JSON
    line that no reader of the lines so far can parse. Held, not ignored: it is sent
    again once the result is out. The write still ends at once when the reader goes away
    (a broken pipe), and SIGTERM still stops it. The signal is blocked in this thread, as
    it would cut the write short (unbuffered, the rest is lost), and caught by a handler,
    as another thread may take it and the interpreter would act on it all the same."""
    held: list[int] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda number, _: held.append(number))
    except ValueError:  # not the main thread (a test's runner): no handler to set
        yield
        return
    mask = getattr(signal, "pthread_sigmask", None)  # None on Windows
    unblocked = mask(signal.SIG_BLOCK, {signal.SIGINT}) if mask else set()
    try:
        yield
    finally:
        if mask:
            mask(signal.SIG_SETMASK, unblocked)
        signal.signal(signal.SIGINT, previous)  # which first runs the handler for one held
    if held:
        signal.raise_signal(signal.SIGINT)  # as the shell sent it: KeyboardInterrupt, or not
