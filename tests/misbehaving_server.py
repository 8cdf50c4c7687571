"""A real socket server on 127.0.0.1 that misbehaves on purpose, one named behaviour per
path, so the fetcher and the crawl loop meet real slow drips, resets, bombs and loops.

Writes raw HTTP/1.1 by hand: http.server would refuse to send most of these.
"""

from __future__ import annotations

import gzip
import io
import socket
import socketserver
import struct
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import brotli

PAGE = (
    "<html><head><title>A page</title></head><body><article><p>The board met on Tuesday "
    "and said the plan was “a careful step, not a leap”, according to the minutes.</p>"
    "</article></body></html>"
)
ACCENTED = (
    "<html><head><title>Café</title></head><body><article><p>José Martínez of the café "
    "said the board was “not for sale, not at any price”, on Monday.</p></article></body></html>"
)
BOMB_SIZE = 200 * 1024 * 1024  # what the bombs decode to


def _gzip_bomb() -> bytes:
    """Zeros streamed through gzip, without holding the decoded size in memory."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6) as handle:
        block = b"\0" * (1024 * 1024)
        for _ in range(BOMB_SIZE // len(block)):
            handle.write(block)
    return out.getvalue()


class Handler(socketserver.BaseRequestHandler):
    server: Server

    def handle(self) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            data = self.request.recv(65536)
            if not data:
                return
            request += data
        head = request.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        path = head[0].split(" ")[1]
        headers = {
            k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in head[1:])
        }
        self.server.hits[path] += 1
        name = path.strip("/").split("?")[0].replace("-", "_").replace(".", "_") or "ok"
        behaviour = getattr(self, f"b_{name}", None)
        try:
            if behaviour is None:
                self.respond(404, b"not here")
            else:
                behaviour(headers)
        except OSError:
            pass  # the client went away: that is what some behaviours provoke

    # --- helpers ---

    def respond(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.request.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    def html(self, body: bytes, **headers: str) -> None:
        self.respond(200, body, {"Content-Type": "text/html; charset=utf-8", **headers})

    # --- behaviours: b_<path with - as _> ---

    def b_ok(self, headers: dict[str, str]) -> None:
        self.html(PAGE.encode())

    def b_robots_txt(self, headers: dict[str, str]) -> None:
        self.respond(200, b"User-agent: *\nDisallow: /forbidden\n", {"Content-Type": "text/plain"})

    def b_forbidden(self, headers: dict[str, str]) -> None:
        self.html(PAGE.encode())

    def b_slow_drip(self, headers: dict[str, str]) -> None:
        self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n<html>")
        for _ in range(600):
            time.sleep(0.1)
            self.request.sendall(b"x")

    def b_stall(self, headers: dict[str, str]) -> None:
        self.request.settimeout(30)
        self.request.recv(1)  # nothing comes; wait until the client gives up

    def b_reset(self, headers: dict[str, str]) -> None:
        self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n<html><p>")
        self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.request.close()

    def b_truncated(self, headers: dict[str, str]) -> None:
        self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n<html><p>cut")

    def b_bad_chunking(self, headers: dict[str, str]) -> None:
        self.request.sendall(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"
        )

    def b_too_many(self, headers: dict[str, str]) -> None:
        if self.server.hits["/too-many"] == 1:
            self.respond(429, b"slow down", {"Retry-After": "1"})
        else:
            self.html(PAGE.encode())

    def b_too_many_for_tonight(self, headers: dict[str, str]) -> None:
        self.respond(429, b"Expected available in 21227 seconds.", {"Retry-After": "21227"})

    def b_flaky(self, headers: dict[str, str]) -> None:
        if self.server.hits["/flaky"] == 1:
            self.respond(500, b"oops")
        else:
            self.html(PAGE.encode())

    def b_always_503(self, headers: dict[str, str]) -> None:
        self.respond(503, b"down")

    def b_redirect_loop(self, headers: dict[str, str]) -> None:
        self.respond(302, b"", {"Location": "/redirect-loop-2"})

    def b_redirect_loop_2(self, headers: dict[str, str]) -> None:
        self.respond(302, b"", {"Location": "/redirect-loop"})

    def b_redirect_chain(self, headers: dict[str, str]) -> None:
        self.respond(301, b"x" * 1_000_000, {"Location": "/ok"})  # big body: not read

    def b_redirect_private(self, headers: dict[str, str]) -> None:
        self.respond(302, b"", {"Location": "http://10.0.0.1/admin"})

    def b_redirect_metadata(self, headers: dict[str, str]) -> None:
        self.respond(302, b"", {"Location": "http://[::ffff:a9fe:a9fe]/latest/meta-data/"})

    def b_redirect_malformed(self, headers: dict[str, str]) -> None:
        self.respond(302, b"", {"Location": "http://[oops/story"})

    def b_redirect_javascript(self, headers: dict[str, str]) -> None:
        self.respond(302, b"", {"Location": "javascript:alert(document.cookie)"})

    def b_redirect_ftp(self, headers: dict[str, str]) -> None:
        self.respond(302, b"", {"Location": "ftp://files.example/story.txt"})

    def b_moved(self, headers: dict[str, str]) -> None:
        self.respond(301, b"", {"Location": "/ok"})  # a page that moved: its link is /ok

    def b_moved_to_the_minutes(self, headers: dict[str, str]) -> None:
        self.respond(301, b"", {"Location": "/ok#minutes"})

    def b_gzip_bomb(self, headers: dict[str, str]) -> None:
        self.html(self.server.gzip_bomb, **{"Content-Encoding": "gzip"})

    def b_brotli_bomb(self, headers: dict[str, str]) -> None:
        self.html(self.server.brotli_bomb, **{"Content-Encoding": "br"})

    def b_double_gzip(self, headers: dict[str, str]) -> None:
        body = gzip.compress(gzip.compress(PAGE.encode()))
        self.html(body, **{"Content-Encoding": "gzip, gzip"})

    def b_triple_gzip(self, headers: dict[str, str]) -> None:
        body = gzip.compress(gzip.compress(gzip.compress(PAGE.encode())))
        self.html(body, **{"Content-Encoding": "gzip, gzip, gzip"})

    def b_huge(self, headers: dict[str, str]) -> None:
        self.respond(200, b"<p>" + b"a" * 3_000_000, {"Content-Type": "text/html"})

    def b_wrong_charset(self, headers: dict[str, str]) -> None:
        self.respond(200, PAGE.encode(), {"Content-Type": "text/html; charset=iso-8859-1"})

    def b_no_charset(self, headers: dict[str, str]) -> None:
        self.respond(200, PAGE.encode("cp1252", "replace"), {"Content-Type": "text/html"})

    def b_latin1_header(self, headers: dict[str, str]) -> None:
        body = ACCENTED.encode("cp1252")  # no <meta charset>: only the header says
        self.respond(200, body, {"Content-Type": "text/html; charset=iso-8859-1"})

    def b_stale_meta(self, headers: dict[str, str]) -> None:
        body = ACCENTED.replace("<head>", '<head><meta charset="iso-8859-1">').encode()
        self.respond(200, body, {"Content-Type": "text/html"})

    def b_html_as_plain(self, headers: dict[str, str]) -> None:
        body = f"<!doctype html>\n{PAGE}".encode()
        self.respond(200, body, {"Content-Type": "text/plain; charset=utf-8"})

    def b_not_modified(self, headers: dict[str, str]) -> None:
        if headers.get("if-none-match") == '"v1"':
            self.request.sendall(b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n')
        else:
            self.html(PAGE.encode(), ETag='"v1"')


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: Counter[str] = Counter()
        self.gzip_bomb = _gzip_bomb()
        self.brotli_bomb = brotli.compress(b"\0" * BOMB_SIZE, quality=5)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def misbehaving_server() -> Iterator[Server]:
    """Run the server in a thread for the length of the block."""
    server = Server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
