"""Real HTTP(S) servers on loopback for the crawler tests: never the internet.

Each site runs its own ``ThreadingHTTPServer`` on its own loopback address (127.0.0.2, 127.0.0.3, ...:
Linux routes all of 127/8 to ``lo``), so sites are distinct hosts to a crawler's per-host politeness and
robots.txt logic. Where such an address cannot be bound (macOS binds only 127.0.0.1 by default) every
site falls back to 127.0.0.1 on its own port, and ``DISTINCT_HOSTS`` becomes False.

    with Sites() as sites:
        news = sites.site("news")
        news.add("/", Response(body="<p>مرحبا</p>"))
        news.add("/slow", Response(body="late", delay=2))
        news.add("/never", Response(hang=True))
        ... run the crawler against news.base ...
        assert sites.paths("news") == ["/robots.txt", "/"]

Import it from a test module of this package as ``from .server import Response, Sites, sites``
(``sites`` is a pytest fixture that yields a running ``Sites``).
"""

from __future__ import annotations

import atexit
import gzip as gzip_module
import html
import itertools
import json
import shutil
import socket
import socketserver
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

__all__ = [
    "DISTINCT_HOSTS",
    "Headers",
    "Hit",
    "Request",
    "Response",
    "Route",
    "Site",
    "Sites",
    "gzip_bomb",
    "http_date",
    "sites",
]

OPENSSL = "/usr/bin/openssl"
DISTINCT_HOSTS = True  # set to False when 127.0.0.x (x > 1) cannot be bound on this machine


