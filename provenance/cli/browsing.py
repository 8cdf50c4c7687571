"""The browse view command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from provenance.cli import app, err, open_database, reports_errors


@app.command()
@reports_errors
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8001,
    public_host: Annotated[
        list[str] | None,
        typer.Option(help="A host name a proxy in front forwards (repeatable)."),
    ] = None,
) -> None:
    """Browse the database in Datasette, read-only, with the project's queries and pages.

    Example: provenance --db demo.db serve --port 8001
    """
    from provenance.browse import check_servable, listen, make_datasette  # slow to import
    from provenance.browse import serve as run_server

    path = Path(ctx.obj)
    check_servable(path)  # before the schema is brought up to date below
    # Validate the file and bring its schema up to date, then let go of it: Datasette
    # opens its own read-only connections.
    open_database(ctx).close()
    sock = listen(host, port)  # a port in use is an error before "Serving"
    try:
        datasette = make_datasette(path)
    except BaseException:
        sock.close()
        raise
    err.print(f"Serving {path} at http://{host}:{port}/ (Ctrl-C to stop)")
    run_server(datasette, sock, host=host, public=tuple(public_host or ()))
