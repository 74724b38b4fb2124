"""What the observatory shows, read from the archive: a story's copies in time order, counts over
time, the entities most named and rising, search facets, and each source's profile.

Every function here reads indexes or the per-day counts the archive keeps (``days``,
``source_days``, ``entity_days``; see :mod:`marsad.archive.schema`), never every article: a trend
of all articles reads one row a day, a trend of a query reads the full-text index's list of
matching docnos (whose upper bits are the publication day), and an entity's chart reads its own
rows of ``entity_days``. They are called through :class:`~marsad.archive.store.Archive`, the one
query API under the CLI, the HTTP API and the web page.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from typing import Any

from ..errors import ArchiveError, ConfigError
from ..text.analysis import tokens
from .connection import Connection
from .schema import ROWID_MASK, day_range
from .names import group_of, resolve, spellings
from .search import Match, analyse, facet_terms, text_index

INTERVALS = ("day", "week", "month")
#: a trend has at most this many periods (a day trend of eight years is a question for ``month``)
MAX_PERIODS = 3_000
#: how many periods a trend covers when it is not given ``from``
DEFAULT_SPAN = {"day": 30, "week": 26, "month": 24}
#: search facets and an entity's companions are counted over at most this many newest matches
FACET_CAP = 10_000
COMPANION_CAP = 2_000


# ---------------------------------------------------------------- days and periods

#: the dates a question may name: news has none outside them, and period arithmetic near year 1 or
#: 9999 would leave the calendar
DATE_MIN, DATE_MAX = date(1800, 1, 1), date(2199, 12, 31)


def check_dates(*days: date | None) -> None:
    for day in days:
        if day is not None and not DATE_MIN <= day <= DATE_MAX:
            raise ConfigError(f"dates must be from {DATE_MIN} to {DATE_MAX}, not {day}")

def span(db: Connection) -> tuple[date, date] | None:
    """The first and the last publication days with articles (undated articles aside)."""
    row = db.execute("SELECT min(day), max(day) FROM days WHERE day > 0 AND n > 0").fetchone()
    return (date.fromordinal(row[0]), date.fromordinal(row[1])) if row and row[0] else None


def latest_day(db: Connection) -> date | None:
    """The most recent publication day with articles (undated articles aside)."""
    row = db.execute("SELECT max(day) FROM days WHERE n > 0 AND day > 0").fetchone()
    return date.fromordinal(row[0]) if row and row[0] else None


def period_start(day: date, interval: str) -> date:
    if interval == "week":  # ISO weeks start on Monday
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


def _next(start: date, interval: str) -> date:
    if interval == "week":
        return start + timedelta(days=7)
    if interval == "month":
        return date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start + timedelta(days=1)


def periods(date_from: date, date_to: date, interval: str) -> list[date]:
    """The starts of the periods from ``date_from`` to ``date_to``, both included."""
    out = []
    start = period_start(date_from, interval)
    while start <= date_to:
        out.append(start)
        if len(out) > MAX_PERIODS:
            raise ConfigError(f"a trend has at most {MAX_PERIODS} periods: choose a longer interval or a shorter range")
        start = _next(start, interval)
    return out


def _span(db: Connection, date_from: date | None, date_to: date | None, interval: str) -> tuple[date, date]:
    if interval not in INTERVALS:
        raise ConfigError(f"interval must be one of {', '.join(INTERVALS)}, not {interval!r}")
    check_dates(date_from, date_to)
    end = date_to or latest_day(db) or date.today()
    if date_from is None:
        start = period_start(end, interval)
        for _ in range(DEFAULT_SPAN[interval] - 1):
            start = period_start(start - timedelta(days=1), interval)
    else:
        start = date_from
    if start > end:
        raise ConfigError(f"'from' ({start}) is after 'to' ({end})")
    return start, end


# ---------------------------------------------------------------- trends

def _bucket(counts: Counter[int], ordinal: int, n: int, interval: str) -> None:
    """Add ``n`` articles of the day ``ordinal`` to its period's count."""
    counts[period_start(date.fromordinal(ordinal), interval).toordinal()] += n


def _trend(interval: str, start: date, end: date, counts: dict[str, Counter[int]]) -> dict[str, Any]:
    """A trend's answer: one series per key, the largest first, every period of the range present."""
    starts = periods(start, end, interval)
    series = [
        {"key": key, "total": sum(c.values()), "points": [{"t": s.isoformat(), "count": c.get(s.toordinal(), 0)} for s in starts]}
        for key, c in sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    ]
    return {"interval": interval, "from": start.isoformat(), "to": end.isoformat(), "series": series}


