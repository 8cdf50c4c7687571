"""The URL a capture is stored under: one spelling for every way of writing one page's URL
that reaches the same resource, so the page has one history. The link graph's comparison
(chains.canonical) builds on it, and a recorded link drops its tracking parameters
(without_tracking), and a page may name its own other addresses (claimed_address). Standard
library only: every command imports it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

DEFAULT_PORTS = {"http": "80", "https": "443"}
# Parameters a newsletter, an ad or a share adds to a link to count its clicks (and utm_*).
TRACKING = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid"})
# <link rel>s by which a page names another address of its own: the one it calls its own
# (canonical) and its AMP edition's.
ADDRESS_RELS = frozenset({"canonical", "amphtml"})
# A host's first label that names one site's desktop, mobile or AMP edition.
EDITIONS = frozenset({"www", "m", "amp"})


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


def claimed_address(href: str, url: str, final_url: str) -> str | None:
    """The address a page stored at URL names as its own (the HREF of its <link rel=
    "canonical"> or "amphtml"), read against where it was fetched from (FINAL_URL); None
    unless it is on the site of URL or FINAL_URL: a page's word is taken for its own site's
    addresses, not another's."""
    try:
        address = urljoin(final_url, href)
    except ValueError:  # an href urllib cannot read ("http://[oops")
        return None
    site = _site(address)
    return address if site is not None and site in (_site(url), _site(final_url)) else None


def _site(url: str) -> str | None:
    """The http(s) URL's host, less a first label naming an edition (www., m., amp.); None
    for any other URL."""
    try:
        address = urlsplit(url)
        host = address.hostname
    except ValueError:
        return None
    if address.scheme not in DEFAULT_PORTS or not host:
        return None
    edition, _, rest = host.partition(".")
    return rest if edition in EDITIONS and rest else host


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
