"""Commands that put documents into the corpus and check articles: add, check.

The fetcher and the parsers are imported by the commands that use them, not here: every
command's start would pay for them (a third of a second), and a batch trace's start counts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from provenance import storage
from provenance.cli import (
    EXIT_ERROR,
    AllowHost,
    RoleChoice,
    app,
    check_date,
    database_exists,
    emit_json,
    err,
    open_database,
    out,
    reports_errors,
)
from provenance.errors import (
    BY_OPTION,
    LATER,
    InputError,
    ProvenanceError,
    StorageError,
    reported,
)
from provenance.export.text import printable


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
    published: Annotated[
        str | None, typer.Option(help="Publication date: YYYY-MM-DD, YYYY-MM or YYYY.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    allow_host: AllowHost = None,
) -> None:
    """Add documents to the corpus: fetch URLs, read files (.html .eml .mbox .pdf .txt) and
    directories, store their text, units and links, and trace the quotes of articles.

    Example: provenance add https://example.org/story.html emails/thread.eml --role primary
    """
    from crawlers.fetch import Policy, make_client  # imported here: see the module's docstring
    from provenance.ingest import (
        Overrides,
        capture,
        expand,
        found_count,
        given_url_problem,
        ingest,
        rematch,
    )

    if url is not None and (problem := given_url_problem(url)):
        raise InputError(f"--url {url!r}: {problem}")
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
    fresh = not database_exists(Path(ctx.obj))
    db = open_database(ctx, create=True)
    failures = 0
    added: list[dict[str, Any]] = []  # a target that failed is listed too, with its error
    with make_client(Policy(allow_hosts=tuple(allow_host or ()))) as client:
        for target in targets:
            try:
                result = ingest(db, capture(target, client, url=url), overrides, correct=True)
            except ProvenanceError as error:  # reported, and the batch goes on
                failures += 1
                # a database error does not name the target: say which one it cost
                message = reported(error, later=LATER, choose=BY_OPTION)
                message = f"{target}: {message}" if isinstance(error, StorageError) else message
                err.print(f"error: {message}", markup=False)
                added.append({"target": target, "status": "error", "error": message})
                continue
            state = "added" if result.new else "updated" if result.corrected else "unchanged"
            found = result.matched
            if found is None:  # stored already: its quotes are found as they are traced now
                found = found_count(db, result.document.id)
            added.append(
                {
                    "target": target,
                    "status": state,
                    "version": result.version,
                    "units": result.units,
                    "quotes": result.quotes,
                    "quotes_found": found,
                    "document_id": result.document.id,
                    "url": result.document.url,
                    "title": result.document.title,
                }
            )
            if not json_output:
                out.print(
                    f"{state}: {printable(result.document.title)} ({result.document.role}, "
                    f"{result.units} units, {result.quotes} quotes) {result.document.url}",
                    markup=False,
                )
    if fresh and failures == len(targets):  # a batch of mistakes leaves no database behind
        storage.remove_db(db, Path(ctx.obj))
    else:
        rematch(db)  # the quotes stored before a source added now
    if json_output:
        emit_json(added)
    if failures:
        raise typer.Exit(EXIT_ERROR)


@app.command()
@reports_errors
def check(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="An article's URL, file, or stored document id.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    allow_host: AllowHost = None,
) -> None:
    """Check every quote in an article: trace each one and show its chain of citation.

    Example: provenance check https://example.org/opinion.html
    """
    from crawlers.fetch import Policy, make_client
    from provenance.ingest import (
        Overrides,
        capture,
        ingest,
        match_document,
        refuse_other_urls,
    )
    from provenance.output import check_json, print_check

    db = open_database(ctx)
    if (document_id := storage.row_id(target)) is not None:
        document = storage.document_ref(db, document_id)
    else:
        refuse_other_urls(target)
        with make_client(Policy(allow_hosts=tuple(allow_host or ()))) as client:
            # An article new to the corpus; a stored page keeps its role (a source
            # checked again after it changed is still a source).
            result = ingest(db, capture(target, client), Overrides(new_role="secondary"))
        document = result.document
    results = match_document(db, document.id)
    if json_output:
        emit_json(check_json(document, results))
    else:
        print_check(out, document, results)
