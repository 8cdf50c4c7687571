"""The address guard, with a stub resolver that hands out private and disguised addresses
and a recording backend underneath: no connection is ever attempted to a refused address,
and a canary listener on 127.0.0.1 proves that nothing reached it."""

from __future__ import annotations

import socket
from collections.abc import Iterable

import figures
import httpcore
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawlers._guard import GuardedBackend, is_public
from crawlers.fetch import Fetcher, Policy, make_client
from provenance.errors import FetchError

REFUSED = {
    "loopback.test": "127.0.0.1",
    "zero.test": "0.0.0.0",
    "ten.test": "10.1.2.3",
    "home.test": "192.168.1.1",
    "corp.test": "172.16.5.4",
    "metadata.test": "169.254.169.254",
    "cgnat.test": "100.64.0.1",
    "alibaba.test": "100.100.100.200",
    "mapped.test": "::ffff:a9fe:a9fe",
    "mapped-loopback.test": "::ffff:127.0.0.1",
    "sixtofour.test": "2002:7f00:1::",
    "nat64.test": "64:ff9b::7f00:1",
    "nat64-local.test": "64:ff9b:1::a00:1",
    "compat.test": "::127.0.0.1",
    "v6-loopback.test": "::1",
    "link-local.test": "fe80::1",
    "ula.test": "fd12:3456::1",
    "benchmark.test": "198.18.0.1",
    "multicast.test": "224.0.0.1",
    "reserved.test": "240.0.0.1",
    "canary.test": "127.0.0.1",
}


class Recording(httpcore.NetworkBackend):
    """Records every connection the guard lets through, and makes none."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        self.attempts.append(host)
        raise httpcore.ConnectError("recording backend: no real connections")


def stub_resolver(host: str, port: int) -> list[str]:
    if host in REFUSED:
        return [REFUSED[host]]
    if host == "mixed.test":  # one public and one private answer: an attack signal
        return ["93.184.215.14", "10.0.0.7"]
    return [host]  # an address literal


def test_every_non_public_address_is_refused_before_connecting() -> None:
    canary = socket.socket()
    canary.bind(("127.0.0.1", 0))
    canary.listen()
    canary.setblocking(False)
    port = canary.getsockname()[1]
    recording = Recording()
    backend = GuardedBackend(resolver=stub_resolver, inner=recording)
    targets = [f"http://{host}:{port}/" for host in [*REFUSED, "mixed.test"]]
    targets += ["http://[::ffff:7f00:1]/", "http://10.0.0.1/", f"http://127.0.0.1:{port}/"]
    blocked = 0
    with Fetcher(Policy(obey_robots=False, retries=0), network_backend=backend) as fetcher:
        for url in targets:
            with pytest.raises(FetchError, match="non-public address"):
                fetcher.get(url)
            blocked += 1
    with pytest.raises(BlockingIOError):
        canary.accept()
    canary.close()
    assert recording.attempts == []
    figures.report(
        f"guard: {blocked}/{len(targets)} blocked, {len(recording.attempts)} connections "
        "attempted, 0 canary hits"
    )


def test_an_allowed_host_and_a_public_address_get_through_to_connect() -> None:
    recording = Recording()
    backend = GuardedBackend(["intranet.test"], resolver=stub_resolver, inner=recording)
    REFUSED["intranet.test"] = "10.20.30.40"
    try:
        with Fetcher(Policy(obey_robots=False, retries=0), network_backend=backend) as fetcher:
            for url in ("http://intranet.test/", "http://93.184.215.14/"):
                with pytest.raises(FetchError, match="cannot connect"):
                    fetcher.get(url)
    finally:
        del REFUSED["intranet.test"]
    assert recording.attempts == ["10.20.30.40", "93.184.215.14"]


def test_allowed_hosts_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVENANCE_ALLOW_HOSTS", " intranet.example , 10.0.0.5 ")
    with make_client() as client:
        assert client.policy.allow_hosts == ("intranet.example", "10.0.0.5")


@given(st.ip_addresses())
def test_an_address_embedding_a_private_ipv4_is_never_public(address: object) -> None:
    import ipaddress

    text = str(address)
    ip = ipaddress.ip_address(text)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        assert is_public(text) == is_public(str(ip.ipv4_mapped))
    if isinstance(ip, ipaddress.IPv4Address) and not ip.is_global:
        assert not is_public(text)
        assert not is_public(f"::ffff:{text}") and not is_public(f"64:ff9b::{text}")
