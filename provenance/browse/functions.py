"""SQL functions the canned queries call: `stored_url(url)`, the URL a page is stored under
however it is written (provenance.urls.stored_url), so a URL pasted with a fragment or
the host in capitals finds the page's history as `provenance history` does."""

from __future__ import annotations

import sqlite3
from typing import Any

from provenance.browse.cells import hookimpl
from provenance.urls import stored_url


def _stored_url(url: str | None) -> str | None:
    return stored_url(url) if isinstance(url, str) else None


@hookimpl
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    conn.create_function("stored_url", 1, _stored_url, deterministic=True)
