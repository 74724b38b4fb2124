"""What the crawler follows and where it stands, kept in the archive (schema version 8).

- ``sources``: the sites, feeds and sitemaps a user registered (``kept``), and the seeds given to one
  crawl (not kept: not listed, not watched, but their validators and frontier persist like the rest);
- ``listings``: each source's feeds, sitemaps and seed pages, with the ``ETag`` and ``Last-Modified``
  of their last fetch for conditional requests;
- ``frontier``: every article URL found, by canonical URL, with the date its listing gave it (the
  order of fetching), its state (``queued``, ``done``, ``failed``) and how it went;
- ``crawl_errors``: every failure, per source.

The frontier lives on disk: a crawl reads it a host's batch at a time, so a frontier of a million URLs
costs no more memory than one of a thousand.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from ..errors import ArchiveError, ConfigError
from ..text.urls import canonical_url

#: a URL whose fetch failed for a passing reason (timeout, 5xx, connection) is tried this many times
MAX_TRIES = 3
_PASSING = ("timeout", "connection_error", "http_5xx", "unavailable", "rate_limited", "dns_error", "interrupted")
SOURCE_KINDS = ("site", "feed", "sitemap")
#: a robots.txt is read again after a day (RFC 9309: a cached copy should not be used for more than 24 hours)
ROBOTS_MAX_AGE = 86400.0


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


@dataclass(slots=True)
class Source:
    id: int
    url: str
    name: str
    kind: str
    kept: bool
    interval: float | None = None
    next_due: str | None = None


_SOURCE = "SELECT id, url, name, kind, kept, interval, next_due FROM sources"


def _source(row: tuple[Any, ...]) -> Source:
    id_, url, name, kind, kept, interval, next_due = row
    return Source(id_, url, name, kind, bool(kept), interval, next_due)


@dataclass(slots=True)
class Listing:
    url: str
    source: int
    kind: str
    etag: str | None = None
    last_modified: str | None = None
    fetched: str | None = None
    #: when it was last read whole (a 200 or a 304)
    ok: str | None = None
    parent: str | None = None


_LISTING = "SELECT url, source, kind, etag, last_modified, fetched, ok, parent FROM listings"


class CrawlState:
    """The crawl's tables of one archive connection; every write is its own short transaction."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    @contextmanager
    def _transaction(self, what: str = "record the crawl's state") -> Iterator[sqlite3.Connection]:
        """One transaction, committed or rolled back; an SQLite error becomes an :class:`ArchiveError`."""
        try:
            with self.db:
                yield self.db
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot {what}: {exc}") from exc

    def _write(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        with self._transaction() as db:
            return db.execute(sql, tuple(params))

    # ------------------------------------------------------------------ sources

    def add_source(self, url: str, *, name: str, kind: str, kept: bool = True) -> Source:
        """Register ``url`` (or mark a crawl's seed as kept); the source as stored."""
        if kind not in SOURCE_KINDS:
            raise ConfigError(f"a source is one of {', '.join(SOURCE_KINDS)}, not {kind!r}")
        self._write(
            "INSERT INTO sources (url, name, kind, kept, added) VALUES (?,?,?,?,?) ON CONFLICT(url) DO UPDATE SET"
            " name = CASE WHEN excluded.kept THEN excluded.name ELSE name END, kept = max(kept, excluded.kept),"
            " kind = excluded.kind", (url, name, kind, int(kept), now_iso()))
        found = self.source(url)
        assert found is not None
        return found

    def source(self, ref: str | int) -> Source | None:
        """A source by id, URL or name."""
        row = self.db.execute(_SOURCE + " WHERE id = ? OR url = ? OR name = ? ORDER BY kept DESC, id LIMIT 1",
                              (ref if isinstance(ref, int) else -1, str(ref), str(ref))).fetchone()
        return _source(row) if row else None

    def sources(self, *, kept_only: bool = True) -> list[Source]:
        return [_source(row) for row in self.db.execute(_SOURCE + (" WHERE kept" if kept_only else "") + " ORDER BY id")]

    def rename_source(self, source: int, name: str) -> None:
        self._write("UPDATE sources SET name = ? WHERE id = ?", (name, source))

    def remove_source(self, ref: str) -> Source:
        found = self.source(ref)
        if found is None or not found.kept:
            raise ConfigError(f"no source {ref!r} (see `marsad sources list`)")
        self._write("DELETE FROM sources WHERE id = ?", (found.id,))
        return found

    def source_report(self) -> list[dict[str, Any]]:
        """Each registered source with its last fetch, the articles it has given and its errors."""
        out = []
        for source in self.sources():
            errors = dict(self.db.execute("SELECT reason, count(*) FROM crawl_errors WHERE source = ? GROUP BY 1"
                                          " ORDER BY 2 DESC", (source.id,)).fetchall())
            last_error = self.db.execute("SELECT at, url, message FROM crawl_errors WHERE source = ? ORDER BY id DESC"
                                         " LIMIT 1", (source.id,)).fetchone()
            (last_fetch, next_due) = self.db.execute("SELECT last_fetch, next_due FROM sources WHERE id = ?",
                                                     (source.id,)).fetchone()
            (articles,) = self.db.execute("SELECT count(*) FROM articles WHERE source = ?", (source.name,)).fetchone()
            fetched, queued = self.db.execute(
                "SELECT coalesce(sum(state = 'done'), 0), coalesce(sum(state = 'queued'), 0) FROM frontier"
                " WHERE source = ?", (source.id,)).fetchone()
            listings = [{"url": u, "kind": k, "status": s, "fetched": f, "entries": e, "error": err}
                        for u, k, s, f, e, err in self.db.execute(
                            "SELECT url, kind, status, fetched, entries, error FROM listings WHERE source = ?"
                            " ORDER BY kind, url", (source.id,))]
            out.append({
                "id": source.id, "name": source.name, "url": source.url, "kind": source.kind,
                "last_fetch": last_fetch, "next_due": next_due, "interval_s": source.interval,
                "articles": articles, "pages_fetched": fetched, "queued": queued,
                "errors": sum(errors.values()), "errors_by_reason": errors,
                "last_error": {"at": last_error[0], "url": last_error[1], "message": last_error[2]} if last_error else None,
                "listings": listings,
            })
        return out

    # ------------------------------------------------------------------ listings

    def listings(self, source: int) -> list[Listing]:
        return [Listing(*row) for row in self.db.execute(
            _LISTING + " WHERE source = ? ORDER BY CASE kind WHEN 'feed' THEN 0 WHEN 'sitemap' THEN 1 ELSE 2 END, url",
            (source,))]

    def listing(self, url: str) -> Listing | None:
        row = self.db.execute(_LISTING + " WHERE url = ?", (url,)).fetchone()
        return Listing(*row) if row else None

    def children(self, parent: str) -> list[Listing]:
        """The sitemaps a sitemap index listed when it was last read."""
        return [Listing(*row) for row in self.db.execute(_LISTING + " WHERE parent = ? ORDER BY url", (parent,))]

    def set_children(self, parent: str, source: int, urls: list[str]) -> None:
        """The sitemaps a sitemap index lists now (those it no longer lists are forgotten)."""
        with self._transaction() as db:
            db.execute("DELETE FROM listings WHERE parent = ? AND url NOT IN (SELECT value FROM json_each(?))",
                       (parent, json.dumps(urls)))
            db.executemany(
                "INSERT INTO listings (url, source, kind, parent) VALUES (?,?,'subsitemap',?) ON CONFLICT(url)"
                " DO UPDATE SET parent = excluded.parent", [(u, source, parent) for u in urls if u != parent])

    def add_listing(self, url: str, source: int, kind: str, *, parent: str | None = None) -> Listing:
        self._write("INSERT INTO listings (url, source, kind, parent) VALUES (?,?,?,?) ON CONFLICT(url) DO UPDATE SET"
                    " kind = excluded.kind, source = excluded.source, parent = coalesce(excluded.parent, parent)",
                    (url, source, kind, parent))
        found = self.listing(url)
        assert found is not None
        return found

    def listing_fetched(self, url: str, *, status: int | None, etag: str | None = None, last_modified: str | None = None,
                        entries: int | None = None, error: str | None = None, keep_validators: bool = False) -> None:
        at = now_iso()
        ok = at if error is None and status in (200, 304) else None
        if keep_validators:  # a 304 or a failure: the validators of the last good fetch stay
            self._write("UPDATE listings SET fetched = ?, ok = coalesce(?, ok), status = ?, error = ? WHERE url = ?",
                        (at, ok, status, error, url))
        else:
            self._write("UPDATE listings SET fetched = ?, ok = coalesce(?, ok), status = ?, etag = ?, last_modified = ?,"
                        " entries = ?, error = ? WHERE url = ?", (at, ok, status, etag, last_modified, entries, error, url))

    # ------------------------------------------------------------------ frontier

    def add_urls(self, source: int, entries: Iterable[tuple[str, datetime | None, datetime | None]]) -> dict[str, int]:
        """Put article URLs in the frontier: a new URL is queued unless the archive already has it (by
        canonical URL); a URL fetched before is queued again only when its listing says it was updated
        since. Counts of ``new``, ``updated`` (queued again), ``known``."""
        counts = {"new": 0, "updated": 0, "known": 0}
        found = now_iso()
        with self._transaction("add to the crawl's frontier") as db:
            for url, hint, updated in entries:
                key = canonical_url(url)
                row = db.execute("SELECT state, updated, fetched, hint, source FROM frontier WHERE key = ?",
                                 (key,)).fetchone()
                hint_s = hint.isoformat() if hint else None
                updated_s = updated.isoformat() if updated else None
                if row is None:
                    in_archive = db.execute("SELECT 1 FROM articles WHERE key = ?", (key,)).fetchone() is not None
                    db.execute(
                        "INSERT INTO frontier (key, url, source, host, hint, updated, state, found) VALUES (?,?,?,?,?,?,?,?)",
                        (key, url, source, host_of(url), hint_s, updated_s, "done" if in_archive else "queued", found))
                    counts["known" if in_archive else "new"] += 1
                    continue
                state, old_updated, fetched, old_hint, owner = row
                if owner != source and state != "done":  # left by a seed or a source since removed
                    db.execute("UPDATE frontier SET source = ? WHERE key = ?", (source, key))
                newer = updated is not None and state != "queued" and (
                    (old_updated is not None and updated_s > old_updated)
                    or (old_updated is None and fetched is not None and updated_s > fetched))
                if newer:
                    db.execute("UPDATE frontier SET state = 'queued', tries = 0, updated = ?, hint = coalesce(?, hint)"
                               " WHERE key = ?", (updated_s, hint_s, key))
                    counts["updated"] += 1
                else:
                    if hint_s and old_hint is None and state == "queued":  # a link seen first on a page
                        db.execute("UPDATE frontier SET hint = ? WHERE key = ?", (hint_s, key))
                    counts["known"] += 1
        return counts

    def queued_hosts(self, sources: Iterable[int]) -> list[str]:
        ids = list(sources)
        marks = ",".join("?" * len(ids))
        return [h for (h,) in self.db.execute(
            f"SELECT DISTINCT host FROM frontier INDEXED BY frontier_queue WHERE state = 'queued' AND source IN ({marks})",
            ids)]

    def take(self, host: str, sources: Iterable[int], *, limit: int,
             before: str | None = None) -> list[tuple[str, str, int | None, str | None]]:
        """Take up to ``limit`` queued URLs of ``host`` to fetch (newest listing date first, undated
        last), marked ``taken`` so that they are not taken twice; ``(key, url, source, hint)`` each.
        With ``before``, not those tried since (a crawl tries a failing URL again in a later crawl)."""
        ids = list(sources)
        marks = ",".join("?" * len(ids))
        with self._transaction("read the crawl's frontier") as db:
            rows = db.execute(
                # in the index's order (newest first; undated, NULL, last), so that a host with a million
                # URLs queued costs no sort
                f"SELECT key, url, source, hint FROM frontier INDEXED BY frontier_queue WHERE state = 'queued'"
                f" AND host = ? AND source IN ({marks}) AND (fetched IS NULL OR fetched < ?) ORDER BY hint DESC"
                " LIMIT ?", (host, *ids, before or "9999", limit)).fetchall()
            db.executemany("UPDATE frontier SET state = 'taken' WHERE key = ?", [(r[0],) for r in rows])
        return rows

    def untake(self) -> int:
        """Queue again what a crawl took and did not fetch (it was stopped or killed)."""
        return self._write("UPDATE frontier SET state = 'queued' WHERE state = 'taken'").rowcount

    def record_fetches(self, results: Iterable[tuple[str, str, int | None, str | None]]) -> None:
        """Record fetches, ``(key, state, status, reason)`` each, in one transaction; a failure for a
        passing reason stays queued until it has been tried :data:`MAX_TRIES` times."""
        at = now_iso()
        with self._transaction("record the crawl's fetches") as db:
            for key, state, status, reason in results:
                if state == "failed" and reason in _PASSING:
                    db.execute("UPDATE frontier SET tries = tries + 1, status = ?, reason = ?, fetched = ?,"
                               " state = CASE WHEN tries + 1 >= ? THEN 'failed' ELSE 'queued' END WHERE key = ?",
                               (status, reason, at, MAX_TRIES, key))
                else:
                    db.execute("UPDATE frontier SET state = ?, status = ?, reason = ?, fetched = ?,"
                               " tries = tries + 1 WHERE key = ?", (state, status, reason, at, key))

    def mark_done(self, urls: Iterable[str], source: int | None = None) -> int:
        """URLs a WARC shows were fetched (a crawl killed before it noted them, or a redirect's
        target): done, added to the frontier if they were not in it."""
        n = 0
        at = now_iso()
        with self._transaction() as db:
            for url in urls:
                key = canonical_url(url)
                cur = db.execute("UPDATE frontier SET state = 'done', fetched = coalesce(fetched, ?) WHERE key = ?"
                                 " AND state != 'done'", (at, key))
                n += cur.rowcount
                if source is not None:
                    db.execute("INSERT OR IGNORE INTO frontier (key, url, source, host, state, found, fetched)"
                                    " VALUES (?,?,?,?,'done',?,?)", (key, url, source, host_of(url), at, at))
        return n

    def recent_entries(self, source: int, since: str) -> int:
        """How many article URLs of ``source`` were listed with a date since ``since`` (or found since,
        when undated): how often it publishes."""
        (n,) = self.db.execute("SELECT count(*) FROM frontier WHERE source = ? AND coalesce(hint, found) >= ?",
                               (source, since)).fetchone()
        return int(n)

    # ------------------------------------------------------------------ robots.txt

    def robots(self, origin: str, *, max_age: float = ROBOTS_MAX_AGE) -> str | None:
        """The robots.txt of ``origin`` (``scheme://host:port``) a crawl read less than ``max_age``
        seconds ago ("" for none: a 4xx), else None."""
        row = self.db.execute("SELECT body, fetched FROM robots WHERE origin = ?", (origin,)).fetchone()
        if row is None:
            return None
        age = datetime.now(UTC) - datetime.fromisoformat(row[1])
        return row[0] if age.total_seconds() < max_age else None

    def keep_robots(self, origin: str, body: str) -> None:
        self._write("INSERT OR REPLACE INTO robots (origin, body, fetched) VALUES (?,?,?)", (origin, body, now_iso()))

    # ------------------------------------------------------------------ errors and schedule

    def add_errors(self, rows: Iterable[tuple[int | None, str, str, str]]) -> None:
        """Record failures, ``(source, url, reason, message)`` each."""
        at = now_iso()
        self._write_many("INSERT INTO crawl_errors (source, at, url, reason, message) VALUES (?,?,?,?,?)",
                         [(s, at, u, r, m) for s, u, r, m in rows])

    def _write_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            with self._transaction() as db:
                db.executemany(sql, rows)

    def source_crawled(self, source: int, *, new: int, interval: float | None = None, next_due: str | None = None) -> None:
        at = now_iso()
        self._write("UPDATE sources SET last_fetch = ?, last_new = CASE WHEN ? > 0 THEN ? ELSE last_new END,"
                    " interval = coalesce(?, interval), next_due = coalesce(?, next_due) WHERE id = ?",
                    (at, new, at, interval, next_due, source))

    def due(self, at: str) -> list[Source]:
        return [s for s in self.sources() if s.next_due is None or s.next_due <= at]
