"""The browse view: Datasette over a provenance database, configured to be safe to serve.

The metadata (titles, column descriptions, facets, canned queries) lives in metadata.yml
beside this module; the plugin (cells.py: how cells render, chain_page.py: the chain page,
mistakes.py: malformed arguments answered as the user's, functions.py: SQL functions the
queries call) and its template and stylesheet
are shipped beside it too.

The database is opened read-only but *mutable* (`?mode=ro`), never immutable: the nightly
crawl writes to the same file, and SQLite's immutable mode can return wrong results or
report corruption when the file changes underneath it.

Safe defaults: no arbitrary SQL (only the canned queries), no download of the whole
database file, no streaming of whole tables as CSV, and a time limit on every query.
"""

from __future__ import annotations

import importlib.resources
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import uvicorn
import yaml
from datasette.app import Datasette
from datasette.plugins import pm

from provenance.browse import cells, chain_page, functions, mistakes
from provenance.errors import InputError, StorageError
from provenance.storage import check_sqlite

HERE = Path(__file__).resolve().parent
PLUGINS = (cells, chain_page, functions, mistakes)

# The database name metadata.yml is written for; moved to the served file's name.
METADATA_DATABASE = "provenance"

SETTINGS: dict[str, Any] = {
    "default_allow_sql": False,  # canned queries only; the "custom SQL" form is refused
    "allow_download": False,  # no /<db>.db download of the whole file
    "allow_csv_stream": False,  # no .csv?_stream=1 dump of whole tables past max rows
    "sql_time_limit_ms": 1000,
    "trace_debug": False,
    "template_debug": False,
}


def load_metadata(database_name: str = METADATA_DATABASE) -> dict[str, Any]:
    """The Datasette metadata from metadata.yml, keyed to `database_name`."""
    text = (
        importlib.resources.files(__package__ or __name__)
        .joinpath("metadata.yml")
        .read_text(encoding="utf-8")
    )
    metadata = yaml.safe_load(text)
    if not isinstance(metadata, dict) or METADATA_DATABASE not in metadata.get("databases", {}):
        raise RuntimeError(f"metadata.yml has no databases.{METADATA_DATABASE} block")
    databases = metadata["databases"]
    databases[database_name] = databases.pop(METADATA_DATABASE)
    return metadata


def database_name(db_path: Path) -> str:
    """The name Datasette gives a database file: its stem (demo.db -> "demo")."""
    return Path(db_path).stem


def register_plugin() -> None:
    """Register the project's Datasette hooks once per process."""
    for module in PLUGINS:
        if not pm.is_registered(module):
            pm.register(module, name=module.__name__)


def quiet_errors() -> None:
    """Datasette prints a rich traceback, with every local variable, for each error it
    handles when rich can be imported (this project uses rich), a 404 included: a link
    checker or a bot would fill the log with them, and locals have no place in a log.
    Without rich, it prints a plain traceback for a server error only."""
    # Imported here: imported before datasette.plugins, the module would be registered
    # half-initialised, without its handler.
    from datasette import handle_exception as datasette_errors

    datasette_errors.rich = None


def check_servable(db_path: Path) -> None:
    """Refuse a path Datasette cannot open: it builds a `file:` URI of the whole path, where
    ?, # and % are special. Asked before anything opens the file."""
    if any(char in str(Path(db_path).resolve()) for char in "?#%"):
        raise InputError(f"{db_path}: the path may not contain ?, # or %")


def make_datasette(db_path: Path) -> Datasette:
    """A Datasette serving one provenance database read-only with safe settings.

    Raises StorageError if the file is missing or not SQLite, and InputError for a path
    Datasette cannot open (it builds a `file:` URI, where ?, # and % are special).
    """
    path = Path(db_path).resolve()
    if not path.is_file():
        raise StorageError(f"{db_path}: no such database file")
    check_servable(db_path)
    check_sqlite(path)
    name = database_name(path)
    register_plugin()
    quiet_errors()
    datasette = Datasette(
        files=[str(path)],
        metadata=load_metadata(name),
        settings=SETTINGS,
        template_dir=str(HERE / "templates"),
        static_mounts=[(cells.STATIC, str(HERE / "static"))],
    )
    served = datasette.databases.get(name)
    if served is None or served.path != str(path):
        # Datasette renames a database whose name clashes with one of its own ("_internal").
        for database in datasette.databases.values():
            database.close()
        raise InputError(f"{db_path}: rename the file, Datasette reserves the name {name!r}")
    return datasette


LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]"})
ANY_ADDRESS = frozenset({"0.0.0.0", "::"})
ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def host_name(host_header: str) -> str:
    """The name in a Host header, without its port: "localhost", "[::1]"."""
    if host_header.startswith("["):
        return host_header.split("]", 1)[0].lower() + "]"
    return host_header.rsplit(":", 1)[0].lower()


def answering_only(app: ASGIApp, names: frozenset[str]) -> ASGIApp:
    """The app, answering 421 to a request for a host name it is not known by: a web page
    whose own name an attacker points at 127.0.0.1 (DNS rebinding) reads nothing."""

    async def guarded(scope: dict[str, Any], receive: Any, send: Any) -> None:
        headers = dict(scope.get("headers") or [])
        host = headers.get(b"host", b"").decode("latin-1")
        if scope["type"] == "http" and host_name(host) not in names:
            await send({"type": "http.response.start", "status": 421,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")]})  # fmt: skip
            body = f"This server does not answer to the host name {host!r}.\n".encode()
            await send({"type": "http.response.body", "body": body})
            return
        await app(scope, receive, send)

    return guarded


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to the address, before anything says the server is up; a port in
    use or an address this machine does not have is an InputError, in one line."""
    sock = None
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, protocol)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except (OSError, UnicodeError) as error:
        if sock is not None:
            sock.close()
        reason = getattr(error, "strerror", None) or str(error)
        raise InputError(f"cannot listen on {host} port {port}: {reason}") from None
    return sock


def serve(
    datasette: Datasette, sock: socket.socket, *, host: str, public: tuple[str, ...] = ()
) -> None:
    """Serve the browse view on a socket listen() bound to `host` until interrupted,
    answering only to the loopback names, that host and the `public` names a proxy in
    front of it forwards (any name when it listens on every address and none is given)."""
    app = datasette.app()
    if public or host not in ANY_ADDRESS:
        names = LOOPBACK_NAMES | {host_name(_bracketed(host)), *(name.lower() for name in public)}
        app = answering_only(app, frozenset(names))
    config = uvicorn.Config(app, log_level="info", lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])


def _bracketed(address: str) -> str:
    """An IPv6 address as a Host header writes it, in brackets."""
    return f"[{address}]" if ":" in address else address
