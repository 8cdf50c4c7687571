"""The `provenance` command: a thin shell over ingest, trace, crawl and the browse view.

Data goes to stdout, messages to stderr. A ProvenanceError is one line on stderr and exit
status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from crawlers.fetch import make_client
from provenance import __version__, storage
from provenance.crawl import crawl as run_crawl
from provenance.crawl import crawl_lock, load_sources
from provenance.errors import InputError, LockedError, ProvenanceError
from provenance.ingest import Overrides, capture, expand, ingest, is_url, match_document
from provenance.output import check_json, print_check, print_trace, trace_json
from provenance.storage import Database
from provenance.trace import trace_quote

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Find where a quote was first said, by whom, when, and how it travelled.",
)
out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")
EXIT_ERROR = 2
EXIT_LOCKED = 75  # EX_TEMPFAIL: another crawl is running; try again later
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class RoleChoice(StrEnum):
    primary = "primary"
    secondary = "secondary"


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a ProvenanceError raised by a command into one line on stderr and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ProvenanceError as error:
            err.print(f"error: {error}", markup=False)
            code = EXIT_LOCKED if isinstance(error, LockedError) else EXIT_ERROR
            raise typer.Exit(code) from None

    return wrapper


def open_database(ctx: typer.Context) -> Database:
    return storage.open_db(ctx.obj)


def check_date(value: str | None) -> str | None:
    if value is not None and not DATE.match(value):
        raise InputError(f"date {value!r} is not YYYY-MM-DD (or YYYY-MM, or YYYY)")
    return value


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        Path,
        typer.Option("--db", envvar="PROVENANCE_DB", help="The database file.", show_default=True),
    ] = Path("provenance.db"),
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    if version:
        out.print(f"provenance {__version__}")
        raise typer.Exit()
    ctx.obj = db


@app.command()
@reports_errors
def add(
    ctx: typer.Context,
    targets: Annotated[list[str], typer.Argument(help="URLs, files or directories.")],
    crawler: Annotated[str | None, typer.Option(help="Use this crawler.")] = None,
    role: Annotated[RoleChoice | None, typer.Option(help="Primary source or secondary.")] = None,
    url: Annotated[str | None, typer.Option(help="The document's real URL.")] = None,
    title: Annotated[str | None, typer.Option(help="Set the title.")] = None,
    author: Annotated[str | None, typer.Option(help="Set the author.")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Add documents to the corpus: fetch URLs, read files (.html .eml .mbox .txt) and
    directories, store their text, units and links, and trace the quotes of articles.

    Example: provenance add https://example.org/story.html emails/thread.eml --role primary
    """
    targets = list(expand(targets))
    if len(targets) > 1 and (url or title or author or published):
        raise InputError("--url, --title, --author and --published apply to one target only")
    overrides = Overrides(
        crawler=crawler,
        role=role.value if role else None,
        url=url,
        title=title,
        author=author,
        published=check_date(published),
    )
    db = open_database(ctx)
    failures, added = 0, []
    with make_client() as client:
        for target in targets:
            try:
                result = ingest(db, capture(target, client, url=url), overrides)
            except ProvenanceError as error:
                failures += 1
                err.print(f"error: {error}", markup=False)
                continue
            state = "added" if result.new else "unchanged"
            added.append(
                {
                    "target": target,
                    "status": state,
                    "version": result.version,
                    "units": result.units,
                    "quotes": result.quotes,
                    "quotes_found": result.matched,
                    "document_id": result.document.id,
                    "url": result.document.url,
                    "title": result.document.title,
                }
            )
            if not json_output:
                out.print(
                    f"{state}: {result.document.title} ({result.document.role}, "
                    f"{result.units} units, {result.quotes} quotes) {result.document.url}",
                    markup=False,
                )
    if json_output:
        emit_json(added)
    if failures:
        raise typer.Exit(EXIT_ERROR)


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


@app.command()
@reports_errors
def check(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="An article's URL, file, or stored document id.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Check every quote in an article: trace each one and show its chain of citation.

    Example: provenance check https://example.org/opinion.html
    """
    db = open_database(ctx)
    if target.isdigit():
        document = storage.document_ref(db, int(target))
    else:
        if not is_url(target) and not Path(target).exists():
            raise InputError(f"{target}: no such file")
        with make_client() as client:
            result = ingest(db, capture(target, client), Overrides(role="secondary"))
        document = result.document
    results = match_document(db, document.id)
    if json_output:
        emit_json(check_json(document, results))
    else:
        print_check(out, document, results)


@app.command()
@reports_errors
def crawl(
    ctx: typer.Context,
    config: Annotated[Path, typer.Option(help="The sources file.")] = Path("sources.toml"),
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the run report as JSON.")
    ] = False,
) -> None:
    """Crawl every source in the sources file, as the nightly job does. Shows progress on a
    terminal and prints only failures otherwise. Exit status 1 if any source failed, 75 if
    another crawl holds the lock.

    Example: provenance --db corpus.db crawl --config sources.toml
    """
    sources = load_sources(config)
    db = open_database(ctx)
    interactive = err.is_terminal

    def report(source: Any, outcome: dict[str, Any]) -> None:
        if outcome["status"] != "ok":
            err.print(f"failed: {source.name}: {outcome['error']}", markup=False)
        elif interactive:
            state = "new" if outcome["documents_new"] else "unchanged"
            err.print(f"ok: {source.name} ({state})", markup=False)

    with crawl_lock(Path(ctx.obj)):
        run_id, outcomes = run_crawl(db, sources, config_name=str(config), on_source=report)
    failed = sum(1 for o in outcomes if o["status"] != "ok")
    if json_output:
        emit_json({"run_id": run_id, "sources": outcomes, "failed": failed})
    elif interactive:
        err.print(f"crawl run {run_id}: {len(outcomes) - failed} ok, {failed} failed")
    raise typer.Exit(1 if failed else 0)


@app.command()
@reports_errors
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8001,
) -> None:
    """Browse the database in Datasette, read-only, with the project's queries and pages.

    Example: provenance --db demo.db serve --port 8001
    """
    from provenance.browse import serve as run_server  # Datasette is slow to import

    path = Path(ctx.obj)
    if not path.exists():
        raise InputError(f"{path}: no such database; add or crawl something first")
    storage.open_db(path)  # validates the file and brings its schema up to date
    err.print(f"Serving {path} at http://{host}:{port}/ (Ctrl-C to stop)")
    run_server(path, host=host, port=port)


def main() -> None:
    app()
