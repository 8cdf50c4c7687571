"""Commands over the stored versions of a URL: history, diff."""

from __future__ import annotations

import difflib
from typing import Annotated

import typer

from provenance import storage
from provenance.cli import (
    app,
    check_unicode,
    emit_json,
    emit_lines,
    err,
    open_database,
    reports_errors,
)
from provenance.errors import InputError
from provenance.export.text import printable
from provenance.storage import Version
from provenance.urls import file_url


def stored_versions(ctx: typer.Context, url: str) -> list[Version]:
    """The stored versions of a URL as written, or else of the local file it names, by the
    file:// URL `add` stored that file under."""
    check_unicode(URL=url)
    url = url.strip()
    if not url:
        raise InputError("give the URL as crawled or added, or the path of a file added")
    db = open_database(ctx)
    local = file_url(url)
    versions = storage.versions_of(db, url) or (storage.versions_of(db, local) if local else [])
    if not versions:
        raise InputError(
            f"{url}: no stored versions (is it the URL as crawled or added, or a file added?)"
        )
    return versions


@app.command()
@reports_errors
def history(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The URL as crawled or added, or the file added.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the stored versions of a URL: when each was captured and the hash of its bytes.

    Example: provenance history https://openai.com/index/openai-elon-musk/
    """
    versions = stored_versions(ctx, url)
    if json_output:
        emit_json(
            [
                {
                    "version": v.version,
                    "document_id": v.document_id,
                    "fetched_at": v.fetched_at,
                    "sha256": v.sha256,
                    "size": v.size,
                    "status": v.status,
                    "final_url": v.final_url,
                    "title": v.title,
                }
                for v in versions
            ]
        )
        return
    emit_lines(
        f"version {v.version}  {v.fetched_at}  sha256:{v.sha256[:16]}…  {v.size} bytes  "
        f"document {v.document_id}  {printable(v.title)}"
        for v in versions
    )


@app.command()
@reports_errors
def diff(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The URL as crawled or added, or the file added.")],
    old: Annotated[
        int | None, typer.Argument(help="The older version (default: second newest).")
    ] = None,
    new: Annotated[int | None, typer.Argument(help="The newer version (default: newest).")] = None,
) -> None:
    """Show what changed in a URL's text between two stored versions, as a unified diff
    (when the texts are the same, saying so on stderr).

    Example: provenance diff https://openai.com/index/openai-elon-musk/ 1 2
    """
    versions = {v.version: v for v in stored_versions(ctx, url)}
    if len(versions) == 1:
        (only,) = versions
        raise InputError(f"{url}: only one version is stored (version {only}): nothing to compare")
    newest = max(versions)
    old = old if old is not None else newest - 1
    new = new if new is not None else newest
    missing = [n for n in (old, new) if n not in versions]
    if missing:
        raise InputError(f"{url}: no version {missing[0]}; stored: {', '.join(map(str, versions))}")
    if old == new:
        raise InputError(f"{url}: version {old} would be compared with itself; give two versions")
    before, after = versions[old], versions[new]
    if before.text == after.text:  # on stderr: piped, the patch stays empty
        err.print(f"no differences between version {old} and version {new}", markup=False)
        return
    emit_lines(
        difflib.unified_diff(
            before.text.splitlines(),
            after.text.splitlines(),
            fromfile=f"version {old} ({before.fetched_at}, sha256:{before.sha256[:16]}…)",
            tofile=f"version {new} ({after.fetched_at}, sha256:{after.sha256[:16]}…)",
            lineterm="",
        )
    )
