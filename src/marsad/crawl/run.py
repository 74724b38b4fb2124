"""Crawl jobs: ``sources add``, ``crawl`` and ``watch`` as library calls.

A crawl first closes the WARC files a killed crawl left open and notes what they hold (nothing fetched
is fetched again), reads its sources' listings, fetches their new articles into a new WARC file, and
ingests every WARC file of its folder not ingested yet, as ``marsad ingest`` would. Ctrl-C or SIGTERM
stop the fetching at once (what was fetched is kept and ingested; what was not stays queued).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..archive.crawl_state import CrawlState, Source
from ..errors import ArchiveError, ConfigError
from .crawler import CrawlOptions, CrawlReport, Crawler
from .listings import site_host
from .warcs import SUFFIX, Kept, WarcSink, locked, recover

if TYPE_CHECKING:
    from ..jobs import ProcessOptions
    from ..runners.local import RunStats

log = logging.getLogger(__name__)


def default_warc_dir(archive_path: str | os.PathLike[str]) -> Path:
    """Beside the archive: ``marsad.db`` keeps its crawls in ``marsad-warc/``."""
    from ..archive.store import is_url

    if is_url(archive_path):  # a database URL is no place for files, and its crawl state is not kept there yet
        raise ArchiveError("marsad sources, crawl and watch need a SQLite archive for now, not a PostgreSQL URL")
    path = Path(archive_path)
    return path.with_name(path.stem + "-warc")


def parse_interval(text: str) -> float:
    """Seconds in ``90``, ``30s``, ``15m``, ``2h`` or ``1d``."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not match:
        raise ConfigError(f"not an interval: {text!r} (e.g. 30s, 15m, 2h)")
    value, unit = float(match.group(1)), match.group(2) or "s"
    seconds = value * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
    if seconds <= 0:
        raise ConfigError(f"an interval must be more than zero: {text!r}")
    return seconds


def _kind_guess(url: str) -> str:
    low = url.lower()
    if "sitemap" in low or low.endswith((".xml.gz", "sitemap.xml")):
        return "sitemap"
    if any(part in low for part in ("/feed", "/rss", "atom", ".rss")):
        return "feed"
    return "site"


