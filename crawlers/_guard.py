"""The address guard and the deadline, where they cannot be bypassed: in the network
backend that opens every connection the fetcher makes.

A URL's host is resolved once, every address it resolves to must be public (or the host
explicitly allowed), and the connection goes to the checked address, so a redirect, a DNS
answer that changes between check and use, or an IPv6 form of a private IPv4 address
cannot reach an intranet service. Each read, write and connect is also cut short at the
fetch's total deadline, which httpx's per-read timeouts do not give.
"""

from __future__ import annotations

import contextvars
import ipaddress
import socket
import ssl
import time
import typing
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as ResolveTimeout

import httpcore

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

# Non-public ranges that Python's is_global tables miss or get wrong on some 3.11 releases
# (CVE-2024-4032), listed so the guard does not depend on them.
DENIED = tuple(
    ipaddress.ip_network(net)
    for net in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "224.0.0.0/3",
        "::/128",
        "::1/128",
        "64:ff9b:1::/48",
        "fc00::/7",
        "fe80::/10",
        "ff00::/8",
    )
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")

# The end of the current fetch (time.monotonic()), set by the fetcher around each fetch.
deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline", default=None)


class BlockedAddress(httpcore.ConnectError):
    """A connection to a non-public address that no setting allows."""


class Unresolvable(httpcore.ConnectError):
    """The host name resolves to no address at all: not a network fault on the way."""


class DeadlinePassed(httpcore.ReadTimeout):
    """The fetch's total deadline passed while connecting, sending or receiving."""


def embedded_ipv4(address: Address) -> Address:
    """The IPv4 address inside an IPv4-mapped, IPv4-compatible, 6to4 or NAT64 IPv6 address,
    which is where a packet to it really goes; any other address unchanged."""
    if isinstance(address, ipaddress.IPv4Address):
        return address
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64 or (address in IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def is_public(text: str) -> bool:
    """Whether an address is on the public internet, by our own list first."""
    address = embedded_ipv4(ipaddress.ip_address(text.split("%", 1)[0]))
    if any(address in net for net in DENIED if net.version == address.version):
        return False
    return address.is_global and not (address.is_multicast or address.is_reserved)


def system_resolver(timeout: float = 5.0) -> Resolver:
    """getaddrinfo with a time limit (the socket connect timeout does not cover DNS)."""
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="resolve")

    def resolve(host: str, port: int) -> list[str]:
        future = pool.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
        try:
            infos = future.result(timeout=remaining(timeout))
        except ResolveTimeout as error:
            raise httpcore.ConnectTimeout(f"resolving {host} took too long") from error
        except OSError as error:
            raise Unresolvable(f"the host {host} cannot be resolved ({error})") from error
        return [str(info[4][0]) for info in infos]

    return resolve


def remaining(timeout: float | None) -> float | None:
    """A timeout shortened to what is left of the current fetch's deadline."""
    end = deadline.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise DeadlinePassed("the fetch's deadline passed")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self.stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, remaining(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, remaining(timeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        tls = self.stream.start_tls(ssl_context, server_hostname, remaining(timeout))
        return DeadlineStream(tls)

    def get_extra_info(self, info: str) -> typing.Any:
        return self.stream.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Opens connections only to public addresses or to explicitly allowed hosts."""

    def __init__(
        self,
        allow_hosts: Iterable[str] = (),
        *,
        resolver: Resolver | None = None,
        inner: httpcore.NetworkBackend | None = None,
    ) -> None:
        self.allow_hosts = frozenset(host.lower().strip("[]") for host in allow_hosts)
        self.resolver = resolver or system_resolver()
        self.inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self.resolver(host, port)
        if not addresses:
            raise Unresolvable(f"the host {host} resolves to no address")
        if host.lower().strip("[]") not in self.allow_hosts:
            refused = [a for a in addresses if not is_public(a)]
            if refused:
                raise BlockedAddress(
                    f"{host} resolves to non-public address {refused[0]}; "
                    "allow it with --allow-host if it is an intranet source"
                )
        stream = self.inner.connect_tcp(
            addresses[0], port, remaining(timeout), local_address, socket_options
        )
        return DeadlineStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise BlockedAddress("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)