def _match(db: Connection, q: str | None, entity: str | None, topic: str | None,
           exact_names: bool = False) -> Match | None:
    """What a query (names folded, as a search folds them) and its entity and topic filters look
    for, or None for all articles."""
    facets = facet_terms(db, entity, topic)
    if q:
        return Match(analyse(db, q, exact_names=exact_names)[0], facets)
    return Match(None, facets) if facets else None


def trends(db: Connection, *, q: str | None = None, entity: str | None = None, topic: str | None = None,
           source: str | None = None, date_from: date | None = None, date_to: date | None = None,
           interval: str = "day", by: str | None = None, exact_names: bool = False) -> dict[str, Any]:
    """Articles per period matching a query (and entity, topic and source filters): one series, or
    one per source with ``by="source"``; every period of the range is present, zero or not."""
    if by not in (None, "", "source"):
        raise ConfigError(f"by must be 'source' or nothing, not {by!r}")
    start, end = _span(db, date_from, date_to, interval)
    periods(start, end, interval)  # a range of too many periods is refused before any counting
    first, last = start.toordinal(), end.toordinal()
    match = _match(db, q, entity, topic, exact_names)
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    try:
        if match is not None:
            lo, hi = day_range(start, end)
            rows: Iterable[tuple[int, str | None, int]] = text_index(db).matching_days(db, match, lo, hi, source, None)
        elif by or source:
            rows = db.execute("SELECT day, source, sum(n) FROM source_days WHERE day BETWEEN ? AND ?"
                              + (" AND source = ?" if source else "") + " GROUP BY 1, 2",
                              (first, last, *([source] if source else [])))
        else:
            rows = ((d, None, n) for d, n in db.execute("SELECT day, n FROM days WHERE day BETWEEN ? AND ?", (first, last)))
        for ordinal, src, n in rows:
            _bucket(counts[(src or "") if by else "all"], ordinal, n, interval)
    except sqlite3.OperationalError as exc:
        raise ArchiveError(f"trend failed: {exc}") from exc
    if not by and not counts:
        counts["all"] = Counter()
    return _trend(interval, start, end, counts)


# ---------------------------------------------------------------- entities

#: share of the archive's articles past which a span's entity counts read the whole table (see top_entities)
WHOLE_SCAN = 0.15


def _share_of_articles(db: Connection, start: date, end: date) -> float:
    """The share of the archive's dated articles published from ``start`` to ``end`` (from ``days``)."""
    inside, everything = db.execute("SELECT sum(CASE WHEN day BETWEEN ? AND ? THEN n ELSE 0 END), sum(n) FROM days WHERE day > 0",
                                    (start.toordinal(), end.toordinal())).fetchone()
    return (inside or 0) / everything if everything else 0.0


def top_entities(db: Connection, *, date_from: date | None = None, date_to: date | None = None,
                 label: str | None = None, limit: int = 20, sort: str = "count") -> dict[str, Any]:
    """The entities named in the most articles from ``date_from`` to ``date_to`` (default: the
    latest seven days with articles), each with its count in the period before, of the same
    length, and the change; ``sort="change"`` gives the rising list (largest increase first)."""
    if sort not in ("count", "change"):
        raise ConfigError(f"sort must be 'count' or 'change', not {sort!r}")
    if not 0 < limit <= 500:
        raise ConfigError("limit must be 1-500")
    check_dates(date_from, date_to)
    end = date_to or latest_day(db) or date.today()
    start = date_from or end - timedelta(days=6)
    if start > end:
        raise ConfigError(f"'from' ({start}) is after 'to' ({end})")
    length = (end - start).days + 1
    before_start, before_end = start - timedelta(days=length), start - timedelta(days=1)
    # both periods in one pass, ranked by SQLite: only ``limit`` rows reach Python (names compare as
    # UTF-8 bytes, the order of their code points, as Python's would). A short span reads its days
    # from the day index and groups them by name; a long one (past WHOLE_SCAN of the archive's
    # articles) reads the whole table in its own order, by name, which needs no grouping: ``+day``
    # keeps SQLite off the day index (90 days of ANT: 155 -> 88 ms)
    whole = _share_of_articles(db, before_start, end) > WHOLE_SCAN
    order = "now - before DESC, now DESC" if sort == "change" else "now DESC, now - before DESC"
    rows = [{"name": name, "label": lab, "count": now, "previous": before, "change": now - before}
            for name, lab, now, before in db.execute(
                "SELECT name, label, now, before FROM (SELECT name, label, sum(CASE WHEN day >= ? THEN n ELSE 0 END) now,"
                f" sum(CASE WHEN day < ? THEN n ELSE 0 END) before FROM entity_days WHERE {'+' if whole else ''}day BETWEEN ? AND ?"
                f"{' AND label = ?' if label else ''} GROUP BY name, label) t WHERE now > 0"
                f" ORDER BY {order}, name, label LIMIT ?",
                (start.toordinal(), start.toordinal(), before_start.toordinal(), end.toordinal(),
                 *([label] if label else []), limit))]
    return {"from": start.isoformat(), "to": end.isoformat(), "previous_from": before_start.isoformat(),
            "previous_to": before_end.isoformat(), "sort": sort, "entities": rows}


