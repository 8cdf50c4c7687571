"""The exception tree. A ProvenanceError is a user-facing failure: the CLI prints it as one
line on stderr and exits 2. Anything else that escapes is a bug and keeps its traceback.

    ProvenanceError
    ├── InputError      a path, quote, option or config the user gave is unusable
    ├── FetchError      a URL could not be fetched (network, HTTP status, size)
    │   └── DeferredError   the server asked us to come back later than we wait
    ├── ParseError      fetched bytes could not be turned into a document
    │   └── UnsupportedError   no crawler recognises them
    ├── StorageError    the database cannot be opened or written
    └── LockedError     another crawl holds the lock
"""


class ProvenanceError(Exception):
    """Base class: a failure the user can act on, reported without a traceback."""


class InputError(ProvenanceError):
    """A path, quote, option or config file that cannot be used as given."""


class FetchError(ProvenanceError):
    """A URL could not be fetched."""

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url


class DeferredError(FetchError):
    """The server asked for a wait longer than a fetch allows (Retry-After, an unreachable
    robots.txt): the URL is left for later, and reported as deferred. Its message says
    why; `reported` adds what happens next, which depends on the command."""


NEXT_RUN = "deferred to the next run"  # what a crawl does with a deferred fetch
LATER = "try again later"  # what add and check can only tell the user
BY_OPTION = "use --crawler to choose one"  # how add and check choose a crawler
BY_KEY = (  # how a crawl's source does (README, "provenance crawl")
    'name one with crawler = "…" in its [[source]], or set kind = "feed", "sitemap" or '
    '"docket" if it lists other pages'
)


def reported(error: ProvenanceError, *, later: str, choose: str = "") -> str:
    """The one line that reports an error; a deferred fetch's ends with `later`, what
    the command that met it does next ("deferred to the next run", "try again later"),
    and unsupported content's with `choose`, how that command lets the user choose a
    crawler (none for a page a listing names)."""
    if isinstance(error, DeferredError):
        return f"{error}: {later}"
    if isinstance(error, UnsupportedError) and choose:
        return f"{error}; {choose}"
    return str(error)


class ParseError(ProvenanceError):
    """Fetched or read bytes could not be parsed into a document."""

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url


class UnsupportedError(ParseError):
    """Content no crawler recognises. Its message says what it is; `reported` adds how to
    choose a crawler, which depends on the command (an option, a key of sources.toml)."""


class StorageError(ProvenanceError):
    """The database cannot be opened or written."""


class LockedError(ProvenanceError):
    """Another crawl is running against the same database."""
