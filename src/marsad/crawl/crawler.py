"""A crawl: the listings of each source read, then their new article URLs fetched politely into WARC.

Many hosts are fetched at once, up to the crawl's concurrency, each one request at a time with its
delay and its robots.txt (:mod:`marsad.crawl.politeness`); each host's newest URLs first.

Every response goes to the WARC before the frontier notes it, so a crawl killed at any moment loses
nothing that was fetched: on restart the WARC tells what was (see :mod:`marsad.crawl.warcs`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from ..archive.crawl_state import CrawlState, Listing, Source, now_iso
from ..errors import ArchiveError, FetchError, InputError
from ..text.urls import canonical_url
from .fetch import Fetched, Fetcher, FetchOptions, decode_body, make_client
from .listings import FEED_PATHS, SITEMAP_PATHS, Entry, page_links, parse_feed, parse_sitemap, site_name, sniff
from .politeness import Politeness
from .warcs import WarcSink

log = logging.getLogger(__name__)

#: a sitemap may hold 50,000 URLs and weigh 50 MB uncompressed (sitemaps.org)
SITEMAP_BYTES = 50 * 1024 * 1024
#: how deep sitemap indexes are followed, and how many sitemaps one source reads per crawl
SITEMAP_DEPTH = 3
MAX_SITEMAPS = 500
#: URLs taken from the frontier at a time, per host
BATCH = 50
#: the frontier notes fetches at least this often (what it has not noted, the WARC has)
NOTE_EVERY = 1.0
_HTML = ("text/html", "application/xhtml+xml")
#: what leaves a URL queued for a later crawl, not failed: its host is off limits for this one
_LEFT_FOR_LATER = ("robots_unavailable", "deferred")
#: timeouts or failed connections in a row after which a host is left for a later crawl
HOST_FAILURES = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class CrawlOptions:
    """What a crawl is told."""

    warc_dir: Path
    max_pages: int | None = None
    #: listing entries dated before this are not fetched
    since: datetime | None = None
    delay: float = 1.0
    concurrency: int = 16
    fetch: FetchOptions = FetchOptions()
    #: try the usual feed and sitemap paths of a site that declares none
    probe: bool = True


@dataclass(slots=True)
class SourceReport:
    """One source's crawl."""

    name: str
    listings: int = 0
    not_modified: int = 0
    new: int = 0
    updated: int = 0
    known: int = 0
    pages: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True)
class CrawlReport:
    """What a crawl fetched, found and could not do."""

    sources: dict[int, SourceReport] = field(default_factory=dict)
    requests: int = 0
    pages: int = 0
    bytes: int = 0
    seconds: float = 0.0
    warcs: list[Path] = field(default_factory=list)
    recovered: int = 0
    stopped: bool = False

    def total(self, attr: str) -> int:
        return sum(getattr(s, attr) for s in self.sources.values())

    def counter(self, attr: str) -> Counter[str]:
        out: Counter[str] = Counter()
        for s in self.sources.values():
            out.update(getattr(s, attr))
        return out

    def summary(self) -> list[str]:
        rate = self.pages / self.seconds if self.seconds > 0 else 0.0
        lines = [f"crawled {len(self.sources)} sources: {self.total('listings')} listings read"
                 f" ({self.total('not_modified')} not modified), {self.total('new')} new article URLs"
                 f" ({self.total('updated')} updated, {self.total('known')} already known);"
                 f" {self.pages} pages fetched in {self.seconds:.1f}s ({rate:.1f}/s), {self.requests} requests,"
                 f" {self.bytes / 1e6:.1f} MB"]
        if not self.pages and not self.total("new") and not self.total("updated"):
            lines.append("nothing new")
        errors = self.counter("errors")
        lines.append(f"errors: {sum(errors.values())}" + (" (" + ", ".join(f"{r}: {n}" for r, n in errors.most_common()) + ")"
                                                         if errors else ""))
        skipped = self.counter("skipped")
        if skipped:
            lines.append("skipped: " + ", ".join(f"{r}: {n}" for r, n in skipped.most_common()))
        if self.recovered:
            lines.append(f"recovered {self.recovered} fetches from the WARC of a crawl that was stopped")
        for source in self.sources.values():
            bad = f", errors {dict(source.errors)}" if source.errors else ""
            lines.append(f"  {source.name}: {source.listings} listings ({source.not_modified} not modified),"
                         f" {source.new} new, {source.pages} pages{bad}")
        for path in self.warcs:
            lines.append(f"WARC: {path}")
        if self.stopped:
            lines.append("stopped before the end: the rest is fetched next time")
        return lines


