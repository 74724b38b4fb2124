"""The crawling commands of ``marsad``: ``sources``, ``crawl`` and ``watch`` (thin, over :mod:`marsad.crawl`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import ConfigError


def _fetch_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--archive", default="marsad.db", help="the archive file (default: marsad.db)")
    p.add_argument("--warc-dir", metavar="DIR", help="where every fetch is kept as WARC (default: beside the archive,"
                                                     " marsad.db -> marsad-warc/)")
    p.add_argument("--contact", help="a URL or e-mail address for site owners, put in the user agent"
                                     " (default: the MARSAD_CONTACT environment variable)")
    p.add_argument("--timeout", type=float, default=30.0, metavar="S", help="seconds to wait for a server to answer"
                                                                             " or go on answering (default: 30)")
    p.add_argument("--allow-private", action="store_true",
                   help="allow private and loopback addresses (refused by default: a crawl started from a server"
                        " must not reach into its network)")
    p.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def _crawl_options(p: argparse.ArgumentParser) -> None:
    _fetch_options(p)
    p.add_argument("--max-pages", type=int, metavar="N", help="fetch at most N article pages")
    p.add_argument("--since", metavar="DATE", help="skip what feeds and sitemaps date before DATE (2026-03-01)")
    p.add_argument("--delay", type=float, default=1.0, metavar="S",
                   help="seconds between two requests to one host (default: 1; robots.txt's Crawl-delay when longer)")
    p.add_argument("--concurrency", type=int, default=16, metavar="N", help="requests at a time, one per host (default: 16)")
    p.add_argument("--no-ingest", action="store_true", help="only fetch into WARC; a later crawl (or marsad ingest"
                                                            " of the WARC files) ingests them")
    p.add_argument("--fast", action="store_true", help="fast HTML extraction when ingesting")
    p.add_argument("--no-enrich", action="store_true", help="skip entities, topic, key phrases, quotations and summary")
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")


def add_parsers(sub: Any) -> None:
    so = sub.add_parser("sources", help="the sites, feeds and sitemaps marsad follows: add, list, remove")
    so_sub = so.add_subparsers(dest="sources_command", required=True)
    sa = so_sub.add_parser("add", help="follow a site (its feeds and sitemaps are found), a feed or a sitemap")
    sa.add_argument("url")
    sa.add_argument("--name", help="the source's name (default: the name the site gives itself, else its host)")
    _fetch_options(sa)
    sa.set_defaults(func=cmd_sources_add)
    sl = so_sub.add_parser("list", help="each source with its last fetch, the articles it has given and its errors")
    sl.add_argument("--archive", default="marsad.db")
    sl.add_argument("--json", action="store_true")
    sl.set_defaults(func=cmd_sources_list)
    sr = so_sub.add_parser("remove", help="stop following a source (its articles stay in the archive)")
    sr.add_argument("source", help="the source's URL, name or id")
    sr.add_argument("--archive", default="marsad.db")
    sr.set_defaults(func=cmd_sources_remove)

    cr = sub.add_parser("crawl", help="fetch the new articles of sources into WARC and ingest them")
    cr.add_argument("seeds", nargs="*", metavar="SEED", help="sites, feeds or sitemaps (default: every registered source)")
    _crawl_options(cr)
    cr.set_defaults(func=cmd_crawl)

    wa = sub.add_parser("watch", help="crawl every source on a schedule until stopped (Ctrl-C or SIGTERM)")
    _crawl_options(wa)
    wa.add_argument("--interval", default="15m", help="how often a source is read while how often it publishes is"
                                                     " unknown (default: 15m); then from a quarter of it to 16 times it")
    wa.set_defaults(func=cmd_watch)


def _options(args: argparse.Namespace) -> Any:
    from .crawl.crawler import CrawlOptions
    from .crawl.fetch import FetchOptions
    from .crawl.run import default_warc_dir

    if getattr(args, "concurrency", 1) < 1:
        raise ConfigError("--concurrency must be at least 1")
    if getattr(args, "delay", 0.0) < 0 or args.timeout <= 0:
        raise ConfigError("--delay must be 0 or more and --timeout more than 0")
    since = None
    if getattr(args, "since", None):
        try:
            since = datetime.fromisoformat(args.since)
        except ValueError:
            raise ConfigError(f"--since must be a date like 2026-03-01, not {args.since!r}") from None
        since = since if since.tzinfo else since.replace(tzinfo=UTC)
    fetch = FetchOptions(contact=args.contact or os.environ.get("MARSAD_CONTACT") or None,
                         read_timeout=args.timeout, connect_timeout=min(10.0, args.timeout),
                         total_timeout=max(3 * args.timeout, 10.0), allow_private=args.allow_private,
                         verify=not args.insecure)
    warc_dir = Path(args.warc_dir) if args.warc_dir else default_warc_dir(args.archive)
    return CrawlOptions(warc_dir=warc_dir, max_pages=getattr(args, "max_pages", None), since=since,
                        delay=getattr(args, "delay", 1.0), concurrency=getattr(args, "concurrency", 16), fetch=fetch)


def _process(args: argparse.Namespace) -> Any:
    from .jobs import ProcessOptions

    if args.no_ingest:
        return None
    return ProcessOptions(fast=args.fast, enrich=not args.no_enrich, progress=False if args.no_progress else None)


def cmd_sources_add(args: argparse.Namespace) -> int:
    from .crawl.run import add_source

    options = _options(args)
    source, report = add_source(args.archive, args.url, name=args.name, options=options)
    if args.json:
        print(json.dumps(source, ensure_ascii=False, indent=2))
        return 0
    print(f"following {source['name']} ({source['kind']}): {source['url']}")
    for listing in source["listings"]:  # type: ignore[attr-defined]
        print(f"  {listing['kind']}: {listing['url']}")
    errors = report.counter("errors")
    if errors:
        print("errors while looking: " + ", ".join(f"{r}: {n}" for r, n in errors.items()), file=sys.stderr)
    return 0


def cmd_sources_list(args: argparse.Namespace) -> int:
    from .archive.store import Archive

    with Archive(args.archive, create=False) as archive:
        rows = archive.followed()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("no sources: add one with `marsad sources add URL`")
        return 0
    for row in rows:
        errors = ", ".join(f"{r} {n}" for r, n in row["errors_by_reason"].items())
        print(f"{row['id']:>3}  {row['name']}  ({row['kind']}) {row['url']}")
        print(f"     last fetch {row['last_fetch'] or 'never'}; {row['articles']} articles; {row['pages_fetched']} pages"
              f" fetched, {row['queued']} queued; errors {row['errors']}" + (f" ({errors})" if errors else ""))
        if row["last_error"]:
            print(f"     last error {row['last_error']['at']}: {row['last_error']['message']}")
    return 0


def cmd_sources_remove(args: argparse.Namespace) -> int:
    from .archive.store import Archive

    with Archive(args.archive, create=False) as archive:
        gone = archive.crawl_state.remove_source(args.source)
    print(f"no longer following {gone.name}: {gone.url} (its articles stay in the archive)")
    return 0


def _print_result(result: Any, args: argparse.Namespace) -> None:
    report = result.crawl
    if args.json:
        out = {
            "pages": report.pages, "requests": report.requests, "bytes": report.bytes, "seconds": round(report.seconds, 3),
            "warcs": [str(p) for p in report.warcs], "stopped": report.stopped, "recovered": report.recovered,
            "errors": dict(report.counter("errors")), "skipped": dict(report.counter("skipped")),
            "sources": {s.name: {"listings": s.listings, "not_modified": s.not_modified, "new": s.new, "updated": s.updated,
                                 "known": s.known, "pages": s.pages, "errors": dict(s.errors), "skipped": dict(s.skipped)}
                        for s in report.sources.values()},
            "ingest": None if result.ingest is None else {
                **result.counts, "read": result.ingest.read, "seconds": round(result.ingest_seconds, 3),
                "errors": dict(result.ingest.errors)},
        }
        print(json.dumps(out, ensure_ascii=False))
        return
    for line in report.summary():
        print(line, file=sys.stderr)
    if result.ingest is not None:
        rate = result.ingest.read / result.ingest_seconds if result.ingest_seconds > 0 else 0.0
        print(f"ingest: {result.ingest.read} pages in {result.ingest_seconds:.1f}s ({rate:.1f}/s): added"
              f" {result.counts.get('added', 0)}, updated {result.counts.get('updated', 0)}, unchanged"
              f" {result.counts.get('unchanged', 0)}", file=sys.stderr)
        for line in result.ingest.summary()[1:]:
            print("ingest " + line, file=sys.stderr)


def cmd_crawl(args: argparse.Namespace) -> int:
    from .crawl.run import crawl

    result = crawl(args.archive, args.seeds, _options(args), _process(args))
    _print_result(result, args)
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    from .crawl.run import parse_interval, watch

    interval = parse_interval(args.interval)
    print(f"marsad: watching the sources of {args.archive} (every {args.interval} until they say how often they"
          " publish); Ctrl-C or SIGTERM stops", file=sys.stderr)
    rounds = watch(args.archive, _options(args), _process(args), interval=interval,
                   on_round=lambda result: _print_result(result, args))
    print(f"marsad: stopped after {rounds} rounds", file=sys.stderr)
    return 0