@contextmanager
def _stopping(crawler: Crawler | None, flag: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set ``flag`` (and stop the crawler's fetching) instead of killing the job."""
    def handle(signum: int, frame: object) -> None:
        if flag.is_set():  # a second signal: stop now
            raise KeyboardInterrupt
        log.warning("stopping (signal %d): finishing what was fetched", signum)
        flag.set()
        if crawler is not None:
            loop = getattr(crawler, "loop", None)
            if loop is not None:
                loop.call_soon_threadsafe(crawler.stop_event.set)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


@dataclass(slots=True)
class CrawlResult:
    """A crawl and the ingest that followed it."""

    crawl: CrawlReport
    ingest: RunStats | None = None
    counts: dict[str, int] = field(default_factory=dict)
    ingest_seconds: float = 0.0


def _run_crawler(archive_path: str | os.PathLike[str], sources: Callable[[CrawlState], list[Source]],
                 options: CrawlOptions, stop: threading.Event) -> CrawlReport:
    from ..archive.store import Archive

    with locked(options.warc_dir), Archive(archive_path) as archive:
        state = archive.crawl_state
        closed, kept = recover(options.warc_dir)
        recovered = state.mark_done(fetched_before(kept)) if kept else 0
        state.untake()
        chosen = sources(state)
        sink = WarcSink(options.warc_dir)
        crawler = Crawler(state, options, sink)
        sink.before_close = crawler.flush

        async def main() -> CrawlReport:
            crawler.loop = asyncio.get_running_loop()  # type: ignore[attr-defined]
            if stop.is_set():
                crawler.stop_event.set()
            return await crawler.run(chosen)

        try:
            with _stopping(crawler, stop):
                report = asyncio.run(main())
        finally:
            sink.close()
        report.warcs = list(sink.closed)
        report.recovered = recovered
        if closed:
            log.info("closed %d WARC files a stopped crawl left open", len(closed))
    return report


def fetched_before(kept: list[Kept]) -> list[str]:
    """The article URLs a stopped crawl's WARC shows fetched for good: the last exchange of each fetch
    with a final answer (2xx, or a 4xx but 429; not a 5xx, nor a redirect whose target was not written)."""
    last: dict[str, Kept] = {}
    for record in kept:
        if record.role in ("article", "refused", "skipped"):
            last[record.requested or record.url] = record
    return [url for url, record in last.items()
            if 200 <= record.status < 300 or (400 <= record.status < 500 and record.status != 429)]


def pending_warcs(archive_path: str | os.PathLike[str], warc_dir: Path) -> list[str]:
    """The crawl's WARC files not ingested yet, oldest first."""
    from ..archive.store import Archive

    if not warc_dir.is_dir():
        return []
    with Archive(archive_path) as archive:
        return [str(p) for p in sorted(warc_dir.glob(f"*{SUFFIX}")) if not archive.file_done(str(p))]


def ingest_warcs(archive_path: str | os.PathLike[str], warc_dir: Path, process: ProcessOptions) -> tuple[RunStats, dict[str, int], float]:
    from ..jobs import ingest_files

    start = time.monotonic()
    paths = pending_warcs(archive_path, warc_dir)
    if not paths:
        from ..runners.local import RunStats

        return RunStats(), {"added": 0, "updated": 0, "unchanged": 0}, 0.0
    stats, counts = ingest_files(paths, archive_path, process)
    return stats, counts, time.monotonic() - start


def crawl(archive_path: str | os.PathLike[str], seeds: Sequence[str], options: CrawlOptions,
          process: ProcessOptions | None, *, stop: threading.Event | None = None) -> CrawlResult:
    """Crawl ``seeds`` (or every registered source) into WARC, then ingest it (unless ``process`` is None)."""
    stop = stop or threading.Event()

    def chosen(state: CrawlState) -> list[Source]:
        if not seeds:
            found = state.sources()
            if not found:
                raise ConfigError("no sources to crawl: name seeds, or register sources with `marsad sources add URL`")
            return found
        out = []
        for seed in seeds:
            known = state.source(seed)
            out.append(known if known is not None else
                       state.add_source(seed, name=site_host(seed), kind=_kind_guess(seed), kept=False))
        return out

    report = _run_crawler(archive_path, chosen, options, stop)
    result = CrawlResult(report)
    if process is not None:
        result.ingest, result.counts, result.ingest_seconds = ingest_warcs(archive_path, options.warc_dir, process)
    return result


def add_source(archive_path: str | os.PathLike[str], url: str, *, name: str | None, options: CrawlOptions) -> tuple[dict[str, object], CrawlReport]:
    """Register ``url`` and find what it lists now (a site's feeds and sitemaps); the source as
    reported by ``sources list``, and the discovery's report (its errors)."""
    from ..archive.store import Archive

    if not re.match(r"^https?://", url, re.IGNORECASE):
        raise ConfigError(f"a source is an http(s) URL, not {url!r}")
    with locked(options.warc_dir), Archive(archive_path) as archive:
        state = archive.crawl_state
        source = state.add_source(url, name=name or site_host(url), kind=_kind_guess(url))
        sink = WarcSink(options.warc_dir)
        crawler = Crawler(state, options, sink)

        async def main() -> str | None:
            crawler.connect()
            try:
                return await crawler.discover(source)
            finally:
                crawler.flush()
                await crawler.client.aclose()

        try:
            own_name = asyncio.run(main())
        finally:
            sink.close()
        if name is None and own_name:
            state.rename_source(source.id, own_name)
        report = next(r for r in archive.followed() if r["id"] == source.id)
    return report, crawler.report


WEEK = 7 * 86400.0


def next_interval(state: CrawlState, source: Source, base: float, lowest: float, highest: float) -> float:
    """How long until ``source`` is read again: a week over the articles it listed in the last week
    (as Miniflux schedules feeds), between ``lowest`` and ``highest``; ``base`` while it has listed none."""
    since = (datetime.now(UTC) - timedelta(seconds=WEEK)).isoformat(timespec="seconds")
    n = state.recent_entries(source.id, since)
    if n == 0:
        return base
    return min(highest, max(lowest, WEEK / n))


def _schedule(state: CrawlState, urls: list[str], interval: float, lowest: float, highest: float) -> None:
    """When the sources just read are due again (see :func:`next_interval`)."""
    for url in urls:
        source = state.source(url)
        if source is None:
            continue
        seconds = next_interval(state, source, interval, lowest, highest)
        next_due = (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat(timespec="seconds")
        state.source_crawled(source.id, new=0, interval=seconds, next_due=next_due)


def watch(archive_path: str | os.PathLike[str], options: CrawlOptions, process: ProcessOptions | None, *,
          interval: float = 900.0, lowest: float | None = None, highest: float | None = None,
          stop: threading.Event | None = None, on_round: Callable[[CrawlResult], None] | None = None,
          rounds: int | None = None) -> int:
    """Crawl every registered source when it is due, until stopped (SIGINT, SIGTERM, ``stop``); each
    source's next time from how often it publishes. The rounds run; a restart goes on from the
    schedule stored in the archive."""
    from ..archive.store import Archive

    stop = stop or threading.Event()
    lowest = lowest if lowest is not None else interval / 4
    highest = highest if highest is not None else interval * 16
    done = 0
    with _stopping(None, stop):
        while not stop.is_set() and (rounds is None or done < rounds):
            now = datetime.now(UTC).isoformat(timespec="seconds")
            with Archive(archive_path) as archive:
                state = archive.crawl_state
                if not state.sources():
                    raise ConfigError("no sources to watch: register some with `marsad sources add URL`")
                due = [s.url for s in state.due(now)]
            if due:
                result = crawl(archive_path, due, options, process, stop=stop)
                done += 1
                if not result.crawl.stopped:  # a round cut short leaves its sources due for the restart
                    with Archive(archive_path) as archive:
                        _schedule(archive.crawl_state, due, interval, lowest, highest)
                if on_round is not None:
                    on_round(result)
                continue
            with Archive(archive_path) as archive:
                upcoming = [s.next_due for s in archive.crawl_state.sources() if s.next_due]
            wait = 1.0
            if upcoming:
                wait = max(0.5, (datetime.fromisoformat(min(upcoming)) - datetime.now(UTC)).total_seconds())
            stop.wait(min(wait, 60.0))
    return done


__all__ = ["CrawlOptions", "CrawlResult", "add_source", "crawl", "default_warc_dir", "parse_interval", "watch"]
