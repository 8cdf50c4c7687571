"""The one HTTP client: every fetch in the project (crawlers, `add`, the crawl loop) goes
through a Fetcher, made by make_client(), and fetch().

It sets what httpx does not: robots.txt (protego, fetched once per host per run), a delay
between requests to one host of at least the robots Crawl-delay, retries with back-off and
jitter that honour Retry-After up to a bound (beyond it the fetch is deferred), conditional
GET, redirects followed by hand and re-checked at every hop, a total deadline per fetch,
caps on wire bytes, decoded bytes and their ratio, and the address guard of _guard.py.
A Fetcher is used from one thread, so requests to one host never overlap. Every failure
comes out as FetchError naming the URL; DeferredError when the server asked us to wait
longer than we do. A capture is made under the URL asked for as it is stored
(provenance/urls.py): fragment dropped, scheme and host in lower case, no default port.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from protego import Protego

from crawlers._decode import MAX_RATIO, DecodeError, decode_body
from crawlers._guard import BlockedAddress, GuardedBackend, Unresolvable, deadline
from provenance import __version__
from provenance.errors import DeferredError, FetchError
from provenance.models import Capture
from provenance.urls import stored_url

CONTACT = "https://github.com/provenance-tracker/provenance"
USER_AGENT = f"provenance/{__version__} (quote provenance tracker; +{CONTACT})"
ROBOTS_TOKEN = "provenance"
ALLOW_HOSTS_ENV = "PROVENANCE_ALLOW_HOSTS"
REDIRECTS = {301, 302, 303, 307, 308}
RETRIED = {408, 425, 429, 500, 502, 503, 504}
MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Per-fetch bounds; the defaults suit news pages and court PDFs."""

    deadline: float = 120.0  # seconds for the whole fetch: retries and redirects included
    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # the longest silence between two reads
    max_wire_bytes: int = 50 * MiB  # as received, before content-coding is removed
    max_decoded_bytes: int = 100 * MiB
    max_ratio: int = MAX_RATIO  # decoded / wire, for bodies decoding past 1 MiB
    max_redirects: int = 5
    max_redirect_body: int = 64 * 1024
    max_robots_bytes: int = 500 * 1024  # RFC 9309 asks parsers to read at least this much


@dataclass(frozen=True)
class Policy:
    """How the fetcher behaves towards servers; everything a newsroom may want to tune."""

    user_agent: str = USER_AGENT
    delay: float = 3.0  # seconds between requests to one host, or the robots Crawl-delay
    max_crawl_delay: float = 60.0  # a longer Crawl-delay is cut to this
    retries: int = 3
    backoff: float = 2.0  # first back-off in seconds, doubled each retry, full jitter
    max_backoff: float = 60.0
    max_retry_after: float = 60.0  # a longer Retry-After defers the fetch to the next run
    obey_robots: bool = True
    allow_hosts: tuple[str, ...] = ()  # private hosts that may be fetched (intranet, tests)
    limits: Limits = field(default_factory=Limits)


@dataclass(frozen=True)
class Validators:
    """What the previous capture of a URL said about itself, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def of(cls, headers: Iterable[tuple[str, str]]) -> Validators:
        found = {name.lower(): value for name, value in headers}
        return cls(found.get("etag"), found.get("last-modified"))

    def headers(self) -> dict[str, str]:
        sent = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {name: value for name, value in sent.items() if value}


def allow_hosts_from_env() -> tuple[str, ...]:
    """Hosts listed, comma-separated, in PROVENANCE_ALLOW_HOSTS."""
    value = os.environ.get(ALLOW_HOSTS_ENV, "")
    return tuple(host.strip() for host in value.split(",") if host.strip())


class Retry(Exception):
    """An attempt failed in a way that may pass: a connection error or a retried status."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class Unresolved(Retry):
    """The host name does not resolve: said as such, not as a connection that failed."""


class Unanswered(Retry):
    """The host takes no connection (refused, no route): the host is the trouble, so it
    is said as such, never blamed on the robots.txt that was asked for first."""


class Disallowed(FetchError):
    """robots.txt disallows the URL: our rule, not a failure of the page."""


