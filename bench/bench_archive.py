"""The archive: ingest rate, re-ingest, size on disk, and search latency at ANT scale and at 1M articles.

    python bench/bench_archive.py                                  # every stage, 1,000,000 synthetic articles
    python bench/bench_archive.py --stage build --size 50000       # a trial build, to estimate the big one
    python bench/bench_archive.py --stage search --stage parts     # re-measure on archives already built

Stages (``--stage``, repeatable; default all, in this order):

* ``ingest``: ``python -m marsad.cli ingest ANT --no-progress`` into a fresh archive, as a subprocess on
  one core (``taskset -c 0``): articles/s of CPU and wall, peak RSS; then the same command twice more
  (re-ingest: the file is already ingested), and the archive's size on disk, by table.
* ``build``: a synthetic archive of ``--size`` articles made from the ANT archive's articles (paragraphs
  shuffled and borrowed, 15% of words swapped for words of other articles, dates spread over ten
  years, one in ten a near copy of a recent article in its cluster), written with ``Archive.write``;
  then the ``clusters`` rows the search joins on.
* ``search``: a seeded mix of ``--queries`` queries (see :func:`query_mix`), each run through
  ``Archive(path).search(...)`` in this process after a warm-up pass: p50/p95/max in ms, by kind, on
  the ANT archive and on the synthetic one.
* ``parts``: where the time of a search goes, on the synthetic archive: the same mix split into FTS
  MATCH alone, MATCH + bm25, + the join to ``articles`` (day only, then day and cluster), the
  per-cluster ``row_number()`` window (top-k without the total), the total alone, the full SQL, and
  the row fetches and snippets of the results; and EXPLAIN QUERY PLAN of the full SQL. The floor a
  user would otherwise get is plain FTS5 top-10 by bm25 (what sqlite-utils' ``table.search()`` runs).

Everything runs pinned to one core (``--cpu``, default 0). Results go to ``WORK/results.json`` (merged per stage).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ANT = Path("/work/shared/data/ant_multisource/articles.jsonl.gz")
STAGES = ("ingest", "build", "search", "parts")

# Words a reader does not search for alone: skipped when query words are drawn from headlines.
STOP = set(
    "في من على إلى الى عن مع بعد قبل أن ان إن هذا هذه التي الذي الذين ما لا لم لن قد كان كانت و أو او ثم حتى"
    " عند بين خلال ضد منذ حول عبر كل أي اي ذلك تلك هل هو هي لها له يا بـ لـ ب ل أمام امام دون غير إلى،".split()
)
# What people look up in a news archive, beyond headline words.
NEWS_WORDS = (
    "الحكومة", "الرئيس", "النفط", "الانتخابات", "السعودية", "مصر", "سوريا", "إيران", "ترامب", "العراق",
    "الاقتصاد", "البرلمان", "الدولار", "الأسهم", "المغرب", "تونس", "لبنان", "اليمن", "قطر", "الإمارات",
    "روسيا", "الصين", "فلسطين", "غزة", "القدس", "إسرائيل", "تركيا", "أردوغان", "بوتين", "الهجوم",
    "الجيش", "كرة القدم", "كأس العالم", "الأمم المتحدة", "البنك المركزي", "أسعار النفط", "ريال مدريد",
    "محمد صلاح", "الذكاء الاصطناعي", "فيسبوك",
)
_PUNCT = re.compile(r"[^\w\s]+", re.UNICODE)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of values, nearest-rank."""
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * len(s) + 0.5) - 1))]


def summary_ms(values: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values]
    return {"n": len(ms), "p50": pct(ms, 0.5), "p95": pct(ms, 0.95), "max": max(ms) if ms else float("nan"),
            "mean": statistics.fmean(ms) if ms else float("nan")}


def disk_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