class Headers(dict[str, str]):
    """Header names lower-cased, so that lookups ignore case; a repeated header is joined with ', '."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__()
        for name, value in items:
            key = name.lower()
            super().__setitem__(key, f"{super().__getitem__(key)}, {value}" if key in self else value)

    def __getitem__(self, name: str) -> str:
        return super().__getitem__(name.lower())

    def __setitem__(self, name: str, value: str) -> None:
        super().__setitem__(name.lower(), value)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and super().__contains__(name.lower())

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return super().get(name.lower(), default)


@dataclass(slots=True)
class Request:
    """What a callable route sees."""

    method: str
    path: str  # path plus query string, as the client sent it
    headers: Headers
    host: str  # the Host header
    body: bytes = b""
    site: str = ""

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query, keep_blank_values=True)


@dataclass(slots=True)
class Response:
    """A canned answer; see the field comments for the misbehaviours it can stage."""

    status: int = 200
    body: bytes | str = b""  # str is sent as UTF-8
    content_type: str | None = "text/html; charset=utf-8"  # None: no Content-Type header at all
    headers: list[tuple[str, str]] = field(default_factory=list)  # a Content-Length here is sent as is
    etag: str | None = None  # quoted if not already; enables If-None-Match -> 304
    last_modified: str | None = None  # an HTTP date; enables If-Modified-Since -> 304
    gzip: bool = False  # compress the body, Content-Encoding: gzip (whatever Accept-Encoding says)
    raw_gzip: bytes | None = None  # sent verbatim as the gzip-encoded body (a gzip bomb)
    delay: float = 0.0  # seconds before the status line
    hang: bool = False  # read the request, never answer, until the server stops
    redirect: str | None = None  # Location; status stays if 3xx, else 302
    stream: Iterable[bytes] | None = None  # body sent chunked (no Content-Length), may be endless; an
    # iterator is used up by the first request, so a route served twice should be a callable
    chunk_delay: float = 0.0  # seconds between streamed chunks

    @classmethod
    def redirect_to(cls, url: str, status: int = 301) -> Response:
        return cls(status=status, redirect=url, body=f'<a href="{html.escape(url)}">moved</a>')

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


Route = Response | Callable[[Request], Response]


@dataclass(slots=True)
class Hit:
    """One request as the server saw it; ``end``/``status`` stay None until the answer is fully written."""

    site: str
    host: str
    method: str
    path: str
    headers: dict[str, str]
    start: float  # time.monotonic() when the request line arrived
    end: float | None = None
    status: int | None = None
    conn: int = 0  # connection serial number, to tell keep-alive reuse from new connections

    @property
    def seconds(self) -> float | None:
        return None if self.end is None else self.end - self.start


def http_date(when: float | datetime) -> str:
    """An HTTP date (RFC 9110 IMF-fixdate) from a POSIX timestamp or an aware datetime."""
    dt = when if isinstance(when, datetime) else datetime.fromtimestamp(when, UTC)
    if dt.tzinfo is None:
        raise ValueError("need an aware datetime")
    return format_datetime(dt.astimezone(UTC), usegmt=True)


@cache
def gzip_bomb(size: int = 200 * 1024 * 1024) -> bytes:
    """A gzip member of ``size`` zero bytes (~1000x smaller), built in milliseconds.

    Deflate with a full flush after each 1 MiB block restarts from the same state, so every full block
    compresses to the same bytes: compress one and repeat it, then write the gzip trailer ourselves.
    """
    block = 1 << 20
    full, rest = divmod(size, block)
    zeros = bytes(block)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH) if full else b""
    tail = comp.compress(bytes(rest)) + comp.flush(zlib.Z_FULL_FLUSH) if rest else b""
    end = comp.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(full):
        crc = zlib.crc32(zeros, crc)  # fast enough (~0.1 s for 200 MiB), and exact
    crc = zlib.crc32(bytes(rest), crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + piece * full + tail + end + struct.pack("<II", crc, size & 0xFFFFFFFF)


_cert_dir: Path | None = None


def _certificate(ip: str) -> tuple[Path, Path]:
    """A self-signed certificate and key for ``ip`` (made once per process with openssl)."""
    global _cert_dir
    if _cert_dir is None:
        _cert_dir = Path(tempfile.mkdtemp(prefix="marsad-test-certs-"))
        atexit.register(shutil.rmtree, _cert_dir, True)
    cert, key = _cert_dir / f"{ip}.crt", _cert_dir / f"{ip}.key"
    if not cert.exists():
        subprocess.run(
            [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", f"/CN={ip}", "-addext", f"subjectAltName=IP:{ip}",
             "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True,
        )  # fmt: skip
    return cert, key


def _can_bind(ip: str) -> bool:
    try:
        with socket.socket() as probe:
            probe.bind((ip, 0))
        return True
    except OSError:
        return False


# Errors a vanished or rejecting client causes; they are normal here and must not print tracebacks.
_CLIENT_GONE = (ConnectionError, TimeoutError, ssl.SSLError, socket.timeout)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # Sites.close joins handler threads itself, with a deadline
    request_queue_size = 128  # a crawler opening many connections at once must not see SYN drops
    timeout = 0.05  # the serve loop wakes this often to notice a stop

    def __init__(self, site: Site, address: tuple[str, int], tls: ssl.SSLContext | None) -> None:
        self.site = site
        self.tls = tls
        self.conns: set[socket.socket] = set()
        self.threads: set[threading.Thread] = set()
        self.lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls getfqdn(), a reverse DNS lookup that can stall offline.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]  # type: ignore[assignment]

    def get_request(self) -> tuple[socket.socket, tuple[str, int]]:
        sock, addr = self.socket.accept()
        if self.tls is not None:
            # The handshake happens in the handler thread, so a silent client cannot stall accept().
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        with self.lock:
            self.conns.add(sock)
        return sock, addr

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        with self.lock:
            self.conns.discard(request)
        try:
            super().shutdown_request(request)
        except OSError:
            pass

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: object) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, _CLIENT_GONE) or self.site.sites.stopping.is_set():
            return
        self.site.sites.errors.append(traceback.format_exc())
        super().handle_error(request, client_address)  # a real bug in the fixture: keep it visible


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every answer is framed (Content-Length or chunked)
    disable_nagle_algorithm = True  # headers and body are two writes: Nagle + delayed ACK would add 40 ms
    server: _Server

    def setup(self) -> None:
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()  # fails here, silently, for a client that rejects the certificate
        with self.server.lock:
            self.server.threads.add(threading.current_thread())
        self.conn_id = next(self.server.site.sites.conn_ids)
        self.t0 = time.monotonic()
        super().setup()

    def handle(self) -> None:
        try:
            super().handle()
        except _CLIENT_GONE:
            self.close_connection = True
        except (OSError, ValueError):
            if not self.server.site.sites.stopping.is_set():  # sockets torn down by close() end up here
                raise

    def finish(self) -> None:
        try:
            super().finish()
        except (OSError, ValueError):
            pass
        finally:
            with self.server.lock:
                self.server.threads.discard(threading.current_thread())

    def log_message(self, format: str, *args: object) -> None:
        pass  # the request log is Sites.log; stderr stays clean

    def parse_request(self) -> bool:
        self.t0 = time.monotonic()  # the request line has just been read
        return super().parse_request()

    def _answer(self) -> None:
        site, sites = self.server.site, self.server.site.sites
        headers = Headers(self.headers.items())
        hit = Hit(site=site.name, host=headers.get("host") or "", method=self.command, path=self.path,
                  headers=headers, start=self.t0, conn=self.conn_id)  # fmt: skip
        sites.record(hit)
        length = int(headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(self.command, self.path, headers, hit.host, body, site.name)
        route = site.routes.get(self.path, site.fallback)
        if route is None:
            response = Response(status=404, body=f"<html><body><h1>404</h1><p>{self.path}</p></body></html>")
        elif isinstance(route, Response):
            response = route
        else:
            try:
                response = route(request)
            except Exception:
                sites.errors.append(traceback.format_exc())
                response = Response(status=500, body=traceback.format_exc(), content_type="text/plain")
        self._send(response, request, hit)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = _answer

    def _send(self, r: Response, request: Request, hit: Hit) -> None:
        stopping = self.server.site.sites.stopping
        if r.hang or (r.delay and stopping.wait(r.delay)):
            stopping.wait()
            self.close_connection = True
            return
        status, extra = r.status, list(r.headers)
        if r.redirect is not None:
            status = status if 300 <= status < 400 else 302
            extra.append(("Location", r.redirect))
        validators = [("ETag", _quote(r.etag))] if r.etag else []
        if r.last_modified:
            validators.append(("Last-Modified", r.last_modified))
        if 200 <= status < 300 and request.method in ("GET", "HEAD") and _not_modified(r, request.headers):
            self.send_response(304)
            for name, value in validators:
                self.send_header(name, value)
            self.end_headers()
            hit.status, hit.end = 304, time.monotonic()
            return
        payload = r.payload()
        if r.raw_gzip is not None:
            payload = r.raw_gzip
            extra.append(("Content-Encoding", "gzip"))
        elif r.gzip:
            payload = gzip_module.compress(payload, mtime=0)
            extra += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        given = {name.lower() for name, _ in extra}
        self.send_response(status)
        if r.content_type is not None and "content-type" not in given:
            self.send_header("Content-Type", r.content_type)
        for name, value in validators + extra:
            self.send_header(name, value)
        bodiless = status in (204, 304) or status < 200
        if "content-length" in given:
            self.close_connection = True  # the caller framed the body (maybe a lie): end the connection
        elif r.stream is not None and not bodiless:
            self.send_header("Transfer-Encoding", "chunked")
        elif not bodiless:
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        hit.status = status
        if request.method == "HEAD" or bodiless:
            pass
        elif r.stream is not None and "content-length" not in given:
            for chunk in r.stream:
                if stopping.is_set():
                    self.close_connection = True
                    return
                if chunk:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                if r.chunk_delay and stopping.wait(r.chunk_delay):
                    self.close_connection = True
                    return
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(payload)
        self.wfile.flush()
        hit.end = time.monotonic()


def _quote(etag: str) -> str:
    return etag if etag.startswith(('"', 'W/"')) else f'"{etag}"'


def _not_modified(r: Response, headers: Headers) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when present; If-Modified-Since only without it."""
    if r.etag and (inm := headers.get("if-none-match")):
        mine = _quote(r.etag).removeprefix("W/")
        return inm.strip() == "*" or any(tag.strip().removeprefix("W/") == mine for tag in inm.split(","))
    if r.last_modified and (ims := headers.get("if-modified-since")):
        try:
            return parsedate_to_datetime(r.last_modified) <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False  # an unparsable date is ignored, as the RFC says
    return False


