"""One URL fetched safely: every HTTP exchange kept for the WARC, every failure named.

httpx does the HTTP. What is added here is what a crawler owes the sites it visits and the user who
runs it: a user agent that names marsad and its operator; timeouts on connect, on each read and on the
whole exchange; retries with a doubling backoff for 429, 503 and failed connections that honour
``Retry-After``; redirects followed one hop at a time (each hop checked against robots.txt and written
to the WARC) with loops caught; bodies capped, compressed ones by what they decompress to (a gzip bomb
is refused, not inflated); and no connection to a private, loopback or link-local address unless the
user allows it (checked on the address actually connected to, so a public name that resolves to
127.0.0.1 is refused too).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import FetchError
from ..steps.warc import Undecodable, inflate

#: the name robots.txt rules are matched against
ROBOTS_AGENT = "marsad"
_VERSION = "0.1.0"
_REDIRECTS = (301, 302, 303, 307, 308)
_RETRY_STATUS = (429, 503)


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchOptions:
    """How a crawl fetches."""

    #: a URL or e-mail address where site owners can reach whoever runs the crawl
    contact: str | None = None
    connect_timeout: float = 10.0
    #: between two reads of a response; and the whole exchange may take at most ``total_timeout``
    read_timeout: float = 30.0
    total_timeout: float = 90.0
    #: the largest body taken, raw and decompressed (a news sitemap may be 50 MB, a page is far less)
    max_bytes: int = 15 * 1024 * 1024
    max_redirects: int = 5
    #: attempts after the first for 429, 503 and failed connections
    retries: int = 3
    #: the first wait between attempts (then doubled), and the longest wait honoured, Retry-After included
    backoff: float = 1.0
    max_wait: float = 120.0
    allow_private: bool = False
    #: check TLS certificates (or: the SSL context to check them with)
    verify: bool | ssl.SSLContext = True

    @property
    def user_agent(self) -> str:
        contact = f"; +{self.contact}" if self.contact else ""
        return f"Mozilla/5.0 (compatible; {ROBOTS_AGENT}/{_VERSION}{contact})"


@dataclass(slots=True)
class Exchange:
    """One HTTP request and the response to it, as they go into the WARC."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    started: datetime
    status: int
    reason: str
    http_version: str
    response_headers: list[tuple[str, str]]
    #: the body as it came (still content-encoded; chunking undone by the HTTP library)
    body: bytes
    ip: str | None = None
    #: cut at the size limit
    truncated: bool = False


@dataclass(slots=True)
class Fetched:
    """What fetching one URL gave: the final response (after redirects), or the error."""

    url: str
    final_url: str
    status: int | None = None
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    #: the body decoded from its content encoding
    content: bytes = b""
    exchanges: list[Exchange] = field(default_factory=list)
    error: FetchError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class PrivateAddress(OSError):
    """A connection that would reach a private, loopback or otherwise non-public address."""


def is_public(ip: str) -> bool:
    """An address on the public internet: not private, loopback, link-local, reserved or multicast,
    nor one of those inside an IPv6 address (IPv4-mapped, 6to4, Teredo, NAT64)."""
    address = ipaddress.ip_address(ip.split("%")[0])
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if inner is None and address in _NAT64:
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None and not is_public(str(inner)):
            return False
        if address in _IPV4_COMPATIBLE:
            return False
    return address.is_global and not address.is_multicast


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