def table_sizes(path: Path) -> dict[str, int]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {n: s for n, s in db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC")}
    except sqlite3.OperationalError:  # dbstat not compiled in
        return {}
    finally:
        db.close()


# -- stage 1: ingest ----------------------------------------------------------------------------------


def run_ingest(source: Path, archive: Path, cpu: int) -> dict[str, Any]:
    """One ``marsad ingest`` as a subprocess on one core: wall, CPU (user + sys), peak RSS, its summary."""
    cmd = [sys.executable, "-m", "marsad.cli", "ingest", str(source), "--archive", str(archive), "--no-progress"]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", str(cpu), *cmd]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        w0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=REPO)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own CPU and peak RSS
        wall = time.perf_counter() - w0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read()
    if proc.returncode:
        raise SystemExit(f"ingest failed ({proc.returncode}):\n{stderr[-3000:]}")
    read = re.search(r"read (\d+) articles", stderr)
    stored = re.search(r"added (\d+), updated (\d+), unchanged (\d+)", stderr)
    cpu = usage.ru_utime + usage.ru_stime
    return {
        "command": " ".join(cmd), "wall_s": wall, "cpu_s": cpu,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "read": int(read.group(1)) if read else None,
        "added": int(stored.group(1)) if stored else None,
        "updated": int(stored.group(2)) if stored else None,
        "unchanged": int(stored.group(3)) if stored else None,
        "summary": [line for line in stderr.splitlines() if not line.startswith("marsad: ")],
    }


def stage_ingest(work: Path, source: Path, cpu: int) -> dict[str, Any]:
    archive = work / "ant.db"
    for p in work.glob("ant.db*"):
        p.unlink()
    log(f"ingest {source} -> {archive} ...")
    first = run_ingest(source, archive, cpu)
    first["articles_per_s_wall"] = first["read"] / first["wall_s"]
    first["articles_per_s_cpu"] = first["read"] / first["cpu_s"]
    log(f"  {first['read']} articles in {first['wall_s']:.1f}s wall, {first['cpu_s']:.1f}s CPU:"
        f" {first['articles_per_s_wall']:.0f}/s wall, {first['articles_per_s_cpu']:.0f}/s CPU, peak RSS {first['peak_rss_mb']:.0f} MB")
    size = disk_size(archive)
    db = sqlite3.connect(archive)
    (rows,) = db.execute("SELECT count(*) FROM articles").fetchone()
    index_members = len(pickle_index(db).members)
    db.close()
    again = []
    for i in (1, 2):
        log(f"re-ingest {i} ...")
        r = run_ingest(source, archive, cpu)
        log(f"  {r['wall_s']:.2f}s wall, {r['cpu_s']:.2f}s CPU ({r['summary'][-1] if r['summary'] else ''})")
        again.append(r)
    return {
        "ingest": first, "reingest": again, "rows": rows, "dedup_index_members": index_members,
        "size_bytes": size, "size_mb_per_1000_rows": size / 1e6 / rows * 1000,
        "size_mb_per_1000_read": size / 1e6 / first["read"] * 1000, "tables": table_sizes(archive),
    }


def pickle_index(db: sqlite3.Connection) -> Any:
    import pickle

    row = db.execute("SELECT value FROM meta WHERE name = 'dedup'").fetchone()
    return pickle.loads(row[0])[1]


# -- stage 2: a synthetic archive ---------------------------------------------------------------------


@dataclass
class Base:
    title: str
    paragraphs: list[str]
    source: str
    lang: str | None
    author: str | None
    quality: dict[str, float]
    flags: list[str]


def load_bases(ant: Path) -> list[Base]:
    db = sqlite3.connect(f"file:{ant}?mode=ro", uri=True)
    bases = []
    for title, text, source, lang, record in db.execute(
        "SELECT title, text, source, lang, record FROM articles WHERE length(text) > 200 ORDER BY rowid"
    ):
        rec = json.loads(record)
        paragraphs = [p for p in text.split("\n") if p.strip()]
        bases.append(Base(title or "", paragraphs, source, lang, rec.get("author"), rec.get("quality") or {},
                          rec.get("quality_flags") or []))
    db.close()
    return bases


def synthetic_articles(bases: list[Base], n: int, *, seed: int = 7) -> Iterator[Any]:
    """``n`` articles made from ``bases``: each new text is a base's paragraphs shuffled, one in three
    with a paragraph of another article, 15% of its words (and one or two of its title's) swapped for
    words drawn from other articles (so frequent words stay frequent); one in ten is instead a near
    copy of a recent article (2% of words changed, maybe a paragraph dropped), in that article's cluster."""
    from marsad import Article
    from marsad.article import make_id

    rnd = random.Random(seed)
    pool = [w for b in rnd.sample(bases, min(3000, len(bases))) for p in b.paragraphs for w in p.split()]
    title_pool = [w for b in bases for w in b.title.split()]
    sources = sorted({b.source for b in bases})
    start, days = date(2015, 1, 1), (date(2024, 12, 31) - date(2015, 1, 1)).days
    recent: deque[tuple[str, str, list[str], datetime, str]] = deque(maxlen=2000)

    def swap(words: list[str], rate: float, words_from: list[str]) -> list[str]:
        if words:
            for i in rnd.sample(range(len(words)), max(0, round(len(words) * rate))):
                words[i] = rnd.choice(words_from)
        return words

    for i in range(n):
        if recent and rnd.random() < 0.1:
            cluster, title, paragraphs, published, _ = rnd.choice(recent)
            paragraphs = [" ".join(swap(p.split(), 0.02, pool)) for p in paragraphs]
            if len(paragraphs) > 2 and rnd.random() < 0.5:
                paragraphs = paragraphs[:-1]
            published = published + timedelta(hours=rnd.randint(0, 48))
            source = rnd.choice(sources)
        else:
            base = rnd.choice(bases)
            paragraphs = base.paragraphs[:]
            rnd.shuffle(paragraphs)
            if rnd.random() < 0.33:
                other = rnd.choice(bases).paragraphs
                paragraphs[rnd.randrange(len(paragraphs))] = rnd.choice(other)
            paragraphs = [" ".join(swap(p.split(), 0.15, pool)) for p in paragraphs]
            tw = base.title.split()
            title = " ".join(swap(tw, min(0.2, 2 / max(1, len(tw))), title_pool))
            published = datetime.combine(start + timedelta(days=rnd.randrange(days)), datetime.min.time(),
                                         UTC) + timedelta(seconds=rnd.randrange(86400))
            source, cluster = base.source, None
        text = "\n".join(paragraphs)
        url = f"https://{source.lower()}.example/{published:%Y/%m/%d}/{i}"
        article_id = make_id(url)
        cluster = cluster or article_id
        base_meta = bases[i % len(bases)]
        yield Article(
            id=article_id, raw="", url=url, source=source, title=title, author=base_meta.author,
            published=published, lang=base_meta.lang or "ar", text=text,
            content_hash=hashlib.blake2b(text.encode(), digest_size=16).hexdigest(), cluster=cluster,
            quality=base_meta.quality, quality_flags=base_meta.flags,
        )
        if cluster == article_id:
            recent.append((cluster, title, paragraphs, published, source))


def stage_build(work: Path, size: int) -> dict[str, Any]:
    from marsad.archive import Archive

    ant = work / "ant.db"
    if not ant.exists():
        raise SystemExit(f"{ant}: run the ingest stage first")
    target = work / f"synthetic_{size}.db"
    for p in work.glob(target.name + "*"):
        p.unlink()
    bases = load_bases(ant)
    log(f"build {target}: {size} articles from {len(bases)} ANT articles ...")
    t0, c0 = time.perf_counter(), time.process_time()
    step = max(1, min(50_000, size // 10))
    written = 0
    archive = Archive(target)

    def progress(articles: Iterator[Any]) -> Iterator[Any]:
        nonlocal written
        for a in articles:
            written += 1
            if written % step == 0:
                el = time.perf_counter() - t0
                log(f"  {written} in {el:.0f}s ({written / el:.0f}/s), {disk_size(target) / 1e9:.2f} GB")
            yield a

    counts = archive.write(progress(synthetic_articles(bases, size)))
    write_wall, write_cpu = time.perf_counter() - t0, time.process_time() - c0
    t1 = time.perf_counter()
    with archive.db as db:
        db.execute("DELETE FROM clusters")
        db.execute("INSERT INTO clusters (id, size, original) SELECT cluster, count(*), NULL FROM articles GROUP BY cluster")
    clusters_s = time.perf_counter() - t1
    db = archive.db
    (rows,) = db.execute("SELECT count(*) FROM articles").fetchone()
    (n_clusters, multi) = db.execute("SELECT count(*), sum(size > 1) FROM clusters").fetchone()
    archive.close()
    size_bytes = disk_size(target)
    out = {
        "path": str(target), "articles": size, "rows": rows, "counts": counts, "clusters": n_clusters,
        "clusters_with_copies": multi, "write_wall_s": write_wall, "write_cpu_s": write_cpu,
        "articles_per_s_wall": size / write_wall, "clusters_s": clusters_s, "size_bytes": size_bytes,
        "size_mb_per_1000": size_bytes / 1e6 / rows * 1000, "tables": table_sizes(target),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    log(f"  built in {write_wall:.0f}s wall ({out['articles_per_s_wall']:.0f}/s), clusters {clusters_s:.1f}s,"
        f" {size_bytes / 1e9:.2f} GB ({out['size_mb_per_1000']:.2f} MB per 1000)")
    return out


# -- stage 3: the query mix and its latency ------------------------------------------------------------


@dataclass
class Q:
    kind: str
    text: str
    sort: str = "relevance"
    source: str | None = None
    window_days: int | None = None  # a date filter of this many days ...
    anchor: float | None = None  # ... ending at the day of the article this far (0..1) into the archive
    options: dict[str, Any] = field(default_factory=dict)  # resolved against one archive

    def label(self) -> str:
        extra = [f"{k}={v}" for k, v in self.options.items() if v is not None and k != "sort"]
        return f"[{self.kind}] {self.text}" + (f"  ({', '.join(extra)})" if extra else "") + (
            "  sort=date" if self.sort == "date" else "")


def _content_words(title: str) -> list[str]:
    return [w for w in _PUNCT.sub(" ", title).split() if len(w) >= 3 and w not in STOP and not w.isascii()]


def query_mix(ant: Path, n: int = 300, *, seed: int = 11) -> list[Q]:
    """A seeded mix of ``n`` queries drawn from ANT headlines and common news words:

    53% 1-3 headline words, 13% common news words, 15% "quoted phrases" of 2-3 headline words, 10%
    ``a OR b``, 5% ``prefix*``, 4% ``word -excluded``; independently, 10% get a --from/--to window
    (7, 30, 90 or 365 days), 8% a --source, 20% sort by date."""
    rnd = random.Random(seed)
    db = sqlite3.connect(f"file:{ant}?mode=ro", uri=True)
    titles = [t for (t,) in db.execute("SELECT title FROM articles WHERE title IS NOT NULL ORDER BY rowid")]
    sources = [s for (s,) in db.execute("SELECT source FROM articles ORDER BY rowid")]
    db.close()
    words = [w for t in titles for w in _content_words(t)]

    def run_of(k: int) -> str:
        while True:
            ws = _PUNCT.sub(" ", rnd.choice(titles)).split()
            if len(ws) < k:
                continue
            i = rnd.randrange(len(ws) - k + 1)
            run = ws[i : i + k]
            if run[0] not in STOP and run[-1] not in STOP and not any(w.isascii() for w in run):
                return " ".join(run)

    def prefix() -> str:
        w = rnd.choice(words)
        w = w[2:] if w.startswith("ال") and len(w) > 5 else w
        return w[: max(3, len(w) - 2)] + "*"

    table: list[tuple[str, float, Callable[[], str]]] = [
        ("words", 0.53, lambda: run_of(rnd.choice((1, 1, 2, 2, 3)))),
        ("news", 0.13, lambda: rnd.choice(NEWS_WORDS)),
        ("phrase", 0.15, lambda: f'"{run_of(rnd.choice((2, 2, 3)))}"'),
        ("or", 0.10, lambda: f"{rnd.choice(words)} OR {rnd.choice(words)}"),
        ("prefix", 0.05, prefix),
        ("exclude", 0.04, lambda: f"{rnd.choice(NEWS_WORDS)} -{rnd.choice(words)}"),
    ]
    queries = []
    for kind, share, make in table:
        queries += [Q(kind, make()) for _ in range(round(n * share))]
    while len(queries) < n:
        queries.append(Q("words", run_of(rnd.choice((1, 2)))))
    queries = queries[:n]
    for q in queries:
        if rnd.random() < 0.10:
            q.window_days, q.anchor = rnd.choice((7, 30, 90, 365)), rnd.random()
        if rnd.random() < 0.08:
            q.source = rnd.choice(sources)
        if rnd.random() < 0.20:
            q.sort = "date"
    rnd.shuffle(queries)
    return queries


def resolve(queries: list[Q], db: sqlite3.Connection) -> list[Q]:
    """Fix each query's date window against this archive's days."""
    (top,) = db.execute("SELECT max(rowid) FROM articles").fetchone()
    for q in queries:
        q.options = {"sort": q.sort, "source": q.source, "date_from": None, "date_to": None}
        if q.window_days:
            row = db.execute("SELECT day FROM articles WHERE rowid >= ? AND day IS NOT NULL ORDER BY rowid LIMIT 1",
                             (1 + int(q.anchor * (top - 1)),)).fetchone()
            end = date.fromisoformat(row[0])
            q.options.update(date_from=end - timedelta(days=q.window_days), date_to=end)
    return queries


class Guard:
    """Stop the statements of a connection that run longer than ``limit_s`` (SQLite then raises
    "interrupted"), so that one pathological plan cannot stall the whole benchmark."""

    def __init__(self, db: sqlite3.Connection, limit_s: float) -> None:
        self.db, self.limit_s, self.start = db, limit_s, 0.0

    def __enter__(self) -> Guard:
        self.start = time.perf_counter()
        self.db.set_progress_handler(lambda: int(time.perf_counter() - self.start > self.limit_s), 10_000)
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.set_progress_handler(None, 0)


def pin(cpu: int) -> None:
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {cpu})
        except OSError:
            pass


def time_search(path: Path, queries: list[Q], *, limit_s: float) -> dict[str, Any]:
    """Each query once to warm up, then once timed; a query still running after ``limit_s`` is stopped
    (SQLite progress handler) and counted at ``limit_s``, which understates it."""
    from marsad.archive import Archive
    from marsad.errors import ArchiveError

    rows: list[tuple[float, int, Q]] = []
    stopped: list[str] = []
    with Archive(path, create=False) as archive:
        resolve(queries, archive.db)
        guard = Guard(archive.db, limit_s)
        slow: set[int] = set()
        for i, q in enumerate(queries):
            try:
                with guard:
                    archive.search(q.text, **q.options)
            except ArchiveError:
                slow.add(i)
        for i, q in enumerate(queries):
            if i in slow:
                rows.append((limit_s, -1, q))
                stopped.append(q.label())
                continue
            t0 = time.perf_counter()
            found = archive.search(q.text, **q.options)
            rows.append((time.perf_counter() - t0, found.total, q))
    by_kind: dict[str, list[float]] = {}
    for t, _, q in rows:
        by_kind.setdefault(q.kind, []).append(t)
        by_kind.setdefault("+dates", []).append(t) if q.window_days else None
        by_kind.setdefault("+source", []).append(t) if q.source else None
        by_kind.setdefault("+sort=date", []).append(t) if q.sort == "date" else None
    slowest = sorted(rows, key=lambda r: -r[0])[:10]
    return {
        "limit_s": limit_s, "stopped": stopped,
        "all": summary_ms([t for t, _, _ in rows]),
        "by_kind": {k: summary_ms(v) for k, v in sorted(by_kind.items())},
        "totals": {"p50": pct([float(n) for _, n, _ in rows], 0.5), "max": max(n for _, n, _ in rows),
                   "zero": sum(1 for _, n, _ in rows if n == 0)},
        "slowest": [{"ms": t * 1000, "total": n, "query": q.label()} for t, n, q in slowest],
        "per_query": [{"ms": t * 1000, "total": n, "kind": q.kind, "query": q.label()} for t, n, q in rows],
    }


def print_latency(name: str, r: dict[str, Any]) -> None:
    a = r["all"]
    if r["stopped"]:
        log(f"{name}: {len(r['stopped'])} queries stopped at {r['limit_s']:.0f} s: " + "; ".join(r["stopped"]))
    log(f"{name}: {a['n']} queries  p50 {a['p50']:.1f} ms  p95 {a['p95']:.1f} ms  max {a['max']:.1f} ms"
        f"  (median total {r['totals']['p50']:.0f}, {r['totals']['zero']} with none)")
    for k, s in r["by_kind"].items():
        log(f"  {k:12} n={s['n']:3}  p50 {s['p50']:8.1f}  p95 {s['p95']:8.1f}  max {s['max']:8.1f}")
    for s in r["slowest"][:5]:
        log(f"  slow: {s['ms']:8.1f} ms  total {s['total']:7}  {s['query']}")


# -- stage 4: where a search's time goes ---------------------------------------------------------------

PARTS = ("match", "match_bm25", "join_day", "join_day_cluster", "window_topk", "total", "main_sql",
         "fetch_rows", "snippets", "search", "floor_fts_top10")


def search_sql(query: Any, options: dict[str, Any], limit: int = 10) -> tuple[str, list[Any], str]:
    """The statements of :func:`marsad.archive.search.search` (as of this benchmark): hits, params, order."""
    from marsad.archive.search import WEIGHTS, to_fts

    where, params = ["fts MATCH ?"], [to_fts(query)]
    if options.get("date_from"):
        where.append("a.day >= ?")
        params.append(options["date_from"].isoformat())
    if options.get("date_to"):
        where.append("a.day <= ?")
        params.append(options["date_to"].isoformat())
    if options.get("source"):
        where.append("a.source = ?")
        params.append(options["source"])
    weights = ", ".join(str(w) for w in WEIGHTS)
    hits = (f"SELECT a.rowid AS rid, coalesce(a.cluster, a.id) AS cl, a.day AS day, bm25(fts, {weights}) AS score"
            f" FROM fts JOIN articles a ON a.rowid = fts.rowid WHERE {' AND '.join(where)}")
    order = "score, day DESC" if options.get("sort", "relevance") == "relevance" else "day DESC, score"
    return hits, params, order


def time_parts(path: Path, queries: list[Q], *, limit_s: float) -> dict[str, Any]:
    """Each part of each search of the mix without a --source or date filter, timed alone (the filtered
    ones are :func:`time_filters`' business: their cost is the plan); the floor is plain FTS5 top-10."""
    from marsad.archive import Archive
    from marsad.archive.search import WEIGHTS, make_snippet, parse_query
    from marsad.errors import ArchiveError

    weights = ", ".join(str(w) for w in WEIGHTS)
    best = "best AS (SELECT rid, cl, day, score, row_number() OVER (PARTITION BY cl ORDER BY score, rid) AS rn FROM hits)"
    out: list[dict[str, Any]] = []
    skipped = []
    with Archive(path, create=False) as archive:
        db = archive.db
        resolve(queries, db)
        guard = Guard(db, limit_s)
        ok = []
        for q in queries:  # warm-up
            if q.source or q.window_days:
                continue
            try:
                with guard:
                    archive.search(q.text, **q.options)
                ok.append(q)
            except ArchiveError:
                skipped.append(q.label())
        plans: dict[str, list[str]] = {}
        for q in ok:
            query = parse_query(q.text)
            hits, params, order = search_sql(query, q.options)
            join_day = hits.replace("coalesce(a.cluster, a.id) AS cl, ", "")
            main = (f"WITH hits AS ({hits}), {best} SELECT b.rid, b.score, (SELECT count(*) FROM best WHERE rn = 1) AS total"
                    f" FROM best b WHERE b.rn = 1 ORDER BY {order} LIMIT ? OFFSET ?")
            t: dict[str, float] = {}
            clock = _clock(db, t)
            n_match = len(clock("match", "SELECT rowid FROM fts WHERE fts MATCH ?", params[:1]))
            clock("match_bm25", f"SELECT rowid, bm25(fts, {weights}) FROM fts WHERE fts MATCH ?", params[:1])
            clock("join_day", join_day, params)
            n_hits = len(clock("join_day_cluster", hits, params))
            clock("window_topk", f"WITH hits AS ({hits}), {best} SELECT rid, score FROM best WHERE rn = 1 ORDER BY {order} LIMIT 10", params)
            clock("total", f"WITH hits AS ({hits}), {best} SELECT count(*) FROM best WHERE rn = 1", params)
            rows = clock("main_sql", main, [*params, 10, 0])
            t0 = time.perf_counter()
            bodies = [db.execute(
                "SELECT a.id, a.title, a.url, a.source, a.published, a.text, coalesce(c.size, 1) FROM articles a"
                " LEFT JOIN clusters c ON c.id = a.cluster WHERE a.rowid = ?", (rid,)).fetchone()[5] for rid, _, _ in rows]
            t["fetch_rows"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            for body in bodies:
                make_snippet(body, query)
            t["snippets"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            archive.search(q.text, **q.options)
            t["search"] = time.perf_counter() - t0
            clock("floor_fts_top10", f"SELECT rowid, bm25(fts, {weights}) AS s FROM fts WHERE fts MATCH ? ORDER BY s LIMIT 10",
                  params[:1])
            out.append({"query": q.label(), "kind": q.kind, "fts_matches": n_match, "hits": n_hits,
                        "total": rows[0][2] if rows else 0, "ms": {k: v * 1000 for k, v in t.items()}})
            key = q.options["sort"]
            if key not in plans:
                plans[key] = [q.label(), *(r[3] for r in db.execute("EXPLAIN QUERY PLAN " + main, [*params, 10, 0]))]
    per_part = {p: summary_ms([r["ms"][p] / 1000 for r in out]) for p in PARTS}
    share = {p: sum(r["ms"][p] for r in out) / sum(r["ms"]["search"] for r in out) for p in PARTS}
    # queries in bands of matches: the cost of every part grows with how many articles match
    bands: dict[str, list[dict[str, Any]]] = {}
    for r in out:
        h = r["fts_matches"]
        band = "<1k" if h < 1000 else "1k-10k" if h < 10_000 else "10k-100k" if h < 100_000 else ">=100k"
        bands.setdefault(band, []).append(r)
    by_band = {b: {"n": len(rs), "median_matches": statistics.median(r["fts_matches"] for r in rs),
                   **{p: statistics.median(r["ms"][p] for r in rs) for p in PARTS}} for b, rs in bands.items()}
    slow = sorted(out, key=lambda r: -r["ms"]["search"])[:12]
    return {"n": len(out), "skipped": skipped, "per_part": per_part, "share_of_search": share, "by_band": by_band, "slowest": slow,
            "plans": plans, "per_query": out, "us_per_match": _per_match(out)}


def time_filters(path: Path, queries: list[Q], *, limit_s: float) -> dict[str, Any]:
    """The hits statement of every query with a --source or date filter, three ways: as search() writes
    it (SQLite picks the plan, with no statistics), with the filter columns behind a unary ``+`` (so no
    index on them can drive the join: FTS first, then each hit's row), and as written after ANALYZE
    (run in a transaction that is rolled back, so the archive is left as it was)."""
    from marsad.archive import Archive
    from marsad.archive.search import parse_query

    filtered = [q for q in queries if q.source or q.window_days]
    out: list[dict[str, Any]] = []
    with Archive(path, create=False) as archive:
        db = archive.db
        resolve(queries, db)
        guard = Guard(db, limit_s)

        def timed(sql: str, params: list[Any]) -> tuple[float | None, int, str]:
            plan = " / ".join(r[3] for r in db.execute("EXPLAIN QUERY PLAN " + sql, params))
            try:
                with guard:
                    t0 = time.perf_counter()
                    n = len(db.execute(sql, params).fetchall())
                    return time.perf_counter() - t0, n, plan
            except sqlite3.OperationalError:
                return None, -1, plan

        for q in filtered:
            hits, params, _ = search_sql(parse_query(q.text), q.options)
            plus = hits.replace("a.source = ?", "+a.source = ?").replace("a.day >= ?", "+a.day >= ?").replace(
                "a.day <= ?", "+a.day <= ?")
            timed(plus, params)  # warm
            row: dict[str, Any] = {"query": q.label()}
            for name, sql in (("as_written", hits), ("unary_plus", plus)):
                row[name] = timed(sql, params)
            out.append(row)
        t0 = time.perf_counter()
        db.execute("BEGIN")
        db.execute("ANALYZE")
        analyze_s = time.perf_counter() - t0
        for q, row in zip(filtered, out, strict=True):
            hits, params, _ = search_sql(parse_query(q.text), q.options)
            row["analyzed"] = timed(hits, params)
        db.execute("ROLLBACK")

    def ms(name: str) -> dict[str, Any]:
        done = [r[name][0] for r in out if r[name][0] is not None]
        return {**summary_ms(done), "stopped": sum(1 for r in out if r[name][0] is None)}

    return {"limit_s": limit_s, "analyze_s": analyze_s, "n": len(out),
            "as_written": ms("as_written"), "unary_plus": ms("unary_plus"), "analyzed": ms("analyzed"), "per_query": out}


def _clock(db: sqlite3.Connection, t: dict[str, float]) -> Callable[[str, str, list[Any]], list[Any]]:
    def clock(name: str, sql: str, args: list[Any]) -> list[Any]:
        t0 = time.perf_counter()
        got = db.execute(sql, args).fetchall()
        t[name] = time.perf_counter() - t0
        return got

    return clock


def _per_match(out: list[dict[str, Any]]) -> dict[str, float]:
    """Microseconds per FTS match of each part, fitted over the queries with at least 10,000 matches."""
    big = [r for r in out if r["fts_matches"] >= 10_000]
    n = sum(r["fts_matches"] for r in big)
    return {p: sum(r["ms"][p] for r in big) * 1000 / n for p in PARTS} if n else {}


def print_filters(name: str, r: dict[str, Any]) -> None:
    log(f"filters {name}: hits of {r['n']} filtered queries (ms; stopped at {r['limit_s']:.0f} s); ANALYZE took {r['analyze_s']:.1f} s")
    for k in ("as_written", "unary_plus", "analyzed"):
        s = r[k]
        log(f"  {k:11} p50 {s['p50']:9.1f}  p95 {s['p95']:9.1f}  max {s['max']:9.1f}  stopped {s['stopped']}")
    plans = Counter((k, row[k][2]) for row in r["per_query"] for k in ("as_written", "unary_plus", "analyzed"))
    for (k, plan), n in sorted(plans.items()):
        log(f"  plan {k:11} x{n:3}: {plan}")


def print_parts(r: dict[str, Any]) -> None:
    if r["skipped"]:
        log(f"parts: {len(r['skipped'])} queries left out (stopped): " + "; ".join(r["skipped"]))
    log(f"parts of the {r['n']} queries without --source or dates:")
    log(f"{'part':18}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'share':>8}{'us/match':>10}")
    for p in PARTS:
        s = r["per_part"][p]
        log(f"{p:18}{s['p50']:10.1f}{s['p95']:10.1f}{s['max']:10.1f}{r['share_of_search'][p]:8.0%}"
            f"{r['us_per_match'].get(p, float('nan')):10.2f}")
    log("by matches (medians, ms):")
    for b, s in sorted(r["by_band"].items(), key=lambda kv: kv[1]["median_matches"]):
        log(f"  {b:9} n={s['n']:3} matches {s['median_matches']:>8.0f}: " + "  ".join(f"{p} {s[p]:.1f}" for p in PARTS))
    for s in r["slowest"][:8]:
        log(f"  slow: {s['ms']['search']:7.0f} ms  matches {s['fts_matches']:7}  {s['query']}")
    for k, plan in r["plans"].items():
        log(f"plan ({k}):\n    " + "\n    ".join(plan))


# -- main ----------------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", type=Path, default=REPO / "build" / "bench_archive", help="where archives and results go")
    ap.add_argument("--source", type=Path, default=ANT, help="the ANT multi-source JSONL")
    ap.add_argument("--size", type=int, default=1_000_000, help="articles in the synthetic archive")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--cpu", type=int, default=0, help="the core this process (and ingest) runs on")
    ap.add_argument("--limit", type=float, default=30.0, help="stop a query after this many seconds")
    ap.add_argument("--stage", action="append", choices=STAGES, help="run only these stages (repeatable)")
    args = ap.parse_args()
    stages = args.stage or list(STAGES)
    args.work.mkdir(parents=True, exist_ok=True)
    results_path = args.work / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    pin(args.cpu)
    synthetic = args.work / f"synthetic_{args.size}.db"

    def save() -> None:
        results_path.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))

    if "ingest" in stages:
        results["ingest"] = stage_ingest(args.work, args.source, args.cpu)
        save()
    if "build" in stages:
        results[f"build_{args.size}"] = stage_build(args.work, args.size)
        save()
    queries = query_mix(args.work / "ant.db", args.queries) if {"search", "parts"} & set(stages) else []
    if "search" in stages:
        log(f"query mix: {dict(Counter(q.kind for q in queries))}, dates {sum(1 for q in queries if q.window_days)},"
            f" source {sum(1 for q in queries if q.source)}, sort=date {sum(1 for q in queries if q.sort == 'date')}")
        for name, path in (("ant", args.work / "ant.db"), (f"synthetic_{args.size}", synthetic)):
            if path.exists():
                results[f"search_{name}"] = r = time_search(path, queries, limit_s=args.limit)
                print_latency(f"search {name}", r)
                save()
    if "parts" in stages:
        for name, path in (("ant", args.work / "ant.db"), (str(args.size), synthetic)):
            if not path.exists():
                continue
            results[f"filters_{name}"] = r = time_filters(path, queries, limit_s=args.limit)
            print_filters(name, r)
            save()
        if synthetic.exists():
            results[f"parts_{args.size}"] = r = time_parts(synthetic, queries, limit_s=args.limit)
            print_parts(r)
            save()
    log(f"results in {results_path}")


if __name__ == "__main__":
    main()
