"""The fault suite: every behaviour of the misbehaving server through the real fetcher and
the real crawl loop. Each fetch ends within its deadline plus a second, and every scheduled
source ends with an outcome: stored, or reported with its reason."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import figures
import pytest
from misbehaving_server import Server, misbehaving_server

from crawlers.fetch import Limits, Policy, make_client
from provenance.crawl import Source, crawl
from provenance.errors import DeferredError, FetchError
from provenance.storage import Database

MiB = 1024 * 1024
LIMITS = Limits(
    deadline=2.5,
    connect_timeout=1.0,
    read_timeout=1.0,
    max_wire_bytes=2 * MiB,
    max_decoded_bytes=8 * MiB,
)
POLICY = Policy(
    delay=0.0,
    retries=2,
    backoff=0.05,
    max_retry_after=2.0,
    allow_hosts=("127.0.0.1",),
    limits=LIMITS,
)

# path -> the outcome the crawl loop must record for it
EXPECTED = {
    "ok": "new",
    "slow-drip": "failed",
    "stall": "failed",
    "reset": "failed",
    "truncated": "failed",
    "bad-chunking": "failed",
    "too-many": "new",
    "too-many-for-tonight": "deferred",
    "flaky": "new",
    "always-503": "failed",
    "redirect-loop": "failed",
    "redirect-chain": "new",
    "redirect-private": "failed",
    "redirect-metadata": "failed",
    "redirect-malformed": "failed",
    "redirect-javascript": "failed",
    "redirect-ftp": "failed",
    "gzip-bomb": "failed",
    "brotli-bomb": "failed",
    "double-gzip": "new",
    "triple-gzip": "failed",
    "huge": "failed",
    "wrong-charset": "new",
    "no-charset": "new",
    "not-modified": "new",
    "forbidden": "failed",
}
REASONS = {
    "slow-drip": "deadline",
    "stall": "deadline",
    "reset": "body cut short",
    "truncated": "body cut short",
    "bad-chunking": "after 3 attempts",
    "too-many-for-tonight": "deferred to the next run",
    "always-503": "HTTP 503 after 3 attempts",
    "redirect-loop": "redirect loop",
    "redirect-private": "non-public address 10.0.0.1",
    "redirect-metadata": "non-public address",
    "redirect-malformed": "redirected to 'http://[oops/story', not a URL",
    "redirect-javascript": "redirected to a Location that is no URL to fetch",
    "redirect-ftp": "redirected to a non-HTTP URL ftp://files.example/story.txt",
    "gzip-bomb": "decodes to more than",
    "brotli-bomb": "decodes to more than",
    "triple-gzip": "3 content-codings",
    "huge": "larger than 2097152 bytes",
    "forbidden": "robots.txt",
}


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with misbehaving_server() as running:
        yield running


def test_every_fault_ends_in_an_outcome_within_its_deadline(db: Database, server: Server) -> None:
    sources = [
        Source(path, f"{server.base}/{path}", crawler="article", role="secondary")
        for path in EXPECTED
    ]
    took: dict[str, float] = {}
    started = time.monotonic()

    def timed(source: Source, outcome: dict[str, Any]) -> None:
        nonlocal started
        took[source.name] = time.monotonic() - started
        started = time.monotonic()

    _, report = crawl(db, sources, config_name="faults", policy=POLICY, on_source=timed)
    outcomes = {o["name"]: o for o in report}
    assert {name: o["outcome"] for name, o in outcomes.items()} == EXPECTED
    for name, reason in REASONS.items():
        assert reason in outcomes[name]["error"], (name, outcomes[name]["error"])
    faults = [name for name in EXPECTED if name != "ok"]
    retried_ok = [n for n in faults if EXPECTED[n] == "new" and server.hits[f"/{n}"] > 1]
    reported = [n for n in faults if outcomes[n]["status"] != "ok" and outcomes[n]["error"]]
    lost = len(sources) - len(report)
    slowest = max(took.values())
    assert retried_ok == ["too-many", "flaky"]
    assert lost == 0
    assert slowest <= LIMITS.deadline + 1.0, took
    (row,) = db.query("SELECT sources, sources_failed, report FROM crawl_runs")
    assert row["sources"] == len(sources) and len(json.loads(row["report"])) == len(sources)
    figures.report(
        f"faults: {len(faults)} injected, {len(retried_ok)} retried-ok, {len(reported)} "
        f"reported, {lost} lost, max fetch {slowest:.1f} s within deadline "
        f"{LIMITS.deadline:g} s + 1 s"
    )


def test_an_unchanged_page_costs_one_304_and_stores_nothing(db: Database, server: Server) -> None:
    source = [Source("etag", f"{server.base}/not-modified", crawler="article")]
    crawl(db, source, config_name="once", policy=POLICY)
    before = server.hits["/not-modified"]
    _, (again,) = crawl(db, source, config_name="twice", policy=POLICY)
    assert again["outcome"] == "not_modified" and again["version"] == 1
    assert server.hits["/not-modified"] == before + 1
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_a_source_written_with_a_fragment_is_the_page_stored_without(
    db: Database, server: Server
) -> None:
    """Its validators were looked up by the spelling as written, found none, and the page
    became a document of its own with its own version 1."""
    plain = [Source("plain", f"{server.base}/not-modified", crawler="article")]
    crawl(db, plain, config_name="plain", policy=POLICY)
    spelt = f"{server.base.replace('http://', 'HTTP://')}/not-modified#minutes"
    _, (again,) = crawl(db, [Source("spelt", spelt)], config_name="spelt", policy=POLICY)
    assert (again["outcome"], again["version"], again["url"]) == ("not_modified", 1, spelt)
    assert db.execute("SELECT url FROM documents").fetchall() == [(plain[0].url,)]


def test_a_capture_is_stored_under_the_url_asked_for_less_its_fragment(server: Server) -> None:
    """The fragment of a redirect's Location is not part of where it led either."""
    with make_client(POLICY) as client:
        captured = client.get(f"{server.base.upper()}/moved-to-the-minutes#top")
    assert captured is not None
    assert captured.url == f"{server.base}/moved-to-the-minutes"
    assert captured.final_url == f"{server.base}/ok"