class Site:
    """One web site: a server thread on its own loopback address and a table of routes."""

    def __init__(self, sites: Sites, name: str, ip: str, *, https: bool) -> None:
        self.sites, self.name, self.https = sites, name, https
        self.routes: dict[str, Route] = {}
        self.fallback: Route | None = None  # answers unknown paths instead of the 404 (e.g. a link trap)
        self.cafile: Path | None = None  # the self-signed certificate, for a client that should trust it
        tls = None
        if https:
            cert, key = _certificate(ip)
            tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            tls.load_cert_chain(cert, key)
            self.cafile = cert
        self.server = _Server(self, (ip, 0), tls)
        self.ip, self.port = ip, self.server.server_address[1]
        self.thread = threading.Thread(target=self._serve, name=f"site-{name}", daemon=True)
        self.thread.start()

    @property
    def host(self) -> str:
        return f"{self.ip}:{self.port}"

    @property
    def base(self) -> str:
        return f"{'https' if self.https else 'http'}://{self.host}"

    def url(self, path: str = "/") -> str:
        return self.base + path

    def add(self, path: str, response: Route) -> str:
        """Serves ``response`` at ``path`` (path plus query, matched exactly); returns the full URL."""
        if not path.startswith("/"):
            raise ValueError(f"a route is a path starting with '/', not {path!r}")
        self.routes[path] = response
        return self.url(path)

    def _serve(self) -> None:
        # Our own loop instead of serve_forever(): all sites notice one stop event within 50 ms, together.
        while not self.sites.stopping.is_set():
            self.server.handle_request()

    def __repr__(self) -> str:
        return f"Site({self.name!r}, {self.base})"


