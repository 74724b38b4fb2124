"""Politeness per host: one request at a time, the delay between two, and robots.txt.

A host is ``host:port``. Between two of its requests: the crawl's delay (1 s unless told), or
robots.txt's ``Crawl-delay`` (or ``Request-rate``) when that is longer, or what a 429 or 503 asked for.
A host that asks for more than a crawl waits (``max_wait``) is left for a later crawl. Robots.txt is
read (with Protego) before a host's first request (or taken from the archive, where a crawl less than
a day ago kept it), and every URL, redirects included, is checked against it; a robots.txt that cannot be had for a server error or a failed connection forbids the host
for this crawl, as RFC 9309 says; one that is missing (4xx) allows everything.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..archive.crawl_state import host_of
from ..errors import FetchError
from .fetch import ROBOTS_AGENT, Fetched, Fetcher

if TYPE_CHECKING:
    from ..archive.crawl_state import CrawlState
    from .crawler import CrawlOptions

log = logging.getLogger(__name__)

#: failures of robots.txt that are the host's, reported as they are (not as robots.txt being unavailable)
_HOST_FAULTS = ("private_address", "bad_certificate", "tls_error", "dns_error", "bad_url")


class Host:
    """One host's turn-taking and robots.txt."""

    __slots__ = ("name", "lock", "next_at", "delay", "robots", "robots_lock", "denied", "deferred", "failures")

    def __init__(self, name: str, delay: float) -> None:
        self.name = name
        self.lock = asyncio.Lock()
        self.robots_lock = asyncio.Lock()
        self.next_at = 0.0
        self.delay = delay
        self.robots: object | None = None
        #: why the whole host is off limits for this crawl (robots.txt unreachable), if it is: (reason, message)
        self.denied: tuple[str, str] | None = None
        #: why the rest of the host's URLs are left for a later crawl (it asked to wait longer than a
        #: crawl waits, or stopped answering)
        self.deferred: str | None = None
        #: timeouts and failed connections in a row
        self.failures = 0

    def defer(self, why: str) -> None:
        """Leave the rest of the host's URLs for a later crawl (said once)."""
        if not self.deferred:
            self.deferred = f"{self.name} {why}: the rest is left for a later crawl"
            log.warning("%s", self.deferred)


class Politeness:
    """The hosts of one crawl: their turns and their robots.txt. ``keep`` writes a robots.txt fetch to
    the WARC; ``client`` is the crawl's HTTP client (set when the crawl starts)."""

    def __init__(self, options: CrawlOptions, *, keep: Callable[[Fetched], None], cache: CrawlState | None = None) -> None:
        self.options = options
        self.keep = keep
        #: where robots.txt read by earlier crawls is kept (for a day)
        self.cache = cache
        self.client: Any = None
        self.hosts: dict[str, Host] = {}
        #: requests made, retries and robots.txt included
        self.requests = 0

    def host(self, url: str) -> Host:
        netloc = host_of(url)
        found = self.hosts.get(netloc)
        if found is None:
            found = self.hosts[netloc] = Host(netloc, self.options.delay)
        return found

    async def gate(self, url: str) -> Callable[[float | None], None]:
        """Wait for the host's turn; the function returned gives it back, with how long the server
        asked to be left alone (a host that asks for longer than a crawl waits is left for the next)."""
        host = self.host(url)
        if host.deferred:
            raise FetchError(f"{url}: {host.deferred}", reason="deferred")
        await host.lock.acquire()
        loop = asyncio.get_running_loop()
        wait = host.next_at - loop.time()
        if wait > self.options.fetch.max_wait:  # a crawl does not wait this long for one host
            host.defer(f"asks to be left alone {wait:.0f}s")
            host.lock.release()
            raise FetchError(f"{url}: {host.deferred}", reason="deferred")
        if wait > 0:
            try:
                await asyncio.sleep(wait)
            except BaseException:
                host.lock.release()
                raise
        self.requests += 1

        def release(rest: float | None) -> None:
            pause = max(host.delay, rest or 0.0)
            host.next_at = loop.time() + pause
            if pause > self.options.fetch.max_wait:
                host.defer(f"asks to be left alone {pause:.0f}s")
            host.lock.release()
        return release

    async def check(self, url: str) -> None:
        """Raise :class:`FetchError` if robots.txt keeps marsad from ``url``."""
        host = self.host(url)
        if host.robots is None and host.denied is None:
            async with host.robots_lock:
                if host.robots is None and host.denied is None:
                    await self._read_robots(url, host)
        if host.denied is not None:
            raise FetchError(f"{url}: {host.denied[1]}", reason=host.denied[0])
        if not host.robots.can_fetch(url, ROBOTS_AGENT):  # type: ignore[attr-defined]
            raise FetchError(f"{url}: disallowed by robots.txt", reason="robots_disallowed")

    async def _read_robots(self, url: str, host: Host) -> None:
        from protego import Protego

        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        cached = self.cache.robots(origin) if self.cache is not None else None
        if cached is not None:  # read by a crawl less than a day ago (RFC 9309 allows 24 hours)
            self._apply(host, Protego.parse(cached))
            return
        fetcher = Fetcher(self.client, self.options.fetch, gate=self.gate)
        fetched = await fetcher.fetch(origin + "/robots.txt", limit=512 * 1024)
        self.keep(fetched)
        text = ""
        if fetched.error is not None or fetched.status is None:
            reason = fetched.error.reason if fetched.error else "fetch_failed"
            if reason in _HOST_FAULTS:  # the host itself cannot be reached as it should: that is the error
                host.denied = (reason, str(fetched.error).split(": ", 1)[-1])
            else:
                host.denied = ("robots_unavailable", f"robots.txt could not be read ({reason}): the host is left"
                                                     " alone this time")
            host.robots = Protego.parse("")
            return
        if fetched.status >= 500:
            host.denied = ("robots_unavailable", f"robots.txt answered {fetched.status}: the host is left alone this time")
            host.robots = Protego.parse("")
            return
        if 200 <= fetched.status < 300:
            text = fetched.content.decode("utf-8", "replace")
        if self.cache is not None:
            self.cache.keep_robots(origin, text)
        self._apply(host, Protego.parse(text))  # a 4xx robots.txt means no rules (RFC 9309)

    def _apply(self, host: Host, robots: Any) -> None:
        host.robots = robots
        delay = robots.crawl_delay(ROBOTS_AGENT)
        rate = robots.request_rate(ROBOTS_AGENT)
        if rate is not None and rate.requests:
            delay = max(delay or 0.0, rate.seconds / rate.requests)
        if delay:
            host.delay = max(host.delay, float(delay))
            if host.delay <= self.options.fetch.max_wait:  # the turn given back after robots.txt had the old delay
                host.next_at = max(host.next_at, asyncio.get_running_loop().time() + host.delay)

    def robots_sitemaps(self, url: str) -> list[str]:
        robots = self.host(url).robots
        if robots is None:
            return []
        return list(robots.sitemaps)  # type: ignore[attr-defined]
