"""Malformed table arguments answered as the user's mistake (400 Bad Request), where
Datasette 0.65 answers a server error (500): a `_sort` by a column the table does not
have, and a `_through` that is not the JSON object Datasette expects, whose KeyError or
JSON error it also prints to the log as a traceback. A mistyped or cut-off URL is not a
fault of the server, and an operator reading the log should not take it for one.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from datasette.utils.asgi import BadRequest, asgi_send
from datasette.views.base import DatasetteError

from provenance.browse.cells import hookimpl

THROUGH = '_through must be a JSON object such as {"table": "t", "column": "c", "value": 1}'
# What Datasette says of arguments a user got wrong, with status 500.
MISTAKES = ("Cannot sort table by ", "Invalid _through")


def through_problem(query_string: bytes) -> str | None:
    """Why the `_through` arguments of a query string cannot be what Datasette reads, or
    None: each must be a JSON object with a string table and column, and a value."""
    arguments = parse_qs(query_string.decode("latin-1"), keep_blank_values=True)
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
    return None


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    """Refuse a malformed `_through` before Datasette reads it."""

    def wrap(app: Any) -> Any:
        async def checked(scope: dict[str, Any], receive: Any, send: Any) -> None:
            problem = scope["type"] == "http" and through_problem(scope.get("query_string", b""))
            if problem:
                await asgi_send(send, problem + "\n", 400, content_type="text/plain; charset=utf-8")
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