def test_robots_txt_is_read_once_however_the_host_is_written(server: Server) -> None:
    """One site, one robots.txt and one clock, whatever case its scheme and host are in."""
    before = server.hits["/robots.txt"]
    site = server.base.replace("127.0.0.1", "localhost")
    with make_client(replace(POLICY, allow_hosts=("localhost",))) as client:
        client.get(f"{site}/ok")
        client.get(f"{site.replace('http://localhost', 'HTTP://LocalHost')}/ok")
        assert list(client.last_request) == [site.removeprefix("http://")]
    assert server.hits["/robots.txt"] - before == 1


BOMB_SCRIPT = r"""
import json, re, sys
from crawlers.fetch import Limits, Policy, make_client
from provenance.errors import DeferredError, FetchError
limits = Limits(max_wire_bytes=8 * 2**20, max_decoded_bytes=50 * 2**20, deadline=20)
policy = Policy(delay=0, allow_hosts=("127.0.0.1",), limits=limits)
over = 0
with make_client(policy) as client:
    for path in ("gzip-bomb", "brotli-bomb", "double-gzip"):
        try:
            captured = client.get(sys.argv[1] + "/" + path)
            over += len(captured.content) > limits.max_decoded_bytes
        except FetchError:
            pass
# VmHWM, not ru_maxrss: getrusage figures survive exec, so they would count the parent's.
status = open("/proc/self/status").read()
peak = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
print(json.dumps({"peak": peak, "over": over}))
"""