def status_reason(status: int) -> str:
    if status == 404:
        return "http_404"
    if status == 429:
        return "rate_limited"
    if status == 503:
        return "unavailable"
    if status >= 500:
        return "http_5xx"
    return "http_4xx" if status >= 400 else f"http_{status}"


class Crawler:
    """Crawls sources of one archive into WARC; see :func:`marsad.crawl.crawl`."""

    def __init__(self, state: CrawlState, options: CrawlOptions, sink: WarcSink) -> None:
        self.state = state
        self.options = options
        self.sink = sink
        self.report = CrawlReport()
        self.polite = Politeness(options, keep=lambda fetched: self._keep(fetched, role="robots"), cache=state)
        self.stop_event = asyncio.Event()
        self._notes: list[tuple[str, str, int | None, str | None]] = []
        self._errors: list[tuple[int | None, str, str, str]] = []
        self._noted_at = time.monotonic()
        self.started = now_iso()
        #: redirect targets fetched in this crawl (a batch taken before may hold them)
        self.done_here: set[str] = set()

    # ------------------------------------------------------------------ bookkeeping

    def _keep(self, fetched: Fetched, *, role: str, source: Source | None = None, hint: datetime | None = None) -> None:
        """Write a fetch's exchanges to the WARC."""
        for exchange in fetched.exchanges:
            self.report.bytes += len(exchange.body)
            self.sink.write(exchange, role=role, source=source.name if source else None, hint=hint,
                            requested=fetched.url)

    def _error(self, source: Source | None, url: str, error: FetchError | InputError) -> None:
        if source is not None:
            self._source_report(source).errors[error.reason] += 1
        self._errors.append((source.id if source else None, url, error.reason, str(error)))
        log.warning("%s", error)

    def _source_report(self, source: Source) -> SourceReport:
        found = self.report.sources.get(source.id)
        if found is None:
            found = self.report.sources[source.id] = SourceReport(source.name)
        return found

    def _note(self, key: str, state: str, status: int | None, reason: str | None) -> None:
        self._notes.append((key, state, status, reason))
        if time.monotonic() - self._noted_at >= NOTE_EVERY:
            self.flush()

    def flush(self) -> None:
        """Write what the crawl has noted to the archive."""
        if self._notes:
            self.state.record_fetches(self._notes)
            self._notes = []
        if self._errors:
            self.state.add_errors(self._errors)
            self._errors = []
        self._noted_at = time.monotonic()

    # ------------------------------------------------------------------ listings

    async def discover(self, source: Source) -> str | None:
        """Find what a source lists: the feed or sitemap it is, or a site's feeds, sitemaps and home page;
        the name it gives itself (``og:site_name``, a feed's title), if it gives one."""
        report = self._source_report(source)
        fetched = await self.fetcher.fetch(source.url, limit=SITEMAP_BYTES)
        kind = "seed"
        content = fetched.content
        if fetched.ok:
            content, kind = self._unpack(content, fetched)
        self._keep(fetched, role={"rss": "feed", "atom": "feed"}.get(kind, "sitemap" if "sitemap" in kind else "seed"),
                   source=source)
        if fetched.error is not None:
            self._error(source, source.url, fetched.error)
            return None
        if not fetched.ok:
            self._error(source, source.url, FetchError(f"{source.url}: HTTP {fetched.status}",
                                                       reason=status_reason(fetched.status or 0)))
            return None
        name = site_name(content)
        if kind in ("rss", "atom") or "sitemap" in kind:
            listing_kind = "feed" if kind in ("rss", "atom") else "sitemap"
            self.state.add_source(source.url, name=source.name, kind=listing_kind, kept=source.kept)
            listing = self.state.add_listing(source.url, source.id, listing_kind)
            report.listings += 1
            await self._take_listing(listing, source, fetched, 0)
            return name
        if kind != "html":
            self._error(source, source.url, InputError(f"{source.url}: neither a page, a feed nor a sitemap ({kind})",
                                                       reason="unknown_listing"))
            return None
        page = self.state.add_listing(source.url, source.id, "page")
        report.listings += 1
        await self._take_listing(page, source, fetched, 0)  # its links to articles
        feeds, _ = page_links(content.decode("utf-8", "replace"), fetched.final_url)
        sitemaps = self.polite.robots_sitemaps(source.url)
        parts = urlsplit(source.url)
        base = f"{parts.scheme}://{parts.netloc}"
        if not feeds and self.options.probe:
            feeds = [found for found in [await self._probe(base + path, ("rss", "atom"), source) for path in FEED_PATHS[:4]]
                     if found][:1]
        if not sitemaps and self.options.probe:
            for path in SITEMAP_PATHS:
                found = await self._probe(base + path, ("sitemap", "sitemapindex"), source)
                if found:
                    sitemaps.append(found)
        for url in feeds:
            self.state.add_listing(url, source.id, "feed")
        for url in sitemaps:
            self.state.add_listing(url, source.id, "sitemap")
        log.info("%s: %d feeds, %d sitemaps", source.url, len(feeds), len(sitemaps))
        return name

    async def _probe(self, url: str, kinds: tuple[str, ...], source: Source) -> str | None:
        fetched = await self.fetcher.fetch(url, limit=SITEMAP_BYTES)
        kind = self._unpack(fetched.content, fetched)[1] if fetched.ok else ""
        self._keep(fetched, role="feed" if kind in ("rss", "atom") else "sitemap", source=source)
        return fetched.final_url if kind in kinds else None

    def _unpack(self, content: bytes, fetched: Fetched) -> tuple[bytes, str]:
        """A listing's bytes (a gzipped sitemap unpacked, bounded) and what they are."""
        kind = sniff(content, fetched.content_type)
        if kind == "gzip":
            try:
                content = decode_body(content, "gzip", SITEMAP_BYTES, fetched.final_url)
            except FetchError as exc:
                return (b"", "too_large") if exc.reason == "too_large" else (content, "unknown")
            kind = sniff(content, "")
        return content, kind

    async def read_listing(self, listing: Listing, source: Source, depth: int = 0) -> None:
        """Fetch a feed, sitemap or seed page (conditionally) and put its article URLs in the frontier."""
        report = self._source_report(source)
        if report.listings >= MAX_SITEMAPS:
            report.skipped["too_many_sitemaps"] += 1
            return
        headers = {}
        if listing.etag:
            headers["If-None-Match"] = listing.etag
        if listing.last_modified:
            headers["If-Modified-Since"] = listing.last_modified
        fetched = await self.fetcher.fetch(listing.url, headers=headers, limit=SITEMAP_BYTES)
        report.listings += 1
        role = {"feed": "feed", "sitemap": "sitemap", "subsitemap": "sitemap"}.get(listing.kind, "seed")
        self._keep(fetched, role=role, source=source)
        await self._take_listing(listing, source, fetched, depth)

    async def _take_listing(self, listing: Listing, source: Source, fetched: Fetched, depth: int) -> None:
        """Put what a fetched listing gives in the frontier (and read the sitemaps an index lists)."""
        report = self._source_report(source)
        if fetched.error is not None and fetched.error.reason in _LEFT_FOR_LATER:
            report.skipped[fetched.error.reason] += 1
            return
        if fetched.error is not None:
            self._error(source, listing.url, fetched.error)
            self.state.listing_fetched(listing.url, status=fetched.status, error=fetched.error.reason, keep_validators=True)
            return
        if fetched.status == 304:
            report.not_modified += 1
            self.state.listing_fetched(listing.url, status=304, keep_validators=True)
            await self._read_children(listing, source, depth, {})  # an index unchanged: its sitemaps may not be
            return
        if not fetched.ok:
            error = FetchError(f"{listing.url}: HTTP {fetched.status}", reason=status_reason(fetched.status or 0))
            self._error(source, listing.url, error)
            self.state.listing_fetched(listing.url, status=fetched.status, error=error.reason, keep_validators=True)
            return
        content, kind = self._unpack(fetched.content, fetched)
        entries: Iterable[Entry] = ()
        children: list[Entry] | None = None
        try:
            if listing.kind == "page" or kind == "html":
                _, links = page_links(content.decode("utf-8", "replace"), fetched.final_url)
                entries = [Entry(link) for link in links]
            elif kind in ("rss", "atom") or listing.kind == "feed":
                entries, warning = parse_feed(content, fetched.final_url, fetched.headers.get("content-type", ""))
                if warning:
                    report.skipped["broken_feed_read"] += 1
                    log.warning("%s", warning)
            else:
                found, items = parse_sitemap(content, fetched.final_url)
                if found == "sitemapindex":
                    children = list(items)
                else:
                    entries = items  # a stream: a sitemap of 50,000 URLs is never a list
        except InputError as exc:
            if listing.kind == "feed" and exc.reason == "invalid_sitemap":
                exc = InputError(str(exc), reason="malformed_feed")
            self._error(source, listing.url, exc)
            self.state.listing_fetched(listing.url, status=fetched.status, error=exc.reason, keep_validators=True)
            return
        since = self.options.since
        seen = 0
        broken: list[InputError] = []

        def wanted() -> Iterator[tuple[str, datetime | None, datetime | None]]:
            nonlocal seen
            try:
                for entry in entries:
                    seen += 1
                    if since is None or entry.published is None or entry.published >= since:
                        yield entry.url, entry.published, entry.updated
            except InputError as exc:  # a sitemap broken part way: what came before it is kept
                broken.append(exc)

        counts = self.state.add_urls(source.id, wanted())
        report.new += counts["new"]
        report.updated += counts["updated"]
        report.known += counts["known"]
        if broken:
            self._error(source, listing.url, broken[0])
            self.state.listing_fetched(listing.url, status=fetched.status, error=broken[0].reason, keep_validators=True)
            return
        dates: dict[str, datetime | None] = {}
        if children is not None:
            children = children[:MAX_SITEMAPS]
            dates = {c.url: c.updated or c.published for c in children}
            self.state.set_children(listing.url, source.id, list(dates))
        self.state.listing_fetched(listing.url, status=fetched.status, etag=fetched.headers.get("etag"),
                                   last_modified=fetched.headers.get("last-modified"),
                                   entries=seen + len(children or ()))
        await self._read_children(listing, source, depth, dates)

    async def _read_children(self, index: Listing, source: Source, depth: int, dates: dict[str, datetime | None]) -> None:
        """Read the sitemaps a sitemap index lists (as just read, or as known when it answered 304):
        the newest first, each conditionally, and not those it dates before their last reading."""
        report = self._source_report(source)
        known = self.state.children(index.url)
        if not known or depth >= SITEMAP_DEPTH:
            return

        def newest(child: Listing) -> tuple[bool, float]:
            when = dates.get(child.url)
            return when is None, -(when.timestamp() if when else 0.0)

        for child in sorted(known, key=newest):
            when = dates.get(child.url)
            if self.options.since is not None and when is not None and when < self.options.since:
                continue
            if when is not None and child.ok is not None and when.isoformat() <= child.ok:
                report.not_modified += 1  # the index dates it before it was last read whole
                continue
            if self.stop_event.is_set():
                return
            await self.read_listing(child, source, depth + 1)

    async def read_source(self, source: Source) -> None:
        read: set[str] = set()
        if not self.state.listings(source.id):
            await self.discover(source)
            read.add(source.url)  # a feed or sitemap seed was read as it was discovered
        for listing in self.state.listings(source.id):
            if listing.url in read:
                continue
            if self.stop_event.is_set():
                return
            if listing.kind == "subsitemap" or listing.parent:  # read through its index
                continue
            try:
                await self.read_listing(listing, source)
            except (asyncio.CancelledError, ArchiveError):
                raise
            except Exception as exc:  # noqa: BLE001 - one listing's failure is its source's, not the crawl's
                self._error(source, listing.url, InputError(f"{listing.url}: could not be read: {type(exc).__name__}:"
                                                            f" {exc}", reason="listing_failed"))

    # ------------------------------------------------------------------ articles

    async def fetch_article(self, key: str, url: str, source: Source | None, hint: str | None) -> None:
        """Fetch one article page into the WARC and note how it went; never raises for what the page,
        the server or the network does."""
        report = self._source_report(source) if source else SourceReport("")
        hint_at = datetime.fromisoformat(hint) if hint else None
        fetched = await self.fetcher.fetch(url)
        error = fetched.error
        if error is not None and error.reason in _LEFT_FOR_LATER:
            report.skipped[error.reason] += 1  # not noted: taken back into the queue when the crawl ends
            return
        self.report.pages += 1
        report.pages += 1
        host = self.polite.host(url)
        if error is not None and error.reason in ("timeout", "connection_error"):
            host.failures += 1
            if host.failures >= HOST_FAILURES:
                host.defer(f"failed {host.failures} times in a row")
        elif fetched.exchanges:
            host.failures = 0
        if error is not None:
            self._keep(fetched, role="refused" if error.reason == "too_large" else "article", source=source, hint=hint_at)
            if error.reason == "robots_disallowed":
                report.skipped[error.reason] += 1
                self._note(key, "failed", None, error.reason)
                return
            self._error(source, url, error)
            self._note(key, "failed", fetched.status, error.reason)
            return
        if not fetched.ok:
            reason = status_reason(fetched.status or 0)
            self._keep(fetched, role="article", source=source, hint=hint_at)
            self._error(source, url, FetchError(f"{url}: HTTP {fetched.status}", reason=reason))
            self._note(key, "failed", fetched.status, reason)
            return
        ctype = fetched.content_type
        html = ctype in _HTML or (not ctype and fetched.content.lstrip()[:1] == b"<")
        self._keep(fetched, role="article" if html else "skipped", source=source, hint=hint_at)
        if not html:
            report.skipped["non_html"] += 1
            self._note(key, "done", fetched.status, "non_html")
            return
        self._note(key, "done", fetched.status, None)
        if fetched.final_url != url and source is not None:
            self.state.mark_done([fetched.final_url], source.id)
            self.done_here.add(canonical_url(fetched.final_url))

    async def fetch_frontier(self, sources: Iterable[Source]) -> None:
        """Fetch the queued article URLs of ``sources``: one worker per host at a time, up to the
        crawl's concurrency, each host's newest first, until the frontier or the page budget is spent."""
        by_id = {s.id: s for s in sources}
        ids = list(by_id)
        if not ids:
            return
        hosts = deque(self.state.queued_hosts(ids))
        queues: dict[str, deque[tuple[str, str, int | None, str | None]]] = {}
        busy: set[str] = set()
        changed = asyncio.Event()
        budget = self.options.max_pages
        started = 0

        def pick() -> str | None:
            best = None
            for host in list(hosts):
                state = self.polite.hosts.get(host)
                if state is not None and (state.deferred or state.denied) and host not in busy:
                    hosts.remove(host)  # its URLs stay taken, and are queued again when the crawl ends
                    continue
                if host in busy:
                    continue
                at = self.polite.hosts[host].next_at if host in self.polite.hosts else 0.0
                if best is None or at < best[0]:
                    best = (at, host)
            return best[1] if best else None

        async def worker() -> None:
            nonlocal started
            while not self.stop_event.is_set():
                if budget is not None and started >= budget:
                    return
                host = pick()
                if host is None:
                    if not busy:
                        return
                    changed.clear()
                    await changed.wait()
                    continue
                queue = queues.get(host)
                if not queue:
                    queue = queues[host] = deque(self.state.take(host, ids, limit=BATCH, before=self.started))
                    if not queue:
                        hosts.remove(host)
                        queues.pop(host, None)
                        continue
                key, url, source_id, hint = queue.popleft()
                if key in self.done_here:
                    self._note(key, "done", None, "redirect_target")
                    continue
                busy.add(host)
                started += 1
                source = by_id.get(source_id) if source_id is not None else None
                try:
                    await self.fetch_article(key, url, source, hint)
                except (asyncio.CancelledError, ArchiveError, OSError):
                    raise  # the crawl itself cannot go on (stopped, or the archive or the WARC disk failed)
                except Exception as exc:  # noqa: BLE001 - one URL's failure is its own, not the crawl's
                    self._error(source, url, FetchError(f"{url}: {type(exc).__name__}: {exc}", reason="fetch_failed"))
                    self._note(key, "failed", None, "fetch_failed")
                finally:
                    busy.discard(host)
                    changed.set()

        await self._until_done([asyncio.create_task(worker()) for _ in range(max(1, self.options.concurrency))])

    async def _until_done(self, tasks: list[asyncio.Task[None]]) -> None:
        """Wait for ``tasks`` until they end or the crawl is stopped; cancel what is left either way.
        A task's failure (the archive or the WARC disk failing) ends the crawl at once."""
        stopper = asyncio.create_task(self.stop_event.wait())
        pending: set[asyncio.Task[object]] = set(tasks)  # type: ignore[arg-type]
        try:
            while pending and not self.stop_event.is_set():
                done, pending = await asyncio.wait(pending | {stopper}, return_when=asyncio.FIRST_COMPLETED)
                pending.discard(stopper)
                for task in done:
                    if task is not stopper and task.exception() is not None:
                        raise task.exception()  # type: ignore[misc]
        finally:
            for task in (*tasks, stopper):
                task.cancel()
            await asyncio.gather(*tasks, stopper, return_exceptions=True)

    # ------------------------------------------------------------------ the crawl

    def connect(self) -> None:
        """Open the crawl's HTTP client, every request of it taking its host's turn and checked against
        robots.txt (closed with ``await crawler.client.aclose()``)."""
        self.client = self.polite.client = make_client(self.options.fetch,
                                                       connections=max(4, self.options.concurrency * 2))
        self.fetcher = Fetcher(self.client, self.options.fetch, gate=self.polite.gate, check=self.polite.check)

    async def run(self, sources: list[Source]) -> CrawlReport:
        start = time.monotonic()
        self.started = now_iso()
        self.connect()
        try:
            for source in sources:
                self._source_report(source)
            slots = asyncio.Semaphore(max(1, self.options.concurrency))

            async def read(source: Source) -> None:
                async with slots:
                    await self.read_source(source)
            await self._until_done([asyncio.create_task(read(s)) for s in sources])
            self.flush()
            if not self.stop_event.is_set():
                await self.fetch_frontier(sources)
        finally:
            self.flush()
            self.state.untake()
            await self.client.aclose()
            self.report.stopped = self.stop_event.is_set()
            self.report.requests = self.polite.requests
            self.report.seconds = time.monotonic() - start
        for source in sources:
            found = self.report.sources.get(source.id)
            self.state.source_crawled(source.id, new=(found.new + found.updated) if found else 0)
        return self.report
