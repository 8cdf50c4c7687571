"""Malformed table arguments answered as the user's mistake (400 Bad Request), where
Datasette 0.65 answers a server error (500): a `_sort` by a column the table does not
have, a `_through` that is not the JSON object Datasette expects, whose KeyError or
JSON error it also prints to the log as a traceback, and a number past SQLite's integers
in a filter (`id__gt=99999999999999999999`). A request that is not a read (a POST to a
query, which Datasette 0.65 also answers with a 500) is 405 Method Not Allowed: the view
is read-only. A mistyped or cut-off URL is not a fault of the server, and an operator
reading the log should not take it for one.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs

from datasette.utils.asgi import BadRequest, asgi_send
from datasette.views.base import DatasetteError

from provenance.browse.cells import hookimpl

THROUGH = '_through must be a JSON object such as {"table": "t", "column": "c", "value": 1}'
TOO_LARGE = "a number in the arguments is past the largest integer SQLite holds"
READS = ("GET", "HEAD")
TEXT = "text/plain; charset=utf-8"
# What Datasette says of arguments a user got wrong, with status 500.
MISTAKES = ("Cannot sort table by ", "Invalid _through")


_INTEGER = re.compile(r"\s*[+-]?\d+\s*")
SQLITE_INTEGERS = range(-(2**63), 2**63)


def _too_large(value: object) -> bool:
    """Whether an argument is a whole number SQLite cannot hold: Datasette binds it as an
    integer, and sqlite3's OverflowError is a server error with a traceback in the log."""
    if isinstance(value, str) and _INTEGER.fullmatch(value):
        digits = value.strip().lstrip("+-").lstrip("0")
        if len(digits) > len(str(SQLITE_INTEGERS.stop)):  # int() refuses 4,300 digits
            return True
        value = int(value)
    return isinstance(value, int) and value not in SQLITE_INTEGERS


def argument_problem(query_string: bytes) -> str | None:
    """Why the arguments of a query string cannot be what Datasette reads, or None: no
    whole number past SQLite's, and each `_through` a JSON object with a string table and
    column, and a value."""
    arguments = parse_qs(query_string.decode("latin-1"), keep_blank_values=True)
    if any(_too_large(value) for values in arguments.values() for value in values):
        return TOO_LARGE
    for raw in arguments.get("_through", []):
        try:
            through = json.loads(raw)
        except ValueError:
            return THROUGH
        if not (
            isinstance(through, dict)
            and isinstance(through.get("table"), str)
            and isinstance(through.get("column"), str)
            and "value" in through
        ):
            return THROUGH
        if _too_large(through["value"]):
            return TOO_LARGE
    return None


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    """Refuse a request that is not a read, and malformed arguments, before Datasette
    reads them."""

    def wrap(app: Any) -> Any:
        async def checked(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] == "http" and scope.get("method", "GET") not in READS:
                await asgi_send(
                    send, "the browse view is read-only\n", 405, {"Allow": "GET, HEAD"}, TEXT
                )
                return
            problem = scope["type"] == "http" and argument_problem(scope.get("query_string", b""))
            if problem:
                await asgi_send(send, problem + "\n", 400, content_type=TEXT)
                return
            await app(scope, receive, send)

        return checked

    return wrap


@hookimpl
def handle_exception(datasette: Any, request: Any, exception: Exception) -> Any:
    """Datasette's own error page, with status 400, for an argument the user got wrong."""
    if isinstance(exception, DatasetteError) and str(exception.message).startswith(MISTAKES):
        from datasette import handle_exception as default

        return default.handle_exception(datasette, request, BadRequest(exception.message))
    return None
