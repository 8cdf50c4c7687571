"""Crawlers: one module per source kind, each turning one capture into one Document.

A crawler module provides

    KIND: str        its name, also the name of its fixtures folder
    ROLE: Role       the role its documents have unless the user says otherwise
    PRIORITY: int    lower is asked first when picking a crawler for unknown content
    def recognises(content: bytes, *, url: str, content_type: str | None) -> bool
    def parse(content: bytes, *, url: str, base: str | None = None) -> Document
                     # pure: no network, no clock

URL is the document's address, the one it is stored and shown under; BASE is where its
bytes were served from (where a fetch was redirected to), which relative references
(links, a PDF's path) resolve against, as a browser's do; URL when None. A crawler never
writes to the database, follows links, sleeps, retries or reads the clock: those live in
storage, the crawl loop and the fetcher. Modules are discovered automatically, so adding a
source kind is one module, one fixture and its expected JSON.

A lister (a feed, a sitemap, a docket) names other pages instead; its module provides

    LISTING: str     the source kind it serves in sources.toml ("feed", "sitemap", "docket")
    def discover(content: bytes, *, url: str) -> list[str]   # pure, like parse
    def is_listing(url: str, *, listing: bytes) -> bool   # optional: whether a URL the
                                         # listing names is another listing page

and the crawl loop decides what to follow. Its URL is where the listing was served from
(after redirects), which the URLs it names resolve against. A module can be both
(courtlistener).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import Protocol, cast

from provenance.errors import InputError, UnsupportedError
from provenance.models import Document, Role


class Crawler(Protocol):
    KIND: str
    ROLE: Role
    PRIORITY: int

    def recognises(self, content: bytes, *, url: str, content_type: str | None) -> bool: ...

    def parse(self, content: bytes, *, url: str, base: str | None = None) -> Document: ...


class Lister(Protocol):
    LISTING: str

    def discover(self, content: bytes, *, url: str) -> list[str]: ...


def _modules() -> list[object]:
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    ]


@cache
def all_listers() -> dict[str, Lister]:
    """Every public module of this package that defines LISTING, by LISTING."""
    return {m.LISTING: m for m in (cast(Lister, m) for m in _modules() if hasattr(m, "LISTING"))}


def get_lister(kind: str) -> Lister:
    """The lister for a source kind, or an InputError listing the kinds there are."""
    listers = all_listers()
    if kind not in listers:
        raise InputError(f"unknown source kind {kind!r}; known: page, {', '.join(listers)}")
    return listers[kind]


@cache
def all_crawlers() -> dict[str, Crawler]:
    """Every public module of this package that defines KIND, by KIND, in PRIORITY order."""
    crawlers = [cast(Crawler, m) for m in _modules() if hasattr(m, "KIND")]
    return {c.KIND: c for c in sorted(crawlers, key=lambda c: (c.PRIORITY, c.KIND))}


def get_crawler(kind: str) -> Crawler:
    """The crawler named KIND, or an InputError listing the ones there are."""
    crawlers = all_crawlers()
    if kind not in crawlers:
        raise InputError(f"unknown crawler {kind!r}; known: {', '.join(crawlers)}")
    return crawlers[kind]


def pick_crawler(content: bytes, *, url: str, content_type: str | None) -> Crawler:
    """The first crawler, in PRIORITY order, that recognises this content."""
    for crawler in all_crawlers().values():
        if crawler.recognises(content, url=url, content_type=content_type):
            return crawler
    kind = content_type or url.rsplit("/", 1)[-1]
    raise UnsupportedError(f"unsupported content ({kind})", url=url)
