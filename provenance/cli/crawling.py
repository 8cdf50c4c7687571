"""The nightly crawl command. The crawl's modules are imported when it runs, not when
another command starts (see provenance/cli/corpus.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from provenance.cli import AllowHost, app, emit_json, err, open_database, reports_errors


@app.command()
@reports_errors
def crawl(
    ctx: typer.Context,
    config: Annotated[Path, typer.Option(help="The sources file.")] = Path("sources.toml"),
    allow_host: AllowHost = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the run report as JSON.")
    ] = False,
) -> None:
    """Crawl every source in the sources file, as the nightly job does. Shows progress on a
    terminal and prints only failures otherwise. Exit status 1 if any source failed or was
    deferred, 2 if the sources file is wrong, 75 if another crawl holds the lock.

    Example: provenance --db corpus.db crawl --config sources.toml
    """
    from provenance.crawl import crawl as run_crawl
    from provenance.crawl import crawl_lock, load_policy, load_sources

    sources = load_sources(config)
    policy = load_policy(config, allow_hosts=tuple(allow_host or ()))
    interactive = err.is_terminal

    def report(source: Any, outcome: dict[str, Any]) -> None:
        if outcome["status"] != "ok":
            err.print(f"{outcome['status']}: {source.name}: {outcome['error']}", markup=False)
        elif interactive:
            err.print(f"ok: {source.name} ({outcome['outcome']})", markup=False)

    with crawl_lock(Path(ctx.obj)):  # before the database is made: two crawls of a new one
        db = open_database(ctx, create=True)
        run_id, outcomes = run_crawl(
            db, sources, config_name=str(config), policy=policy, on_source=report
        )
    failed = sum(1 for o in outcomes if o["status"] != "ok")
    if json_output:
        emit_json({"run_id": run_id, "sources": outcomes, "failed": failed})
    elif interactive:
        err.print(f"crawl run {run_id}: {len(outcomes) - failed} ok, {failed} failed")
    raise typer.Exit(1 if failed else 0)