def entity(db: Connection, name: str, *, latest: int = 10, top: int = 10) -> dict[str, Any] | None:
    """One entity's page: its labels and article count, the sources naming it most, the entities
    named with it (in its :data:`COMPANION_CAP` most recent articles) and its latest articles. An
    entity is a referent: ``name`` may be any of its names or spellings (ترمب gives دونالد ترامب's
    page), and what is counted are the articles naming it in any of them."""
    name = resolve(db, name) or name
    labels = db.execute("SELECT label, sum(n) FROM entity_days WHERE name = ? GROUP BY 1 HAVING sum(n) > 0"
                        " ORDER BY 2 DESC", (name,)).fetchall()
    if not labels:
        return None
    names = "SELECT name FROM entity_refs WHERE ref = ? UNION SELECT ?"
    recent = (f"SELECT DISTINCT article FROM entities WHERE name IN ({names}) ORDER BY article DESC LIMIT {COMPANION_CAP}")
    sources = db.execute(
        f"SELECT coalesce(a.source, ''), count(*) FROM articles a WHERE a.rowid IN ({recent}) GROUP BY 1 ORDER BY 2 DESC, 1"
        f" LIMIT {int(top)}", (name, name)).fetchall()
    companions = db.execute(
        "SELECT ref, ref_label, count(DISTINCT article) FROM (SELECT e.article, coalesce(r.ref, e.name) ref,"
        " coalesce(r.ref_label, e.label) ref_label, r.name IS NOT NULL AND r.ref IS NULL generic FROM entities e"
        f" LEFT JOIN entity_refs r ON r.name = e.name AND r.label = e.label WHERE e.article IN ({recent})) c"
        f" WHERE ref != ? AND NOT generic GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT {int(top)}", (name, name, name)).fetchall()
    articles = db.execute(
        f"SELECT a.id, a.title, a.source, a.published, a.url FROM articles a WHERE a.rowid IN"
        f" (SELECT article FROM entities WHERE name IN ({names})) ORDER BY a.day DESC, a.rowid DESC LIMIT {int(latest)}",
        (name, name)).fetchall()
    written = []  # the name's words written otherwise in the archive (ترامب: ترمب)
    for word in tokens(name):
        group = group_of(db, word)
        forms = [f for f, _ in spellings(db, group)] if group else []
        if len(forms) > 1:
            written.append(forms)
    return {
        "name": name,
        "spellings": written,
        "labels": [{"label": lab, "count": n} for lab, n in labels],
        "articles": sum(n for _, n in labels),
        "sources": [{"source": s, "count": n} for s, n in sources],
        "companions": [{"name": n, "label": lab, "count": c} for n, lab, c in companions],
        "latest": [_brief(r) for r in articles],
    }


def entity_trend(db: Connection, name: str, *, date_from: date | None = None, date_to: date | None = None,
                 interval: str = "week") -> dict[str, Any]:
    """Articles naming the entity ``name`` (its referent, any label) per period, from ``entity_days``."""
    name = resolve(db, name) or name
    start, end = _span(db, date_from, date_to, interval)
    periods(start, end, interval)  # a range of too many periods is refused before any counting
    c: Counter[int] = Counter()
    for ordinal, n in db.execute("SELECT day, sum(n) FROM entity_days WHERE name = ? AND day BETWEEN ? AND ? GROUP BY 1",
                                 (name, start.toordinal(), end.toordinal())):
        _bucket(c, ordinal, n, interval)
    return _trend(interval, start, end, {name: c})