class StatusError(FetchError):
    """The server answered with an error status that is not worth retrying."""

    def __init__(self, status: int, *, url: str) -> None:
        super().__init__(f"HTTP {status}", url=url)
        self.status = status


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def guarded_transport(backend: httpcore.NetworkBackend) -> httpx.HTTPTransport:
    """An httpx transport whose every connection goes through `backend`."""
    transport = httpx.HTTPTransport(trust_env=False)
    # HTTPTransport takes no network backend, but its httpcore pool does; replacing the
    # pool is the one way to put the guard under every connection, redirects included.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_keepalive_connections=10,
        network_backend=backend,
    )
    return transport


class Fetcher:
    """An HTTP client for one run: its robots.txt cache and per-host clocks last as long
    as it does. Use it as a context manager, or call close()."""

    def __init__(
        self,
        policy: Policy | None = None,
        *,
        network_backend: httpcore.NetworkBackend | None = None,
    ) -> None:
        self.policy = policy or Policy()
        backend = network_backend or GuardedBackend(self.policy.allow_hosts)
        self.client = httpx.Client(
            transport=guarded_transport(backend),
            headers={"User-Agent": self.policy.user_agent, "Accept-Encoding": "gzip, deflate, br"},
            follow_redirects=False,
            trust_env=False,
        )
        self.robots: dict[str, Protego | str] = {}
        self.last_request: dict[str, float] = {}
        self.random = random.Random()
        self.attempts = 0  # requests sent, robots.txt included: for reports and tests

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    # --- one fetch ---------------------------------------------------------------------

    def get(self, url: str, validators: Validators | None = None) -> Capture | None:
        """Fetch a URL; None when the server says the validators' version is unchanged."""
        if problem := url_problem(url):
            raise FetchError(problem, url=url)
        limits = self.policy.limits
        end = time.monotonic() + limits.deadline
        token = deadline.set(end)
        try:
            for attempt in range(self.policy.retries + 1):
                try:
                    return self._follow(url, validators)
                except Retry as failure:
                    self._wait_to_retry(url, failure, attempt, end)
            raise AssertionError("unreachable: the last attempt raises")  # pragma: no cover
        finally:
            deadline.reset(token)

    def _wait_to_retry(self, url: str, failure: Retry, attempt: int, end: float) -> None:
        """Sleep before the next attempt, or raise if there is none worth making."""
        policy = self.policy
        tries = f"{attempt + 1} attempt{'s' if attempt else ''}"
        if failure.retry_after is not None and failure.retry_after > policy.max_retry_after:
            raise DeferredError(
                f"{failure.reason}; server asks to retry after {failure.retry_after:g} s, "
                f"more than {policy.max_retry_after:g} s",
                url=url,
            )
        if time.monotonic() >= end:
            raise FetchError(
                f"{failure.reason}; gave up at the {policy.limits.deadline:g} s deadline", url=url
            )
        if attempt >= policy.retries:
            raise FetchError(f"{failure.reason} after {tries}", url=url)
        cap = min(policy.max_backoff, policy.backoff * 2**attempt)
        wait = (
            failure.retry_after if failure.retry_after is not None else self.random.uniform(0, cap)
        )
        if time.monotonic() + wait > end:
            if failure.retry_after is not None:
                raise DeferredError(
                    f"{failure.reason}; retry after {wait:g} s passes the deadline",
                    url=url,
                )
            raise FetchError(f"{failure.reason} after {tries}; no time left to retry", url=url)
        time.sleep(wait)

    def _follow(
        self, url: str, validators: Validators | None, *, robots: bool = False
    ) -> Capture | None:
        """One attempt: request, following redirects by hand, each hop checked again.
        With `robots`, this is a robots.txt fetch: not itself checked, and capped smaller."""
        limits = self.policy.limits
        current, seen = url, {url}
        for _hop in range(limits.max_redirects + 1):
            if not robots:
                self._check_robots(url, current)
            response = self._send(url, current, validators)
            try:
                location = response.headers.get("location")
                if response.status_code in REDIRECTS and location:
                    self._drain(response, limits.max_redirect_body)
                    current = _join(url, current, location)
                    if current in seen:
                        raise FetchError(f"redirect loop at {current}", url=url)
                    seen.add(current)
                    continue
                cap = limits.max_robots_bytes if robots else limits.max_wire_bytes
                return self._result(url, current, response, validators, cap)
            finally:
                response.close()
        raise FetchError(f"more than {limits.max_redirects} redirects", url=url)

    def _send(self, url: str, current: str, validators: Validators | None) -> httpx.Response:
        limits = self.policy.limits
        self._pace(current)
        timeout = httpx.Timeout(
            limits.read_timeout, connect=limits.connect_timeout, pool=limits.connect_timeout
        )
        headers = validators.headers() if validators else {}
        try:
            request = self.client.build_request("GET", current, headers=headers, timeout=timeout)
        except httpx.InvalidURL as error:
            raise FetchError(f"invalid URL: {error}", url=url) from error
        try:
            self.attempts += 1
            return self.client.send(request, stream=True)
        except httpx.ConnectError as error:
            if isinstance(error.__cause__, BlockedAddress):
                raise FetchError(str(error), url=url) from error
            if isinstance(error.__cause__, Unresolvable):
                raise Unresolved(str(error)) from error
            raise Unanswered(f"cannot connect: {error}") from error
        except httpx.ConnectTimeout as error:  # no answer to the handshake: the host again
            raise Unanswered("the connection timed out") from error
        except httpx.TransportError as error:
            raise Retry(f"{type(error).__name__}: {error or 'no response'}") from error
        except httpx.InvalidURL as error:  # httpx reads a redirect's Location as it answers
            reason = f"redirected to a Location that is no URL to fetch ({error})"
            raise FetchError(reason, url=url) from error
        finally:
            self.last_request[_host(current)] = time.monotonic()

    def _result(
        self,
        url: str,
        current: str,
        response: httpx.Response,
        validators: Validators | None,
        cap: int,
    ) -> Capture | None:
        """The capture of a final response, under the URL asked for in its stored form
        (urls.stored_url); None for a 304 to the validators sent."""
        status = response.status_code
        if status == 304 and validators and validators.headers():
            return None
        if status in RETRIED:
            raise Retry(f"HTTP {status}", retry_after(response.headers.get("retry-after")))
        if status >= 300:
            raise StatusError(status, url=url)
        limits = self.policy.limits
        wire = self._read(url, response, cap)
        try:
            content = decode_body(
                wire,
                response.headers.get("content-encoding"),
                max_bytes=limits.max_decoded_bytes,
                max_ratio=limits.max_ratio,
            )
        except DecodeError as error:
            raise FetchError(f"cannot decode the body: {error}", url=url) from error
        stored = stored_url(url)
        return Capture(
            url=stored,
            # as the server led us, less a fragment a Location may carry (never sent)
            final_url=current.partition("#")[0] if current != url else stored,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            content=content,
            content_type=response.headers.get("content-type"),
            status=status,
            headers=tuple(response.headers.multi_items()),
            wire=wire if wire != content else None,
        )

    def _read(self, url: str, response: httpx.Response, cap: int) -> bytes:
        """The raw body, content-coding still on, refusing to read past `cap` bytes."""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(f"body of {declared} bytes is larger than {cap} bytes", url=url)
        chunks, size = [], 0
        try:
            for chunk in response.iter_raw():
                size += len(chunk)
                if size > cap:
                    raise FetchError(f"body larger than {cap} bytes", url=url)
                chunks.append(chunk)
        except httpx.TransportError as error:
            raise Retry(f"body cut short after {size} bytes: {type(error).__name__}") from error
        return b"".join(chunks)

    def _drain(self, response: httpx.Response, cap: int) -> None:
        """Read a redirect's body up to a small cap, so the connection can be reused."""
        size = 0
        try:
            for chunk in response.iter_raw():
                size += len(chunk)
                if size > cap:
                    return
        except httpx.TransportError:
            return

    # --- politeness --------------------------------------------------------------------

    def _pace(self, url: str) -> None:
        """Wait until this host's delay since our last request to it has passed."""
        last = self.last_request.get(_host(url))
        if last is None:
            return
        delay = max(self.policy.delay, self._crawl_delay(url))
        wait = last + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)

    def _crawl_delay(self, url: str) -> float:
        rules = self.robots.get(_origin(url))
        if not isinstance(rules, Protego):
            return 0.0
        delay = rules.crawl_delay(ROBOTS_TOKEN)
        return min(float(delay or 0.0), self.policy.max_crawl_delay)

    def _check_robots(self, url: str, current: str) -> None:
        if not self.policy.obey_robots:
            return
        origin = _origin(current)
        if origin not in self.robots:
            try:
                self.robots[origin] = self._load_robots(origin)
            except FetchError as error:  # refused by the guard, too large, undecodable
                raise FetchError(str(error), url=url) from error
        rules = self.robots[origin]
        if isinstance(rules, str):
            raise DeferredError(rules, url=url)
        if not rules.can_fetch(current, ROBOTS_TOKEN):
            raise Disallowed(f"robots.txt of {origin} disallows {current}", url=url)

    def _load_robots(self, origin: str) -> Protego | str:
        """robots.txt as RFC 9309 reads it: missing (4xx) allows everything; unreachable
        (5xx, network failure) allows nothing, so the host waits for the next run. Returns
        the rules, or why the host is deferred (a host that does not resolve or answer is
        named as the trouble)."""
        try:
            captured = self._follow(f"{origin}/robots.txt", None, robots=True)
        except StatusError as error:
            if error.status < 500:
                return Protego.parse("")
            return f"robots.txt unreachable (HTTP {error.status})"
        except Unresolved as failure:  # robots.txt is not the trouble: the host is
            return failure.reason
        except Unanswered as failure:
            return f"the host {urlsplit(origin).netloc} does not answer ({failure.reason})"
        except Retry as failure:
            return f"robots.txt unreachable ({failure.reason})"
        assert captured is not None  # no validators were sent
        return Protego.parse(captured.content.decode("utf-8", errors="replace"))


