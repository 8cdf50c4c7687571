"""The URL a capture is stored under: one spelling for every way of writing one page's URL
that reaches the same resource, so the page has one history. The link graph's comparison
(chains.canonical) builds on it, and a recorded link drops its tracking parameters
(without_tracking). Standard library only: every command imports it."""

from __future__ import annotations

from pathlib import Path

DEFAULT_PORTS = {"http": "80", "https": "443"}
# Parameters a newsletter, an ad or a share adds to a link to count its clicks (and utm_*).
TRACKING = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid"})


def stored_url(url: str) -> str:
    """The URL a capture of URL is stored under: the fragment dropped (it is never sent to
    the server), the scheme and host in lower case and a default port dropped (:80 for
    http, :443 for https), since those name the same resource however written. The user
    info, path and query are kept as written, a trailing slash too: a server may answer
    /A and /a, or /a and /a/, differently. Text that is not scheme://authority only loses
    its fragment; it never raises, so a malformed URL is still reported by the fetch."""
    bare = url.partition("#")[0]
    scheme, sep, rest = bare.partition("://")
    if not sep:
        return bare
    scheme = scheme.lower()
    ends = [at for at in (rest.find("/"), rest.find("?")) if at >= 0]
    end = min(ends, default=len(rest))
    user, at, host = rest[:end].rpartition("@")
    host = host.lower()
    if port := DEFAULT_PORTS.get(scheme):
        host = host.removesuffix(f":{port}")
    return f"{scheme}://{user}{at}{host}{rest[end:]}"


def without_tracking(url: str) -> str:
    """URL less its tracking parameters (utm_*, fbclid, gclid, mc_cid, mc_eid): a link that
    counts clicks leads to the same page as one that does not. Every other parameter is
    kept as written and in its order, the fragment too; a query left empty loses its "?"."""
    rest, hash_, fragment = url.partition("#")
    address, _, query = rest.partition("?")
    parameters = query.split("&")
    kept = [p for p in parameters if not _is_tracking(p.partition("=")[0])]
    if len(kept) == len(parameters):
        return url
    return address + ("?" + "&".join(kept) if kept else "") + hash_ + fragment


def _is_tracking(key: str) -> bool:
    """A query parameter's name that only counts clicks (see TRACKING)."""
    key = key.lower()
    return key.startswith("utm_") or key in TRACKING


def path_url(path: Path) -> str:
    """The file:// URL `add` stores a local file under: its absolute path, symlinks resolved."""
    return path.resolve().as_uri()


def file_url(target: str) -> str | None:
    """The file:// URL of a path given on the command line (path_url), so a command given
    the path finds the file `add` stored; None for text written as a URL, or a path no
    file can stand at (a loop of symbolic links, a name too long)."""
    if "://" in target:
        return None
    try:
        return path_url(Path(target))
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        return None