class _GuardedBackend:  # an httpcore.AsyncNetworkBackend, built lazily (httpcore is imported late)
    """httpcore's network backend, resolving names itself so that it connects only to public
    addresses (a check on the URL alone would miss names that resolve to 127.0.0.1)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                          socket_options: Any = None) -> Any:
        loop = asyncio.get_running_loop()
        try:
            infos = await asyncio.wait_for(loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout)
        except socket.gaierror as exc:
            raise httpx.ConnectError(f"cannot resolve {host}: {exc.strerror}") from exc
        addresses = [str(info[4][0]) for info in infos]
        public = [a for a in addresses if is_public(a)]
        if not public:
            raise PrivateAddress(f"{host} resolves to a non-public address ({addresses[0]})")
        return await self.inner.connect_tcp(public[0], port, timeout=timeout, local_address=local_address,
                                            socket_options=socket_options)

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> Any:  # pragma: no cover - never used
        raise PrivateAddress("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def make_client(options: FetchOptions, *, connections: int = 100) -> httpx.AsyncClient:
    """The crawl's HTTP client: one pool for every host, redirects left to :class:`Fetcher`."""
    import httpcore

    transport = httpx.AsyncHTTPTransport(verify=options.verify, retries=0,
                                         limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections))
    if not options.allow_private:
        # httpx has no option for a resolver; its transport's pool is replaced by the same pool with
        # a guarded backend (the attribute has held the pool since httpx 0.18)
        old = transport._pool
        if not isinstance(old, httpcore.AsyncConnectionPool):  # pragma: no cover - a proxy from the environment
            raise FetchError("cannot guard against private addresses behind a proxy", reason="config")
        transport._pool = httpcore.AsyncConnectionPool(
            ssl_context=old._ssl_context, max_connections=connections, max_keepalive_connections=connections,
            network_backend=_GuardedBackend(httpcore.AnyIOBackend()),  # type: ignore[arg-type]
        )
    timeout = httpx.Timeout(connect=options.connect_timeout, read=options.read_timeout, write=options.read_timeout,
                            pool=options.total_timeout)
    return httpx.AsyncClient(transport=transport, timeout=timeout, follow_redirects=False, trust_env=False,
                             headers={"User-Agent": options.user_agent, "Accept-Encoding": "gzip, deflate",
                                      "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})


#: ``await gate(url)`` before each request: waits for the host's turn (politeness); its result is
#: awaited again (``release``) when the request is done
Gate = Callable[[str], Awaitable[Callable[[float | None], None]]]
#: ``await check(url)`` before each request: raises FetchError when the URL is not to be fetched
Check = Callable[[str], Awaitable[None]]


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def decode_body(body: bytes, encoding: str | None, limit: int, url: str) -> bytes:
    """The body decoded from its ``Content-Encoding`` (codings listed in the order applied), refused
    past ``limit`` bytes decoded (the WARC reader's bounded inflater, :func:`marsad.steps.warc.inflate`)."""
    codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
    for coding in reversed(codings):
        if coding in ("identity", "none"):
            continue
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise FetchError(f"{url}: content encoding {coding!r} is not supported", reason="unsupported_encoding")
        try:
            body, _ = inflate(body, coding, limit)
        except Undecodable as exc:
            raise FetchError(f"{url}: {exc}", reason="too_large" if exc.reason == "too_large" else "corrupt_body") from exc
    return body


def classify(exc: BaseException, url: str) -> FetchError:
    """A one-line, reasoned error for what went wrong on the wire."""
    if isinstance(exc, FetchError):
        return exc
    if isinstance(exc, PrivateAddress):
        return FetchError(f"{url}: refused: {exc} (use --allow-private to allow it)", reason="private_address")
    if isinstance(exc, (httpx.TimeoutException, TimeoutError, asyncio.TimeoutError)):
        return FetchError(f"{url}: timed out ({type(exc).__name__})", reason="timeout")
    text = str(exc) or type(exc).__name__
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in text:
        return FetchError(f"{url}: bad TLS certificate: {text}", reason="bad_certificate")
    if isinstance(cause, ssl.SSLError) or "SSL" in text:
        return FetchError(f"{url}: TLS failed: {text}", reason="tls_error")
    if "cannot resolve" in text:
        return FetchError(f"{url}: {text}", reason="dns_error")
    if isinstance(exc, (httpx.TransportError, OSError)):
        return FetchError(f"{url}: connection failed: {text}", reason="connection_error")
    return FetchError(f"{url}: {type(exc).__name__}: {text}", reason="fetch_failed")


def _retryable(error: FetchError) -> bool:
    return error.reason in ("connection_error",)


async def _no_gate(url: str) -> Callable[[float | None], None]:
    return lambda wait: None


async def _no_check(url: str) -> None:
    return None


class Fetcher:
    """Fetches URLs with ``client``; ``gate`` paces the requests per host, ``check`` vets each URL
    (robots.txt) before it is asked for, redirects included."""

    def __init__(self, client: httpx.AsyncClient, options: FetchOptions, *, gate: Gate = _no_gate,
                 check: Check = _no_check) -> None:
        self.client = client
        self.options = options
        self.gate = gate
        self.check = check

    async def fetch(self, url: str, *, headers: dict[str, str] | None = None, limit: int | None = None) -> Fetched:
        """Fetch ``url``, following redirects; never raises for what the server or network does."""
        result = Fetched(url=url, final_url=url)
        limit = limit or self.options.max_bytes
        seen = {url}
        current = url
        for hop in range(self.options.max_redirects + 1):
            try:
                try:
                    if urlsplit(current).port == 0:
                        raise ValueError("port 0")
                except ValueError as exc:
                    raise FetchError(f"{current}: malformed address ({exc})", reason="bad_url") from exc
                if urlsplit(current).scheme not in ("http", "https"):
                    raise FetchError(f"{current}: not an http(s) URL", reason="bad_url")
                await self.check(current)
                exchange = await self._attempts(current, headers if hop == 0 else None, limit, result)
            except Exception as exc:  # noqa: BLE001 - every failure becomes a reasoned FetchError
                result.error = classify(exc, current)
                return result
            result.final_url = current
            result.status = exchange.status
            result.headers = httpx.Headers(exchange.response_headers)
            location = result.headers.get("location")
            if exchange.status in _REDIRECTS and location:
                try:
                    target = urljoin(current, location.strip())
                    urlsplit(target).port  # noqa: B018 - a malformed address raises here, not later
                except ValueError:
                    result.error = FetchError(f"{current}: redirect to a malformed address {location!r}", reason="bad_url")
                    return result
                if target in seen:
                    result.error = FetchError(f"{url}: redirect loop at {target}", reason="redirect_loop")
                    return result
                seen.add(target)
                current = target
                continue
            if exchange.truncated:
                result.error = FetchError(f"{current}: body larger than {limit} bytes", reason="too_large")
                return result
            if exchange.status == 304:
                return result
            try:
                result.content = decode_body(exchange.body, result.headers.get("content-encoding"), limit, current)
            except FetchError as exc:
                result.error = exc
            return result
        result.error = FetchError(f"{url}: more than {self.options.max_redirects} redirects", reason="too_many_redirects")
        return result

    async def _attempts(self, url: str, headers: dict[str, str] | None, limit: int, result: Fetched) -> Exchange:
        """One request, again after 429, 503 or a failed connection, waiting as the server asks. The
        host's turn is given back whatever happens (a cancelled crawl included), with the rest the
        server asked for: the host's next request waits for it."""
        options = self.options
        for attempt in range(options.retries + 1):
            release = await self.gate(url)
            rest: float | None = None
            try:
                try:
                    exchange = await asyncio.wait_for(self._request(url, headers, limit), options.total_timeout)
                except Exception as exc:  # noqa: BLE001 - classified, retried or raised as FetchError
                    error = classify(exc, url)
                    if attempt >= options.retries or not _retryable(error):
                        raise error from exc
                    rest = options.backoff * 2**attempt
                    continue
                result.exchanges.append(exchange)
                if exchange.status not in _RETRY_STATUS:
                    return exchange
                asked = retry_after(dict((k.lower(), v) for k, v in exchange.response_headers).get("retry-after"))
                rest = asked if asked is not None else options.backoff * 2**attempt
                if attempt >= options.retries or rest > options.max_wait:
                    return exchange
            finally:
                release(rest)  # the host's next turn, this one's retry included, waits for ``rest``
        raise AssertionError("unreachable")  # pragma: no cover

    async def _request(self, url: str, headers: dict[str, str] | None, limit: int) -> Exchange:
        started = datetime.now(UTC)
        request = self.client.build_request("GET", url, headers=headers)
        response = await self.client.send(request, stream=True)
        try:
            ip = None  # WARC-IP-Address is left out: asking the stream for it cost a tenth of a page's time
            body = bytearray()
            truncated = False
            async for chunk in response.aiter_raw():
                body += chunk
                if len(body) > limit:
                    truncated = True
                    del body[limit:]
                    break
        finally:
            await response.aclose()
        return Exchange(
            url=url, method="GET", started=started,
            request_headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw],
            status=response.status_code, reason=response.reason_phrase, http_version=response.http_version,
            response_headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw],
            body=bytes(body), ip=ip, truncated=truncated,
        )