def _join(url: str, current: str, location: str) -> str:
    """Where a redirect's Location leads, or a FetchError naming URL when it is no URL or
    not one to fetch (javascript:, file:): said before robots.txt is asked about it."""
    try:
        target = urljoin(current, location)
    except ValueError as error:
        raise FetchError(f"redirected to {location!r}, not a URL: {error}", url=url) from error
    if urlsplit(target).scheme not in ("http", "https"):
        raise FetchError(f"redirected to a non-HTTP URL {target}", url=url)
    return target


def _origin(url: str) -> str:
    """scheme://host[:port] as storage writes them (urls.stored_url): one site has one
    robots.txt, however its host is written."""
    parts = urlsplit(stored_url(url))
    return f"{parts.scheme}://{parts.netloc}"


def _host(url: str) -> str:
    """The host (and port) one clock paces, however it is written (as _origin)."""
    return _origin(url).partition("://")[2]


def make_client(policy: Policy | None = None) -> Fetcher:
    """A Fetcher with this policy; private hosts in PROVENANCE_ALLOW_HOSTS are allowed."""
    policy = policy or Policy()
    extra = allow_hosts_from_env()
    return Fetcher(replace(policy, allow_hosts=(*policy.allow_hosts, *extra)))


def url_problem(url: str) -> str | None:
    """Why a URL cannot be fetched at all, or None: only http and https, with a host."""
    try:
        address = urlsplit(url)
    except ValueError as error:  # an unclosed IPv6 bracket, such as http://[oops/
        return f"not a URL: {error}"
    if address.scheme not in ("http", "https"):
        return "only http and https URLs can be fetched"
    if not address.hostname:
        return "not a URL: no host"
    if any(char.isspace() for char in address.netloc):
        return "not a URL: a space in the host"
    if not url.isprintable():
        return "not a URL: a control character in it"
    try:
        address.port  # noqa: B018 - urllib checks the port when it is read
    except ValueError:
        return "not a URL: the port is not a number from 0 to 65535"
    if address.username is not None or address.password is not None:
        return "a user name or password in a URL would be stored and shown with it"
    return None


def fetch(client: Fetcher, url: str) -> Capture:
    """GET a URL and return its bytes as captured; any failure becomes FetchError."""
    captured = client.get(url)
    assert captured is not None  # no validators were sent, so no 304
    return captured


def fetch_if_changed(client: Fetcher, url: str, validators: Validators) -> Capture | None:
    """GET a URL conditionally: None (one 304, no body) when it has not changed."""
    return client.get(url, validators)
