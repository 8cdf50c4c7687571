"""The trace command: one quote, or a batch from stdin."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Annotated

import typer

from provenance.cli import app, check_date, emit_json, open_database, out, reports_errors
from provenance.errors import InputError
from provenance.output import print_trace, trace_json
from provenance.trace import trace_quote


def _batch(lines: Iterator[str]) -> Iterator[tuple[str, str | None, str | None]]:
    """Quotes from stdin: a plain line, or a JSON object with quote, speaker and date."""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(f"stdin: not a JSON object: {line[:60]}") from error
            yield str(item.get("quote", "")), item.get("speaker"), item.get("date")
        else:
            yield line, None, None


@app.command()
@reports_errors
def trace(
    ctx: typer.Context,
    quote: Annotated[str, typer.Argument(help="The quote, or - to read one a line from stdin.")],
    speaker: Annotated[str | None, typer.Option(help="Who the quote is credited to.")] = None,
    date: Annotated[
        str | None, typer.Option(help="The date it is credited to, YYYY-MM-DD.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Trace a quote to its primary source: where, by whom, when, in what words.
    Exit status 0 when found, 1 when not found, 2 on error.

    Example: provenance trace "attach to Tesla as its cash cow" --speaker "Elon Musk"
    """
    db = open_database(ctx)
    items = list(_batch(iter(sys.stdin))) if quote == "-" else [(quote, speaker, date)]
    found = False
    for text, who, when in items:
        result = trace_quote(db, text, speaker=who, date=check_date(when))
        found |= result.status == "found"
        if json_output and quote == "-":
            sys.stdout.write(json.dumps(trace_json(result), ensure_ascii=False) + "\n")
        elif json_output:
            emit_json(trace_json(result))
        else:
            print_trace(out, result)
    raise typer.Exit(0 if found else 1)
