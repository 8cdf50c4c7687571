"""The one HTTP client: every fetch in the project goes through fetch().

It sets the limits httpx does not: a total deadline per fetch (httpx's timeout is per read),
a cap on the body size, at most five redirects, and no proxy variables from the
environment. Errors of every kind come out as FetchError naming the URL.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from provenance import __version__
from provenance.errors import FetchError
from provenance.models import Capture

USER_AGENT = f"provenance/{__version__} (quote provenance tracker)"


@dataclass(frozen=True)
class Limits:
    """Per-fetch bounds; the defaults suit news pages and court PDFs."""

    deadline: float = 30.0  # seconds for the whole fetch, redirects included
    connect_timeout: float = 10.0
    max_bytes: int = 50 * 1024 * 1024
    max_redirects: int = 5


def make_client(limits: Limits = Limits()) -> httpx.Client:
    """An httpx client with the project's headers and timeouts."""
    return httpx.Client(
        headers={"User-Agent": USER_AGENT},
        timeout=httpx.Timeout(limits.deadline, connect=limits.connect_timeout),
        follow_redirects=True,
        max_redirects=limits.max_redirects,
        trust_env=False,
    )


def fetch(client: httpx.Client, url: str, *, limits: Limits = Limits()) -> Capture:
    """GET a URL and return its bytes as captured; any failure becomes FetchError."""
    if not url.startswith(("http://", "https://")):
        raise FetchError("only http and https URLs can be fetched", url=url)
    started = time.monotonic()
    fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code}", url=url)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limits.max_bytes:
                    raise FetchError(f"body larger than {limits.max_bytes} bytes", url=url)
                if time.monotonic() - started > limits.deadline:
                    raise FetchError(f"took longer than {limits.deadline:g} s", url=url)
                chunks.append(chunk)
            return Capture(
                url=url,
                final_url=str(response.url),
                fetched_at=fetched_at,
                content=b"".join(chunks),
                content_type=response.headers.get("content-type"),
                status=response.status_code,
            )
    except httpx.TooManyRedirects as error:
        raise FetchError(f"more than {limits.max_redirects} redirects", url=url) from error
    except httpx.HTTPError as error:
        raise FetchError(f"{type(error).__name__}: {error}", url=url) from error