def entity_span(db: Connection, name: str) -> tuple[date, date] | None:
    """The first and last publication days of the articles naming ``name``."""
    name = resolve(db, name) or name
    row = db.execute("SELECT min(day), max(day) FROM entity_days WHERE name = ? AND day > 0 AND n > 0", (name,)).fetchone()
    return (date.fromordinal(row[0]), date.fromordinal(row[1])) if row and row[0] else None


# ---------------------------------------------------------------- stories

def _brief(row: tuple[Any, ...]) -> dict[str, Any]:
    article_id, title, source, published, url = row
    return {"id": article_id, "title": title, "source": source, "published": published, "url": url}


def cluster(db: Connection, cluster_id: str) -> dict[str, Any] | None:
    """The copies of one story (a duplicate cluster, or an article alone), the original first,
    then in order of publication (undated copies last): its syndication timeline."""
    rows = db.execute("SELECT id, source, url, title, published, duplicate_of FROM articles WHERE cluster = ?",
                      (cluster_id,)).fetchall()
    if not rows:
        rows = db.execute("SELECT id, source, url, title, published, duplicate_of FROM articles WHERE id = ? AND"
                          " (cluster IS NULL OR cluster = id)", (cluster_id,)).fetchall()
    if not rows:
        return None
    got = db.execute("SELECT original FROM clusters WHERE id = ?", (cluster_id,)).fetchone()
    original = got[0] if got and got[0] else None
    copies = [{"id": i, "source": s, "url": u, "title": t, "published": p, "duplicate_of": d, "original": i == original}
              for i, s, u, t, p, d in rows]
    def order(copy: dict[str, Any]) -> tuple[bool, bool, datetime, str]:
        t = instant(copy["published"])
        return (not copy["original"], t is None, t or _EPOCH, copy["id"])

    copies.sort(key=order)
    if original is None:
        copies[0]["original"] = True
        original = copies[0]["id"]
    first = copies[0]["published"]
    return {"id": cluster_id, "size": len(copies), "original": original,
            "sources": len({c["source"] for c in copies}), "first_published": first, "copies": copies}


_EPOCH = datetime(1, 1, 1, tzinfo=timezone.utc)


def instant(published: str | None) -> datetime | None:
    """A stored publication time as an instant, so that copies published under different UTC
    offsets sort by when they appeared (a time without an offset, or a bare day, is taken as UTC)."""
    if not published:
        return None
    try:
        t = datetime.fromisoformat(published)
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def top_stories(db: Connection, day: date | None = None, *, limit: int = 10) -> dict[str, Any]:
    """The stories (clusters) with an article published on ``day`` (default: the latest day),
    the most widely carried first: by distinct sources over the whole cluster, then copies."""
    day = day or latest_day(db)
    if day is None:
        return {"day": None, "stories": []}
    clusters = [c for (c,) in db.execute("SELECT DISTINCT coalesce(cluster, id) FROM articles WHERE day = ?", (day.isoformat(),))]
    ranked = []
    for chunk in _chunks(clusters, 500):
        marks = ",".join("?" * len(chunk))
        ranked += db.execute(
            f"SELECT coalesce(cluster, id), count(DISTINCT source), count(*) FROM articles WHERE cluster IN ({marks}) GROUP BY 1",
            chunk).fetchall()
    seen = {c for c, _, _ in ranked}
    ranked += [(c, 1, 1) for c in clusters if c not in seen]  # articles stored before dedup gave them a cluster
    ranked.sort(key=lambda r: (-r[1], -r[2], r[0]))
    stories = []
    for cluster_id, n_sources, n_copies in ranked[:limit]:
        story = cluster(db, cluster_id)
        if story is None:
            continue
        head = story["copies"][0]
        stories.append({"cluster": cluster_id, "title": head["title"], "id": head["id"], "source": head["source"],
                        "published": head["published"], "sources": n_sources, "copies": n_copies,
                        "names": sorted({c["source"] or "" for c in story["copies"]})[:8]})
    return {"day": day.isoformat(), "stories": stories}


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# ---------------------------------------------------------------- search facets