def test_bombs_are_stopped_inside_the_decompressor(server: Server) -> None:
    """In a child process, so its peak RSS is the fetcher's and not the test session's."""
    done = subprocess.run(
        [sys.executable, "-c", BOMB_SCRIPT, server.base],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    figures_ = json.loads(done.stdout)
    peak_mib = figures_["peak"] / 1024
    assert figures_["over"] == 0
    assert peak_mib < 256, peak_mib
    figures.report(
        f"bounds: peak RSS {peak_mib:.0f} MiB for the bomb cases (200 MiB each decoded), "
        f"{figures_['over']} over limit"
    )


def test_a_deferred_fetch_says_so(server: Server) -> None:
    with make_client(POLICY) as client, pytest.raises(DeferredError, match="retry after"):
        client.get(f"{server.base}/too-many-for-tonight")


def test_a_host_that_does_not_resolve_is_named_as_such() -> None:
    """Not "robots.txt unreachable": it is the host that cannot be found (.invalid never
    resolves, RFC 2606)."""
    with make_client(POLICY) as client, pytest.raises(FetchError) as caught:
        client.get("http://no-such-host.invalid/story")
    message = str(caught.value)
    assert message.startswith(
        "http://no-such-host.invalid/story: the host no-such-host.invalid cannot be resolved"
    )
    assert "robots.txt" not in message


def test_a_host_that_takes_no_connection_is_named_as_such() -> None:
    """Not "robots.txt unreachable (cannot connect …)": nothing listens on the host at
    all, and the robots.txt asked for first is not what is wrong."""
    with socket.socket() as closed:  # a port that was free a moment ago, closed again
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    url = f"http://127.0.0.1:{port}/story"
    with make_client(POLICY) as client, pytest.raises(DeferredError) as caught:
        client.get(url)
    message = str(caught.value)
    assert message.startswith(f"{url}: the host 127.0.0.1:{port} does not answer (cannot connect")
    assert "robots.txt" not in message


def test_a_host_that_never_completes_a_connection_is_named_as_such() -> None:
    """A connect timeout, as from a host dropping packets, is the host's trouble too. The
    listener's accept queue is full, so the kernel leaves the handshake unanswered."""
    with socket.socket() as listener, socket.socket() as filler:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        filler.connect(("127.0.0.1", port))  # the one place in the queue, never accepted
        url = f"http://127.0.0.1:{port}/story"
        with make_client(POLICY) as client, pytest.raises(DeferredError) as caught:
            client.get(url)
    message = str(caught.value)
    assert message == f"{url}: the host 127.0.0.1:{port} does not answer (the connection timed out)"


def test_a_compressed_body_is_kept_as_received_beside_its_decoded_bytes(
    db: Database, server: Server
) -> None:
    """Evidence is what came off the wire: the gzip stream is a capture of its own, and it
    decodes to exactly the bytes the parser read."""
    import gzip
    import hashlib

    _, (outcome,) = crawl(
        db,
        [Source("gz", f"{server.base}/double-gzip", crawler="article")],
        config_name="gz",
        policy=POLICY,
    )
    assert outcome["outcome"] == "new", outcome
    sha256, wire_sha256 = db.execute("SELECT sha256, wire_sha256 FROM documents").fetchone()
    captures = dict(db.execute("SELECT sha256, content FROM captures").fetchall())
    wire, content = captures[wire_sha256], captures[sha256]
    assert wire_sha256 != sha256 and hashlib.sha256(wire).hexdigest() == wire_sha256
    assert gzip.decompress(gzip.decompress(wire)) == content


def test_a_page_is_read_in_the_charset_its_server_gives(db: Database, server: Server) -> None:
    """The HTTP charset when the page declares none; UTF-8 bytes under a stale label."""
    names = ("latin1-header", "stale-meta", "wrong-charset")
    sources = [Source(name, f"{server.base}/{name}", role="secondary") for name in names]
    _, report = crawl(db, sources, config_name="charsets", policy=POLICY)
    assert [o["outcome"] for o in report] == ["new"] * 3, report
    texts = dict(db.execute("SELECT url, text FROM documents").fetchall())
    said = "José Martínez of the café said the board was “not for sale, not at any price”"
    assert said in texts[f"{server.base}/latin1-header"]
    assert said in texts[f"{server.base}/stale-meta"]
    assert "“a careful step, not a leap”" in texts[f"{server.base}/wrong-charset"]


def test_a_page_labelled_text_plain_is_read_as_html(db: Database, server: Server) -> None:
    source = Source("html-as-plain", f"{server.base}/html-as-plain")
    _, (outcome,) = crawl(db, [source], config_name="sniff", policy=POLICY)
    assert outcome["outcome"] == "new", outcome
    (row,) = db.query("SELECT crawler, role, title, text FROM documents")
    assert (row["crawler"], row["role"], row["title"]) == ("article", "secondary", "A page")
    assert "<" not in row["text"] and "“a careful step, not a leap”" in row["text"]