class Sites:
    """Runs sites; a context manager. ``log`` lists every request, in arrival order."""

    def __init__(self) -> None:
        self.log: list[Hit] = []
        self.errors: list[str] = []  # tracebacks of fixture bugs and of callable routes that raised
        self.stopping = threading.Event()
        self.conn_ids = itertools.count(1)
        self._sites: dict[str, Site] = {}
        self._lock = threading.Lock()
        self._next_ip = 2

    def site(self, name: str, *, https: bool = False) -> Site:
        """Starts a site on the next loopback address (or 127.0.0.1 where those cannot be bound)."""
        global DISTINCT_HOSTS
        if name in self._sites:
            raise ValueError(f"site {name!r} exists")
        if self.stopping.is_set():
            raise RuntimeError("these Sites are closed")
        ip = f"127.0.0.{self._next_ip}"
        if self._next_ip > 254:
            raise RuntimeError("at most 253 sites")
        if DISTINCT_HOSTS and not _can_bind(ip):
            DISTINCT_HOSTS = False
        self._next_ip += 1
        site = Site(self, name, ip if DISTINCT_HOSTS else "127.0.0.1", https=https)
        self._sites[name] = site
        return site

    def __getitem__(self, name: str) -> Site:
        return self._sites[name]

    def __iter__(self) -> Iterator[Site]:
        return iter(list(self._sites.values()))

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.log.append(hit)

    def hits(self, site: str | None = None, path: str | None = None) -> list[Hit]:
        """A snapshot of the log, optionally only one site's and/or one path's requests."""
        with self._lock:
            return [h for h in self.log if (site is None or h.site == site) and (path is None or h.path == path)]

    def paths(self, site: str) -> list[str]:
        return [h.path for h in self.hits(site)]

    def wait_for(self, count: int, *, site: str | None = None, path: str | None = None,
                 timeout: float = 10.0) -> list[Hit]:  # fmt: skip
        """Waits until at least ``count`` matching requests arrived; raises TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        while len(found := self.hits(site, path)) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(found)} of {count} requests (site={site}, path={path})")
            time.sleep(0.01)
        return found

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()

    def write_log(self, path: str | Path) -> None:
        """The log as JSON lines (one object per Hit, headers lower-cased)."""
        with open(path, "w", encoding="utf-8") as out:
            for hit in self.hits():
                out.write(json.dumps(asdict(hit) | {"headers": dict(hit.headers)}, ensure_ascii=False) + "\n")

    def close(self, timeout: float = 2.0) -> None:
        """Stops every site, releasing hanging and delayed handlers and idle keep-alive connections."""
        if self.stopping.is_set():
            return
        self.stopping.set()
        for site in self._sites.values():
            try:  # on Linux this wakes the serve loop's select() at once, instead of within 50 ms
                site.server.socket.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for site in self._sites.values():
            site.thread.join(timeout)
        for site in self._sites.values():
            with site.server.lock:
                conns = list(site.server.conns)
            for conn in conns:
                try:  # the plain socket's shutdown, under TLS too, so that a blocked read returns
                    socket.socket.shutdown(conn, socket.SHUT_RDWR)
                except OSError:
                    pass
        deadline = time.monotonic() + timeout
        for site in self._sites.values():
            with site.server.lock:
                threads = list(site.server.threads)
            for thread in threads:
                thread.join(max(0.0, deadline - time.monotonic()))
            site.server.server_close()

    def __enter__(self) -> Sites:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@pytest.fixture
def sites() -> Iterator[Sites]:
    """Running sites for one test, all stopped at its end; a route or the server that failed fails it."""
    with Sites() as running:
        yield running
        assert not running.errors, running.errors