def facets(db: Connection, q: str, *, date_from: date | None = None, date_to: date | None = None,
           source: str | None = None, lang: str | None = None, entity: str | None = None, topic: str | None = None,
           top: int = 10, exact_names: bool = False) -> dict[str, Any]:
    """Counts of the stories matching a search (duplicate clusters, as its results are), by
    source, language, topic and entity, over its :data:`FACET_CAP` newest matching articles
    (``sampled`` says the cap was reached)."""
    match = Match(analyse(db, q, exact_names=exact_names)[0], facet_terms(db, entity, topic))
    lo, hi = day_range(date_from, date_to)
    # a search shows one result per story (duplicate cluster): each value counts the stories, not
    # the copies, among the matches it has, so that a facet's count is what clicking it gives; each
    # value holds the set of its stories, each story numbered in the order met
    stories: dict[str, dict[Any, set[int]]] = {"source": {}, "lang": {}, "topic": {}}
    matched: list[tuple[int, int]] = []  # (article, its story)
    story_no: dict[str, int] = {}
    try:
        for number, cluster, src, lg, tp in text_index(db).facet_rows(db, match, lo, hi, source, lang, FACET_CAP):
            story = story_no.setdefault(cluster, len(story_no))
            matched.append((number & ROWID_MASK, story))
            stories["source"].setdefault(src or "", set()).add(story)
            stories["lang"].setdefault(lg or "", set()).add(story)
            if tp:
                stories["topic"].setdefault(tp, set()).add(story)
        # entities counted by SQL, by referent (ترامب and دونالد ترامب are one; a name learned as no
        # name, a currency or a generic noun, left out), each the stories naming it in any of its names;
        # two parameters a match: FACET_CAP stays under SQLite's limit of 32,766 (PostgreSQL's 65,535)
        entities = db.execute(
            f"WITH m(article, story) AS (VALUES {','.join(['(?, ?)'] * len(matched))})"
            " SELECT coalesce(r.ref, e.name), coalesce(r.ref_label, e.label), count(DISTINCT m.story) FROM m"
            " JOIN entities e ON e.article = m.article LEFT JOIN entity_refs r ON r.name = e.name AND r.label = e.label"
            " WHERE r.name IS NULL OR r.ref IS NOT NULL GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?",
            (*(x for pair in matched for x in pair), top)).fetchall() if matched else []
    except sqlite3.OperationalError as exc:
        raise ArchiveError(f"facets failed: {exc}") from exc

    def counted(kind: str) -> list[dict[str, Any]]:
        got = Counter({value: len(held) for value, held in stories[kind].items()})
        return [{"value": v, "count": n} for v, n in got.most_common(top)]

    return {
        "matches": len(matched), "sampled": len(matched) >= FACET_CAP,
        "source": counted("source"), "lang": counted("lang"), "topic": counted("topic"),
        "entity": [{"value": name, "label": label, "count": n} for name, label, n in entities],
    }


# ---------------------------------------------------------------- sources

def sources(db: Connection) -> list[dict[str, Any]]:
    """Each source's profile: articles, first and last publication day, languages, and the share
    of its articles the quality signals flagged; the largest first."""
    profile: dict[str, dict[str, Any]] = {}
    for src, lg, n, flagged, first, last in db.execute(
            "SELECT source, lang, sum(n), sum(flagged), min(CASE WHEN day > 0 THEN day END), max(day)"
            " FROM source_days GROUP BY 1, 2 HAVING sum(n) > 0"):
        p = profile.setdefault(src, {"source": src, "articles": 0, "flagged": 0, "languages": {}, "first": None, "last": None})
        p["articles"] += n
        p["flagged"] += flagged
        p["languages"][lg or "-"] = n
        if first and (p["first"] is None or first < p["first"]):
            p["first"] = first
        if last and (p["last"] is None or last > p["last"]):
            p["last"] = last
    out = []
    for p in profile.values():
        p["flagged_share"] = round(p["flagged"] / p["articles"], 3) if p["articles"] else 0.0
        p["languages"] = dict(sorted(p["languages"].items(), key=lambda kv: -kv[1]))
        p["first"] = date.fromordinal(p["first"]).isoformat() if p["first"] else None
        p["last"] = date.fromordinal(p["last"]).isoformat() if p["last"] else None
        out.append(p)
    out.sort(key=lambda p: (-p["articles"], p["source"]))
    return out
