"""The archive: ingest rate, re-ingest, size on disk, and search latency at ANT scale and at 1M articles.

    python bench/bench_archive.py                                  # every stage, 1,000,000 synthetic articles
    python bench/bench_archive.py --stage build --size 50000       # a trial build, to estimate the big one
    python bench/bench_archive.py --stage search --stage parts     # re-measure on archives already built

An archive of an older schema is migrated when the search stage opens it (at 1M, a re-index).

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
* ``parts``: where the time of a search goes: the same mix, with the time of each part of
  ``search()`` (reading matches, older headline matches, the total, headline checks, snippets).
  Before schema v4 this stage timed each SQL statement and tried other statements (``filters``,
  ``whatif``); those ran against the single full-text table of schema v2/v3 and were removed with it
  (their figures: docs/bench_archive.md, from commit d7273c7).

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
from collections import Counter, defaultdict, deque
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
    cpu_s = usage.ru_utime + usage.ru_stime
    return {
        "command": " ".join(cmd), "wall_s": wall, "cpu_s": cpu_s,
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
    estimated = 0
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
            estimated += not found.total_exact
    by_kind: dict[str, list[float]] = {}
    for t, _, q in rows:
        for kind, applies in ((q.kind, True), ("+dates", q.window_days), ("+source", q.source), ("+sort=date", q.sort == "date")):
            if applies:
                by_kind.setdefault(kind, []).append(t)
    slowest = sorted(rows, key=lambda r: -r[0])[:10]
    return {
        "limit_s": limit_s, "stopped": stopped,
        "all": summary_ms([t for t, _, _ in rows]),
        "by_kind": {k: summary_ms(v) for k, v in sorted(by_kind.items())},
        "totals": {"p50": pct([float(n) for _, n, _ in rows], 0.5), "max": max(n for _, n, _ in rows),
                   "zero": sum(1 for _, n, _ in rows if n == 0), "estimated": estimated},
        "slowest": [{"ms": t * 1000, "total": n, "query": q.label()} for t, n, q in slowest],
        "per_query": [{"ms": t * 1000, "total": n, "kind": q.kind, "query": q.label()} for t, n, q in rows],
    }


def print_latency(name: str, r: dict[str, Any]) -> None:
    a = r["all"]
    if r["stopped"]:
        log(f"{name}: {len(r['stopped'])} queries stopped at {r['limit_s']:.0f} s: " + "; ".join(r["stopped"]))
    log(f"{name}: {a['n']} queries  p50 {a['p50']:.1f} ms  p95 {a['p95']:.1f} ms  max {a['max']:.1f} ms"
        f"  (median total {r['totals']['p50']:.0f}, {r['totals']['zero']} with none,"
        f" {r['totals'].get('estimated', 0)} estimated)")
    for k, s in r["by_kind"].items():
        log(f"  {k:12} n={s['n']:3}  p50 {s['p50']:8.1f}  p95 {s['p95']:8.1f}  max {s['max']:8.1f}")
    for s in r["slowest"][:5]:
        log(f"  slow: {s['ms']:8.1f} ms  total {s['total']:7}  {s['query']}")


# -- stage 4: where a search's time goes ---------------------------------------------------------------

#: parts of marsad.archive.search.search(), timed by wrapping them (inclusive: ``total`` reads the
#: rest of the window when a date-sorted search has not; ``read`` is every chunk of matches read,
#: with FTS5's first pass over each word's postings for BM25 inside the first chunk of each year)
PARTS = (
    ("read", "_Scan", "more"),
    ("headline", "_Scan", "headline_matches"),
    ("total", None, "_total"),
    ("title_holds", None, "title_holds"),
    ("snippet", None, "make_snippet"),
)


def time_parts(path: Path, queries: list[Q]) -> dict[str, Any]:
    """Each query once to warm up, then once timed, with the time of each part of the search."""
    from marsad.archive import Archive
    from marsad.archive import search as module

    spent: defaultdict[str, float] = defaultdict(float)
    saved = []
    for name, owner, attr in PARTS:
        target = getattr(module, owner) if owner else module
        fn = getattr(target, attr)
        saved.append((target, attr, fn))

        def timed(*a: Any, _fn: Callable[..., Any] = fn, _name: str = name, **k: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return _fn(*a, **k)
            finally:
                spent[_name] += time.perf_counter() - t0

        setattr(target, attr, timed)
    rows = []
    try:
        with Archive(path, create=False) as archive:
            resolve(queries, archive.db)
            for q in queries:
                archive.search(q.text, **q.options)
            for q in queries:
                spent.clear()
                t0 = time.perf_counter()
                found = archive.search(q.text, **q.options)
                ms = (time.perf_counter() - t0) * 1000
                rows.append({"query": q.label(), "kind": q.kind, "ms": ms, "total": found.total,
                             **{k: v * 1000 for k, v in spent.items()}})
    finally:
        for target, attr, fn in saved:
            setattr(target, attr, fn)
    rows.sort(key=lambda r: r["ms"])
    slow = rows[int(len(rows) * 0.9):]
    names = [n for n, _, _ in PARTS]
    return {
        "n": len(rows),
        "mean_ms": {n: statistics.fmean(r.get(n, 0.0) for r in rows) for n in ["ms", *names]},
        "slowest_tenth_mean_ms": {n: statistics.fmean(r.get(n, 0.0) for r in slow) for n in ["ms", *names]},
        "per_query": rows,
    }


def print_parts(name: str, r: dict[str, Any]) -> None:
    for label, key in (("all", "mean_ms"), ("slowest tenth", "slowest_tenth_mean_ms")):
        log(f"parts {name}, {label}: " + "  ".join(f"{k} {v:.1f}" for k, v in r[key].items()) + "  (mean ms)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", type=Path, default=REPO / "build" / "bench_archive", help="where archives and results go")
    ap.add_argument("--source", type=Path, default=ANT, help="the ANT multi-source JSONL")
    ap.add_argument("--size", type=int, default=1_000_000, help="articles in the synthetic archive")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--cpu", type=int, default=0, help="the core this process (and ingest) runs on")
    ap.add_argument("--limit", type=float, default=20.0, help="stop a query after this many seconds")
    ap.add_argument("--stage", action="append", choices=STAGES, help="run only these stages (repeatable)")
    args = ap.parse_args()
    stages = args.stage or list(STAGES)
    args.work.mkdir(parents=True, exist_ok=True)
    results_path = args.work / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    pin(args.cpu)
    synthetic = args.work / f"synthetic_{args.size}.db"

    head = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty=+", "--exclude", "*"],
                          capture_output=True, text=True, check=False).stdout.strip()
    src_changed = subprocess.run(["git", "-C", str(REPO), "status", "--short", "src"], capture_output=True, text=True, check=False).stdout
    code = f"{head}{' (src modified)' if src_changed.strip() else ''}"
    log(f"marsad at {code}")

    def save() -> None:
        results_path.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))

    if "ingest" in stages:
        results["ingest"] = {"code": code, **stage_ingest(args.work, args.source, args.cpu)}
        save()
    if "build" in stages:
        results[f"build_{args.size}"] = {"code": code, **stage_build(args.work, args.size)}
        save()
    queries = query_mix(args.work / "ant.db", args.queries) if {"search", "parts"} & set(stages) else []
    if "search" in stages:
        log(f"query mix: {dict(Counter(q.kind for q in queries))}, dates {sum(1 for q in queries if q.window_days)},"
            f" source {sum(1 for q in queries if q.source)}, sort=date {sum(1 for q in queries if q.sort == 'date')}")
        for name, path in (("ant", args.work / "ant.db"), (f"synthetic_{args.size}", synthetic)):
            if path.exists():
                results[f"search_{name}"] = r = {"code": code, **time_search(path, queries, limit_s=args.limit)}
                print_latency(f"search {name}", r)
                save()
    if "parts" in stages:
        for name, path in (("ant", args.work / "ant.db"), (f"synthetic_{args.size}", synthetic)):
            if path.exists():
                results[f"parts_{name}"] = r = {"code": code, **time_parts(path, queries)}
                print_parts(name, r)
                save()
    log(f"results in {results_path}")


if __name__ == "__main__":
    main()
